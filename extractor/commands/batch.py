"""Batch jobs: `extractor extract PATH --batch` writes every chunk's request in the OpenAI
batch JSONL format and, against an endpoint with a batch API, submits it;
`extractor batch status|collect BATCH` polls it, then grounds and stores the answers through
the same pipeline as a live run (a request that failed or expired: its document failed).

A batch is a folder `--batch-dir/BATCH/`: `requests.jsonl` (runs unchanged in
`vllm run-batch`), `manifest.json` (the articles, the engine settings, the provider's batch
id; never a key) and, once collected, `output.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import uuid
from dataclasses import asdict, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from extractor.commands.options import add_db
from extractor.engines.llm import LLMEngine
from extractor.errors import BatchError, ConfigError, ExtractorError, NotFound, one_line
from extractor.llm.batch import Answers, BatchAPI, RequestWriter, read_output, request_line
from extractor.llm.client import default_mode, endpoint_model
from extractor.pipeline import Outcome, Source, extract_article, run_batch
from extractor.settings import EngineSettings, engine_from, store_from
from extractor.store import Store
from extractor.text.articles import Article

DEFAULT_DIR = Path(".extractor-batches")
#: The engine settings a batch keeps, so that collecting it asks nothing of the user.
KEPT = ("model", "base_url", "mode", "prompt", "temperature", "max_tokens", "use_candidates",
        "nlp_model", "chunk_chars", "chunk_overlap")  # fmt: skip


def add_batch_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch-dir", type=Path, default=DEFAULT_DIR, metavar="DIR",
                        help=f"folder of batch jobs (default: {DEFAULT_DIR})")  # fmt: skip


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "batch", help=help,
        description="Batches are written by `extractor extract PATH --batch`. The key comes "
        "from OPENAI_API_KEY / EXTRACTOR_API_KEY, as for extract.",
    )  # fmt: skip
    sub = parser.add_subparsers(dest="batch_command", required=True, metavar="status|collect")
    status = sub.add_parser("status", help="where a submitted batch is",
                            description="The provider's status and request counts.")  # fmt: skip
    status.add_argument("batch", metavar="BATCH")
    add_batch_dir(status)
    status.set_defaults(run=run_status)
    collect = sub.add_parser(
        "collect", help="ground and store a finished batch's answers",
        description="Downloads the output of a finished (completed or expired) batch, or "
        "reads --from-file, and stores it as a live run would: grounded items per document; "
        "a document whose request failed or expired is recorded failed.",
    )  # fmt: skip
    collect.add_argument("batch", metavar="BATCH")
    collect.add_argument(
        "--from-file", type=Path, metavar="OUTPUT.jsonl",
        help="the batch's output from elsewhere, e.g. `vllm run-batch -o`",
    )  # fmt: skip
    add_batch_dir(collect)
    add_db(collect)
    collect.set_defaults(run=run_collect)


def write(sources: list[Source], settings: EngineSettings, folder: Path, err: Console) -> int:
    """`extract --batch`: the requests file, submitted when the endpoint has a batch API."""
    if settings.engine != "llm":
        raise ConfigError("--batch needs --engine llm (and --model: the model the batch runs)")
    base_url, model = endpoint_model(settings)
    kept = replace(settings, model=model, mode=settings.mode or default_mode(base_url))
    writer = RequestWriter(kept, model)
    engine = LLMEngine(kept, client=writer)
    batch_id = uuid.uuid4().hex[:12]
    lines: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for source in sources:
        try:
            article = source.read()
        except ExtractorError as exc:
            err.print(f"[red]failed[/red] {source.name}: {one_line(exc)}", highlight=False)
            continue
        extract_article(engine, article)
        for index, (key, body) in enumerate(writer.take()):
            lines.append(request_line(article.id, index, key, body))
        documents.append({"name": source.name, "article": _article_json(article)})
    if not lines:
        raise BatchError("no requests to write: no document could be read")
    where = folder / batch_id
    where.mkdir(parents=True)
    jsonl = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (where / "requests.jsonl").write_text(jsonl, encoding="utf-8")
    manifest: dict[str, Any] = {
        "id": batch_id, "requests": len(lines), "documents": documents,
        "settings": {name: getattr(kept, name) for name in KEPT}, "remote": None,
    }  # fmt: skip
    err.print(f"batch {batch_id}: {len(lines)} requests for {len(documents)} documents -> "
              f"{where / 'requests.jsonl'}", highlight=False)  # fmt: skip
    if settings.base_url or settings.api_key:
        api = BatchAPI(base_url, settings.api_key)
        try:
            remote = api.submit(f"{batch_id}.jsonl", jsonl.encode())
        except BatchError as exc:
            err.print(f"not submitted: {exc}", highlight=False)
        else:
            manifest["remote"] = {"base_url": base_url, "batch_id": remote}
            err.print(f"submitted as {remote}: `extractor batch status {batch_id}`, then "
                      f"`extractor batch collect {batch_id}`", highlight=False)  # fmt: skip
        finally:
            api.close()
    if manifest["remote"] is None:
        err.print(f"run it elsewhere, e.g. `vllm run-batch -i {where / 'requests.jsonl'} -o "
                  f"OUTPUT.jsonl --model {model}`, then `extractor batch collect {batch_id} "
                  "--from-file OUTPUT.jsonl`", highlight=False)  # fmt: skip
    _save_manifest(where, manifest)
    return 0


def run_status(args: argparse.Namespace) -> int:
    manifest = _manifest(args.batch_dir, args.batch)
    api, remote_id = _remote(manifest)
    try:
        status = api.status(remote_id)
    finally:
        api.close()
    print(f"batch {manifest['id']} ({remote_id}): {status.status}, {status.completed} of "
          f"{status.total} done, {status.failed} failed")  # fmt: skip
    return 0


def run_collect(args: argparse.Namespace) -> int:
    manifest = _manifest(args.batch_dir, args.batch)
    where = args.batch_dir / manifest["id"]
    if args.from_file is not None:
        try:
            output = args.from_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{args.from_file}: cannot read it ({exc.strerror})") from exc
    else:
        output = _download(manifest)
        (where / "output.jsonl").write_text(output, encoding="utf-8")
    answers = read_output(output.splitlines())
    stored = manifest["settings"]
    settings = EngineSettings(engine="llm", **stored)
    engine = LLMEngine(settings, client=Answers(settings, stored["model"], answers))
    sources = [
        Source(doc["name"], partial(_article, doc["article"])) for doc in manifest["documents"]
    ]
    err = Console(stderr=True, soft_wrap=True)

    def show(run_id: str, outcome: Outcome) -> None:
        if not outcome.ok:
            err.print(f"[red]failed[/red] {outcome.name}: {outcome.error}", highlight=False)

    db_path = store_from(args).db_path
    with Store(db_path) as store:
        result = run_batch(sources, engine, store, max_model_failures=0, on_done=show)
    engine.close()
    failed = len(result.failed)
    err.print(f"run {result.run_id}: {len(result.outcomes) - failed} stored, {failed} failed "
              f"-> {db_path}", highlight=False)  # fmt: skip
    return 1 if failed else 0


def _download(manifest: dict[str, Any]) -> str:
    api, remote_id = _remote(manifest)
    try:
        status = api.status(remote_id)
        if not status.finished:
            raise BatchError(
                f"batch {manifest['id']} is {status.status} ({status.completed} of "
                f"{status.total} done): collect it once it has finished "
                f"(`extractor batch status {manifest['id']}`)"
            )
        files = [f for f in (status.output_file_id, status.error_file_id) if f]
        return "".join(api.download(f).rstrip("\n") + "\n" for f in files)
    finally:
        api.close()


def _remote(manifest: dict[str, Any]) -> tuple[BatchAPI, str]:
    remote = manifest.get("remote")
    if not remote:
        raise ConfigError(
            f"batch {manifest['id']} was not submitted: collect its output with "
            f"`extractor batch collect {manifest['id']} --from-file OUTPUT.jsonl`"
        )
    key = engine_from({"engine": "llm"}).api_key
    return BatchAPI(remote["base_url"], key), remote["batch_id"]


def _manifest(folder: Path, batch_id: str) -> dict[str, Any]:
    path = folder / batch_id / "manifest.json"
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"no batch {batch_id!r} in {folder} (see --batch-dir)") from exc
    except (OSError, ValueError) as exc:
        raise BatchError(f"{path}: cannot read it ({exc})") from exc
    return manifest


def _save_manifest(where: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, default=str)
    (where / "manifest.json").write_text(text + "\n", encoding="utf-8")


def _article_json(article: Article) -> dict[str, Any]:
    data = asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    return data


def _article(data: dict[str, Any]) -> Article:
    published = date.fromisoformat(data["published"]) if data.get("published") else None
    return Article(**{**data, "published": published})
