"""`extractor extract PATH...`: extract files, folders or stdin and store the results."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from extractor.commands.batch import add_batch_dir
from extractor.commands.batch import write as write_batch
from extractor.commands.options import add_db, add_engine, settings_from
from extractor.engines import create_engine
from extractor.pipeline import BatchInterrupted, BatchResult, Outcome, Source, run_batch
from extractor.pipeline.processes import batch_processes
from extractor.render import (
    outcome_json,
    outcome_line,
    outcome_panel,
    print_json_line,
    stdout_console,
)
from extractor.store import Store
from extractor.text.articles import Article, Inputs, parse_article, read_article, scan_paths

#: Show a progress bar from this many documents on.
PROGRESS_FROM = 3


def add_parser(subparsers: argparse._SubParsersAction, help: str) -> None:
    parser = subparsers.add_parser(
        "extract",
        help=help,
        description="PATH is a file, a folder of articles, or - for stdin.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--json", action="store_true", help="one JSON object per document")
    parser.add_argument(
        "--batch", action="store_true",
        help="write the model requests as a batch job (OpenAI batch JSONL) and submit it "
        "when the endpoint has a batch API; `extractor batch collect` stores the answers",
    )  # fmt: skip
    add_batch_dir(parser)
    parser.add_argument(
        "--glob", metavar="PATTERN",
        help="in folders, only files matching PATTERN (default: article files, not README, "
        "ATTRIBUTION, LICENSE and other notes)",
    )  # fmt: skip
    parser.add_argument(
        "--show",
        action="store_true",
        help="print each document's quotes, claims and events (the default for one file "
        "on a terminal; piped, one line per document)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="extract again documents this configuration already stored ok (a re-run "
        "skips them by default)",
    )
    add_db(parser)
    add_engine(parser)
    parser.set_defaults(run=run)


def sources_for(paths: list[str], glob: str | None = None) -> tuple[list[Source], Inputs]:
    """The sources of the named paths, and what `scan_paths` found wrong or skipped."""
    named = [p for p in paths if p != "-"]
    found = scan_paths(named, glob)
    sources = [Source(str(p), partial(read_article, p)) for p in found.files]
    if "-" in paths:
        sources.insert(0, Source("<stdin>", _read_stdin))
    return sources, found


def run(args: argparse.Namespace) -> int:
    store_settings, settings = settings_from(args)
    sources, inputs = sources_for(args.paths, args.glob)
    out = stdout_console(soft_wrap=args.json)
    err = Console(stderr=True, soft_wrap=True)
    for line in inputs.bad:
        err.print(f"[red]bad path[/red] {line}", highlight=False)
    for path, why in inputs.skipped:
        err.print(f"[dim]skipped[/dim] {path}: {why}", highlight=False)
    if not sources:  # nothing to run: no empty run is recorded
        if not inputs.bad:
            err.print(f"nothing to extract: no article file ({len(inputs.skipped)} skipped)")
        return 1
    if args.batch:
        return write_batch(sources, settings, args.batch_dir, err)
    notices = _Notices(err)
    # Panels for one document or on request; in a pipe one line each; on a terminal, the
    # bar and the summary. All of it runs on the writer thread, after the commit.
    panels = args.show or (len(sources) == 1 and sys.stdout.isatty())
    lines = not args.json and not panels and not sys.stdout.isatty()
    engine = create_engine(settings, notices)
    try:
        with (
            Store(store_settings.db_path) as store,
            _progress(err, len(sources)) as progress,
            _sigterm_interrupts(),
        ):
            task = progress.add_task("extracting", total=len(sources))
            if len(sources) >= PROGRESS_FROM:
                notices.bar = (progress, task)

            skipping: list[str] = []

            def show(run_id: str, outcome: Outcome) -> None:
                progress.advance(task)
                if args.json:
                    print_json_line(out, outcome_json(outcome, run_id))
                elif lines:
                    sys.stdout.write(outcome_line(outcome) + "\n")
                elif panels and outcome.ok and not outcome.skipped:
                    out.print(outcome_panel(outcome))
                if not outcome.ok:
                    error = outcome.error or "failed"
                    where = "" if error.startswith(outcome.name) else f"{outcome.name}: "
                    err.print(f"[red]failed[/red] {where}{error}", highlight=False)
                elif outcome.output is not None and outcome.output.partial:
                    if outcome.output.model_skipped and not skipping:
                        skipping.append(outcome.name)
                        err.print(
                            f"[yellow]model skipped[/yellow] from here on: "
                            f"{settings.max_model_failures} model failures in a row; the "
                            "remaining documents get the rules engine's items only "
                            "(--max-model-failures 0 never stops)",
                            highlight=False,
                        )
                    err.print(
                        f"[yellow]partial[/yellow] {outcome.name}: {outcome.model_error}",
                        highlight=False,
                    )
                if outcome.ok and outcome.output is not None and outcome.output.skipped:
                    err.print(
                        f"[yellow]skipped[/yellow] {outcome.name}: {outcome.output.skipped.reason}",
                        highlight=False,
                    )

            try:
                result = run_batch(
                    sources, engine, store, concurrency=settings.concurrency,
                    max_model_failures=settings.max_model_failures, on_done=show,
                    resume=not args.force,
                    processes=batch_processes(settings.processes, len(sources)),
                )  # fmt: skip
            except BatchInterrupted as stopped:
                progress.stop()
                err.print(
                    f"interrupted: {_summary(stopped.result, store_settings.db_path, inputs)}; "
                    "re-run the same command to resume",
                    highlight=False,
                )
                return 130
    finally:
        engine.close()
    failed, partial_ = len(result.failed) + len(inputs.bad), len(result.partial)
    err.print(_summary(result, store_settings.db_path, inputs), highlight=False)
    if failed or partial_:
        reason = [f"{failed} document(s) failed"] if failed else []
        if partial_:
            reason.append(
                f"{partial_} partial (the model failed; re-run the same command to complete them)"
            )
        err.print(f"exit 1: {', '.join(reason)}", highlight=False)
        return 1
    return 0


class _Notices:
    """What the engine says, on stderr: a step (`loading model …`) as a line; a chunk's
    progress only on a terminal, as the progress bar's text when there is a bar."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: tuple[Progress, TaskID] | None = None

    def __call__(self, message: str, *, transient: bool = False) -> None:
        if transient and not self.console.is_terminal:
            return
        if transient and self.bar is not None:
            progress, task = self.bar
            progress.update(task, description=message)
            return
        self.console.print(message, style="dim", highlight=False)


def _summary(result: BatchResult, db_path: Path, inputs: Inputs) -> str:
    """One line: what the run stored, skipped and failed (bad paths are failures; files a
    folder scan left out are counted apart)."""
    skipped = len(result.skipped)
    kept = f", {skipped} skipped (stored ok before; --force extracts again)" if skipped else ""
    bad = f" ({len(inputs.bad)} bad path(s))" if inputs.bad else ""
    left = f", {len(inputs.skipped)} file(s) left out" if inputs.skipped else ""
    return (
        f"run {result.run_id}: {len(result.stored)} stored ({len(result.partial)} partial)"
        f"{kept}, {len(result.failed) + len(inputs.bad)} failed{bad}{left} -> {db_path}"
    )


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the batch as Ctrl-C does (what was extracted is written first)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (the Python API, a test): leave it
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _read_stdin() -> Article:
    return parse_article(sys.stdin.buffer.read(), name="<stdin>")


def _progress(console: Console, total: int) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=total < PROGRESS_FROM,
    )
