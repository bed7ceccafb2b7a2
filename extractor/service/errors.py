"""Every error the service answers is JSON `{"error": "..."}` with the right status.

    422  invalid input (schema validation, InputError: empty or unreadable text, bad SQL)
    401  missing or wrong token          403  SQL switched off
    404  no such document, run or route  413  body over the limit (see limits.BodyLimit)
    429  saturated, with Retry-After     503  model endpoint down (ProviderError)
    500  anything else (logged; the body says only "internal error")

Messages never echo request headers, and validation messages never echo the input.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from extractor.errors import ExtractorError, InputError, NotFound, ProviderError, one_line, scrub
from extractor.service.auth import Unauthorized
from extractor.service.limits import Saturated

log = logging.getLogger("extractor.service")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error response (its message scrubbed of secrets: an endpoint's error may
    echo a key)."""
    return JSONResponse({"error": scrub(message)}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Unauthorized, _unauthorized)
    app.add_exception_handler(Saturated, _saturated)
    app.add_exception_handler(ExtractorError, _extractor)
    app.add_exception_handler(Exception, _internal)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for problem in exc.errors():
        if problem.get("type") == "json_invalid":
            return error(422, "invalid request: the body is not valid JSON")
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        problems.append(f"{where}: {problem.get('msg')}" if where else str(problem.get("msg")))
    return error(422, "invalid request: " + "; ".join(problems))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _unauthorized(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unauthorized)
    return error(401, str(exc), {"WWW-Authenticate": exc.challenge})


async def _saturated(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Saturated)
    return error(429, str(exc), {"Retry-After": str(exc.retry_after)})


async def _extractor(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFound):
        return error(404, str(exc))
    if isinstance(exc, InputError):
        return error(422, str(exc))
    if isinstance(exc, ProviderError):
        return error(503, str(exc), {"Retry-After": "30"})
    log.error("request %s %s failed: %s", request.method, request.url.path, one_line(exc))
    return error(500, f"extraction failed: {exc}")


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.exception("request %s %s failed", request.method, request.url.path, exc_info=exc)
    return error(500, "internal error (see the server log)")
