"""What routes depend on: the app's services and ``authenticate``, the dependency of every /v1 route.

``authenticate`` is mounted with the /v1 routers (see api.app), so every route there needs a valid
key, and the scope its operation declares (``openapi_extra=scope("scores:read")``). Key lookups are
cached for C360_API_KEY_CACHE_TTL seconds, but every request still hashes the presented key and
compares it in constant time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Scope

from api.cache import ResponseCache, RunWatcher
from api.metrics import Metrics, ServedRunCollector
from api.ratelimit import RateLimiter
from api.reads import read
from c360.auth import keys
from c360.serving.errors import Forbidden, RateLimited, Unauthorized
from c360.serving.store import Store
from c360.settings import Settings

SCOPE_KEY = "x-required-scope"
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    bearerFormat="c360_<key_id>_<secret>",
    description="An API key from `c360 keys create`, sent as `Authorization: Bearer <key>`.",
)


MAX_KEY_LOOKUPS = 10_000  # key ids (known or not) whose lookup a process remembers
KNOWN_FOR = 3600.0  # seconds a key that verified stays exempt from its address's failed-authentication limit


class KeyVerifier:
    """Checks presented keys against the store, caching lookups (not verdicts) for a few seconds."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store, self.ttl = store, ttl
        # (expiry, lookup) per key id, in a plain dict (a TTL cache's bookkeeping costs more than a cache hit's
        # answer); unknown ids are cached too (as None), so the map is bounded: the oldest entry goes first
        self._lookups: dict[str, tuple[float, tuple[keys.ApiKey, str] | None]] = {}
        # key ids that verified within KNOWN_FOR: past the failed-authentication limit, only these are looked up
        self._verified: dict[str, float] = {}

    def known(self, raw: str) -> bool:
        """Whether ``raw`` names a key that verified here lately (no lookup: a dict read)."""
        try:
            key_id = keys.key_id_of(raw)
        except Unauthorized:
            return False
        return self._verified.get(key_id, float("-inf")) > time.monotonic() - KNOWN_FOR

    async def verify(self, raw: str) -> keys.ApiKey:
        """The key's record; Unauthorized when it is malformed, unknown, wrong or revoked."""
        key_id = keys.key_id_of(raw)
        cached = self._lookups.get(key_id)
        if cached is not None and cached[0] > time.monotonic():
            found = cached[1]
        else:
            found = await read(self.store, lambda: keys.lookup(self.store, key_id))
            self._lookups.pop(key_id, None)
            if len(self._lookups) >= MAX_KEY_LOOKUPS:
                del self._lookups[next(iter(self._lookups))]
            self._lookups[key_id] = (time.monotonic() + self.ttl, found)
        if found is None:
            raise Unauthorized("the API key is not valid")
        key = keys.check(raw, *found)
        if len(self._verified) >= MAX_KEY_LOOKUPS and key_id not in self._verified:
            del self._verified[next(iter(self._verified))]
        self._verified[key_id] = time.monotonic()
        return key


@dataclass
class Services:
    """The app's long-lived parts, built once by ``create_app``."""

    settings: Settings
    store: Store
    cache: ResponseCache
    runs: RunWatcher
    limiter: RateLimiter
    keys: KeyVerifier
    metrics: Metrics
    run_collector: ServedRunCollector
    cursor_key: bytes
    auth_failures: RateLimiter  # failed authentications per client address


def services_of(request: Request) -> Services:
    """The app's services."""
    found: Services = request.app.state.services
    return found


