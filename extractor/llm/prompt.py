"""Versioned prompt files under `prompts/`, rendered for one chunk of an article.

A version's templates choose what they spend tokens on, by the fields they name: the
system prompt `{event_types}` (one line of definition each) or `{event_type_names}`; the
user prompt `{article}` (sentences numbered) or `{text}` (the chunk as it is),
`{published}`, and `{hints}` (the rules engine's findings), which a version may leave out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from extractor.errors import ConfigError
from extractor.schemas import EVENT_TYPES, DocumentExtraction
from extractor.settings import DEFAULT_PROMPT
from extractor.text.segment import sentences


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    user: str

    @property
    def hash(self) -> str:
        content = f"{self.version}\n{self.system}\n{self.user}".encode()
        return hashlib.sha256(content).hexdigest()[:16]

    def messages(
        self, chunk: str, published: str | None, hints: DocumentExtraction | None
    ) -> list[dict[str, str]]:
        types = "\n".join(f"  - {t.value}: {text}" for t, text in EVENT_TYPES.items())
        names = ", ".join(t.value for t in EVENT_TYPES)
        system = self.system.format(event_types=types, event_type_names=names)
        fields: dict[str, str] = {"published": published or "unknown", "text": chunk}
        if "{article}" in self.user:
            fields["article"] = "\n".join(
                f"[{n}] {s.text}" for n, s in enumerate(sentences(chunk), 1)
            )
        if "{hints}" in self.user:
            fields["hints"] = _hints(hints)
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": self.user.format(**fields).strip()},
        ]


@cache
def load_prompt(version: str = DEFAULT_PROMPT) -> Prompt:
    """The prompt files of `version` (from `EngineSettings.prompt`, never the env here)."""
    folder = files("extractor") / "prompts" / version
    try:
        system = (folder / "system.md").read_text(encoding="utf-8")
        user = (folder / "user.md").read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt {version!r}: cannot read {folder} ({exc.strerror})") from exc
    return Prompt(version, system, user)


def _hints(hints: DocumentExtraction | None) -> str:
    """The rules engine's findings, so the model starts from what is certainly there."""
    if hints is None or not (hints.quotes or hints.claims):
        return ""
    lines = ["Already found (check, complete, and add what is missing):"]
    lines += [f'- quote by {q.speaker or "?"}: "{q.text}"' for q in hints.quotes]
    lines += [f'- claim by {c.claimant or "?"}: "{c.text}"' for c in hints.claims]
    return "\n".join(lines)
