"""An example request and answer for every route, shown by `/docs`.

`install(app)` adds them to the app's OpenAPI document: each operation gets its request
body's example (when it takes one) and its 200 answer's. They live in one table here, so a
route without one is easy to see (a test asks that every route has one).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

DOC = "b509e8a9977c93be"
RUN = "00f736dc937c"
TITLE = "South Korea, Japan, and U.S. Conduct Joint Air Drills Amid Defence Talks in Seoul"
SOURCE = "Defence Expert (image credit: AP News)"
_PAGE = {"page": 1, "page_size": 50, "total": 1}
_ROW = {"document_id": DOC, "title": TITLE, "published": "2025-07-11", "run_id": RUN}

QUOTE = {
    "id": 1,
    **_ROW,
    "speaker": "Dan Caine",
    "speaker_title": "U.S. Chairman of the Joint Chiefs of Staff",
    "text": "We’re charting a shared path forward—one built on regular engagement, shared "
    "responsibilities, and stronger partnerships",
    "kind": "direct",
    "cue": "said",
    "char_start": 858,
    "char_end": 978,
}
CLAIM = {
    "id": 5,
    **_ROW,
    "claimant": "South Korean intelligence agencies",
    "text": "North Korea may be preparing to send additional troops to support Russia’s war in "
    "Ukraine, following reports that over 10,000 North Korean soldiers are already engaged "
    "in combat operations alongside Russian forces",
    "cue": "stated",
    "hedged": True,
    "char_start": 2747,
    "char_end": 2960,
}
#: A quote as an extraction holds it (the item routes add the document and run).
QUOTE_ITEM = {
    k: QUOTE[k]
    for k in ("text", "char_start", "char_end", "speaker", "speaker_title", "cue", "kind")
} | {"alignment": "exact"}
EVENT = {
    "id": 7,
    **_ROW,
    "event_type": "military_exercise",
    "text": "South Korea, Japan, and the United States carried out a joint air drill on Friday, "
    "featuring a U.S. B-52H strategic bomber alongside fighter aircraft from all three nations.",
    "trigger": "joint air drill",
    "actors": ["South Korea", "Japan", "United States", "U.S."],
    "location": None,
    "time_text": "on Friday",
    "time": "2025-07-11",
    "char_start": 0,
    "char_end": 173,
}

#: (method, path) -> {"request": body example, "response": 200 answer example}
EXAMPLES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/extract"): {
        "request": {
            "text": "“We will see,” the minister said on Friday.",
            "title": "Budget talks",
            "url": "https://example.org/budget-talks",
            "published": "2025-07-11",
            "source": "Example News",
        },
        "response": {
            "document_id": "24a29ccb6ae3c25f",
            "run_id": RUN,
            "engine": "rules",
            "model": None,
            "title": "Budget talks",
            "text": "“We will see,” the minister said on Friday.",
            "quotes": [
                {
                    "text": "We will see",
                    "char_start": 1,
                    "char_end": 12,
                    "alignment": "exact",
                    "speaker": None,
                    "speaker_title": "minister",
                    "cue": "said",
                    "kind": "direct",
                }
            ],
            "claims": [],
            "events": [],
            "dropped": 0,
            "status": "ok",
            "model_error": None,
            "failed_chunks": [],
            "latency_ms": 3.2,
        },
    },
    ("GET", "/v1/documents"): {
        "response": {
            **_PAGE,
            "page_size": 20,
            "documents": [
                {
                    "id": DOC,
                    "title": TITLE,
                    "source": SOURCE,
                    "url": None,
                    "published": "2025-07-11",
                    "char_count": 3482,
                    "ingested_at": "2025-07-12T09:30:00+00:00",
                }
            ],
        }
    },
    ("GET", "/v1/documents/{document_id}"): {
        "response": {
            "id": DOC,
            "title": TITLE,
            "source": SOURCE,
            "url": None,
            "published": "2025-07-11",
            "text": "South Korea, Japan, and the United States carried out a joint air drill …",
            "extraction": {
                "run_id": RUN,
                "engine": "rules",
                "model": None,
                "quotes": [QUOTE_ITEM],
                "claims": [],
                "events": [],
            },
        }
    },
    ("GET", "/v1/runs"): {
        "response": {
            "page": 1,
            "page_size": 20,
            "runs": [
                {
                    "id": RUN,
                    "engine": "rules",
                    "model": None,
                    "prompt_version": None,
                    "status": "running",
                    "started_at": "2025-07-12T09:29:58+00:00",
                    "finished_at": None,
                    "documents": 1,
                    "partial": 0,
                    "failed": 0,
                }
            ],
        }
    },
    ("GET", "/v1/quotes"): {"response": {"items": [QUOTE], **_PAGE}},
    ("GET", "/v1/claims"): {"response": {"items": [CLAIM], **_PAGE}},
    ("GET", "/v1/events"): {"response": {"items": [EVENT], **_PAGE}},
    ("POST", "/v1/sql"): {
        "request": {"sql": "SELECT speaker, count(*) AS n FROM quotes GROUP BY ALL", "limit": 10},
        "response": {"columns": ["speaker", "n"], "rows": [["Dan Caine", 2]], "truncated": False},
    },
    ("GET", "/healthz"): {
        "response": {
            "status": "ok",
            "database": "ok",
            "model": "not used",
            "engine": "rules",
            "model_name": None,
            "run_id": RUN,
            "admitted": 0,
            "capacity": 12,
        }
    },
    ("GET", "/documents/{document_id}"): {
        "response": f"<!doctype html><html><head><title>{TITLE}</title></head><body>"
        '<main>… <mark class="hl hl-quote">We’re charting a shared path forward</mark> …'
        "</main></body></html>"
    },
    ("GET", "/"): {
        "response": "<!doctype html><html><head><title>Extracted documents</title></head>"
        f'<body><table><tr><td><a href="/documents/{DOC}">{TITLE}</a></td>'
        "<td>2025-07-11</td></tr></table></body></html>"
    },
    ("GET", "/browse"): {
        "response": "<!doctype html><html><head><title>Browse the tables</title></head><body>"
        '<table><tr><td><a href="/browse/quotes">quotes</a></td><td>9</td></tr>'
        '<tr><td><a href="/browse/documents">documents</a></td><td>1</td></tr></table>'
        "</body></html>"
    },
    ("GET", "/browse/{table}"): {
        "response": "<!doctype html><html><head><title>quotes · browse</title></head><body>"
        '<form method="get"><input name="speaker" value="caine"> <button>Filter</button></form>'
        f'<table><tr><td><a href="/documents/{DOC}">{TITLE}</a></td><td>Dan Caine</td>'
        "<td>We’re charting a shared path forward…</td><td>858–978</td></tr></table>"
        "</body></html>"
    },
}


def install(app: FastAPI) -> None:
    """Serve the app's OpenAPI document with the examples of `EXAMPLES` added."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()  # built once and cached by FastAPI; adding again changes nothing
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                example = EXAMPLES.get((method.upper(), path))
                if example is not None:
                    _add(operation, example)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add(operation: dict[str, Any], example: dict[str, Any]) -> None:
    if "request" in example:
        for media in operation.get("requestBody", {}).get("content", {}).values():
            media["example"] = example["request"]
    answer = operation.get("responses", {}).get("200", {})
    for media in answer.get("content", {}).values():
        media["example"] = example["response"]
