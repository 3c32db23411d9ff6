"""What every page shares: its header and one-line explanation, the served run, and the banners."""

from __future__ import annotations

import streamlit as st

from dashboard import data

TIER_COLORS = {"High": "#d62728", "Medium": "#ff7f0e", "Low": "#2ca02c"}


def page(title: str, explanation: str) -> data.Served:
    """Show the page's title and explanation, and return the served run; a banner and stop when there is none."""
    st.title(title)
    st.caption(explanation)
    try:
        served = data.served()
    except data.Unavailable as exc:
        st.error(exc.message, icon=":material/error:")
        st.stop()
    if served is None:
        st.warning(
            "Nothing is published yet: the API has no scoring run to serve. Run `c360 pipeline run` (or "
            "`c360 publish` after `c360 score`), then reload this page.",
            icon=":material/hourglass_empty:",
        )
        st.stop()
    st.sidebar.caption(f"Served run {served.run_id} · score date {served.score_date} · model {served.model_version}")
    return served


def stop_on(exc: data.Unavailable) -> None:
    """Show the banner of ``exc`` and stop the page."""
    st.error(exc.message, icon=":material/error:")
    st.stop()
