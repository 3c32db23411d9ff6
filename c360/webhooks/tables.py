"""The webhook tables of the serving store: endpoints, the outbox's messages, and delivery attempts.

They share the store's MetaData (one database, one schema history: ``c360/serving/migrations``).
"""

from __future__ import annotations

import sqlalchemy as sa

from c360.serving.store import UTCDateTime, metadata

# Subscriptions of marketing tools; secrets are Fernet tokens (c360.webhooks.cipher), never clear text.
webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("event_types", sa.String(500), nullable=False),  # comma-separated
    sa.Column("description", sa.String(500), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("disabled_reason", sa.String(500)),
    sa.Column("secret", sa.String(500), nullable=False),
    sa.Column("previous_secret", sa.String(500)),  # still signs beside the new one until it expires
    sa.Column("previous_secret_expires_at", UTCDateTime),
    sa.Column("failing_since", UTCDateTime),  # first failure since the last success
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("owner_key_id", sa.String(16)),  # the key that created it; NULL (older endpoints): admin keys only
)

# The outbox: one message per event and endpoint, written in the publish transaction. A pending message
# is due at next_attempt_at; claiming it moves next_attempt_at to the end of the lease, so a message whose
# worker died is due again when the lease runs out.
webhook_messages = sa.Table(
    "webhook_messages",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(40), nullable=False, unique=True),  # the webhook-id header, the same on every try
    sa.Column("endpoint_id", sa.String(32), sa.ForeignKey("webhook_endpoints.id"), nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("run_seq", sa.Integer),  # NULL for webhook.test
    sa.Column("subscriber_id", sa.String(64)),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("step", sa.Integer, nullable=False),  # attempts since last queued: the retry schedule's position
    sa.Column("next_attempt_at", UTCDateTime),
    sa.Column("lease_id", sa.String(32)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_attempt_at", UTCDateTime),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("delivered_at", UTCDateTime),
    sa.UniqueConstraint("run_seq", "subscriber_id", "endpoint_id", "event_type", name="uq_webhook_messages_event"),
    sa.Index("ix_webhook_messages_due", "endpoint_id", "status", "next_attempt_at"),
    sa.Index("ix_webhook_messages_list", "endpoint_id", "seq"),
    sa.Index("ix_webhook_messages_created", "created_at"),
)

# Every delivery attempt: when, status code, latency, the first 2 KB of the response or the error.
webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("message_id", sa.String(40), sa.ForeignKey("webhook_messages.id"), nullable=False),
    sa.Column("endpoint_id", sa.String(32), nullable=False),
    sa.Column("attempted_at", UTCDateTime, nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("response", sa.Text),
    sa.Column("error", sa.String(500)),
    sa.Index("ix_webhook_attempts_message", "message_id", "attempted_at"),
    sa.Index("ix_webhook_attempts_endpoint", "endpoint_id"),
)
