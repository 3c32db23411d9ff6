"""Hardening: each webhook endpoint belongs to the API key that created it.

``owner_key_id`` is the key_id of the creating key; a key without ``admin`` sees and manages only its
own endpoints. Endpoints created before this revision have none and are managed by ``admin`` keys.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.add_column(sa.Column("owner_key_id", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.drop_column("owner_key_id")
