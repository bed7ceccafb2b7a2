"""An article's text reaches the model as it is: braces and template tags are text, not a
template (instructor renders messages as Jinja when given a validation `context`)."""

from __future__ import annotations

from pathlib import Path

from extractor.engines import create_engine
from extractor.pipeline import Source, extract_one
from extractor.settings import EngineSettings
from extractor.text.articles import Article
from tests.fake_openai_http import FakeOpenAIServer

TEXT = (
    "The template engine broke on {{ price }} and on {% if stock %}, said Ana Lima. "
    "“We fixed {{ it }} overnight,” she said."
)


def test_braces_and_template_tags_reach_the_model_unchanged(tmp_path: Path) -> None:
    start = TEXT.index("We fixed")
    quote = {"text": "We fixed {{ it }} overnight,", "speaker": "Ana Lima"}
    with FakeOpenAIServer({"quotes": [quote], "claims": [], "events": []}) as server:
        settings = EngineSettings(engine="llm", base_url=server.base_url, model="fake",
                                  use_candidates=False, use_cache=False,
                                  cache_dir=tmp_path / "cache")  # fmt: skip
        engine = create_engine(settings)
        outcome = extract_one(engine, Source("a", lambda: Article(text=TEXT)))
        engine.close()
        sent = " ".join(str(m["content"]) for m in server.requests[0]["messages"])
    assert outcome.error is None, outcome.error
    assert "{{ price }}" in sent and "{% if stock %}" in sent and "{{ it }}" in sent
    assert outcome.output is not None
    (stored,) = outcome.output.extraction.quotes
    assert stored.char_start == start and stored.text.startswith("We fixed {{ it }} overnight")
