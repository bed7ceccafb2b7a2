"""The `local` engine: the embedded llama.cpp server, then exactly the `llm` engine.

The server starts once per engine (the model loads in under a second), serves every
document, and stops in `close()`. No network and no key are needed.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.engines.base import EngineOutput
from extractor.engines.llm import LLMEngine
from extractor.llm.local_server import LocalServer
from extractor.settings import Settings
from extractor.text.articles import Article


class LocalEngine:
    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.server = LocalServer(
            settings.model_path,
            threads=settings.threads,
            ctx_size=settings.ctx_size,
            parallel=1,
        )
        try:
            self.llm = LLMEngine(
                replace(settings, base_url=self.server.base_url, api_key=None,
                        mode=settings.mode or "json_schema"),
                model_name=self.server.model_name,
            )  # fmt: skip
        except BaseException:
            self.server.stop()
            raise

    @property
    def model(self) -> str:
        return self.llm.model

    @property
    def prompt_version(self) -> str:
        return self.llm.prompt_version

    @property
    def prompt_hash(self) -> str:
        return self.llm.prompt_hash

    @property
    def parameters(self) -> dict[str, object]:
        return self.llm.parameters

    def extract(self, article: Article) -> EngineOutput:
        return self.llm.extract(article)

    def close(self) -> None:
        self.llm.close()
        self.server.stop()
