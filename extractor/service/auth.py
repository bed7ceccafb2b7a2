"""Bearer-token auth for `/v1` (and the review pages) when `EXTRACTOR_API_TOKEN` is set.

The comparison is constant-time. The token never appears in a response or a log line:
failures say only that the token is missing or wrong. Review pages also accept HTTP
Basic auth with the token as password, so a browser can open them (it prompts).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from extractor.settings import API_TOKEN_ENV as TOKEN_ENV


class Unauthorized(Exception):
    """Missing or wrong credentials; `challenge` is the WWW-Authenticate header to send."""

    def __init__(self, message: str, challenge: str) -> None:
        super().__init__(message)
        self.challenge = challenge


#: Query parameters a client may mistake for the place of the token (refused with a hint).
_IN_QUERY = frozenset({"token", "access_token", "api_key", "apikey", "key", "auth"})
#: Declared so that the OpenAPI document (and /docs' Authorize button) knows the scheme.
bearer = HTTPBearer(auto_error=False, description=f"the server's {TOKEN_ENV}")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """FastAPI dependency for API routes: `Authorization: Bearer <token>`."""
    token: str | None = request.app.state.service.api_token
    if token is None:
        return
    if credentials is None or not credentials.credentials.strip():
        if _IN_QUERY & {name.lower() for name in request.query_params}:
            raise Unauthorized(
                "the token goes in the Authorization header (Bearer <token>), never in the "
                "URL: a URL ends up in logs and histories",
                "Bearer",
            )
        raise Unauthorized("missing bearer token (Authorization: Bearer <token>)", "Bearer")
    if not _same(credentials.credentials.strip(), token):
        raise Unauthorized("wrong bearer token", "Bearer")


def require_page_token(request: Request) -> None:
    """FastAPI dependency for HTML pages: Bearer, or Basic with the token as password."""
    token: str | None = request.app.state.service.api_token
    if token is None:
        return
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    challenge = 'Basic realm="extractor", charset="UTF-8"'
    if scheme.lower() == "bearer" and _same(value.strip(), token):
        return
    if scheme.lower() == "basic" and _same(_basic_password(value.strip()), token):
        return
    raise Unauthorized("this page needs the API token (as the password)", challenge)


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def _basic_password(value: str) -> str:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]
