"""Startup (issue 12): a command imports only what it uses, so `extractor --help` and
`extractor sql` start in a fraction of a second (measured in the README)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import COMMANDS, main
from extractor.store import Store

HEAVY = ("duckdb", "rich", "pydantic", "spacy", "openai", "instructor", "fastapi", "logging",
         "pyarrow", "extractor.pipeline", "extractor.engines", "extractor.schemas")  # fmt: skip


def _loaded(argv: list[str]) -> set[str]:
    """The top-level modules (and extractor's) that running `argv` imported."""
    code = (
        "import json, sys\nfrom extractor.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return {m for m in modules if m.startswith("extractor.") or "." not in m}


def test_help_imports_no_command_and_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    loaded = _loaded(["--help"])
    assert not {m for m in loaded if m.startswith("extractor.commands")}
    assert not {m for m in HEAVY if m in loaded}
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, (_, summary) in COMMANDS.items():
        assert name in out and summary[:30] in " ".join(out.split())


def test_sql_loads_duckdb_and_rich_but_no_engine_or_schema(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    Store(db).close()
    loaded = _loaded(["sql", "select 1", "--db", str(db)])
    assert {"duckdb", "rich", "extractor.commands.sql"} <= loaded
    assert not {m for m in HEAVY if m in loaded} - {"duckdb", "rich"}
    assert "extractor.commands.extract" not in loaded
