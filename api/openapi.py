"""The OpenAPI 3.1 document: generated from the app, completed with what FastAPI leaves out.

FastAPI describes operations, parameters and bodies; this adds the contract around them: every error
response as ``application/problem+json`` (validation errors included, replacing FastAPI's own
shape), the auth, rate-limit and server errors every /v1 operation can answer, and the ETag,
Cache-Control and RateLimit headers. ``make openapi`` writes it to openapi.yaml (``api.contract``); a
test fails when that file drifts from the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped]  # PyYAML comes with uvicorn[standard]
from fastapi.openapi.utils import get_openapi

from api.deps import SCOPE_KEY
from api.responses import ERROR_DESCRIPTIONS
from api.schemas import Problem
from c360.serving.events import SubscriptionEvent

if TYPE_CHECKING:
    from fastapi import FastAPI

TAGS = [
    {"name": "subscribers", "description": "The 360 profile of a subscriber."},
    {"name": "health-scores", "description": "Churn risk scores: one, many, a subscriber's history, paged lists."},
    {"name": "risk-tiers", "description": "Tier thresholds and counts of the served run."},
    {"name": "models", "description": "The churn model behind the served scores."},
    {"name": "events", "description": "Real-time subscription events into the warehouse."},
    {"name": "webhooks", "description": "Push High-risk and tier changes to marketing tools (Standard Webhooks)."},
    {"name": "analytics", "description": "Aggregates for dashboards: tiers over time, engagement, cohorts, drift."},
    {"name": "operations", "description": "Liveness, readiness and metrics; no key needed."},
]
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _header(description: str, kind: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": kind}}


_CACHE_HEADERS = {
    "ETag": {**_header("Strong validator: a hash of the body."), "required": True},
    "Cache-Control": {**_header("How long clients may reuse the response."), "required": True},
}
_UNVALIDATED = {"get_metrics"}  # answers that change with every call: no ETag, Cache-Control no-store
_RATE_HEADERS = {
    "RateLimit-Limit": _header("Requests allowed per window.", "integer"),
    "RateLimit-Remaining": _header("Requests left in this window.", "integer"),
    "RateLimit-Reset": _header("Seconds until the window ends.", "integer"),
    "RateLimit-Policy": _header("The policy: <limit>;w=<window seconds>."),
}
_ERROR_HEADERS = {
    401: {"WWW-Authenticate": {**_header("Bearer challenge."), "required": True}},
    429: {"Retry-After": {**_header("Seconds to wait.", "integer"), "required": True}, **_RATE_HEADERS},
}


def build(app: FastAPI) -> dict[str, Any]:
    """The complete document for ``app`` (cached on the app after the first call)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version="3.1.0",
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    schemas["SubscriptionEvent"] = SubscriptionEvent.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            _complete(path, method, operation)
    app.openapi_schema = document
    return document


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", ()):
        _drop_null(parameter)
    if SCOPE_KEY in operation:
        operation["description"] = f"{operation.get('description', '').rstrip()}\n\nScope: `{operation[SCOPE_KEY]}`."
    responses: dict[str, Any] = operation["responses"]
    secured = bool(operation.get("security"))
    extra = [401, 403, 429, 503] if secured else []
    if operation.get("parameters") or operation.get("requestBody"):
        extra.append(422)
    if method == "post":
        extra.append(413)
    for extra_code in extra:
        responses.setdefault(str(extra_code), {"description": ERROR_DESCRIPTIONS[extra_code]})
    for code, response in responses.items():
        status = int(code)
        if status == 304:
            response.pop("content", None)
            response["headers"] = dict(_CACHE_HEADERS)
        elif status >= 400:
            response["description"] = ERROR_DESCRIPTIONS.get(status, response["description"])
            response["content"] = _PROBLEM
            if status in _ERROR_HEADERS:
                response["headers"] = _ERROR_HEADERS[status]
        elif method == "get" and operation.get("operationId") in _UNVALIDATED:
            response["headers"] = {"Cache-Control": _CACHE_HEADERS["Cache-Control"]}
        elif method == "get":
            response["headers"] = {**_CACHE_HEADERS, **(_RATE_HEADERS if secured else {})}
        elif secured:
            response["headers"] = dict(_RATE_HEADERS)
    operation["responses"] = dict(sorted(responses.items()))


def _drop_null(parameter: dict[str, Any]) -> None:
    """An optional parameter is simply omitted: ``anyOf [T, null]`` becomes ``T`` (clearer SDK types)."""
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf")
    if parameter.get("required") or not branches:
        return
    kept = [b for b in branches if b.get("type") != "null"]
    if len(kept) == 1:
        schema.pop("anyOf")
        schema.update(kept[0])


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """Block style for multi-line text, and no &anchors for the header dicts operations share."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render_yaml(document: dict[str, Any]) -> str:
    """The document as YAML, keys in the order FastAPI wrote them."""
    return str(yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120))
