"""Print, for bash's `eval`, the uv arguments and environment that carry pip's configuration.

    eval "$(.venv/bin/python scripts/pip_config_to_uv.py)"   # sets the array uv_args

uv reads no pip configuration: a machine whose pip is configured with its own indexes,
find-links, certificate bundle, timeout or proxy (pip.conf or PIP_* variables) would send
uv to the public index alone. This reads what `pip config list` reports, the most specific
scope winning (environment, then site, user, global), and prints the matching uv options
(`uv_args=(...)`) and variables (`export ...`). Everything printed is shell-quoted.
"""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys

#: pip's scopes, least specific first: a later one overrides an earlier one.
SCOPES = ("global", "user", "site", ":env:")


def pip_config() -> dict[str, str]:
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    found: dict[str, tuple[int, str]] = {}
    for line in listing.splitlines():
        # pip prints each value as a Python literal (repr): 'x', or "it's" with a quote.
        match = re.fullmatch(r"(.+?)\.([a-z-]+)=(['\"].*['\"])", line.strip())
        if not match:
            continue
        scope, key, literal = match.groups()
        value = ast.literal_eval(literal)
        rank = SCOPES.index(scope) if scope in SCOPES else 0
        if key not in found or rank >= found[key][0]:
            found[key] = (rank, value)
    return {key: value for key, (_, value) in found.items()}


def uv_settings(config: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    env: dict[str, str] = {}
    if "index-url" in config:
        args += ["--index-url", config["index-url"]]
    extras = config.get("extra-index-url", "").split()
    for url in extras:
        args += ["--extra-index-url", url]
    for place in config.get("find-links", "").split():
        args += ["--find-links", place]
    for host in config.get("trusted-host", "").split():
        args += ["--allow-insecure-host", host]
    if extras or "find-links" in config:
        # Several indexes: take each pinned version wherever it is. The lock's hashes make
        # this safe (a same-named package from another index cannot match them).
        args += ["--index-strategy", "unsafe-best-match"]
    if config.get("no-index", "").lower() in ("1", "true", "yes", "on"):
        args.append("--no-index")
    if "cert" in config:
        env["SSL_CERT_FILE"] = config["cert"]
    timeout = config.get("timeout") or config.get("default-timeout")
    if timeout:
        env["UV_HTTP_TIMEOUT"] = timeout
    if "proxy" in config:
        env["HTTPS_PROXY"] = env["HTTP_PROXY"] = config["proxy"]
    return args, env


def main() -> None:
    args, env = uv_settings(pip_config())
    for name, value in env.items():
        print(f"export {name}={shlex.quote(value)}")
    print("uv_args=(" + " ".join(shlex.quote(arg) for arg in args) + ")")


if __name__ == "__main__":
    main()
