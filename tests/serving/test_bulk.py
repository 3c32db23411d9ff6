"""c360.serving.bulk: rows written by COPY (PostgreSQL) or executemany (SQLite) read back as an INSERT's do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from c360.serving import bulk
from c360.serving.activity import served_activity
from c360.serving.store import Store, score_history, served_removals, served_runs, served_subscribers
from c360.settings import Settings

HOSTILE = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn\r\n",
    "back\\slash \\N \\t \\\\",
    "\\N",  # COPY's own NULL marker, as text
    "",
    "quotes ' \" and , ; |",
    "unicode: éà ß 東京 🙂 مرحبا e\u0301",
    "  spaces kept  ",
]
EAST = timezone(timedelta(hours=5, minutes=30))


def _run(conn: sa.Connection, run_id: str) -> int:
    now = datetime.now(UTC)
    key = conn.execute(
        served_runs.insert().values(
            run_id=run_id, score_date=date(2026, 1, 2), model_version="m", scored_at=now, published_at=now,
            subscribers=0, tier_high=0.3, tier_medium=0.1, high_count=0, medium_count=0, low_count=0, pruned=False,
        )
    ).inserted_primary_key  # fmt: skip
    assert key is not None
    return int(key[0])


def _subscribers(seq: int) -> list[dict[str, Any]]:
    rows = []
    for i, text in enumerate(HOSTILE):
        rows.append({
            "run_seq": seq, "subscriber_id": f"s\t{i}\n{text}", "status": text, "plan": None if i % 3 else text,
            "signup_date": date(2020, 2, 29) if i % 2 else None, "tenure_days": i, "lifetime_value": 1.0 / (i + 3),
            "demographic_segment": text, "profile_as_of": date(2026, 1, 2),
            "cancelled_at": datetime(2026, 1, 1, 23, 30, tzinfo=EAST) if i % 2 else None,
            "articles_viewed": None, "total_time_spent": 2**31 - 1, "distinct_sections": 0, "days_since_last_read": -1,
            "support_tickets_90d": None, "churn_risk_score": None if i == 2 else 0.1 * i, "risk_tier": "High",
            "previous_risk_tier": None, "score_date": date(2026, 1, 2),
            "scored_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), "model_version": text[:64],
            "updated_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=EAST),
            "health_json": None if i == 1 else f'{{"text": "{text!r}"}}',
        })  # fmt: skip
    return rows


def _read(conn: sa.Connection, seq: int) -> list[dict[str, Any]]:
    query = sa.select(served_subscribers).where(served_subscribers.c.run_seq == seq)
    found = [dict(row._mapping) | {"run_seq": None} for row in conn.execute(query)]
    return sorted(found, key=lambda row: row["subscriber_id"])


def test_bulk_rows_read_back_as_an_inserts_do(serving: Settings) -> None:
    store = Store.from_settings(serving)
    with store.write() as conn:
        by_insert, by_bulk = _run(conn, "by-insert"), _run(conn, "by-bulk")
        conn.execute(served_subscribers.insert(), _subscribers(by_insert))
        written = bulk.insert_rows(conn, served_subscribers, (row for row in _subscribers(by_bulk)))
    assert written == len(HOSTILE)
    with store.read() as conn:
        inserted, bulked = _read(conn, by_insert), _read(conn, by_bulk)
    assert bulked == inserted
    assert [row["status"] for row in bulked] == [r["status"] for r in sorted(_subscribers(0), key=_by_id)]
    first = next(row for row in bulked if row["subscriber_id"].startswith("s\t1\n"))
    assert first["cancelled_at"] == datetime(2026, 1, 1, 18, 0, tzinfo=UTC)  # stored as UTC
    assert first["health_json"] is None
    assert first["plan"] is None and first["articles_viewed"] is None


def _by_id(row: dict[str, Any]) -> str:
    return str(row["subscriber_id"])


def test_json_columns_keep_json_null_where_the_column_says_so(serving: Settings) -> None:
    store = Store.from_settings(serving)
    removal = {"reason": "cancelled", "last": {"text": HOSTILE[3], "score": None}}
    with store.write() as conn:
        seq = _run(conn, "run")
        bulk.insert_rows(conn, served_removals, [{"subscriber_id": "a", "version": 1, "removal": None}])
        bulk.insert_rows(conn, served_removals, [{"subscriber_id": "b", "version": 1, "removal": removal}])
        bulk.insert_rows(
            conn,
            served_activity,
            [{"run_seq": seq, "subscriber_id": "a", "engagement": [["2026-01-01", 1, 2, 3]], "tickets": []}],
        )
    with store.read() as conn:
        found = dict(conn.execute(sa.select(served_removals.c.subscriber_id, served_removals.c.removal)).tuples().all())
        activity = conn.execute(sa.select(served_activity.c.engagement, served_activity.c.tickets)).one()
    assert found == {"a": None, "b": removal}  # a NOT NULL JSON column: None is stored as JSON null
    assert tuple(activity) == ([["2026-01-01", 1, 2, 3]], [])


def test_rows_go_with_the_transaction_that_wrote_them(serving: Settings) -> None:
    store = Store.from_settings(serving)
    with pytest.raises(RuntimeError), store.write() as conn:
        bulk.insert_rows(conn, score_history, _history(3))
        raise RuntimeError("the publish fails after the rows were written")
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(score_history)).scalar_one() == 0


def test_a_duplicate_key_fails_as_an_insert_would(serving: Settings) -> None:
    store = Store.from_settings(serving)
    with pytest.raises(sa.exc.IntegrityError), store.write() as conn:
        bulk.insert_rows(conn, score_history, _history(2) + _history(1))
    with store.write() as conn:  # the store is usable afterwards, and nothing of the failed write is there
        assert bulk.insert_rows(conn, score_history, iter(_history(2))) == 2
        assert bulk.insert_rows(conn, score_history, []) == 0
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(score_history)).scalar_one() == 2


def test_rows_with_other_keys_than_the_first_are_refused(serving: Settings) -> None:
    store = Store.from_settings(serving)
    rows = _history(2)
    rows[1]["extra"] = 1
    with pytest.raises(ValueError, match="keys of the first row"), store.write() as conn:
        bulk.insert_rows(conn, score_history, rows)


def test_a_row_with_a_key_swapped_for_another_fails_and_writes_nothing(serving: Settings) -> None:
    store = Store.from_settings(serving)
    rows = _history(2)
    rows[1]["other"] = rows[1].pop("run_id")  # as many keys as the first row, one of them not its
    with pytest.raises((KeyError, sa.exc.StatementError)), store.write() as conn:
        bulk.insert_rows(conn, score_history, rows)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(score_history)).scalar_one() == 0


def _history(n: int) -> list[dict[str, Any]]:
    return [
        {
            "subscriber_id": f"sub-{i}",
            "score_date": date(2026, 1, 2),
            "run_id": "r",
            "churn_risk_score": 0.5,
            "risk_tier": "High",
            "model_version": "m",
            "scored_at": datetime(2026, 1, 2, tzinfo=UTC),
        }
        for i in range(n)
    ]


def test_values_of_a_looser_type_are_stored_as_an_insert_stores_them(serving: Settings) -> None:
    # PostgreSQL's COPY is binary for these tables: a Decimal or an int for a float, a datetime for a date and an
    # int for a text column must still land as an INSERT lands them (and as a text COPY did)
    store = Store.from_settings(serving)
    loose = {
        "subscriber_id": 7, "score_date": datetime(2026, 1, 2, 0, 0), "run_id": "r",
        "churn_risk_score": Decimal("0.25"), "risk_tier": "High", "model_version": 3,
        "scored_at": datetime(2026, 1, 2, tzinfo=UTC),
    }  # fmt: skip
    with store.write() as conn:
        conn.execute(score_history.insert(), [loose | {"run_id": "by-insert"}])
        bulk.insert_rows(
            conn, score_history, [loose | {"subscriber_id": 8, "run_id": "by-bulk", "churn_risk_score": 1}]
        )
    with store.read() as conn:
        rows = {r.run_id: r._asdict() for r in conn.execute(sa.select(score_history))}
    assert rows["by-bulk"] == rows["by-insert"] | {"subscriber_id": "8", "run_id": "by-bulk", "churn_risk_score": 1.0}
    assert rows["by-insert"]["subscriber_id"] == "7" and rows["by-insert"]["score_date"] == date(2026, 1, 2)
    assert rows["by-insert"]["churn_risk_score"] == 0.25


def test_a_table_with_types_outside_the_stores_is_written_too(serving: Settings) -> None:
    # a zone-aware timestamp and numeric: outside the types bulk copies in binary, so a text COPY on PostgreSQL
    store = Store.from_settings(serving)
    probe = sa.Table(
        "bulk_probe",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True)),  # timestamptz on PostgreSQL
        sa.Column("amount", sa.Numeric(10, 2)),
        sa.Column("label", sa.String(20)),
    )
    rows: list[dict[str, Any]] = [
        {"id": 1, "at": datetime(2026, 1, 2, 3, 4, tzinfo=EAST), "amount": Decimal("12.34"), "label": HOSTILE[3]},
        {"id": 2, "at": None, "amount": None, "label": None},
    ]
    with store.write() as conn:
        probe.create(conn)
        assert bulk.insert_rows(conn, probe, rows) == 2
    with store.read() as conn:
        found = [r._asdict() for r in conn.execute(sa.select(probe).order_by(probe.c.id))]
    assert [r["amount"] for r in found] == [Decimal("12.34"), None]
    assert [r["label"] for r in found] == [HOSTILE[3], None]
    assert found[0]["at"] is not None and found[0]["at"].replace(tzinfo=found[0]["at"].tzinfo or EAST) == rows[0]["at"]
