"""The served state over time: versions, the change feed, tombstones, backfills, cancelled_at; the model lifecycle.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

A store migrated with runs already published starts at version 1 serving its newest run; sync tokens
exist only from then on (the feed floor).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("served_runs", sa.Column("kind", sa.String(16), nullable=False, server_default="publish"))
    op.add_column("served_subscribers", sa.Column("cancelled_at", sa.DateTime))
    op.add_column("served_subscribers", sa.Column("health_json", sa.Text))
    op.create_table(
        "serving_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("store_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq")),
        sa.Column("feed_floor", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "serving_versions",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("previous_version", sa.Integer),
        sa.Column("reason", sa.String(500)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "served_changes",
        sa.Column("subscriber_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("churn_risk_score", sa.Float),
        sa.Column("risk_tier", sa.String(8)),
        sa.Column("model_version", sa.String(64)),
        sa.Column("prev_state", sa.String(8), nullable=False),
        sa.Column("prev_score", sa.Float),
        sa.Column("prev_tier", sa.String(8)),
        sa.Column("prev_model", sa.String(64)),
        sa.Column("removal", sa.JSON(none_as_null=True)),
    )
    op.create_index("ix_served_changes_version", "served_changes", ["version", "subscriber_id"])
    op.create_table(
        "served_removals",
        sa.Column("subscriber_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removal", sa.JSON, nullable=False),
    )
    op.create_table(
        "served_model_lifecycle",
        sa.Column("model_version", sa.String(64), primary_key=True),
        sa.Column("trained_at", sa.DateTime, nullable=False),
        sa.Column("model", sa.JSON, nullable=False),
        sa.Column("performance", sa.JSON, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
    )
    _initial_state()


def _initial_state() -> None:
    # plain SQL with literals, so `c360 migrate --dry-run` (Alembic's offline mode) prints it too
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    op.execute(
        "INSERT INTO serving_versions (version, run_seq, kind, previous_version, reason, created_at) "
        "SELECT 1, MAX(seq), 'publish', NULL, 'served when the store was migrated to revision 0003', "
        f"'{now}' FROM served_runs HAVING MAX(seq) IS NOT NULL"
    )
    op.execute(
        "INSERT INTO serving_state (id, store_id, version, run_seq, feed_floor, updated_at) "
        f"SELECT 1, '{uuid.uuid4().hex}', CASE WHEN MAX(seq) IS NULL THEN 0 ELSE 1 END, MAX(seq), "
        f"CASE WHEN MAX(seq) IS NULL THEN 0 ELSE 1 END, '{now}' FROM served_runs"
    )


def downgrade() -> None:
    op.drop_index("ix_served_changes_version", "served_changes")
    for table in ("served_model_lifecycle", "served_removals", "served_changes", "serving_versions", "serving_state"):
        op.drop_table(table)
    with op.batch_alter_table("served_subscribers") as batch:
        batch.drop_column("health_json")
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("served_runs") as batch:
        batch.drop_column("kind")
