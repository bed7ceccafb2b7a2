"""The built wheel works on its own: installed into a fresh venv outside the checkout (with
the dependencies requirements.lock pins), its `extractor` command extracts the seed article
with the rules engine and with the llm engine against a fake OpenAI-compatible server, and
stores the rows, with no import coming from this checkout.

Skipped only when the build or the install cannot fetch what it needs (no package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEED
from tests.fake_openai_http import FakeOpenAIServer

pytestmark = pytest.mark.slow

QUOTE = "Their intentions are clear and aggressive. We must remain vigilant."
ANSWER = {"quotes": [{"text": QUOTE, "speaker": "Dan Caine"}], "claims": [], "events": []}
# What the wheel is built from: the files git tracks for the package, symlinks kept as links.
SOURCES = ["pyproject.toml", "README.md", "extractor", "schemas", "eval", "prompts"]
NO_INDEX = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "NewConnectionError",
    "Name or service not known",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def _run(args: list[str], cwd: Path, what: str, timeout: float = 900) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        if any(marker in output for marker in NO_INDEX):
            pytest.skip(f"{what}: cannot fetch packages (no package index?):\n{output[-2000:]}")
        pytest.fail(f"{what} failed ({done.returncode}):\n{output[-4000:]}")
    return output


def _clean_env() -> dict[str, str]:
    """This process's environment without anything that points into the checkout's venv or
    configures the extractor."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        and not k.startswith(("EXTRACTOR_", "OPENAI_"))
    }
    return env | {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the wheel and the locked dependencies; returns its bin/ folder."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT), "the tmp dir must be outside the checkout"
    # Build from a copy: setuptools' in-tree build/ would otherwise keep deleted files.
    source = base / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )  # fmt: skip
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(source)],
         base, "building the wheel")  # fmt: skip
    (wheel,) = dist.glob("extractor-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base, "creating the venv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
    lock = ROOT / "requirements.lock"
    _run([*pip, "--no-deps", "--require-hashes", "-r", str(lock)], base, "installing the lock")
    _run([*pip, "--no-deps", str(wheel)], base, "installing the wheel")
    return venv / "bin"


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    assert not tmp_path.resolve().is_relative_to(ROOT)
    return tmp_path


def test_extractor_is_imported_from_the_venv(installed: Path, cwd: Path) -> None:
    code = "import extractor, extractor.schemas, extractor.eval; print(extractor.__file__)"
    out = _run([str(installed / "python"), "-c", code], cwd, "importing extractor")
    where = Path(out.strip().splitlines()[-1]).resolve()
    assert where.is_relative_to(installed.parent.resolve()), where
    assert not where.is_relative_to(ROOT), where


def test_rules_engine_stores_the_seed(installed: Path, cwd: Path) -> None:
    db = cwd / "rules.duckdb"
    _run([str(installed / "extractor"), "extract", str(SEED), "--engine", "rules",
          "--db", str(db)], cwd, "extract --engine rules")  # fmt: skip
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT engine, status FROM runs").fetchall() == [("rules", "done")]
        quotes = [text for (text,) in con.execute("SELECT text FROM quotes").fetchall()]
        (events,) = con.execute("SELECT count(*) FROM events").fetchone() or (0,)
    assert QUOTE in quotes
    assert events > 0


def test_llm_engine_stores_the_fake_servers_answer(installed: Path, cwd: Path) -> None:
    db = cwd / "llm.duckdb"
    with FakeOpenAIServer(ANSWER) as server:
        _run([str(installed / "extractor"), "extract", str(SEED), "--engine", "llm",
              "--base-url", server.base_url, "--model", "fake", "--db", str(db)],
             cwd, "extract --engine llm", timeout=300)  # fmt: skip
    assert len(server.requests) == 1
    assert server.requests[0]["model"] == "fake"
    # the prompt files came with the wheel: the system prompt lists the event types
    assert "military_exercise" in server.requests[0]["messages"][0]["content"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT engine, model, status FROM runs").fetchall() == [
            ("llm", "fake", "done")
        ]
        calls = con.execute("SELECT model, outcome, prompt_tokens FROM llm_calls").fetchall()
        quotes = dict(con.execute("SELECT text, speaker FROM quotes").fetchall())
        article = con.execute("SELECT text FROM documents").fetchone()
    assert calls == [("fake", "ok", 100)]
    assert QUOTE in quotes
    assert article is not None and QUOTE in article[0]
