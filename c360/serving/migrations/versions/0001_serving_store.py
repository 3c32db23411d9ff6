"""Serving store: published runs and their snapshots, score history, models, API keys, events inbox.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "served_runs",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(64), nullable=False, unique=True),
        sa.Column("score_date", sa.Date, nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("scored_at", sa.DateTime, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("previous_seq", sa.Integer),
        sa.Column("subscribers", sa.Integer, nullable=False),
        sa.Column("tier_high", sa.Float, nullable=False),
        sa.Column("tier_medium", sa.Float, nullable=False),
        sa.Column("high_count", sa.Integer, nullable=False),
        sa.Column("medium_count", sa.Integer, nullable=False),
        sa.Column("low_count", sa.Integer, nullable=False),
        sa.Column("pruned", sa.Boolean, nullable=False),
    )
    op.create_table(
        "served_subscribers",
        sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), primary_key=True),
        sa.Column("subscriber_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32)),
        sa.Column("plan", sa.String(64)),
        sa.Column("signup_date", sa.Date),
        sa.Column("tenure_days", sa.Integer),
        sa.Column("lifetime_value", sa.Float),
        sa.Column("demographic_segment", sa.String(64)),
        sa.Column("profile_as_of", sa.Date),
        sa.Column("articles_viewed", sa.Integer),
        sa.Column("total_time_spent", sa.Integer),
        sa.Column("distinct_sections", sa.Integer),
        sa.Column("days_since_last_read", sa.Integer),
        sa.Column("support_tickets_90d", sa.Integer),
        sa.Column("churn_risk_score", sa.Float),
        sa.Column("risk_tier", sa.String(8)),
        sa.Column("previous_risk_tier", sa.String(8)),
        sa.Column("score_date", sa.Date),
        sa.Column("scored_at", sa.DateTime),
        sa.Column("model_version", sa.String(64)),
        sa.Column("drivers", sa.JSON(none_as_null=True)),
        sa.Column("updated_at", sa.DateTime),
    )
    op.create_index("ix_served_subscribers_tier", "served_subscribers", ["run_seq", "risk_tier", "subscriber_id"])
    op.create_table(
        "score_history",
        sa.Column("subscriber_id", sa.String(64), primary_key=True),
        sa.Column("score_date", sa.Date, primary_key=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("churn_risk_score", sa.Float, nullable=False),
        sa.Column("risk_tier", sa.String(8), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("scored_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_score_history_date", "score_history", ["score_date"])
    op.create_table(
        "served_models",
        sa.Column("model_version", sa.String(64), primary_key=True),
        sa.Column("trained_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("data_window_start", sa.Date, nullable=False),
        sa.Column("data_window_end", sa.Date, nullable=False),
        sa.Column("features", sa.JSON, nullable=False),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("train_rows", sa.Integer, nullable=False),
        sa.Column("test_rows", sa.Integer, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_table(
        "event_inbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("move_id", sa.String(36)),
        sa.Column("moved_at", sa.DateTime),
    )
    op.create_index("ix_event_inbox_move", "event_inbox", ["moved_at", "move_id"])


def downgrade() -> None:
    for index, table in (("ix_event_inbox_move", "event_inbox"), ("ix_score_history_date", "score_history")):
        op.drop_index(index, table)
    op.drop_index("ix_served_subscribers_tier", "served_subscribers")
    for table in ("event_inbox", "api_keys", "served_models", "score_history", "served_subscribers", "served_runs"):
        op.drop_table(table)
