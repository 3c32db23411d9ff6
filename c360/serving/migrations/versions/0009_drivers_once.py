"""A score's drivers stored once: in its rendered health JSON, no longer also in a column of their own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

The drivers were about 0.8 KB of a served row's 2 KB, held twice (``drivers`` and inside ``health_json``).
Rows scored before revision 0003 have no ``health_json``; the upgrade renders theirs from their columns
first (c360.serving.rendered, the API's format), so no score loses its drivers. Alembic's offline mode
(``c360 migrate --dry-run``) cannot run that step and says so in the SQL it prints. A downgrade (a release
rolled back) puts the column back, filled from the rendered scores.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from c360.serving.rendered import HEALTH_FIELDS, health_json
from c360.text import clean_json

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CHUNK = 1_000
_rows = sa.table(
    "served_subscribers",
    sa.column("run_seq", sa.Integer),
    sa.column("subscriber_id", sa.String),
    sa.column("churn_risk_score", sa.Float),
    sa.column("risk_tier", sa.String),
    sa.column("previous_risk_tier", sa.String),
    sa.column("score_date", sa.Date),
    sa.column("scored_at", sa.DateTime),
    sa.column("model_version", sa.String),
    sa.column("drivers", sa.JSON),
    sa.column("updated_at", sa.DateTime),
    sa.column("health_json", sa.Text),
)


def upgrade() -> None:
    if context.is_offline_mode():
        op.execute(
            "-- online only: rows scored before revision 0003 get their health_json rendered (with their drivers) "
            "before the drivers column is dropped"
        )
    else:
        _render_missing(op.get_bind())
    op.drop_column("served_subscribers", "drivers")  # SQLite has ALTER TABLE ... DROP COLUMN since 3.35


def _render_missing(conn: sa.Connection) -> None:
    c = _rows.c
    missing = sa.and_(c.churn_risk_score.is_not(None), c.health_json.is_(None))
    # the drivers as their stored text, parsed here: the store's own JSON reader refuses what the text policy keeps
    # out (a lone surrogate), and an old row holding one must not stop the migration
    columns = [*(column for column in c if column.name != "drivers"), sa.cast(c.drivers, sa.Text).label("drivers")]
    while True:
        rows = conn.execute(sa.select(*columns).where(missing).limit(_CHUNK)).mappings().all()
        if not rows:
            return
        for row in rows:
            conn.execute(
                _rows.update()
                .where(c.run_seq == row["run_seq"], c.subscriber_id == row["subscriber_id"])
                .values(health_json=health_json(_as_served(row)))
            )


def _as_served(row: Any) -> dict[str, Any]:
    """The row's health fields as publish hands them to ``health_json`` (times stored naive, in UTC), under the text
    policy (c360.text): a lone surrogate or NUL in an old row's drivers becomes U+FFFD."""
    values = {name: row[name] for name in HEALTH_FIELDS}
    values["drivers"] = clean_json(json.loads(row["drivers"])) if row["drivers"] is not None else None
    for name in ("scored_at", "updated_at"):
        if isinstance(values[name], datetime) and values[name].tzinfo is None:
            values[name] = values[name].replace(tzinfo=UTC)
    return values


def downgrade() -> None:
    op.add_column("served_subscribers", sa.Column("drivers", sa.JSON(none_as_null=True)))
    if context.is_offline_mode():
        return
    conn = op.get_bind()
    c = _rows.c
    update = (
        _rows.update()
        .where(c.run_seq == sa.bindparam("seq"), c.subscriber_id == sa.bindparam("id"))
        .values(drivers=sa.bindparam("drivers", type_=sa.JSON(none_as_null=True)))
    )
    after = (-1, "")
    while True:  # a chunk at a time, in key order: a store of millions of rows is never held whole
        chunk = conn.execute(
            sa.select(c.run_seq, c.subscriber_id, c.health_json)
            .where(
                c.health_json.is_not(None),
                sa.tuple_(c.run_seq, c.subscriber_id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])),
            )
            .order_by(c.run_seq, c.subscriber_id)
            .limit(_CHUNK)
        ).all()
        if not chunk:
            return
        conn.execute(
            update, [{"seq": seq, "id": sid, "drivers": json.loads(text).get("drivers")} for seq, sid, text in chunk]
        )
        after = (chunk[-1].run_seq, chunk[-1].subscriber_id)
