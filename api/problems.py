"""The one mapping of failures to RFC 9457 ``application/problem+json`` responses.

``C360Error`` carries its status, slug and title; request validation, routing (404/405) and
anything unexpected are mapped here too. The detail is always our own sentence: never a traceback,
SQL, a stored value or a secret (unexpected errors are logged with a reference, and only the
reference is returned).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import compile_path

from c360.errors import C360Error, redacted_traceback

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://docs.c360.dev/problems/"
_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}
_MAX_FIELD_ERRORS = 20


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return Response(
        json.dumps(body).encode(),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def from_error(exc: C360Error) -> Response:
    """The problem response of one of our errors."""
    return problem(exc.status, exc.slug, exc.title, exc.message, headers=getattr(exc, "headers", None))


def answer_error(exc: C360Error) -> Response:
    """``from_error``, logged when the failure is the server's (5xx): what a route's error answers."""
    if exc.status >= 500:
        log.warning("%s: %s", exc.slug, exc.message)
    return from_error(exc)


async def _c360_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, C360Error)
    return answer_error(exc)


async def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    if not errors:
        errors = [{"location": "body", "message": "invalid request"}]
    first = errors[0]
    detail = f"{first['location']}: {first['message']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return problem(422, "validation-error", "Invalid request", detail, errors=errors[:_MAX_FIELD_ERRORS])


def _field_error(error: Mapping[str, Any]) -> dict[str, str]:
    location = ".".join(str(part) for part in error.get("loc", ())) or "request"
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "malformed JSON")
        return {"location": "body", "message": f"the body is not valid JSON ({reason})"}
    return {"location": location, "message": str(error.get("msg", "invalid")).removeprefix("Value error, ")}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's answer to a body it cannot decode (e.g. not UTF-8): the same problem as malformed JSON
        message = {"location": "body", "message": "the body is not valid JSON (not UTF-8 text)"}
        return problem(422, "validation-error", "Invalid request", "body: " + message["message"], errors=[message])
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    if exc.status_code == 404:
        detail = "no operation of this API is at this path; see /openapi.json"
    elif exc.status_code == 405:
        exc.headers = {**(exc.headers or {}), "Allow": _allowed(request) or (exc.headers or {}).get("Allow", "")}
        detail = f"{request.method} is not allowed here; allowed: {exc.headers['Allow'] or 'none'}"
    else:
        detail = str(exc.detail) if isinstance(exc.detail, str) else title
    return problem(exc.status_code, slug, title, detail, headers=exc.headers)


def index_methods(app: FastAPI, routes: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Remember the methods of every path template, for the Allow header of 405 answers: Starlette names
    only the first route's when several routes share a path (GET and POST /v1/webhook-endpoints)."""
    table: dict[str, set[str]] = {}
    for path, methods in routes:
        table.setdefault(path, set()).update(methods)
    # literal paths first, as routing resolves them: /v1/subscribers/batch-get before /v1/subscribers/{id}
    ordered = sorted(table.items(), key=lambda item: item[0].count("{"))
    app.state.allowed_methods = [(compile_path(path)[0], ", ".join(sorted(m))) for path, m in ordered]


def _allowed(request: Request) -> str:
    for pattern, allowed in getattr(request.app.state, "allowed_methods", ()):
        if pattern.match(request.scope["path"]):
            return str(allowed)
    return ""


async def _unexpected(request: Request, exc: Exception) -> Response:
    return internal_error(request.method, request.url.path, exc)


def internal_error(method: str, path: str, exc: Exception) -> Response:
    """The 500 problem of an unexpected failure: logged with a reference, and only the reference returned."""
    reference = uuid.uuid4().hex[:12]
    # the stack and a one-line summary: never the driver's full message, which can hold subscriber rows
    log.error("internal error %s on %s %s:\n%s", reference, method, path, redacted_traceback(exc))
    return problem(500, "internal-error", "Internal error", f"an internal error occurred; it was logged as {reference}")


def install(app: FastAPI) -> None:
    """Route every failure of ``app`` through this mapping."""
    app.add_exception_handler(C360Error, _c360_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
