"""Webhooks: endpoints (subscriptions), the outbox of messages, and every delivery attempt.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("event_types", sa.String(500), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.String(500)),
        sa.Column("secret", sa.String(500), nullable=False),
        sa.Column("previous_secret", sa.String(500)),
        sa.Column("previous_secret_expires_at", sa.DateTime),
        sa.Column("failing_since", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "webhook_messages",
        sa.Column("seq", _BIGINT, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(40), nullable=False, unique=True),
        sa.Column("endpoint_id", sa.String(32), sa.ForeignKey("webhook_endpoints.id"), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("run_seq", sa.Integer),
        sa.Column("subscriber_id", sa.String(64)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime),
        sa.Column("lease_id", sa.String(32)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_attempt_at", sa.DateTime),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("delivered_at", sa.DateTime),
        sa.UniqueConstraint("run_seq", "subscriber_id", "endpoint_id", "event_type", name="uq_webhook_messages_event"),
    )
    op.create_index("ix_webhook_messages_due", "webhook_messages", ["endpoint_id", "status", "next_attempt_at"])
    op.create_index("ix_webhook_messages_list", "webhook_messages", ["endpoint_id", "seq"])
    op.create_index("ix_webhook_messages_created", "webhook_messages", ["created_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("message_id", sa.String(40), sa.ForeignKey("webhook_messages.id"), nullable=False),
        sa.Column("endpoint_id", sa.String(32), nullable=False),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("response", sa.Text),
        sa.Column("error", sa.String(500)),
    )
    op.create_index("ix_webhook_attempts_message", "webhook_attempts", ["message_id", "attempted_at"])
    op.create_index("ix_webhook_attempts_endpoint", "webhook_attempts", ["endpoint_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_attempts_endpoint", "webhook_attempts")
    op.drop_index("ix_webhook_attempts_message", "webhook_attempts")
    op.drop_table("webhook_attempts")
    for index in ("ix_webhook_messages_created", "ix_webhook_messages_list", "ix_webhook_messages_due"):
        op.drop_index(index, "webhook_messages")
    op.drop_table("webhook_messages")
    op.drop_table("webhook_endpoints")
