"""The dashboard's only way to data: the REST API, through the generated SDK (clients/python).

Every read is cached with ``st.cache_data`` keyed by the API's URL and the served run id, so a publish
(a new run id) refreshes every page, and a page seen once renders from memory until then. What can go
wrong between the dashboard and the API becomes ``Unavailable`` with a sentence saying what to do, which
the pages show as a banner (never a traceback).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pandas as pd
import streamlit as st
from c360_client.api.analytics import (
    get_churn_risk_leaderboard,
    get_cohort_analysis,
    get_engagement_trends,
    get_feature_drift,
    get_feature_importance,
    get_risk_tier_history,
    get_webhook_statistics,
)
from c360_client.api.health_scores import get_health_score_history
from c360_client.api.models import get_model_performance, list_models
from c360_client.api.risk_tiers import get_risk_tiers
from c360_client.api.subscribers import get_subscriber_engagement, get_subscriber_profile, list_subscriber_tickets
from c360_client.helpers import C360, C360Error, Forbidden, NotFound, Unauthorized
from c360_client.models import EngagementGrain, EngagementSplit, RiskTier
from c360_client.types import UNSET

from c360.settings import get_settings

SCOPES = "scores:read, profiles:read, analytics:read"


class Unavailable(Exception):
    """The API cannot answer the dashboard; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Served:
    """The served run every page shows: its id keys the caches."""

    url: str
    run_id: str
    score_date: str
    model_version: str
    tiers: list[dict[str, Any]]


@st.cache_resource(show_spinner=False)
def _client(url: str, key: str) -> C360:
    # one retry: an API that is down should say so in about a second, not after a long backoff
    return C360(url, key, max_retries=1, backoff=0.2, timeout=10)


def client() -> tuple[str, C360]:
    """The API's URL and an SDK client for it, from C360_DASHBOARD_API_URL and C360_DASHBOARD_API_KEY."""
    settings = get_settings()
    key = settings.dashboard_api_key.get_secret_value() if settings.dashboard_api_key else ""
    if not key:
        raise Unavailable(
            "No API key: set C360_DASHBOARD_API_KEY to a key with the scopes "
            f"{SCOPES} (`c360 keys create --name dashboard --scopes {SCOPES.replace(' ', '')}`)."
        )
    url = settings.dashboard_api_url.rstrip("/")
    return url, _client(url, key)


