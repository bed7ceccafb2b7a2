"""The browse pages (`GET /browse`, `GET /browse/{table}`) through the real app, a real
DuckDB file and the rules engine."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.test_service_routes import OTHER, SEED_TEXT, extract

SEED_DOC = "b509e8a9977c93be"


def html(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.text


def _count(page: str, table: str) -> int:
    found = re.search(rf'<a href="/browse/{table}">{table}</a></td><td>(\d+)</td>', page)
    assert found, page
    return int(found.group(1))


def test_browse_lists_the_tables_with_their_counts(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    page = html(client, "/browse")
    counts = {t: _count(page, t) for t in ("quotes", "claims", "events", "documents", "runs")}
    assert counts["quotes"] == len(seed["quotes"]) and counts["claims"] == len(seed["claims"])
    assert counts["events"] == len(seed["events"])
    assert counts["documents"] == 1 and counts["runs"] == 1
    assert 'href="/browse"' in html(client, "/")  # linked from the documents list


def test_quotes_by_speaker_link_to_the_review_page(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    assert seed["document_id"] == SEED_DOC
    page = html(client, "/browse/quotes?speaker=caine")
    rows = re.findall(r"<tr><td[^>]*>(.*?)</tr>", page)
    assert len(rows) == 2 and all("Dan Caine" in row for row in rows)
    assert all(f'<a href="/documents/{SEED_DOC}">' in row for row in rows)
    assert "858–978" in page and 'value="caine"' in page  # offsets, the form keeps the filter
    assert "rows 1–2 of 2" in page
    assert "No rows." in html(client, "/browse/quotes?speaker=nobody-says-this")


def test_other_tables_and_their_filters(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    extract(client, OTHER, title="Lisbon prices")
    claims = html(client, "/browse/claims?claimant=intelligence")
    assert "South Korean intelligence agencies" in claims
    events = html(client, "/browse/events?event_type=military_exercise")
    assert "military_exercise" in events and "joint air drill" in events
    documents = html(client, "/browse/documents?q=lisbon")
    assert "Lisbon prices" in documents and seed["title"] not in documents
    runs = html(client, "/browse/runs")
    assert f'href="/browse/quotes?run={seed["run_id"]}"' in runs


def test_paging(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    n = len(seed["events"])
    assert n >= 3
    first = html(client, "/browse/events?page_size=2")
    assert f"rows 1–2 of {n}" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert 'href="/browse/events?page=2&amp;page_size=2"' in first
    second = html(client, "/browse/events?page=2&page_size=2")
    assert f"rows 3–{min(4, n)} of {n}" in second and 'rel="prev"' in second
    assert re.findall(r"<tr><td[^>]*>(.*?)</tr>", first) != re.findall(
        r"<tr><td[^>]*>(.*?)</tr>", second
    )
    last = html(client, f"/browse/events?page={(n + 1) // 2}&page_size=2")
    assert 'rel="next"' not in last
    kept = html(client, "/browse/quotes?speaker=caine&page_size=1")
    assert "rows 1–1 of 2" in kept
    assert 'href="/browse/quotes?speaker=caine&amp;page=2&amp;page_size=1"' in kept
    html(client, "/browse/quotes?page_size=501", status=422)


def test_an_unknown_table_is_a_404_with_one_line(client: TestClient) -> None:
    response = client.get("/browse/secrets")
    assert response.status_code == 404
    message = response.json()["error"]
    assert "secrets" in message and "quotes" in message and "\n" not in message


def test_everything_is_escaped(client: TestClient) -> None:
    extract(client, OTHER, title="<script>alert(1)</script> & co")
    for url in ("/browse/documents", "/browse/quotes", "/browse/documents?q=<script>"):
        page = html(client, url)
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = html(client, '/browse/quotes?speaker="><b>x</b>')
    assert "<b>x</b>" not in page and "&quot;&gt;&lt;b&gt;" in page
