"""The `llm` engine: any OpenAI-compatible endpoint; `local` is the same engine behind the
embedded llama.cpp server, started on the first model call.

Per chunk of the article: render the versioned prompt (with the candidates found in the
chunk as hints), ask the model client for the chunk's answer, and hand its items on as raw
items searched within that chunk. A chunk whose endpoint fails (after the transport
retries) is a `ChunkFailure` and the next chunk is asked all the same; once the run's
budget is spent the model is not asked at all. Grounding, merging with the candidates and
storing are the pipeline's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from extractor.engines.base import ChunkFailure, Proposal
from extractor.errors import ProviderError, one_line
from extractor.llm.client import ModelClient, endpoint_model
from extractor.llm.local_server import LocalServer, local_model_name
from extractor.llm.prompt import load_prompt
from extractor.llm.responses import placed_items
from extractor.records import Notify, Recorder, check_time_limit, quiet
from extractor.schemas import DocumentExtraction
from extractor.settings import EngineSettings
from extractor.text.articles import Article
from extractor.text.segment import chunks


class LLMEngine:
    uses_candidates: bool

    def __init__(
        self,
        settings: EngineSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        name: str = "llm",
        client: ModelClient | None = None,
        notify: Notify = quiet,
    ) -> None:
        """`transport` replaces the HTTP transport (tests pass a fake server here);
        `notify` hears of each chunk as it is asked."""
        self.name = name
        self.notify = notify
        self.settings = settings
        self.uses_candidates = settings.use_candidates
        self.prompt = load_prompt(settings.prompt)
        if client is None:
            base_url, model = endpoint_model(settings, transport)
            client = ModelClient(settings, base_url=base_url, model=model, transport=transport)
        self.client = client
        self.server: LocalServer | None = None

    @classmethod
    def local(cls, settings: EngineSettings, notify: Notify = quiet) -> LLMEngine:
        """The engine behind the embedded llama.cpp server, which starts on the first
        model call (a fully cached run starts none; `notify` hears it load) and stops in
        `close()`. Its timeout and retries are the in-process server's (`local`)."""
        server = LocalServer(
            settings.model_path, threads=settings.threads, ctx_size=settings.ctx_size,
            notify=notify,
        )  # fmt: skip
        local = replace(settings, engine="local", api_key=None, mode=settings.mode or "json_schema")
        client = ModelClient(
            local, base_url=server.start, model=local_model_name(settings.model_path)
        )
        engine = cls(local, name="local", client=client, notify=notify)
        engine.server = server
        return engine

    # --- Engine protocol -------------------------------------------------------------
    @property
    def model(self) -> str:
        return self.client.model

    @property
    def endpoint(self) -> str | None:
        return self.client.base_url

    @property
    def mode(self) -> Any:
        return self.client.mode

    @property
    def prompt_version(self) -> str:
        return self.prompt.version

    @property
    def prompt_hash(self) -> str:
        return self.prompt.hash

    @property
    def parameters(self) -> dict[str, object]:
        s = self.settings
        return {
            "mode": self.client.mode.value,
            "temperature": s.temperature,
            "max_tokens": s.completion_bound,
            "max_reasks": s.max_reasks,
            "chunk_chars": s.chunk_chars,
            "chunk_overlap": s.chunk_overlap,
            "candidates": s.use_candidates,
            "schema_hash": self.client.schema_hash,
        }

    def close(self) -> None:
        self.client.close()
        if self.server is not None:
            self.server.stop()

    def propose(
        self, article: Article, hints: DocumentExtraction | None, recorder: Recorder
    ) -> Proposal:
        proposal = Proposal()
        published = article.published.isoformat() if article.published else None
        parameters = self.parameters
        settings = self.settings
        parts = chunks(article.text, settings.chunk_chars, settings.chunk_overlap)
        label = article.title or article.path or article.id[:8]
        for index, chunk in enumerate(parts):
            check_time_limit()  # a request's time limit (the service) holds between chunks
            recorder.chunk_index = index
            self.notify(f"{label}: chunk {index + 1}/{len(parts)}", transient=True)
            chunk_hints = _within(hints, chunk.start, chunk.end) if hints else None
            messages = self.prompt.messages(chunk.text, published, chunk_hints)
            budget = recorder.budget
            if budget is not None and (skipped := budget.skip_reason()) is not None:
                # The budget is spent: a cached answer still serves, the model is not asked.
                answer = self.client.cached(
                    messages, recorder, prompt_hash=self.prompt.hash, parameters=parameters
                )
                if answer is None:
                    proposal.failures.append(ChunkFailure(index, skipped, skipped=True))
                    continue
                response, malformed = answer
            else:
                first_call = len(recorder.calls)
                try:
                    response, malformed = self.client.ask(
                        messages, chunk.text, recorder, prompt_hash=self.prompt.hash,
                        parameters=parameters, article=(article.text, chunk.start),
                    )  # fmt: skip
                except ProviderError as exc:  # the other chunks are still asked
                    proposal.failures.append(ChunkFailure(index, one_line(exc)))
                    if budget is not None:
                        budget.failed(one_line(exc))
                    continue
                if budget is not None and any(
                    c.outcome != "cached" for c in recorder.calls[first_call:]
                ):  # the endpoint answered (a cache hit says nothing about it)
                    budget.succeeded()
            proposal.items += placed_items(response, (chunk.start, chunk.end), index)
            proposal.rejections += malformed
        return proposal


def _within(extraction: DocumentExtraction, start: int, end: int) -> DocumentExtraction:
    def inside(items: list[Any]) -> list[Any]:
        return [i for i in items if i.char_start >= start and i.char_end <= end]

    return DocumentExtraction(
        quotes=inside(extraction.quotes),
        claims=inside(extraction.claims),
        events=inside(extraction.events),
    )
