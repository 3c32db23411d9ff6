"""Failures of the serving layer, in the one hierarchy (``c360.errors.C360Error``).

``headers`` are HTTP headers the API sends with the problem response (``WWW-Authenticate``,
``Retry-After``); the CLI ignores them.
"""

from __future__ import annotations

from c360.errors import C360Error


class ServingError(C360Error):
    """Base of the serving layer's errors; ``headers`` go out with the HTTP problem response."""

    headers: dict[str, str] = {}  # noqa: RUF012 - read-only class default, replaced per instance


class ServingStoreUnavailable(ServingError):
    """The serving store cannot be reached, or has not been migrated."""

    status = 503
    slug = "serving-store-unavailable"
    title = "Serving store unavailable"


class NothingToPublish(ServingError):
    """The warehouse holds no scoring run (for the requested date)."""

    status = 404
    slug = "nothing-to-publish"
    title = "Nothing to publish"


class NoServedRun(ServingError):
    """No scoring run has been published to the serving store yet."""

    status = 404
    slug = "no-served-run"
    title = "No scores published yet"


class Unauthorized(ServingError):
    """No API key, or one that is unknown, malformed or revoked."""

    status = 401
    slug = "unauthorized"
    title = "Unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": 'Bearer realm="c360"'}


class Forbidden(ServingError):
    """The key is valid but lacks the scope the operation needs."""

    status = 403
    slug = "forbidden"
    title = "Missing scope"

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.headers = headers or {}  # the rate-limit headers, when the request was counted


class RateLimited(ServingError):
    """The key used up its requests for the current window."""

    status = 429
    slug = "rate-limited"
    title = "Too many requests"

    def __init__(self, message: str, headers: dict[str, str]) -> None:
        super().__init__(message)
        self.headers = headers


class InvalidRequest(ServingError):
    """A request that is well formed JSON but cannot be answered as asked (e.g. a malformed cursor)."""

    status = 400
    slug = "invalid-request"
    title = "Invalid request"


class CursorExpired(ServingError):
    """A paging cursor pins a run whose rows have been pruned (see C360_SERVING_KEEP_RUNS)."""

    status = 410
    slug = "cursor-expired"
    title = "Cursor expired"


class SyncTokenExpired(ServingError):
    """A change-feed sync token this store cannot answer: older than the retained versions, of another store
    (or deployment), or not one the API issued. The client drops its token and syncs from scratch."""

    status = 410
    slug = "sync-token-expired"
    title = "Sync token expired"


class PayloadTooLarge(ServingError):
    """The request body is larger than C360_API_MAX_BODY_BYTES."""

    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


class KeyNotFound(ServingError):
    """``c360 keys revoke`` named a key that does not exist."""

    status = 404
    slug = "key-not-found"
    title = "API key not found"
