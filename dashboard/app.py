"""The Customer 360 dashboard (``c360 dashboard``): one Streamlit app, one module per page under views/.

It is an API client: every number comes from the REST API through the generated SDK (dashboard.data),
as of the served scoring run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
PAGES = {
    "Subscribers": [
        st.Page(HERE / "views/leaderboard.py", title="Churn risk leaderboard", icon=":material/warning:", default=True),
        st.Page(HERE / "views/profile.py", title="Subscriber profile", icon=":material/person:"),
    ],
    "Trends": [
        st.Page(HERE / "views/engagement.py", title="Engagement trends", icon=":material/trending_up:"),
        st.Page(HERE / "views/cohorts.py", title="Cohort analysis", icon=":material/grid_view:"),
    ],
    "Operations": [
        st.Page(HERE / "views/model_health.py", title="Model health", icon=":material/monitor_heart:"),
        st.Page(HERE / "views/webhooks.py", title="Webhooks", icon=":material/webhook:"),
    ],
}

st.set_page_config(page_title="Customer 360", page_icon=":material/monitoring:", layout="wide")
st.navigation(PAGES).run()
