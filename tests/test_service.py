"""The HTTP service through the real app (TestClient), a real DuckDB file, engine `rules`."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from extractor.cli import main
from extractor.schemas import KINDS
from extractor.service import create_app
from extractor.settings import EngineSettings, ServiceSettings, StoreSettings
from extractor.store import Store
from tests.conftest import SEED

TOKEN = "tok-7f3a9c-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    app = create_app(
        EngineSettings(engine="rules"), StoreSettings(db_path), ServiceSettings(api_token=TOKEN)
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def extract(client: TestClient, text: str, **fields: object) -> dict:
    response = client.post("/v1/extract", json={"text": text, **fields}, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def test_extract_returns_grounded_quotes_and_stores_them(client: TestClient) -> None:
    body = extract(client, SEED_TEXT)
    assert body["title"].startswith("South Korea, Japan, and U.S. Conduct Joint Air Drills")
    assert body["engine"] == "rules" and body["run_id"]
    text = body["text"]
    for kind in KINDS:
        for item in body[kind]:
            assert text[item["char_start"] : item["char_end"]] == item["text"]
    caine = [q for q in body["quotes"] if "Caine" in (q["speaker"] or "")]
    assert any(q["text"].startswith("We’re charting a shared path forward") for q in caine)
    assert any(q["text"].startswith("Their intentions are clear and aggressive") for q in caine)

    stored = client.get(f"/v1/documents/{body['document_id']}", headers=AUTH).json()
    assert stored["text"] == text
    assert stored["extraction"]["run_id"] == body["run_id"]
    for kind in KINDS:
        assert stored["extraction"][kind] == body[kind]


def test_token_is_required_on_v1_and_never_echoed(client: TestClient) -> None:
    missing = client.get("/v1/documents")
    wrong = client.get("/v1/documents", headers={"Authorization": "Bearer nope-" + TOKEN})
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "error" in missing.json() and "error" in wrong.json()
    for response in (missing, wrong):
        assert TOKEN not in response.text and TOKEN not in str(response.headers)
    assert client.post("/v1/extract", json={"text": "x"}).status_code == 401
    assert client.get("/v1/documents", headers=AUTH).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes need no token
    assert client.get("/docs").status_code == 200


def test_review_page_takes_the_token_as_basic_password(client: TestClient) -> None:
    doc = extract(client, SEED_TEXT)["document_id"]
    refused = client.get(f"/documents/{doc}")
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
    basic = base64.b64encode(f"anyone:{TOKEN}".encode()).decode()
    page = client.get(f"/documents/{doc}", headers={"Authorization": f"Basic {basic}"})
    assert page.status_code == 200 and 'class="hl hl-quote"' in page.text
    assert client.get("/static/review.js").status_code == 200


def test_oversized_bodies_get_413(client: TestClient) -> None:
    big = json.dumps({"text": "a" * (5 * 1024 * 1024)})
    response = client.post(
        "/v1/extract", content=big, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "limit" in response.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b'{"text": "'
        for _ in range(40):
            yield b"b" * 65536
        yield b'"}'

    chunked = client.post(
        "/v1/extract", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert chunked.status_code == 413


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": ""}, "text"),
        ({"text": "  \n "}, "empty article"),
        ({"title": "no text"}, "text: Field required"),
        ({"text": "ok", "published": "last Friday"}, "published"),
        ({"text": "ok", "colour": "red"}, "colour: Extra inputs are not permitted"),
        ({"text": "ok", "engine": "llm"}, "this server runs engine 'rules'"),
        ({"text": "ok", "model": "gpt-4o"}, "this server runs model None"),
        ("not json", "not valid JSON"),
    ],
)
def test_invalid_input_gets_422_with_a_clear_message(
    client: TestClient, payload: object, message: str
) -> None:
    content = payload if isinstance(payload, str) else json.dumps(payload)
    response = client.post(
        "/v1/extract", content=content, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_documents_are_paged_and_searched_by_title(client: TestClient) -> None:
    for n, title in enumerate(["Budget vote", "Storm damage", "Budget talks collapse"]):
        extract(client, f"Article {n}: “We will see,” the minister said.", title=title)
    first = client.get("/v1/documents?page_size=2", headers=AUTH).json()
    second = client.get("/v1/documents?page_size=2&page=2", headers=AUTH).json()
    assert first["total"] == 3 and len(first["documents"]) == 2 and len(second["documents"]) == 1
    ids = {d["id"] for d in first["documents"] + second["documents"]}
    assert len(ids) == 3
    found = client.get("/v1/documents?q=BUDGET", headers=AUTH).json()
    assert found["total"] == 2
    assert {d["title"] for d in found["documents"]} == {"Budget vote", "Budget talks collapse"}
    assert client.get("/v1/documents?page=0", headers=AUTH).status_code == 422
    assert client.get("/v1/documents/0000000000000000", headers=AUTH).status_code == 404


def test_quotes_by_speaker_and_runs(client: TestClient) -> None:
    body = extract(client, SEED_TEXT)
    quotes = client.get("/v1/quotes?speaker=caine", headers=AUTH).json()["items"]
    assert len(quotes) >= 2
    assert all("caine" in q["speaker"].lower() for q in quotes)
    assert all(q["document_id"] == body["document_id"] for q in quotes)
    assert client.get("/v1/quotes?speaker=nobody-here", headers=AUTH).json()["items"] == []
    runs = client.get("/v1/runs", headers=AUTH).json()["runs"]
    assert [(r["id"], r["engine"], r["documents"], r["failed"]) for r in runs] == [
        (body["run_id"], "rules", 1, 0)
    ]


def test_sql_is_read_only(client: TestClient) -> None:
    doc = extract(client, SEED_TEXT)["document_id"]

    def sql(query: str) -> tuple[int, dict]:
        response = client.post("/v1/sql", json={"sql": query}, headers=AUTH)
        return response.status_code, response.json()

    status, result = sql("SELECT id, published_at FROM documents")
    assert status == 200 and result["columns"] == ["id", "published_at"]
    assert result["rows"] == [[doc, "2025-07-11"]]
    status, result = sql("DELETE FROM quotes")
    assert status == 422 and "not allowed" in result["error"]
    before = sql("SELECT count(*) FROM quotes")[1]["rows"]
    sql("EXPLAIN ANALYZE DELETE FROM quotes")  # whatever it does is rolled back
    assert sql("SELECT count(*) FROM quotes")[1]["rows"] == before != [[0]]
    status, result = sql("SELECT * FROM read_csv('/etc/passwd')")
    assert status == 422


def test_sql_can_be_switched_off(db_path: Path) -> None:
    app = create_app(
        EngineSettings(engine="rules"), StoreSettings(db_path), ServiceSettings(sql_enabled=False)
    )
    with TestClient(app) as client:
        response = client.post("/v1/sql", json={"sql": "SELECT 1"})
    assert response.status_code == 403 and "--no-sql" in response.json()["error"]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/extract",
        "/v1/documents",
        "/v1/documents/{document_id}",
        "/v1/runs",
        "/v1/quotes",
        "/v1/claims",
        "/v1/events",
        "/v1/sql",
        "/healthz",
        "/documents/{document_id}",
    ):
        assert path in paths
    docs = client.get("/docs").text  # Swagger UI from the app itself: no CDN offline
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "HTTPBearer" in client.get("/openapi.json").json()["components"]["securitySchemes"]
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["database"] == "ok"
    assert health["model"] == "not used"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_model_endpoint_down_stores_the_document_partial_and_answers_200(
    db_path: Path, tmp_path: Path
) -> None:
    settings = EngineSettings(
        engine="llm",
        base_url=f"http://127.0.0.1:{_closed_port()}/v1",
        max_retries=0,
        use_candidates=False,
        use_cache=False,
        cache_dir=tmp_path / "cache",
    )
    with TestClient(create_app(settings, StoreSettings(db_path))) as client:
        response = client.post("/v1/extract", json={"text": "He said “no”.", "title": "Down"})
        health = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "partial"
    assert "unreachable" in body["model_error"] and body["failed_chunks"] == [0]
    assert body["quotes"] == []  # no candidates: nothing but the model's, which failed
    assert health.status_code == 503 and health.json()["model"].startswith("unreachable")
    with Store(db_path) as store:
        rows = store.query(
            "SELECT rd.status, rd.model_error, d.title, rd.failed_chunks FROM run_documents rd "
            "JOIN documents d ON d.id = rd.document_id"
        )
    assert len(rows) == 1 and rows[0][0] == "partial" and rows[0][2] == "Down"
    assert "unreachable" in rows[0][1] and rows[0][3] == [0]


def test_serve_rejects_bad_limits_with_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["serve", "--db", str(db_path), "--max-body", "0"]) == 2
    assert "--max-body must be at least 1 byte" in capsys.readouterr().err
    monkeypatch.setenv("EXTRACTOR_MAX_BODY", "2MB")
    assert main(["serve", "--db", str(db_path)]) == 2
    assert "EXTRACTOR_MAX_BODY='2MB' is not a whole number" in capsys.readouterr().err
