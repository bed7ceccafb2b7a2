"""The comparison page of two evals (`extractor eval compare A B --html OUT`)."""

from __future__ import annotations

from pathlib import Path

from extractor.cli import main
from extractor.eval.compare import Comparison, compare
from extractor.review import render_compare_page
from tests.test_eval_compare import A, B, _preds, _write


def test_compare_html_shows_both_f1_the_confidence_and_the_flips(tmp_path: Path) -> None:
    a = _write(tmp_path / "a", _preds(A), "rules")
    b = _write(tmp_path / "b", _preds(B), "local")
    out = tmp_path / "pages" / "compare.html"
    assert main(["eval", "compare", str(a), str(b), "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    # A: F1 0.5, B: 0.7619 (worked out in tests/test_eval_compare.py), side by side.
    assert "<td>quotes</td><td>0.500</td><td>0.762</td><td>+0.262</td>" in html
    # The confidence is what `compare` computed, not worked out again.
    s = compare(a, b).significance["quotes"]
    assert f"<td>[{s['low']:.3f}, {s['high']:.3f}]</td><td>{s['p']:.3f}</td>" in html
    assert f"<td>{s['better']}/{s['worse']}</td>" in html
    assert "<th class='l'>A</th><th class='l'>B</th>" in html
    assert '<td class="l">rules</td><td class="l">local</td>' in html  # what differs
    # Lost in B: [0, 10) of d4 and d5, listed with their document and text.
    lost = html.split('data-flip="lost"')[1].split("</details>")[0]
    assert "<code>d4</code>" in lost and "<code>d5</code>" in lost and "0123456789" in lost
    assert 'data-flip="gained" open' in html
    assert "<link" not in html and "src=" not in html and "://" not in html


def test_compare_page_escapes_names_and_item_text() -> None:
    gold = {"text": "<b>x</b>", "char_start": 0, "char_end": 8, "speaker": "<s>"}
    row = {"document_id": "<doc>", "kind": "quotes", "status": "missed", "gold": gold}
    c = Comparison("<a>", "b&", [("engine", "<e>", "f")], [("quotes.lenient.f1", 0.5, 0.6)],
                   lost=[row])  # fmt: skip
    html = render_compare_page(c)
    body = html.split("<body>")[1]
    assert "<doc>" not in body and "<b>" not in body and "<s>" not in body and "<e>" not in body
    assert "&lt;doc&gt;" in body and "&lt;b&gt;x&lt;/b&gt;" in body and "b&amp;" in body
    assert "no paired documents" in body  # no significance was computed: none is shown
