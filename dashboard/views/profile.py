"""Subscriber profile: who they are, how they read, their churn risk over time and why."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui


def main() -> None:
    served = ui.page(
        "Subscriber profile",
        "One subscriber's 360 profile as of the served run: plan and tenure from the subscription events, reading "
        "and support tickets, and the churn risk score with its drivers (GET /v1/subscribers/{id}, its /engagement and "
        "/tickets, all published with the run).",
    )
    default = st.session_state.get("subscriber_id") or st.query_params.get("id", "")
    subscriber_id = st.text_input("Subscriber id", value=default, placeholder="e.g. SUB-000123").strip()
    if not subscriber_id:
        st.info("Enter a subscriber id, or open one from the churn risk leaderboard.")
        return
    st.session_state["subscriber_id"] = subscriber_id
    found = data.profile(served.url, served.run_id, subscriber_id)
    if found is None:
        st.info(f"No subscriber {subscriber_id!r} in the served run ({served.score_date}). Check the id.")
        return
    show(found["profile"], found["history"], served)
    show_activity(found)


def show(profile: dict[str, Any], history: list[dict[str, Any]], served: data.Served) -> None:
    health = profile.get("health")
    cols = st.columns(6)
    cols[0].metric("Risk tier", health["risk_tier"] if health else "not scored")
    cols[1].metric("Churn risk", f"{health['churn_risk_score']:.1%}" if health else "–")
    cols[2].metric("Plan", profile.get("plan") or "–")
    cols[3].metric("Status", profile.get("status") or "–")
    cols[4].metric("Tenure", f"{profile['tenure_days']} days" if profile.get("tenure_days") is not None else "–")
    ltv = profile.get("lifetime_value")
    cols[5].metric("Lifetime value", f"${ltv:,.2f}" if ltv is not None else "–")
    st.markdown(f"Segment: **{profile.get('demographic_segment') or '–'}** · signed up {profile.get('signup_date')}")
    if health and health.get("removed"):
        st.warning(f"No longer scored: {health['removal']['reason']} (this is their last score).")
    st.subheader("Why this score")
    drivers = (health or {}).get("drivers") or []
    if drivers:
        st.altair_chart(drivers_chart(drivers), use_container_width=True, height=60 + 40 * len(drivers))
    else:
        st.caption("No drivers for this score.")
    st.subheader("Score history")
    st.altair_chart(history_chart(history, served.tiers), use_container_width=True)
    st.subheader("Reading (30 days) and support (90 days)")
    engagement = profile.get("engagement_30d") or {}
    reading = st.columns(5)
    reading[0].metric("Articles read", engagement.get("articles_viewed", 0))
    reading[1].metric("Minutes read", round((engagement.get("total_time_spent") or 0) / 60))
    reading[2].metric("Sections in a day", engagement.get("distinct_sections", 0))
    last = engagement.get("days_since_last_read")
    reading[3].metric("Days since last read", "never" if last is None else last)
    reading[4].metric("Support tickets", profile.get("support_tickets_90d", 0))


def show_activity(found: dict[str, Any]) -> None:
    """The last 90 days of reading, day by day, and the latest support tickets."""
    days: pd.DataFrame = found["engagement"]
    window = found["window"]
    st.subheader("Engagement, last 90 days")
    if days.empty:
        st.caption(f"No reading in the 90 days to {window[1]}." if window else "No reading recorded.")
    else:
        st.caption(
            f"{len(days)} reading days, {int(days['views'].sum()):,} views and "
            f"{round(int(days['time_spent'].sum()) / 60):,} minutes from {window[0]} to {window[1]}."
        )
        st.altair_chart(engagement_chart(days, window), use_container_width=True)
    tickets = found["tickets"]
    st.subheader("Support tickets")
    if not tickets:
        st.caption("No support tickets.")
        return
    st.dataframe(tickets_table(tickets), hide_index=True, use_container_width=True)


def engagement_chart(days: pd.DataFrame, window: tuple[str, str]) -> alt.Chart:
    """Minutes read per day over the whole window (days without reading stay empty)."""
    frame = days.assign(minutes=days["time_spent"] / 60)
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar(color="#1f77b4", size=5)  # a temporal axis has no bands: 5 px a day
        .encode(
            x=alt.X(
                "day:T",
                title=None,
                scale=alt.Scale(domain=[pd.Timestamp(window[0]).isoformat(), pd.Timestamp(window[1]).isoformat()]),
                axis=alt.Axis(format="%b %d"),
            ),
            y=alt.Y("minutes:Q", title="minutes read"),
            tooltip=[
                alt.Tooltip("day:T", format="%a %b %d"),
                alt.Tooltip("minutes:Q", format=".0f"),
                "views:Q",
                alt.Tooltip("articles_viewed:Q", title="articles"),
            ],
        )
        .properties(height=200)
    )
    return chart


def tickets_table(tickets: list[dict[str, Any]]) -> pd.DataFrame:
    """The tickets, newest first, as a retention agent reads them."""
    frame = pd.DataFrame(tickets)
    return pd.DataFrame(
        {
            "opened": pd.to_datetime(frame["created_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            "category": frame["category"],
            "priority": frame["priority"],
            "status": frame["status"],
            "channel": frame["channel"],
            "resolved in (h)": frame["resolution_hours"],
            "satisfaction": frame["satisfaction_score"],
        }
    )


def history_chart(history: list[dict[str, Any]], tiers: list[dict[str, Any]]) -> alt.LayerChart | alt.FacetChart:
    """The score per score date over bands of the tiers' thresholds."""
    frame = pd.DataFrame(history, columns=["score_date", "churn_risk_score", "risk_tier"])
    frame["score_date"] = pd.to_datetime(frame["score_date"])
    bands = pd.DataFrame([{"tier": t["tier"], "from": t["min_score"], "to": t["max_score"] or 1.0} for t in tiers])
    scale = alt.Scale(domain=list(ui.TIER_COLORS), range=list(ui.TIER_COLORS.values()))
    band = (
        alt.Chart(bands)
        .mark_rect(opacity=0.12)
        .encode(
            y=alt.Y("from:Q", title="churn risk score", scale=alt.Scale(domain=[0, 1])),
            y2="to:Q",
            color=alt.Color("tier:N", scale=scale, legend=alt.Legend(title="tier")),
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True, color="#1f77b4")
        .encode(
            x=alt.X("score_date:T", title="score date"),
            y="churn_risk_score:Q",
            tooltip=["score_date:T", alt.Tooltip("churn_risk_score:Q", format=".3f"), "risk_tier:N"],
        )
    )
    return alt.layer(band, line).properties(height=280)


def drivers_chart(drivers: list[dict[str, Any]]) -> alt.Chart:
    """Each driver's signed contribution: right raises the risk, left lowers it."""
    frame = pd.DataFrame(
        [
            {
                "driver": f"{d['label']} ({d['value']})" if d.get("value") is not None else d["label"],
                "contribution": d.get("contribution") if d.get("contribution") is not None else d.get("importance"),
                "effect": "raises risk" if d.get("direction") != "decreases_risk" else "lowers risk",
            }
            for d in drivers
        ]
    )
    colors = alt.Scale(domain=["raises risk", "lowers risk"], range=["#d62728", "#2ca02c"])
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("contribution:Q", title="contribution to the risk (log-odds)"),
            y=alt.Y("driver:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("effect:N", scale=colors, legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["driver:N", alt.Tooltip("contribution:Q", format=".3f"), "effect:N"],
        )
        .properties(height=alt.Step(32))
    )
    return chart


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
