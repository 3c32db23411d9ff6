"""The API v1 application: ``create_app(settings)``.

Every route under /v1 is authenticated by default: its router is mounted with the ``authenticate``
dependency, which also checks the scope each operation declares (``openapi_extra=scope(...)``); an
operation that declares none is refused to every key. Only the operations endpoints (/healthz,
/readyz, /metrics) and the OpenAPI document with its docs page are open.
"""

from __future__ import annotations

import gc
import json
from datetime import datetime

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from api import openapi, problems
from api.cache import RedisLink, Rendered, ResponseCache, RunWatcher
from api.deps import KeyVerifier, Services, authenticate
from api.fastpath import CacheFront
from api.metrics import Metrics, ServedRunCollector
from api.middleware import BodyLimit, Observe
from api.ratelimit import RateLimiter
from api.responses import conditional
from api.routers import activity, analytics, events, health_scores, models, ops, risk_tiers, subscribers, webhooks
from c360.serving.cursor import cursor_key
from c360.serving.queries import current_run
from c360.serving.store import Store
from c360.settings import Settings, get_settings
from c360.webhooks.cipher import secret_cipher

DOCS_ASSETS = "/docs/assets"
V1 = (subscribers, activity, health_scores, risk_tiers, models, events, webhooks, analytics)
DESCRIPTION = """\
Churn risk and 360 profiles of subscribers, for CRM integrations.

Scores come from the daily scoring run, published to a serving store after each run; every response
is as of the served run (see `GET /v1/risk-tiers` for its score_date). Authenticate with an API key:
`Authorization: Bearer <key>`. Errors are RFC 9457 `application/problem+json`. GET responses carry a
strong `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
"""


class App(FastAPI):
    """The API's FastAPI application behind the cache front (api.fastpath): a cache hit is answered before
    FastAPI's own per-request work (its telemetry check, error and telemetry middleware) and our middleware,
    which together cost more than the hit. The front counts what it answers in the request metrics itself;
    FastAPI's native (OpenTelemetry) tracing, when configured, sees only what reaches FastAPI."""

    _front: CacheFront | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._front is None:
            self._front = CacheFront(super().__call__, services=self.state.services)
        await self._front(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    _refuse_without_secret_key(settings)
    app = App(
        title="Customer 360 API",
        version="1.0.0",
        summary="Subscriber churn risk and profiles for CRM integrations.",
        description=DESCRIPTION,
        openapi_tags=openapi.TAGS,
        openapi_url=None,  # served below, with an ETag
        docs_url=None,
        redoc_url=None,
        # a path with a trailing slash is a 404 problem, not a bare 307 before authentication whose Location is
        # built from the request's Host header
        redirect_slashes=False,
    )
    app.state.services = build_services(settings)
    problems.install(app)
    app.include_router(ops.router)
    for module in V1:
        # every /v1 route is authenticated: the dependency is part of mounting, not of each route
        app.include_router(module.router, prefix="/v1", dependencies=[Depends(authenticate)])
    _document(app)
    templates = {id(route): route.path for route in ops.router.routes if isinstance(route, APIRoute)}
    for module in V1:
        templates.update({id(r): "/v1" + r.path for r in module.router.routes if isinstance(r, APIRoute)})
    methods = {id(r): r.methods or set() for m in (ops, *V1) for r in m.router.routes if isinstance(r, APIRoute)}
    problems.index_methods(app, [(path, methods[key]) for key, path in templates.items()])
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(Observe, metrics=app.state.services.metrics, templates=templates)  # outermost: sees 413s
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (``c360 serve``): settings from C360_* variables."""
    app = create_app()
    # Move everything alive after startup (modules, schemas, the app) out of the collector's reach: a
    # full collection then walks only request garbage, instead of pausing every request for ~4 ms.
    gc.collect()
    gc.freeze()
    return app


def build_services(settings: Settings) -> Services:
    """The long-lived parts of one app."""
    store = Store.from_settings(settings)
    redis = RedisLink(settings.redis_url, settings.redis_prefix) if settings.redis_url else None
    metrics = Metrics()
    cache = ResponseCache(
        size=settings.api_cache_size, ttl=settings.api_cache_ttl, redis=redis, count=metrics.count_cache
    )

    def served_scored_at() -> datetime | None:
        run = current_run(store)
        return run.scored_at if run else None

    return Services(
        settings=settings,
        store=store,
        cache=cache,
        runs=RunWatcher(store, interval=settings.api_run_check_interval, on_change=cache.clear),
        limiter=RateLimiter(limit=settings.api_rate_limit, window=settings.api_rate_limit_window, redis=redis),
        keys=KeyVerifier(store, settings.api_key_cache_ttl),
        metrics=metrics,
        run_collector=ServedRunCollector(served_scored_at, metrics.hit_ratio),
        cursor_key=cursor_key(settings),
        auth_failures=RateLimiter(
            limit=settings.api_auth_failure_limit, window=settings.api_rate_limit_window, redis=redis
        ),
    )


def _refuse_without_secret_key(settings: Settings) -> None:
    secret_cipher(settings)  # outside development C360_SECRET_KEY must be set (webhook secrets at rest)


def _document(app: FastAPI) -> None:
    """/openapi.json (with an ETag) and the docs page."""
    app.openapi = lambda: openapi.build(app)  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document(request: Request) -> Response:
        if not hasattr(app.state, "openapi_rendered"):
            app.state.openapi_rendered = Rendered.of(json.dumps(app.openapi()).encode())
        return conditional(app.state.openapi_rendered, request.headers.get("if-none-match"), "public, max-age=300")

    # Swagger UI's scripts and styles are served from the installed package: /docs works on a network
    # without internet access (FastAPI's default page loads them from a CDN)
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Customer 360 API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )
