"""Analytics: the dashboard's aggregates, written at each publish (c360.serving.analytics).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_score_days",
        sa.Column("score_date", sa.Date, primary_key=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("scored", sa.Integer, nullable=False),
        sa.Column("high_count", sa.Integer, nullable=False),
        sa.Column("medium_count", sa.Integer, nullable=False),
        sa.Column("low_count", sa.Integer, nullable=False),
        sa.Column("mean_score", sa.Float),
    )
    op.create_table(
        "analytics_engagement",
        sa.Column("grain", sa.String(8), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("dimension", sa.String(16), primary_key=True),
        sa.Column("grp", sa.String(64), primary_key=True),
        sa.Column("views", sa.Integer, nullable=False),
        sa.Column("readers", sa.Integer, nullable=False),
        sa.Column("time_spent", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "analytics_cohorts",
        sa.Column("cohort", sa.Date, primary_key=True),
        sa.Column("plan", sa.String(64), primary_key=True),
        sa.Column("segment", sa.String(64), primary_key=True),
        sa.Column("month", sa.Integer, primary_key=True),
        sa.Column("subscribers", sa.Integer, nullable=False),
        sa.Column("retained", sa.Integer, nullable=False),
        sa.Column("active", sa.Integer, nullable=False),
    )
    op.create_table(
        "analytics_feature_importance",
        sa.Column("model_version", sa.String(64), primary_key=True),
        sa.Column("feature", sa.String(128), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("importance_rank", sa.Integer, nullable=False),
        sa.Column("importance", sa.Float, nullable=False),
    )
    op.create_table(
        "analytics_drift",
        sa.Column("score_date", sa.Date, primary_key=True),
        sa.Column("feature", sa.String(128), primary_key=True),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("psi", sa.Float, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "analytics_drift",
        "analytics_feature_importance",
        "analytics_cohorts",
        "analytics_engagement",
        "analytics_score_days",
    ):
        op.drop_table(table)
