"""``/v1/models/current``: the model behind the served scores."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import scope, services
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import ChurnModel
from c360.serving import queries

router = APIRouter(tags=["models"])


@router.get(
    "/models/current",
    operation_id="get_current_model",
    summary="Get the model that scored the served run",
    response_model=ChurnModel,
    response_description="The model and its test metrics.",
    responses=errors(304, 404),
    openapi_extra=scope("scores:read"),
)
async def get_current_model(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """Version, training time, features and held-out test metrics of the model that produced the served
    scores."""
    app = services(request)
    run = queries.require_run(await app.runs.current())

    def produce() -> bytes:
        return render(ChurnModel, queries.get_current_model(app.store, run=run))

    return await cached_json(app, f"model:{run.key}", produce, if_none_match)
