"""Review pages: nested highlights, escaping, the self-contained `extractor view` file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.review import DocumentRecord, load_document, render_document_page
from extractor.review.spans import Mark, highlight
from extractor.schemas import DocumentExtraction
from extractor.store import RunInfo, Store
from extractor.text.articles import Article, read_article
from tests.conftest import SEED

CAINE_1 = (
    "We’re charting a shared path forward—one built on regular engagement, shared "
    "responsibilities, and stronger partnerships,"
)
CAINE_2 = "Their intentions are clear and aggressive. We must remain vigilant."


class MarkText(HTMLParser):
    """Collects, per `data-item`, the text inside its pieces, and the nesting seen."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: dict[str, str] = {}
        self.pieces: dict[str, int] = {}
        self.max_depth = 0
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            key = dict(attrs)["data-item"] or ""
            self.open.append(key)
            self.pieces[key] = self.pieces.get(key, 0) + 1
            self.max_depth = max(self.max_depth, len(self.open))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        for key in self.open:
            self.texts[key] = self.texts.get(key, "") + data


def parse(html: str) -> MarkText:
    parser = MarkText()
    parser.feed(html)
    parser.close()
    return parser


def test_nested_spans_stay_whole_and_crossing_spans_are_split_into_pieces() -> None:
    text = "Before. He said “Hello 👋 world, 世界.” and left. After."
    sentence = (text.index("He"), text.index("left.") + len("left."))
    quote = (text.index("Hello"), text.index("界") + 2)
    crossing = (text.index("world"), text.index("and") + 3)
    marks = [
        Mark(*sentence, "event", "hl"),
        Mark(*quote, "quote", "hl"),
        Mark(*crossing, "claim", "hl"),
    ]
    parsed = parse(highlight(text, marks))
    assert "".join(parsed.plain) == text
    for key, (start, end) in {"event": sentence, "quote": quote, "claim": crossing}.items():
        assert parsed.texts[key] == text[start:end]
    assert parsed.pieces["event"] == 1 and parsed.pieces["quote"] == 1
    assert parsed.pieces["claim"] == 2  # it crosses the end of the quote
    assert parsed.max_depth == 3


def test_article_text_is_escaped() -> None:
    text = 'A <script>alert("x")</script> & <b>bold</b> said “hi”.'
    start = text.index("<script>")
    html = highlight(text, [Mark(start, start + 8, "k", "hl", label='"><img src=x>')])
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert "".join(parse(html).plain) == text


def test_marks_outside_the_text_are_ignored() -> None:
    text = "short"
    html = highlight(text, [Mark(2, 99, "bad", "hl"), Mark(3, 3, "empty", "hl")])
    assert html == "short"


def _store_seed(db_path: Path, article: Article) -> str:
    t = article.text

    def span(s: str) -> dict[str, object]:
        start = t.index(s)
        return {"text": s, "char_start": start, "char_end": start + len(s)}

    sentence = t[t.index("He cautioned") : t.index("vigilant.”") + len("vigilant.”")]
    extraction = DocumentExtraction.model_validate(
        {
            "quotes": [
                {**span(CAINE_1), "speaker": "Dan Caine", "cue": "said"},
                {**span(CAINE_2), "speaker": "Dan Caine", "cue": "stating"},
            ],
            "events": [{**span(sentence), "event_type": "statement", "actors": ["Dan Caine"]}],
        },
        context={"document": t},
    )
    with Store(db_path) as store:
        run_id = store.start_run(RunInfo("hand", None, None, None, {}))
        store.save_extraction(run_id, article, extraction, latency_ms=1.0)
        store.finish_run(run_id)
    return run_id


def test_document_page_highlights_every_stored_span(db_path: Path) -> None:
    article = read_article(SEED)
    run_id = _store_seed(db_path, article)
    with Store(db_path) as store, store.reading() as db:
        record = load_document(db, article.id)
    assert record.run_id == run_id
    html = render_document_page(record)
    parsed = parse(html)
    assert parsed.texts["q0"] == CAINE_1 and parsed.texts["q1"] == CAINE_2
    assert parsed.texts["e0"].startswith("He cautioned") and CAINE_2 in parsed.texts["e0"]
    assert 'href="/static/review.css"' in html and 'src="/static/review.js"' in html
    assert "Dan Caine" in html and "statement" in html


