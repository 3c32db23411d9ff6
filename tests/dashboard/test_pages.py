"""Every page of the dashboard against a live API (streamlit.testing.v1.AppTest): what it shows is what the
API answers, filters change the rows, the CSV export is the filtered table, and failures are banners."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.api.conftest import Served
from tests.dashboard.conftest import APP

PAGES = ["leaderboard", "profile", "engagement", "cohorts", "model_health", "webhooks"]
TIMEOUT = 30


def page(name: str) -> AppTest:
    """One page, run as the app runs it."""
    return AppTest.from_file(str(APP / "views" / f"{name}.py"), default_timeout=TIMEOUT)


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "caption", "markdown", "info", "warning", "error") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_an_exception(name: str, dashboard_env: Served) -> None:
    at = page(name).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.caption  # the page and its one-line explanation


def test_the_app_opens_on_the_leaderboard(dashboard_env: Served) -> None:
    at = AppTest.from_file(str(APP / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception and at.title[0].value == "Churn risk leaderboard"


def test_leaderboard_first_row_is_the_apis_riskiest_subscriber(dashboard_env: Served) -> None:
    client = dashboard_env.client("dashboard")
    riskiest = client.get("/v1/analytics/leaderboard", params={"limit": 1}).json()["data"][0]
    at = page("leaderboard")
    at.run()
    at.multiselect(key="tiers").set_value([]).run()  # every tier
    table = at.dataframe[0].value
    assert table.iloc[0]["subscriber_id"] == riskiest["subscriber_id"]
    assert list(table["churn_risk_score"]) == sorted(table["churn_risk_score"], reverse=True)


def test_filters_change_the_rows_and_the_csv_is_the_filtered_table(
    dashboard_env: Served, downloads: list[bytes]
) -> None:
    at = page("leaderboard")
    at.run()
    at.multiselect(key="tiers").set_value([]).run()
    everyone = at.dataframe[0].value
    at.multiselect(key="tiers").set_value(["High"]).run()
    at.slider(key="min_score").set_value(0.5).run()
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < len(everyone)
    assert set(filtered["risk_tier"]) == {"High"} and filtered["churn_risk_score"].min() >= 0.5
    plan = str(filtered.iloc[0]["plan"])
    at.multiselect(key="plans").set_value([plan]).run()
    by_plan = at.dataframe[0].value
    assert set(by_plan["plan"]) == {plan} and len(by_plan) <= len(filtered)
    exported = pd.read_csv(io.BytesIO(downloads[-1]))
    assert list(exported["subscriber_id"]) == list(by_plan["subscriber_id"])
    assert list(exported.columns) == list(by_plan.columns)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes of every file a download button offers (AppTest's media storage forgets them after a run)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered: list[bytes] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self: MemoryMediaFileStorage, path_or_data: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(path_or_data, bytes):
            offered.append(path_or_data)
        return original(self, path_or_data, *args, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return offered


def test_profile_shows_the_apis_tier_and_drivers(dashboard_env: Served) -> None:
    client = dashboard_env.client("dashboard")
    riskiest = client.get("/v1/analytics/leaderboard", params={"limit": 1}).json()["data"][0]["subscriber_id"]
    profile = client.get(f"/v1/subscribers/{riskiest}").json()
    days = client.get(f"/v1/subscribers/{riskiest}/engagement").json()["data"]
    at = page("profile")
    at.session_state["subscriber_id"] = riskiest
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Risk tier"] == profile["health"]["risk_tier"]
    assert metrics["Plan"] == profile["plan"]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2 + bool(days)  # the drivers, the score history and (when they read) the 90 days
    drivers = charts[0].proto.datasets[0].data.data  # the drivers chart's data (Arrow)
    labels = {str(label) for label in pa.ipc.open_stream(drivers).read_all().to_pandas()["driver"]}
    assert all(any(label.startswith(d["label"]) for label in labels) for d in profile["health"]["drivers"])


def test_profile_shows_the_apis_90_days_and_tickets(dashboard_env: Served) -> None:
    client = dashboard_env.client("dashboard")
    # the fixture's subscriber 5 read on 5 days and has 1 ticket; 0 has neither
    days = client.get("/v1/subscribers/sub-0005/engagement").json()["data"]
    tickets = client.get("/v1/subscribers/sub-0005/tickets", params={"limit": 20}).json()["data"]
    assert len(days) == 5 and len(tickets) == 1
    at = page("profile")
    at.session_state["subscriber_id"] = "sub-0005"
    at.run()
    assert not at.exception
    chart = at.get("vega_lite_chart")[-1].proto.datasets[0].data.data
    shown = pa.ipc.open_stream(chart).read_all().to_pandas()
    assert list(shown["views"]) == [d["views"] for d in days]
    assert list(shown["time_spent"]) == [d["time_spent"] for d in days]
    table = at.dataframe[0].value
    assert list(table["category"]) == [t["category"] for t in tickets]
    assert list(table["status"]) == [t["status"] for t in tickets]
    assert "5 reading days" in texts(at)
    at.session_state["subscriber_id"] = "sub-0000"
    at.run()
    assert not at.exception and not at.dataframe
    assert "No reading in the 90 days" in texts(at) and "No support tickets." in texts(at)


def test_an_unknown_subscriber_is_a_friendly_message(dashboard_env: Served) -> None:
    at = page("profile").run()
    at.text_input[0].set_value("NOBODY-42").run()
    assert not at.exception and not at.error
    assert "No subscriber 'NOBODY-42'" in texts(at)


def test_a_wrong_key_is_a_banner(dashboard_env: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    from c360.settings import get_settings

    monkeypatch.setenv("C360_DASHBOARD_API_KEY", "c360_00000000_" + "x" * 43)
    get_settings.cache_clear()
    at = page("leaderboard").run()
    assert not at.exception and "refused the dashboard's key" in at.error[0].value


def test_an_api_that_is_down_is_a_banner(dashboard_env: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    from c360.settings import get_settings
    from tests.conftest import free_port

    monkeypatch.setenv("C360_DASHBOARD_API_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    at = page("cohorts").run()
    assert not at.exception and "is not answering" in at.error[0].value
    assert httpx  # the SDK's transport errors are what the banner replaces