def scope(name: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation needing scope ``name``: documented, and read by ``authenticate``."""
    return {SCOPE_KEY: name}


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The key of the request's one ``Authorization: Bearer <key>`` header; Unauthorized for anything else.

    The one reading of the header, for the routes (``authenticate``) and the cache front (api.fastpath):
    two Authorization headers are refused, never resolved to the first by one path and the last by another.
    """
    values = [value for name, value in headers if name == b"authorization"]
    if len(values) > 1:
        raise Unauthorized("send one Authorization header, not several")
    kind, _, raw = (values[0].decode("latin-1") if values else "").partition(" ")
    if kind.lower() != "bearer" or not raw.strip():
        raise Unauthorized("send an API key: Authorization: Bearer <key> (create one with `c360 keys create`)")
    return raw.strip()


@dataclass(frozen=True, slots=True)
class Authorized:
    """A request that may go on: its key, and the rate-limit headers its answer carries."""

    key: keys.ApiKey
    headers: dict[str, str]

    @property
    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """``headers`` as ASGI sends them, for the fast paths (api.fastpath) that send responses themselves."""
        return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()]


async def authorize(services: Services, scope: Scope, needed: str | None) -> Authorized:
    """The one check of every /v1 request, for the routes (``authenticate``) and the fast paths
    (api.fastpath) alike: a verified key, counted against its rate limit, holding scope ``needed``.

    Unauthorized, RateLimited or Forbidden otherwise; the last two carry the rate-limit headers.
    """
    key = await identify(services, scope)
    headers: dict[str, str] = {}
    if services.limiter.enabled:
        decision = await services.limiter.hit(key.key_id)
        headers = decision.headers()
        if not decision.allowed:
            raise RateLimited(
                f"this key may make {decision.limit} requests per {decision.window} s; retry in {decision.reset} s",
                {**headers, "Retry-After": str(decision.reset)},
            )
    if not needed:  # default deny: an operation that declares no scope is open to no key
        raise Forbidden("this operation declares no scope, so no key may use it", headers)
    if not key.allows(needed):
        raise Forbidden(
            f"this operation needs the {needed} scope; this key has {', '.join(sorted(key.scopes))}", headers
        )
    return Authorized(key, headers)


async def identify(services: Services, scope: Scope) -> keys.ApiKey:
    """The request's verified key. Failed authentications are counted per client address; past
    C360_API_AUTH_FAILURE_LIMIT in the window the address is answered 429 without a key lookup, except for a
    key that verified here within the last hour: behind a load balancer (or one NAT) many clients share an
    address, and one client's bad or revoked key must not lock the others' integrations out
    (C360_API_FORWARDED_ALLOW_IPS gives each its own address)."""
    limited = services.settings.api_auth_failure_limit > 0
    address = f"addr:{(scope.get('client') or ('unknown',))[0]}"
    try:
        raw = presented_key(scope["headers"])
        # past the limit, only a key that verified lately is looked up: unknown ids cost no store lookup
        if limited and not services.keys.known(raw) and await services.auth_failures.exhausted(address):
            raise _too_many_failures(services)
        return await services.keys.verify(raw)
    except Unauthorized:
        if limited and not (await services.auth_failures.hit(address)).allowed:
            raise _too_many_failures(services) from None
        raise


def _too_many_failures(services: Services) -> RateLimited:
    window = services.auth_failures.window
    return RateLimited(
        f"too many failed authentications from this address: at most {services.auth_failures.limit} per {window} s",
        {"Retry-After": str(window)},
    )


async def authenticate(
    request: Request, _documented: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> keys.ApiKey:
    """The caller's key, holding the operation's scope, counted against its rate limit (``authorize``).

    Mounted on every /v1 router (api.app), so no route there can be reached without it. It is the
    only dependency of a request: FastAPI's dependency resolution costs more per request than a
    cached response, so the scope comes from the route's ``openapi_extra`` rather than a second one.
    (``bearer`` only documents the scheme; the key is read by ``identify``, as the fast paths read it.)
    """
    needed = (getattr(request.scope.get("route"), "openapi_extra", None) or {}).get(SCOPE_KEY)
    authorized = await authorize(services_of(request), request.scope, needed)
    request.state.response_headers = authorized.headers
    request.state.key = authorized.key
    return authorized.key


def current_key(request: Request) -> keys.ApiKey:
    """The key ``authenticate`` accepted for this request."""
    key: keys.ApiKey = request.state.key
    return key
