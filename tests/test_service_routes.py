"""The item routes (`/v1/quotes`, `/v1/claims`, `/v1/events`), re-posting a document and
the OpenAPI examples, through the real app, a real DuckDB file and the rules engine."""

from __future__ import annotations

import itertools

from fastapi.testclient import TestClient

from extractor.text.articles import document_id
from tests.conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")
OTHER = "“Prices will fall,” the minister Ana Lima said in Lisbon. Officials met on Monday."


def extract(client: TestClient, text: str, **fields: object) -> dict:
    response = client.post("/v1/extract", json={"text": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def get(client: TestClient, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.text
    body: dict = response.json()
    return body


def test_claims_by_claimant_substring_any_case(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    body = get(client, "/v1/claims?claimant=intelligence")
    assert body["total"] == len(body["items"]) >= 1 and body["page"] == 1
    claimants = {c["claimant"] for c in body["items"]}
    assert "South Korean intelligence agencies" in claimants
    for claim in body["items"]:
        assert claim["document_id"] == seed["document_id"] and claim["run_id"] == seed["run_id"]
        assert seed["text"][claim["char_start"] : claim["char_end"]] == claim["text"]
        assert claim["published"] == "2025-07-11" and claim["title"] == seed["title"]
    assert get(client, "/v1/claims?claimant=INTELLIGENCE")["items"] == body["items"]
    assert get(client, "/v1/claims?claimant=nobody-says-this")["items"] == []


def test_quotes_by_speaker_are_case_insensitive_substrings(client: TestClient) -> None:
    extract(client, SEED_TEXT)
    exact = get(client, "/v1/quotes?speaker=Caine")["items"]
    assert len(exact) >= 2 and all("Caine" in q["speaker"] for q in exact)
    assert get(client, "/v1/quotes?speaker=cAINE")["items"] == exact
    assert get(client, "/v1/quotes?speaker=ain")["total"] >= len(exact)
    # A value is a bound parameter, never SQL.
    assert get(client, "/v1/quotes?speaker=x') OR ('1'='1")["items"] == []


def test_events_by_actor_and_type(client: TestClient) -> None:
    extract(client, SEED_TEXT)
    every = get(client, "/v1/events?page_size=500")
    drill = every["items"][0]
    assert drill["event_type"] == "military_exercise" and "South Korea" in drill["actors"]
    korea = get(client, "/v1/events?actor=SOUTH%20KOR&page_size=500")["items"]
    assert drill in korea and len(korea) < every["total"]
    assert all(any("south kor" in a.lower() for a in e["actors"]) for e in korea)
    deployments = get(client, "/v1/events?event_type=deployment&page_size=500")
    assert 1 <= deployments["total"] < every["total"]
    assert {e["event_type"] for e in deployments["items"]} == {"deployment"}
    both = get(client, "/v1/events?event_type=deployment&actor=south%20korea")["items"]
    assert all(e in deployments["items"] and e in korea for e in both)
    assert "event_type" in get(client, "/v1/events?event_type=picnic", 422)["error"]


def test_filters_by_document_run_and_published_dates(client: TestClient) -> None:
    seed = extract(client, SEED_TEXT)
    other = extract(client, OTHER, title="Prices", published="2024-01-05")
    both = get(client, "/v1/quotes?page_size=500")
    docs = {q["document_id"] for q in both["items"]}
    assert docs == {seed["document_id"], other["document_id"]}

    prefix = other["document_id"][:6]
    only = get(client, f"/v1/quotes?document={prefix}")
    assert only["total"] == len(other["quotes"]) >= 1
    assert {q["document_id"] for q in only["items"]} == {other["document_id"]}
    assert get(client, f"/v1/quotes?document={other['document_id']}") == only
    assert "no document" in get(client, "/v1/quotes?document=zzzz", 404)["error"]

    old = get(client, "/v1/quotes?until=2024-12-31&page_size=500")
    new = get(client, "/v1/quotes?since=2025-01-01&page_size=500")
    assert {q["document_id"] for q in old["items"]} == {other["document_id"]}
    assert {q["document_id"] for q in new["items"]} == {seed["document_id"]}
    assert old["total"] + new["total"] == both["total"]
    day = get(client, "/v1/claims?since=2025-07-11&until=2025-07-11&page_size=500")
    assert day["total"] == len(seed["claims"])
    assert (
        "after until" in get(client, "/v1/quotes?since=2025-02-01&until=2025-01-01", 422)["error"]
    )

    run = get(client, f"/v1/quotes?run={seed['run_id']}&page_size=500")
    assert run["total"] == both["total"]  # one service run made them all
    assert "no run" in get(client, "/v1/quotes?run=000000000000", 404)["error"]


def test_an_ambiguous_document_prefix_is_refused(client: TestClient) -> None:
    texts = (f"“Item {n} is ready,” Ana Lima said." for n in itertools.count())
    by_first: dict[str, str] = {}
    for text in texts:  # two texts whose ids start alike
        first = document_id(text)[0]
        if first in by_first:
            pair = (by_first[first], text)
            break
        by_first[first] = text
    ids = [extract(client, text)["document_id"] for text in pair]
    common = next(i for i in range(16) if ids[0][i] != ids[1][i])
    error = get(client, f"/v1/claims?document={ids[0][:common]}", 422)["error"]
    assert "more than one document" in error
    one = get(client, f"/v1/quotes?document={ids[0][: common + 1]}")
    assert {q["document_id"] for q in one["items"]} == {ids[0]}


def test_items_are_paged_with_a_maximum_page_size(client: TestClient) -> None:
    extract(client, SEED_TEXT)
    extract(client, OTHER)
    every = get(client, "/v1/quotes?page_size=500")
    total = every["total"]
    assert total == len(every["items"]) >= 3
    pages = [get(client, f"/v1/quotes?page_size=2&page={n}") for n in range(1, total // 2 + 2)]
    assert all(p["total"] == total and p["page_size"] == 2 for p in pages)
    assert [len(p["items"]) for p in pages[:-1]] == [2] * (len(pages) - 1)
    assert [q for p in pages for q in p["items"]] == every["items"]
    assert get(client, f"/v1/quotes?page_size=2&page={total}")["items"] == []
    assert "page_size" in get(client, "/v1/quotes?page_size=501", 422)["error"]
    assert "page" in get(client, "/v1/claims?page=0", 422)["error"]


def test_reposting_a_text_updates_its_metadata(client: TestClient) -> None:
    first = extract(client, OTHER, title="Old title", url="https://example.org/a")
    again = extract(client, OTHER, title="New title", published="2024-01-05")
    assert again["document_id"] == first["document_id"]  # the text is the identity
    assert again["title"] == "New title"
    stored = get(client, f"/v1/documents/{first['document_id']}")
    assert stored["title"] == "New title" and stored["published"] == "2024-01-05"
    assert stored["url"] == "https://example.org/a"  # not given again: kept
    untitled = extract(client, OTHER)
    assert untitled["title"] == "New title"  # no title given: the stored one, answered
    listed = get(client, "/v1/documents")
    assert listed["total"] == 1 and listed["documents"][0]["title"] == "New title"


def test_every_route_has_an_openapi_example(client: TestClient) -> None:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    operations = [(m.upper(), p, op) for p, ops in paths.items() for m, op in ops.items()]
    assert {("GET", "/v1/claims"), ("GET", "/v1/events")} <= {(m, p) for m, p, _ in operations}
    missing = [f"{m} {p}" for m, p, op in operations if not _has_example(op)]
    assert missing == []
    served = client.get("/openapi.json").json()["paths"]
    claims = served["/v1/claims"]["get"]["responses"]["200"]["content"]["application/json"]
    assert claims["example"]["items"][0]["claimant"] == "South Korean intelligence agencies"
    extract_op = served["/v1/extract"]["post"]["requestBody"]["content"]["application/json"]
    assert "text" in extract_op["example"]


def _has_example(node: object) -> bool:
    if isinstance(node, dict):
        return "example" in node or "examples" in node or any(map(_has_example, node.values()))
    if isinstance(node, list):
        return any(map(_has_example, node))
    return False
