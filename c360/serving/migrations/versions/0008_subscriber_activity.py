"""Each served subscriber's 90 days of reading and latest support tickets, per served run (c360.serving.activity).

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "served_activity",
        sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), primary_key=True),
        sa.Column("subscriber_id", sa.String(64), primary_key=True),
        sa.Column("engagement", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("tickets", sa.JSON(none_as_null=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("served_activity")
