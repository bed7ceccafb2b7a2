"""Settings: one option table per concern, flag > EXTRACTOR_* > OPENAI_* > default, each
concern read and validated only by the commands that use it, secrets kept out of repr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.cli import build_parser, main
from extractor.errors import ConfigError
from extractor.settings import (
    ENGINE_OPTIONS,
    SERVICE_OPTIONS,
    EngineSettings,
    ServiceSettings,
    StoreSettings,
    engine_from,
    service_from,
    store_from,
)
from tests.conftest import FIXTURES, SEED

GOLD = FIXTURES / "gold"


@pytest.fixture
def stored(db_path: Path) -> Path:
    assert main(["extract", str(SEED), "--engine", "rules", "--db", str(db_path)]) == 0
    return db_path


@pytest.mark.parametrize(
    "command",
    [
        ["sql", "select 1"],
        ["export", "quotes", "--out", "{tmp}/q.csv"],
        ["runs"],
        ["view", "nope", "--out", "{tmp}/v.html"],  # exits 1 (no such document), not 2
    ],
    ids=lambda c: c[0],
)
def test_read_only_commands_ignore_a_bogus_engine(
    command: list[str],
    stored: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("EXTRACTOR_ENGINE", "EXTRACTOR_CONCURRENCY", "EXTRACTOR_MODEL_PATH"):
        monkeypatch.setenv(name, "bogus")
    code = main([c.format(tmp=tmp_path) for c in command] + ["--db", str(stored)])
    err = capsys.readouterr().err
    assert "bogus" not in err and "engine" not in err
    assert code == (1 if command[0] == "view" else 0)


def test_eval_of_a_stored_run_ignores_a_bogus_engine(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    base = ["eval", "--gold", str(GOLD), "--db", str(db_path), "--out", str(out)]
    assert main([*base, "--engine", "rules"]) == 0
    run_id = json.loads((out / "metrics.json").read_text())["header"]["run_id"]
    monkeypatch.setenv("EXTRACTOR_ENGINE", "bogus")
    assert main([*base, "--run-id", run_id]) == 0


def test_commands_that_extract_still_refuse_a_bogus_engine(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXTRACTOR_ENGINE", "bogus")
    assert main(["extract", str(SEED), "--db", str(db_path)]) == 2
    assert "unknown engine 'bogus'" in capsys.readouterr().err


def test_flag_over_project_env_over_generic_env_over_default() -> None:
    parse = build_parser().parse_args
    env = {"EXTRACTOR_MODEL": "from-extractor", "OPENAI_MODEL": "from-openai",
           "OPENAI_BASE_URL": "http://openai.test/v1", "EXTRACTOR_RPM": "30",
           "EXTRACTOR_DB": "env.duckdb", "EXTRACTOR_PROMPT": "extract/v2"}  # fmt: skip
    args = parse(["extract", "x.txt", "--model", "from-flag", "--rpm", "10", "--engine", "llm"])
    settings = engine_from(args, env)
    assert settings.model == "from-flag" and settings.rpm == 10  # flag
    assert settings.base_url == "http://openai.test/v1"  # only the generic var is set
    assert settings.prompt == "extract/v2"
    assert settings.ctx_size == EngineSettings().ctx_size  # default
    assert engine_from(parse(["extract", "x.txt"]), env).model == "from-extractor"
    assert store_from(args, env).db_path == Path("env.duckdb")
    assert store_from(parse(["extract", "x.txt", "--db", "f.duckdb"]), env).db_path == Path(
        "f.duckdb"
    )
    assert engine_from(parse(["extract", "x.txt", "--no-cache"]), {}).use_cache is False


def test_the_default_engine_is_rules_offline_and_llm_with_an_endpoint_or_key() -> None:
    parse = build_parser().parse_args
    args = parse(["extract", "x.txt"])
    assert engine_from(args, {}).engine == "rules"
    for env in ({"OPENAI_BASE_URL": "http://h/v1"}, {"OPENAI_API_KEY": "sk-x"},
                {"EXTRACTOR_BASE_URL": "http://h/v1"}, {"EXTRACTOR_API_KEY": "k"}):  # fmt: skip
        assert engine_from(args, env).engine == "llm", env
    assert engine_from(parse(["extract", "x.txt", "--base-url", "http://h/v1"]), {}).engine == "llm"
    # A named engine wins: the flag, or EXTRACTOR_ENGINE.
    key = {"OPENAI_API_KEY": "sk-x"}
    assert engine_from(parse(["extract", "x.txt", "--engine", "local"]), key).engine == "local"
    assert engine_from(args, {**key, "EXTRACTOR_ENGINE": "rules"}).engine == "rules"


def test_service_settings_from_flags_and_env() -> None:
    parse = build_parser().parse_args
    env = {"EXTRACTOR_API_TOKEN": "t0ken", "EXTRACTOR_MAX_BODY": "1000"}
    service = service_from(parse(["serve", "--port", "9000", "--no-sql"]), env)
    assert service == ServiceSettings(
        port=9000, api_token="t0ken", max_body=1000, sql_enabled=False
    )
    assert service_from(parse(["serve", "--max-body", "5"]), env).max_body == 5
    with pytest.raises(ConfigError, match="EXTRACTOR_MAX_BODY='2MB' is not a whole number"):
        service_from(parse(["serve"]), {"EXTRACTOR_MAX_BODY": "2MB"})
    with pytest.raises(ConfigError, match="--queue cannot be negative"):
        service_from(parse(["serve", "--queue", "-1"]), {})


def test_help_names_the_env_vars_and_shows_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "[$EXTRACTOR_MODEL, $OPENAI_MODEL]" in text
    assert "[$EXTRACTOR_API_KEY, $OPENAI_API_KEY]" in text
    assert "[$EXTRACTOR_PROMPT] (default: extract/v2)" in text
    assert "[$EXTRACTOR_ENGINE] (default: llm when an endpoint or key is set, else rules)" in text
    assert "[$EXTRACTOR_DB] (default: extractions.duckdb)" in text
    assert "--host HOST address to listen on (default: 127.0.0.1)" in text
    assert "(default: 8000)" in text
    assert "[$EXTRACTOR_MAX_BODY] (default: 2097152)" in text
    for option in (*ENGINE_OPTIONS, *SERVICE_OPTIONS):
        if option.flag:
            assert option.flag in text
        for name in option.env:
            assert f"${name}" in text or option.flag is None


def test_secrets_are_not_in_repr() -> None:
    engine = EngineSettings(engine="llm", api_key="sk-secret-canary")
    service = ServiceSettings(api_token="token-canary")
    assert "sk-secret-canary" not in repr(engine) and "sk-secret-canary" not in str(engine)
    assert "token-canary" not in repr(service) and "token-canary" not in str(service)
    assert "engine='llm'" in repr(engine)  # the rest is still shown
    assert "db_path" in repr(StoreSettings())


def test_a_bad_number_in_the_env_is_one_clear_error() -> None:
    args = build_parser().parse_args(["extract", "x.txt"])
    with pytest.raises(ConfigError, match="EXTRACTOR_RPM='fast' is not a whole number"):
        engine_from(args, {"EXTRACTOR_RPM": "fast"})
