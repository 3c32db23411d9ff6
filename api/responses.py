"""JSON responses with strong ETags, Cache-Control and If-None-Match (304), through the response cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from api.cache import Rendered
from api.deps import Services
from api.reads import read
from c360.settings import Settings

# Documented on every operation that can answer 304 or problem responses (see api.openapi).
ERROR_DESCRIPTIONS = {
    304: "Not modified: the If-None-Match ETag is still current.",
    400: "The request cannot be answered as asked (e.g. a cursor this API did not issue).",
    401: "No API key, or an unknown, malformed or revoked one.",
    403: "The key lacks the scope this operation needs.",
    404: "No such subscriber, webhook endpoint or message (or, for scores, nothing published yet).",
    410: "The cursor's run, or the sync token's changes, have been dropped by retention (or the token is not ours): "
    "start paging, or sync, from scratch.",
    413: "The request body is too large.",
    422: "The request is malformed: bad JSON, wrong types, values out of range, unknown fields.",
    429: "The key's rate limit is used up; see Retry-After.",
    503: "The serving store is unreachable.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting these problem (or 304) responses."""
    return {code: {"description": ERROR_DESCRIPTIONS[code]} for code in codes}


def render(model: type[BaseModel], data: Any) -> bytes:
    """Validate ``data`` against the response model and serialize it (the contract holds, or we fail loudly)."""
    return model.model_validate(data).model_dump_json().encode()


async def cached_json(
    services: Services, key: str, produce: Callable[[], bytes], if_none_match: str | None
) -> Response:
    """The rendered response for ``key`` (rendered on a miss, see ``fill``), or 304."""
    entry = await services.cache.get(key)
    if entry is None:
        entry = await fill(services, key, produce)
    return conditional(entry, if_none_match, cache_control(services.settings))


async def fill(services: Services, key: str, produce: Callable[[], bytes]) -> Rendered:
    """A missed response: rendered where serving-store reads run (api.reads), and cached."""
    entry = Rendered.of(await read(services.store, produce))
    await services.cache.put(key, entry)
    return entry


def cache_control(settings: Settings) -> str:
    """Cache-Control of authenticated GETs: per client (private), for C360_API_CACHE_MAX_AGE seconds."""
    return f"private, max-age={settings.api_cache_max_age}"


def conditional(
    entry: Rendered, if_none_match: str | None, control: str, media_type: str = "application/json"
) -> Response:
    """200 with ``entry``, or 304 when the client already holds it."""
    headers = {"ETag": entry.etag, "Cache-Control": control, "Vary": "Authorization"}
    if if_none_match is not None and not_modified(if_none_match, entry.etag):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type=media_type, headers=headers)


def not_modified(if_none_match: str, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (or ``*``)."""
    # RFC 9110 13.1.2: If-None-Match uses the weak comparison, so W/"x" matches "x"
    candidates = (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
    return any(tag in ("*", etag) for tag in candidates)


def accepted(body: bytes) -> Response:
    """202 with a JSON body (not cached: it answers a write)."""
    return Response(body, status_code=202, media_type="application/json", headers={"Cache-Control": "no-store"})