def test_view_writes_one_self_contained_file(db_path: Path, tmp_path: Path) -> None:
    article = read_article(SEED)
    _store_seed(db_path, article)
    out = tmp_path / "page.html"
    assert main(["view", article.id, "--db", str(db_path), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "<script>" in html
    assert "<link" not in html and "src=" not in html and "http://" not in html
    assert parse(html).texts["q1"] == CAINE_2


def test_view_of_an_unknown_document_is_one_clear_error(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store_seed(db_path, read_article(SEED))
    assert main(["view", "nope", "--db", str(db_path), "--out", str(tmp_path / "x.html")]) == 1
    assert "no document 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


class Attrs(HTMLParser):
    """The attributes of every `<mark>`, by `data-item`, first piece first."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, list[dict[str, str | None]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            found = dict(attrs)
            self.marks.setdefault(found["data-item"] or "", []).append(found)


def mark_attrs(html: str) -> dict[str, list[dict[str, str | None]]]:
    parser = Attrs()
    parser.feed(html)
    parser.close()
    return parser.marks


def _record(text: str, extraction: dict[str, object]) -> DocumentRecord:
    return DocumentRecord(
        id="d1", title="T", source=None, url=None, published=None, text=text, run_id="r1",
        engine="hand", model=None,
        extraction=DocumentExtraction.model_validate(extraction, context={"document": text}),
    )  # fmt: skip


def test_every_highlight_is_labelled_with_its_speaker_and_the_name_in_the_text_is_marked(
    db_path: Path,
) -> None:
    article = read_article(SEED)
    _store_seed(db_path, article)
    with Store(db_path) as store, store.reading() as db:
        html = render_document_page(load_document(db, article.id))
    marks, parsed = mark_attrs(html), parse(html)
    assert marks["q0"][0]["data-label"] == "Dan Caine"
    assert marks["q1"][0]["data-label"] == "Dan Caine"
    assert marks["e0"][0]["data-label"] == "statement"
    # "… partnerships,” said General Dan Caine": the name right after the quote is marked.
    who = marks["q0-who"][0]
    assert "who" in (who["class"] or "")
    assert parsed.texts["q0-who"] == "Dan Caine"
    start = int(who["data-start"] or 0)
    assert article.text[start : start + 9] == "Dan Caine"
    # The second quote's sentence says only "He": the name is found in the sentence before,
    # the same name, so the one mark points at both quotes.
    assert who["data-for"] == "q0 q1" and "q1-who" not in marks
    assert parsed.texts["q0"] == CAINE_1  # the marked name is not part of the quote


def test_two_events_on_one_sentence_are_two_labelled_marks_at_different_depths() -> None:
    text = "Intro. The ministers met in Seoul and signed a pact. End."
    sentence = "The ministers met in Seoul and signed a pact."
    start = text.index(sentence)
    span = {"text": sentence, "char_start": start, "char_end": start + len(sentence)}
    events = [{**span, "event_type": "meeting"}, {**span, "event_type": "agreement"}]
    html = render_document_page(_record(text, {"events": events}))
    marks, parsed = mark_attrs(html), parse(html)
    assert parsed.texts["e0"] == parsed.texts["e1"] == sentence
    assert {marks[k][0]["data-label"] for k in ("e0", "e1")} == {"meeting", "agreement"}
    assert {marks[k][0]["data-depth"] for k in ("e0", "e1")} == {"0", "1"}


def test_a_name_that_is_not_written_near_the_quote_is_not_marked() -> None:
    text = "Officials spoke. “We are ready,” a spokesperson said."
    quote = "We are ready,"
    start = text.index(quote)
    html = render_document_page(
        _record(text, {"quotes": [{"text": quote, "char_start": start,
                                   "char_end": start + len(quote), "speaker": "Jane Roe"}]})
    )  # fmt: skip
    marks = mark_attrs(html)
    assert marks["q0"][0]["data-label"] == "Jane Roe"
    assert "q0-who" not in marks


def test_labels_are_escaped() -> None:
    text = "“Hi,” said <b>Bob</b>."
    html = render_document_page(
        _record(text, {"quotes": [{"text": "Hi,", "char_start": 1, "char_end": 4,
                                   "speaker": '<b>Bob</b>"'}]})
    )  # fmt: skip
    assert "<b>" not in html
    assert 'data-label="&lt;b&gt;Bob&lt;/b&gt;&quot;"' in html
