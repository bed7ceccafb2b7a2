"""`GET /healthz`: is the database readable and the model endpoint answering?"""

from __future__ import annotations

from typing import Any

import duckdb
import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from extractor.errors import one_line
from extractor.service.state import ServiceState

router = APIRouter(tags=["health"])
PROBE_TIMEOUT_S = 3.0


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 when the database and the model are reachable, else 503 saying which is not."""
    state: ServiceState = request.app.state.service
    database = _database(state)
    model = _model(state)
    healthy = database == "ok" and model.startswith(("ok", "not used", "not started"))
    body: dict[str, Any] = {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "model": model,
        "engine": state.engine.name,
        "model_name": state.engine.model,
        "run_id": state.run_id,
        "admitted": state.admission.admitted,
        "capacity": state.admission.limit,
    }
    return JSONResponse(body, status_code=200 if healthy else 503)


def _database(state: ServiceState) -> str:
    try:
        with state.reader() as db:
            db.execute("SELECT count(*) FROM documents").fetchone()
    except duckdb.Error as exc:
        return f"error: {one_line(exc)}"
    return "ok"


def _model(state: ServiceState) -> str:
    if state.engine.name == "rules":
        return "not used"
    base_url = state.engine.endpoint
    if base_url is None:  # `local` before its first model call
        return "not started (the embedded model starts on the first model call)"
    key = state.settings.api_key if state.engine.name == "llm" else None
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        response = httpx.get(f"{base_url}/models", headers=headers, timeout=PROBE_TIMEOUT_S)
    except httpx.HTTPError as exc:
        return f"unreachable: {base_url} ({type(exc).__name__})"
    if response.status_code >= 500:
        return f"unreachable: {base_url} answered HTTP {response.status_code}"
    # 401/404 still prove the endpoint is up; a wrong key shows on the first extraction.
    return "ok" if response.status_code == 200 else f"ok (HTTP {response.status_code})"
