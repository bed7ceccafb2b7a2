"""One setting a user may give, as a row: its flag, env vars, type and help
(`extractor.settings` holds the rows). From rows come the argparse flags with their help
text (env names and defaults: `add_flags`) and a setting's value from the flags or the
environment (`given_value`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extractor.errors import ConfigError


@dataclass(frozen=True)
class Option:
    """One setting a user may give: `flag` on the command line (None: env only), or the
    first of `env` that is set and not empty."""

    name: str  # the settings field (and the argparse dest)
    flag: str | None
    help: str
    env: tuple[str, ...] = ()
    type: Callable[[str], Any] = str
    choices: tuple[str, ...] | None = None
    switch: Any = None  # a flag without a value: it sets the field to this
    metavar: str | None = None
    default_text: str | None = None  # what the default means, when it is None


def add_flags(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    options: Sequence[Option],
    defaults: Mapping[str, Any],
    overrides: Mapping[str, Any],
) -> None:
    """A flag per option that has one. A flag not given parses as None, so the env or
    the default applies; `overrides` (field: default) changes what a command defaults to."""
    shown = dict(defaults)
    # A default that depends on other settings is shown as its text, not as the field's.
    shown.update({o.name: None for o in options if o.default_text is not None})
    shown.update(overrides)
    for option in options:
        if option.flag is None:
            continue
        kwargs: dict[str, Any] = {"dest": option.name, "help": help_text(option, shown)}
        if option.switch is not None:
            kwargs.update(action="store_const", const=option.switch)
        else:
            kwargs.update(type=option.type, choices=option.choices, metavar=option.metavar)
        parser.add_argument(option.flag, default=overrides.get(option.name), **kwargs)


def help_text(option: Option, defaults: Mapping[str, Any]) -> str:
    """`help [$ENV, ...] (default: ...)`, escaped for argparse."""
    text = option.help
    if option.env:
        text += f" [{', '.join('$' + name for name in option.env)}]"
    default = defaults.get(option.name)
    shown = option.default_text if default is None else default
    if option.switch is None and shown is not None:
        text += f" (default: {shown})"
    return text.replace("%", "%%")


_TYPE_NAMES: dict[Any, str] = {int: "a whole number", float: "a number"}


def given_value(option: Option, flags: Mapping[str, Any], env: Mapping[str, str]) -> Any:
    """The option's flag value, else its first env var that is set, else None."""
    value = flags.get(option.name)
    return _from_env(option, env) if value is None else value


def _from_env(option: Option, env: Mapping[str, str]) -> Any:
    for name in option.env:
        value = env.get(name)
        if value:
            try:
                return option.type(value)
            except ValueError as exc:
                kind = _TYPE_NAMES.get(option.type, "valid")
                raise ConfigError(f"{name}={value!r} is not {kind}") from exc
    return None


__all__ = ["Option", "add_flags", "given_value", "help_text"]
