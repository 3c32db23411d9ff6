"""``/v1/models``: the model behind the served scores, every registered model with its gate decision, and
each model's realised performance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.deps import scope, services_of
from api.responses import cached_json, errors, render
from api.routers.params import IfNoneMatch
from api.schemas import ChurnModel, ModelPerformance, RegisteredModels
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
    services = services_of(request)
    run = queries.require_run(await services.runs.current())

    def produce() -> bytes:
        return render(ChurnModel, queries.get_current_model(services.store, run=run))

    return await cached_json(services, f"model:{run.key}", produce, if_none_match)


@router.get(
    "/models",
    operation_id="list_models",
    summary="List the registered models with their gate decisions",
    response_model=RegisteredModels,
    response_description="Every model, newest first.",
    responses=errors(304),
    openapi_extra=scope("scores:read"),
)
async def list_models(request: Request, if_none_match: IfNoneMatch = None) -> Response:
    """Every model the registry holds (current, retired, rejected), newest first, with the checks of the
    deploy gate that decided it, as of the last publish."""
    services = services_of(request)
    run = await services.runs.current()

    def produce() -> bytes:
        return render(RegisteredModels, {"data": queries.list_models(services.store)})

    return await cached_json(services, f"models:{run.key if run else None}", produce, if_none_match)


@router.get(
    "/models/{model_version}/performance",
    operation_id="get_model_performance",
    summary="Get a model's realised performance per score date",
    response_model=ModelPerformance,
    response_description="Realised metrics per closed score date, oldest first.",
    responses=errors(304, 404),
    openapi_extra=scope("scores:read"),
)
async def get_model_performance(
    request: Request,
    model_version: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._:+-]+$")],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Realised ROC AUC, Brier score, calibration by decile and tier precision of the scores of each score
    date whose 30-day outcome window has closed (computed by the daily monitoring task, `c360 monitor`)."""
    services = services_of(request)
    run = await services.runs.current()

    def produce() -> bytes:
        return render(ModelPerformance, queries.model_performance(services.store, model_version=model_version))

    return await cached_json(
        services, f"performance:{run.key if run else None}:{model_version}", produce, if_none_match
    )
