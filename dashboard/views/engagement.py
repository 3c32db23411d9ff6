"""Engagement trends: views, readers and time spent per day or week, split by plan, segment or device."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import data, ui

MEASURES = {"Views": "views", "Readers": "readers", "Hours read": "hours"}


def main() -> None:
    served = ui.page(
        "Engagement trends",
        "Human article views, distinct readers and hours read over the 26 weeks ending the served run's score date "
        "(FCT_ENGAGEMENT_DAILY and STG_CONTENT_ENGAGEMENT, published with each run; GET /v1/analytics/engagement).",
    )
    left, middle, right = st.columns(3)
    grain = left.radio("Grain", ["day", "week"], horizontal=True, key="grain")
    by = middle.radio("Split by", ["plan", "segment", "device"], horizontal=True, key="by")
    measure = right.radio("Measure", list(MEASURES), horizontal=True, key="measure")
    points, bots = data.engagement(served.url, served.run_id, grain, by)
    if points.empty:
        st.info("No reading in the 26 weeks ending the served run's score date.")
        return
    points = points.assign(hours=points["time_spent"] / 3600)
    column = MEASURES[measure]
    chart = (
        alt.Chart(points)
        .mark_line(point=grain == "week")
        .encode(
            x=alt.X("period:T", title=grain),
            y=alt.Y(f"{column}:Q", title=measure.lower()),
            color=alt.Color("group:N", title=by),
            tooltip=["period:T", "group:N", "views:Q", "readers:Q", alt.Tooltip("hours:Q", format=".1f")],
        )
        .properties(height=360)
    )
    st.altair_chart(chart, use_container_width=True)
    totals = points.groupby("group")[["views", "readers", "hours"]].sum().reset_index()
    st.dataframe(totals.rename(columns={"readers": "reader-periods"}), hide_index=True)
    st.subheader("Bot traffic filtered out")
    st.caption("Views whose user agent names a bot, crawler or script: kept out of every number above.")
    if bots.empty:
        st.caption("None in this window.")
    else:
        st.metric("Bot views filtered", f"{int(bots['views'].sum()):,}")
        bars = alt.Chart(bots).mark_bar(color="#7f7f7f").encode(x=alt.X("period:T", title=grain), y="views:Q")
        st.altair_chart(bars.properties(height=160), use_container_width=True)


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
