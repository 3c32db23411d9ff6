"""Webhooks: the endpoints marketing tools registered, delivery success over time, recent failures."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui


def main() -> None:
    served = ui.page(
        "Webhooks",
        "Deliveries of High-risk and tier-change events to marketing tools over the last 30 days: per endpoint, "
        "success rate, latency and the latest failures with their responses (GET /v1/analytics/webhooks).",
    )
    endpoints = data.webhooks(served.url, served.run_id)
    if not endpoints:
        st.info("No webhook endpoint is registered. Marketing tools subscribe with POST /v1/webhooks/endpoints.")
        return
    summary = pd.DataFrame(
        [
            {
                "endpoint": e["endpoint_id"], "url": e["url"], "enabled": e["enabled"],
                "delivered": e["messages"]["delivered"], "pending": e["messages"]["pending"],
                "failed": e["messages"]["failed"], "attempts (30 d)": e["attempts"],
                "success rate": e["success_rate"], "mean latency ms": e["latency_ms_mean"],
                "p95 latency ms": e["latency_ms_p95"],
            }
            for e in endpoints
        ]
    )  # fmt: skip
    st.dataframe(
        summary, hide_index=True, column_config={"success rate": st.column_config.NumberColumn(format="percent")}
    )
    daily = pd.DataFrame(
        [{"endpoint": e["endpoint_id"], **d} for e in endpoints for d in e["daily"]],
        columns=["endpoint", "day", "attempts", "succeeded"],
    )
    st.subheader("Delivery success per day")
    if daily.empty:
        st.caption("No delivery attempt in the last 30 days.")
    else:
        daily["success rate"] = daily["succeeded"] / daily["attempts"]
        daily["day"] = pd.to_datetime(daily["day"])
        chart = alt.Chart(daily).mark_line(point=True).encode(
            x=alt.X("day:T"), y=alt.Y("success rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color="endpoint:N", tooltip=["day:T", "endpoint:N", "attempts:Q", "succeeded:Q"],
        )  # fmt: skip
        st.altair_chart(chart.properties(height=260), use_container_width=True)
    st.subheader("Recent failures")
    failures = pd.DataFrame(
        [{"endpoint": e["endpoint_id"], **f} for e in endpoints for f in e["recent_failures"]],
        columns=["endpoint", "attempted_at", "event_type", "status_code", "error", "response", "message_id"],
    )
    if failures.empty:
        st.caption("No failed attempt.")
    else:
        st.dataframe(failures.sort_values("attempted_at", ascending=False), hide_index=True)
    disabled = [e for e in endpoints if not e["enabled"]]
    for e in disabled:
        st.warning(f"Endpoint {e['endpoint_id']} is disabled: {e['disabled_reason'] or 'no reason given'}.")


try:
    main()
except data.Unavailable as exc:
    ui.stop_on(exc)