def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, client=..., **kwargs)`` of the generated SDK, its answer as JSON-ready data; failures that
    are not about the data asked for (NotFound is) become Unavailable."""
    url, api = client()
    return _invoke(url, api, fn, *args, **kwargs)


def call_many(*calls: tuple[Any, ...]) -> list[Any]:
    """Several ``(fn, *args)`` calls at once (a page's reads overlap instead of queueing); each answer as
    ``call`` gives it, or the NotFound it raised; other failures raise as in ``call``."""
    url, api = client()  # here, in the script's thread: the pool's threads have no Streamlit context

    def one(spec: tuple[Any, ...]) -> Any:
        fn, *args = spec
        kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
        try:
            return _invoke(url, api, fn, *args, **kwargs)
        except NotFound as exc:
            return exc

    return list(_POOL.map(one, calls))


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="c360-dashboard-api")


def _invoke(url: str, api: C360, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        answer = fn(*args, client=api.client, **kwargs)
    except (httpx.TransportError, OSError) as exc:
        raise Unavailable(
            f"The Customer 360 API at {url} is not answering ({type(exc).__name__}). Start it with `c360 serve` "
            "(or `make demo`), or point C360_DASHBOARD_API_URL at it."
        ) from None
    except Unauthorized:
        raise Unavailable(
            f"The API at {url} refused the dashboard's key (C360_DASHBOARD_API_KEY): it is unknown or revoked. "
            f"Create one with `c360 keys create --name dashboard --scopes {SCOPES.replace(' ', '')}`."
        ) from None
    except Forbidden as exc:
        raise Unavailable(f"The dashboard's key lacks a scope it needs ({SCOPES}): {exc.detail}") from None
    except NotFound:
        raise
    except C360Error as exc:
        raise Unavailable(f"The API at {url} answered {exc.status} {exc.title}: {exc.detail}") from None
    return answer.to_dict() if answer is not None else None


def served() -> Served | None:
    """The served run (None: nothing published yet)."""
    url, _ = client()
    try:
        tiers = call(get_risk_tiers.sync)
    except NotFound:
        return None
    return Served(url, tiers["run_id"], tiers["score_date"], tiers["model_version"], tiers["tiers"])


@st.cache_data(show_spinner=False, max_entries=64)
def leaderboard(
    url: str,
    run_id: str,
    tiers: tuple[str, ...],
    plans: tuple[str, ...],
    segments: tuple[str, ...],
    min_score: float,
    limit: int,
) -> pd.DataFrame:
    """The riskiest subscribers matching the filters, riskiest first."""
    body = call(
        get_churn_risk_leaderboard.sync,
        risk_tier=[RiskTier(t) for t in tiers] or UNSET,
        plan=list(plans) or UNSET,
        segment=list(segments) or UNSET,
        min_score=min_score if min_score > 0 else UNSET,
        limit=limit,
    )
    return pd.DataFrame(body["data"], columns=LEADERBOARD_COLUMNS)


LEADERBOARD_COLUMNS = [
    "subscriber_id", "churn_risk_score", "risk_tier", "previous_risk_tier", "plan", "segment", "status",
    "tenure_days", "lifetime_value", "days_since_last_read", "support_tickets_90d", "top_driver",
]  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=256)
def profile(url: str, run_id: str, subscriber_id: str) -> dict[str, Any] | None:
    """The subscriber's 360 profile, score history, 90 days of reading and latest support tickets (None:
    unknown subscriber), read at once."""
    found, history, days, tickets = call_many(
        (get_subscriber_profile.sync, subscriber_id),
        (get_health_score_history.sync, subscriber_id, {"limit": 365}),
        (get_subscriber_engagement.sync, subscriber_id),
        (list_subscriber_tickets.sync, subscriber_id, {"limit": MAX_TICKETS}),
    )
    if isinstance(found, NotFound):
        return None
    engagement = pd.DataFrame(
        [] if isinstance(days, NotFound) else days["data"], columns=["day", "views", "articles_viewed", "time_spent"]
    )
    engagement["day"] = pd.to_datetime(engagement["day"])
    return {
        "profile": found,
        "history": [] if isinstance(history, NotFound) else history["data"],
        "engagement": engagement,
        "window": None if isinstance(days, NotFound) else (days["from_date"], days["to_date"]),
        "tickets": [] if isinstance(tickets, NotFound) else tickets["data"],
    }


MAX_TICKETS = 20


@st.cache_data(show_spinner=False, max_entries=16)
def engagement(url: str, run_id: str, grain: str, by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Engagement per period and group, and bot views filtered per period."""
    body = call(get_engagement_trends.sync, grain=EngagementGrain(grain), by=EngagementSplit(by))
    points = pd.DataFrame(body["data"], columns=["period", "group", "views", "readers", "time_spent"])
    bots = pd.DataFrame(body["bots_filtered"], columns=["period", "views"])
    for frame in (points, bots):
        frame["period"] = pd.to_datetime(frame["period"])
    return points, bots


@st.cache_data(show_spinner=False, max_entries=8)
def cohorts(url: str, run_id: str) -> dict[str, Any]:
    """Signup-month cohorts: retention matrix and churn per cohort, plan and segment."""
    result: dict[str, Any] = call(get_cohort_analysis.sync)
    return result


@st.cache_data(show_spinner=False, max_entries=8)
def tier_history(url: str, run_id: str) -> pd.DataFrame:
    """Tier counts and mean score per score date (long form: one row per date and tier)."""
    rows = call(get_risk_tier_history.sync)["data"]
    long = [
        {"score_date": r["score_date"], "tier": tier, "subscribers": r["tiers"][tier], "mean_score": r["mean_score"]}
        for r in rows
        for tier in ("High", "Medium", "Low")
    ]
    frame = pd.DataFrame(long, columns=["score_date", "tier", "subscribers", "mean_score"])
    frame["score_date"] = pd.to_datetime(frame["score_date"])
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def models(url: str, run_id: str) -> list[dict[str, Any]]:
    """Every registered model with its gate decision, newest first."""
    data: list[dict[str, Any]] = call(list_models.sync)["data"]
    return data


@st.cache_data(show_spinner=False, max_entries=16)
def model_details(url: str, run_id: str, model_version: str) -> dict[str, Any]:
    """A model's realised performance per closed score date and its feature importance."""
    try:
        performance = call(get_model_performance.sync, model_version)["data"]
    except NotFound:
        performance = []
    try:
        importance = call(get_feature_importance.sync, model_version)["data"]
    except NotFound:
        importance = []
    return {"performance": performance, "importance": importance}


@st.cache_data(show_spinner=False, max_entries=8)
def drift(url: str, run_id: str) -> pd.DataFrame:
    """PSI per feature per score date."""
    frame = pd.DataFrame(
        call(get_feature_drift.sync)["data"], columns=["score_date", "feature", "model_version", "psi"]
    )
    frame["score_date"] = pd.to_datetime(frame["score_date"])
    return frame


@st.cache_data(show_spinner=False, ttl=30)
def webhooks(url: str, run_id: str) -> list[dict[str, Any]]:
    """Delivery statistics per webhook endpoint (live: cached for 30 s, not until the next publish)."""
    data: list[dict[str, Any]] = call(get_webhook_statistics.sync)["data"]
    return data
