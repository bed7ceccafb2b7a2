"""scripts/pip_config_to_uv.py: uv is sent where pip is configured to go."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pip_config_to_uv.py"
spec = importlib.util.spec_from_file_location("pip_config_to_uv", SCRIPT)
assert spec and spec.loader
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)


def test_indexes_links_and_certificate_carry_over() -> None:
    args, env = module.uv_settings(
        {
            "index-url": "https://mirror.example/simple",
            "extra-index-url": "file:///a/simple file:///b/simple",
            "find-links": "/opt/wheels",
            "cert": "/etc/ssl/bundle.pem",
            "default-timeout": "180",
        }
    )
    assert args == [
        "--index-url", "https://mirror.example/simple",
        "--extra-index-url", "file:///a/simple",
        "--extra-index-url", "file:///b/simple",
        "--find-links", "/opt/wheels",
        "--index-strategy", "unsafe-best-match",
    ]  # fmt: skip
    assert env == {"SSL_CERT_FILE": "/etc/ssl/bundle.pem", "UV_HTTP_TIMEOUT": "180"}


def test_no_configuration_means_uv_defaults() -> None:
    assert module.uv_settings({}) == ([], {})


def test_environment_overrides_the_config_file(monkeypatch) -> None:
    listing = "global.index-url='https://file.example/simple'\n:env:.index-url='https://env.example/simple'\n"

    def fake_run(*_args: object, **_kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess([], 0, stdout=listing)

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    assert module.pip_config() == {"index-url": "https://env.example/simple"}


def test_output_is_shell_quoted_for_eval(tmp_path: Path) -> None:
    config = tmp_path / "pip.conf"
    # pip splits a list on whitespace; a quote in a path must survive bash's eval.
    config.write_text("[global]\nfind-links = /opt/o'brien/wheels /opt/more\n")
    printed = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True,
        env={"PIP_CONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
    ).stdout  # fmt: skip
    shown = subprocess.run(
        ["bash", "-c", printed + 'printf "%s\\n" "${uv_args[@]}"'],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert shown[:4] == ["--find-links", "/opt/o'brien/wheels", "--find-links", "/opt/more"]
