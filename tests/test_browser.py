"""Review pages in headless Chromium (Debian's `chromium` + `chromium-driver`, via Selenium).

Screenshots are kept in tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from extractor.eval.compare import compare
from extractor.review import render_compare_page, render_eval_report
from extractor.service import create_app
from extractor.settings import EngineSettings, StoreSettings
from tests.conftest import ROOT, SEED
from tests.test_eval_compare import A, B, _preds, _write
from tests.test_review_eval import SAMPLES, TEXT, metrics
from tests.test_service_concurrency import serving

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
TRANSPARENT = "rgba(0, 0, 0, 0)"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install both)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def highlighted(driver: webdriver.Chrome) -> dict[str, tuple[str, int, int, str]]:
    """Per item key: kind, offsets, and the text of its pieces joined in page order."""
    return driver.execute_script("""
        const out = {};
        for (const mark of document.querySelectorAll('#text mark.hl')) {
          const key = mark.dataset.item;
          const kind = /hl-(quote|claim|event)/.exec(mark.className)[1];
          const entry = out[key] || [kind, +mark.dataset.start, +mark.dataset.end, ''];
          entry[3] += mark.textContent;
          out[key] = entry;
        }
        return out;""")


def test_review_page_highlights_the_stored_spans(browser: webdriver.Chrome, db_path: Path) -> None:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path))
    with serving(app) as url, httpx.Client(base_url=url) as client:
        body = client.post("/v1/extract", json={"text": SEED.read_text(encoding="utf-8")}).json()
        doc = body["document_id"]
        stored = client.post(
            "/v1/sql",
            json={
                "sql": f"""
            SELECT 'quote', char_start, char_end FROM quotes WHERE document_id = '{doc}'
            UNION ALL SELECT 'claim', char_start, char_end FROM claims WHERE document_id = '{doc}'
            UNION ALL SELECT 'event', char_start, char_end FROM events WHERE document_id = '{doc}'
        """
            },
        ).json()["rows"]
        text = client.post(
            "/v1/sql", json={"sql": f"SELECT text FROM documents WHERE id = '{doc}'"}
        ).json()["rows"][0][0]

        browser.get(f"{url}/documents/{doc}")
        marks = highlighted(browser)
        assert sorted((k, s, e) for k, s, e, _ in marks.values()) == sorted(map(tuple, stored))
        for kind, start, end, shown in marks.values():
            assert shown == text[start:end], (kind, start, end)
        quotes = [shown for kind, _, _, shown in marks.values() if kind == "quote"]
        assert any(q.startswith("We’re charting a shared path forward") for q in quotes)
        assert any(q.startswith("Their intentions are clear and aggressive.") for q in quotes)

        # Every highlight is labelled without a click: the quote with its speaker.
        label = browser.execute_script(
            "const m = document.querySelector('#text mark.hl-quote');"
            "return getComputedStyle(m, '::before').content;"
        )
        assert "Caine" in label
        who = browser.find_elements(By.CSS_SELECTOR, "#text mark.who-quote")
        assert who and all("Caine" in w.text for w in who)
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "review-seed-labels.png"))

        # Selecting a highlight shows who said it.
        caine = browser.find_element(By.CSS_SELECTOR, "#text mark.hl-quote")
        caine.click()
        details = browser.find_element(By.ID, "details").text
        assert "Speaker" in details and "Caine" in details
        ARTIFACTS.mkdir(exist_ok=True)
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(str(ARTIFACTS / "review-seed.png"))

        # The filter: quotes off -> their highlights and list entries are gone, others stay.
        browser.find_element(By.CSS_SELECTOR, 'input[data-kind="quote"]').click()
        for mark in browser.find_elements(By.CSS_SELECTOR, "#text mark.hl-quote"):
            assert mark.value_of_css_property("background-color") == TRANSPARENT
        entries = browser.find_elements(By.CSS_SELECTOR, ".item-quote")
        assert entries and not any(entry.is_displayed() for entry in entries)
        assert "Select a highlight" in browser.find_element(By.ID, "details").text
        events = browser.find_elements(By.CSS_SELECTOR, "#text mark.hl-event")
        assert events and events[0].value_of_css_property("background-color") != TRANSPARENT
        browser.save_screenshot(str(ARTIFACTS / "review-seed-no-quotes.png"))


def test_eval_report_opens_with_table_chart_and_highlights(
    browser: webdriver.Chrome, tmp_path: Path
) -> None:
    history = [metrics("rules", "run-a", 0.4), metrics("llm", "run-b", 0.5)]
    html = render_eval_report(
        metrics("local", "run-c", 0.667), SAMPLES, {"d1": TEXT}, history=history
    )
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "table.scores tbody tr")
    assert len(rows) == 4 and rows[0].text.split()[:5] == [
        "quotes",
        "lenient",
        "(0.5)",
        "1.000",
        "0.500",
    ]
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    assert len(bars) == 6 and all(bar.size["width"] > 0 for bar in bars)
    missed = browser.find_element(By.CSS_SELECTOR, "mark.ev-missed")
    assert missed.text == "failed"
    assert missed.value_of_css_property("background-color") != TRANSPARENT
    browser.find_element(By.CSS_SELECTOR, 'input[data-hide="missed"]').click()
    assert missed.value_of_css_property("background-color") == TRANSPARENT
    browser.find_element(By.CSS_SELECTOR, 'input[data-hide="missed"]').click()
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1400, 1400)
    browser.save_screenshot(str(ARTIFACTS / "eval-report.png"))
    assert browser.title.startswith("Eval · local")
    # The kind view: the missed quote takes the quote colour instead of the missed one.
    status_colour = missed.value_of_css_property("background-color")
    browser.find_element(By.CSS_SELECTOR, 'input[data-view="kind"]').click()
    assert missed.value_of_css_property("background-color") not in (status_colour, TRANSPARENT)
    browser.save_screenshot(str(ARTIFACTS / "eval-report-kinds.png"))


def test_compare_page_shows_both_runs_side_by_side(
    browser: webdriver.Chrome, tmp_path: Path
) -> None:
    a = _write(tmp_path / "a", _preds(A), "rules")
    b = _write(tmp_path / "b", _preds(B), "local")
    page = tmp_path / "compare.html"
    page.write_text(render_compare_page(compare(a, b)), encoding="utf-8")
    browser.get(page.as_uri())
    row = browser.find_element(By.CSS_SELECTOR, "table.side tbody tr").text.split()
    assert row[:4] == ["quotes", "0.500", "0.762", "+0.262"]
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    assert len(bars) == 2 and all(bar.size["width"] > 0 for bar in bars)
    lost = browser.find_element(By.CSS_SELECTOR, 'details[data-flip="lost"]')
    assert "d4" in lost.text and "d5" in lost.text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1400, 1600)
    browser.save_screenshot(str(ARTIFACTS / "eval-compare.png"))


def test_docs_page_lists_every_endpoint_offline(browser: webdriver.Chrome, db_path: Path) -> None:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path))
    with serving(app) as url:
        browser.get(f"{url}/docs")
        WebDriverWait(browser, 10).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
        )
        shown = {
            (
                e.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text,
                e.find_element(By.CSS_SELECTOR, ".opblock-summary-path").text,
            )
            for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary")
        }
    assert {
        ("POST", "/v1/extract"),
        ("GET", "/v1/documents"),
        ("GET", "/v1/runs"),
        ("GET", "/v1/quotes"),
        ("POST", "/v1/sql"),
        ("GET", "/healthz"),
    } <= shown


def test_browse_quotes_lists_rows_linking_to_the_review_page(
    browser: webdriver.Chrome, db_path: Path
) -> None:
    app = create_app(EngineSettings(engine="rules"), StoreSettings(db_path))
    with serving(app) as url, httpx.Client(base_url=url) as client:
        body = client.post("/v1/extract", json={"text": SEED.read_text(encoding="utf-8")}).json()
        browser.get(f"{url}/browse/quotes")
        rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == len(body["quotes"]) >= 2
        links = browser.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")
        assert {a.get_attribute("href") for a in links} == {
            f"{url}/documents/{body['document_id']}"
        }
        # The stylesheet loaded from the app: the header has its panel background.
        header = browser.find_element(By.CSS_SELECTOR, "header.top")
        assert header.value_of_css_property("background-color") != TRANSPARENT
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "browse-quotes.png"))
