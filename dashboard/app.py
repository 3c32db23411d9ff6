"""The Customer 360 dashboard (``c360 dashboard``): one Streamlit app, one module per page under pages/.

It is an API client: every number comes from the REST API through the generated SDK (dashboard.data),
as of the served scoring run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
PAGES = {
    "Subscribers": [
        st.Page(HERE / "pages/leaderboard.py", title="Churn risk leaderboard", icon=":material/warning:", default=True),
        st.Page(HERE / "pages/profile.py", title="Subscriber profile", icon=":material/person:"),
    ],
    "Trends": [
        st.Page(HERE / "pages/engagement.py", title="Engagement trends", icon=":material/trending_up:"),
        st.Page(HERE / "pages/cohorts.py", title="Cohort analysis", icon=":material/grid_view:"),
    ],
    "Operations": [
        st.Page(HERE / "pages/model_health.py", title="Model health", icon=":material/monitor_heart:"),
        st.Page(HERE / "pages/webhooks.py", title="Webhooks", icon=":material/webhook:"),
    ],
}

st.set_page_config(page_title="Customer 360", page_icon=":material/monitoring:", layout="wide")
st.navigation(PAGES).run()
