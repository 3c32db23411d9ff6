"""The raw rows of the parity test: small, but with every kind of dirt the staging models clean.

Two loads, as the sources would send them. The first holds a clean majority (so the daily build's
quality checks pass and the marts get built) and the dirt; the second holds corrections, late and
duplicate events, and new subscribers. ``insert_statements`` writes a load into the RAW tables in
Snowflake's dialect, so the same text fills fakesnow and (translated) DuckDB.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pipeline_sql.emulation import quote

Row = dict[str, Any]

AS_OF = (date(2025, 3, 1), date(2025, 3, 4))  # the daily build after each load
LOADED_AT = (datetime(2025, 3, 2, 1, 0), datetime(2025, 3, 5, 2, 0))
RUN_IDS = ("parity-run-1", "parity-run-2")

PLANS = ("basic", "premium", "family")
COUNTRIES = ("us", "GB", " de ", "FR")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
CHANNELS = ("Organic", "paid_search", "referral", "social")
OFFSETS = ("Z", "+02:00", "-05:00", "+05:30", "")  # "" is a timestamp without offset: UTC, the session's zone

SUBSCRIBERS = [f"sub-{i:03d}" for i in range(1, 25)]


def _ts(day: date, hour: int, offset: str) -> str:
    return f"{day.isoformat()}T{hour:02d}:15:00{offset}"


def _event(event_id: str | None, subscriber: object, event_type: str, timestamp: str, **fields: object) -> Row:
    """A subscription event as the system sends it (a missing ``event_id`` is left out of the JSON)."""
    event: Row = {"event_id": event_id} if event_id is not None else {}
    return {**event, "subscriber_id": subscriber, "event_type": event_type, "event_timestamp": timestamp, **fields}


def _clean_events() -> list[Row]:
    """Every subscriber's signup and payments, with the lifecycle changes a few of them make."""
    events: list[Row] = []
    for i, sub in enumerate(SUBSCRIBERS):
        offset, plan = OFFSETS[i % len(OFFSETS)], PLANS[i % len(PLANS)]
        # sub-024's age band is not in DEMOGRAPHIC_SEGMENT_MAP: its segment is 'Unknown'
        age_band = "90+" if sub == "sub-024" else AGE_BANDS[i % len(AGE_BANDS)]
        events.append(
            _event(
                f"evt-{sub}-signup",
                sub,
                "signup",
                _ts(date(2025, 1, 1 + i), 9 + i % 10, offset),
                plan=plan,
                country=COUNTRIES[i % len(COUNTRIES)],
                age_band=age_band,
                acquisition_channel=CHANNELS[i % 4],
            )
        )
        for month, paid_on in ((1, date(2025, 1, 25 + i % 4)), (2, date(2025, 2, 1 + i % 27))):
            amount = round(9.99 + i % 3 * 5, 2)
            events.append(
                _event(
                    f"evt-{sub}-pay-{month}",
                    sub,
                    "payment",
                    _ts(paid_on, 12, offset),
                    plan=plan,
                    # amounts as numbers and as strings: the subscription system sends both
                    payment_amount=f"{amount:.2f}" if i % 2 else amount,
                    payment_status="failed" if i % 7 == 3 and month == 2 else "succeeded",
                    currency="usd" if i % 4 else "EUR",
                )
            )
        if i % 5 == 1:
            events.append(
                _event(f"evt-{sub}-upgrade", sub, "upgrade", _ts(date(2025, 2, 10), 8, offset), plan="premium")
            )
        if i % 6 == 4:
            events.append(_event(f"evt-{sub}-cancel", sub, "cancel", _ts(date(2025, 2, 20), 17, offset)))
    return events


def _dirty_events() -> list[Row]:
    """One of each problem the staging model must handle; all but a few end up invalid."""
    feb15 = "2025-02-15T10:00:00Z"
    return [
        # an exact duplicate (sent twice in the same load)
        _event(
            "evt-sub-001-pay-1",
            "sub-001",
            "payment",
            _ts(date(2025, 1, 25), 12, "Z"),
            plan="basic",
            payment_amount=9.99,
            payment_status="succeeded",
            currency="EUR",
        ),
        # valid after cleaning: blanks and capitals, a numeric subscriber id, JSON nulls, missing status/currency
        _event(" evt-dirty-caps ", "sub-002", " UPGRADE ", "2025-02-11T10:00:00+01:00", plan=" Family ", country=None),
        _event("evt-dirty-numeric-id", 1234567, "signup", "2025-02-12T10:00:00Z", plan=None, age_band="25-34"),
        _event("evt-dirty-defaults", "sub-003", "payment", "2025-02-14T10:00:00-08:00", payment_amount="4.50"),
        # invalid: unparseable and impossible timestamps, a future one
        _event("evt-dirty-bad-ts", "sub-004", "payment", "yesterday at noon", payment_amount=9.99),
        _event("evt-dirty-impossible-ts", "sub-005", "payment", "2025-13-45T25:00:00Z", payment_amount=9.99),
        _event("evt-dirty-future", "sub-006", "payment", "2025-03-09T00:00:00Z", payment_amount=9.99),
        _event("evt-dirty-ancient", "sub-012", "payment", "1899-12-31T23:00:00Z", payment_amount=9.99),
        # invalid: non-positive and missing payment amounts
        _event("evt-dirty-zero", "sub-007", "payment", feb15, payment_amount=0),
        _event("evt-dirty-negative", "sub-008", "payment", feb15, payment_amount="-5.00", payment_status="succeeded"),
        _event("evt-dirty-no-amount", "sub-009", "payment", feb15, payment_amount="n/a"),
        # invalid: missing identifiers, unknown event type
        _event(None, "sub-010", "payment", feb15, payment_amount=9.99),
        _event("evt-dirty-no-subscriber", "  ", "signup", feb15),
        _event("evt-dirty-refund", "sub-011", "refund", feb15, payment_amount=9.99),
        # a subscriber without a signup event: signed up at the first event, no profile
        _event(
            "evt-orphan-pay", "sub-orphan", "payment", "2025-02-20T23:30:00-03:00", plan="basic", payment_amount=12.5
        ),
    ]


def _second_load_events() -> list[Row]:
    return [
        # a correction: the same payment again with a later timestamp and another amount (it wins)
        _event(
            "evt-sub-002-pay-2",
            "sub-002",
            "payment",
            "2025-02-03T18:00:00+02:00",
            plan="premium",
            payment_amount="19.99",
            payment_status="succeeded",
        ),
        # a stale copy with an earlier timestamp (it loses)
        _event("evt-sub-003-pay-2", "sub-003", "payment", "2025-01-01T00:00:00Z", plan="family", payment_amount=99),
        # a resend with the same timestamp (the later load wins)
        _event(
            "evt-sub-004-pay-2",
            "sub-004",
            "payment",
            _ts(date(2025, 2, 4), 12, "+05:30"),
            plan="basic",
            payment_amount=10.49,
            payment_status="succeeded",
            currency="usd",
        ),
        # the invalid event of the first load, fixed by the source: it becomes valid
        _event("evt-dirty-bad-ts", "sub-004", "payment", "2025-02-27T12:00:00Z", payment_amount=9.99),
        # late lifecycle changes, and a new subscriber
        _event("evt-sub-012-cancel", "sub-012", "cancel", "2025-03-03T08:00:00+01:00"),
        _event("evt-sub-013-downgrade", "sub-013", "downgrade", "2025-02-28T23:59:59-01:00", plan="basic"),
        _event(
            "evt-sub-new-signup",
            "sub-new",
            "signup",
            "2025-03-03T09:00:00+09:00",
            plan="premium",
            age_band="18-24",
            country="jp",
            acquisition_channel="Referral",
        ),
        _event("evt-sub-new-pay-1", "sub-new", "payment", "2025-03-03T09:05:00+09:00", payment_amount=14.99),
        # a cancel dated after the second build's day: not in that build
        _event("evt-sub-014-cancel", "sub-014", "cancel", "2025-03-05T00:30:00Z"),
    ]


def dirty_subscriber_events() -> list[Row]:
    """The dirt of the first load alone: too much of it for the daily build's quality checks."""
    return [row for row in subscriber_events(0) if json.loads(row["payload"]) in _dirty_events()]


def subscriber_events(load: int) -> list[Row]:
    """RAW_SUBSCRIBER_EVENTS rows of load 0 or 1 (payloads as JSON text)."""
    payloads = _clean_events() + _dirty_events() if load == 0 else _second_load_events()
    return [
        {**_load_meta(load, n, "subscription_events.jsonl"), "payload": json.dumps(payload)}
        for n, payload in enumerate(payloads)
    ]


HUMAN_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"
SECTIONS = ("Politics", "sports", " Business ", "Culture")


def _view(
    event_id: str, subscriber: str | None, article: str, timestamp: str | None, seconds: str, **fields: object
) -> Row:
    """A content view as the CSV holds it: every field text (or empty)."""
    return {
        "event_id": event_id,
        "subscriber_id": subscriber,
        "article_id": article,
        "event_timestamp": timestamp,
        "time_spent_seconds": seconds,
        "device_type": "Tablet",
        "user_agent": HUMAN_AGENT,
        "referrer": "direct",
        "article_metadata": '{"section": "Science", "word_count": "1200"}',
        **fields,
    }


# Days with reads: from December (so the churn model's training snapshots of late January have a
# month of history and a 30-day label window before the builds) to the days before the first build.
READING_DAYS: tuple[date, ...] = (date(2024, 12, 20), date(2025, 1, 18), date(2025, 1, 25), date(2025, 1, 28))
READING_DAYS += (date(2025, 2, 26), date(2025, 2, 27), date(2025, 2, 28))


def _clean_views(days: tuple[date, ...], subscribers: list[str]) -> list[Row]:
    views = []
    for i, sub in enumerate(subscribers):
        for k, day in enumerate(days):
            metadata = {
                "section": SECTIONS[(i + k) % len(SECTIONS)],
                "word_count": 400 + 50 * k,
                "author": " A. Writer ",
            }
            views.append(
                _view(
                    f"cv-{sub}-{day:%m%d}",
                    sub,
                    f"art-{(i + k) % 9}",
                    f"{day.isoformat()}T{8 + k:02d}:{i:02d}:00{OFFSETS[(i + k) % len(OFFSETS)]}",
                    str((i * 37 + k * 53) % 900),
                    device_type=("Mobile", "desktop")[k % 2],
                    referrer=("Google", "newsletter", None)[k % 3],
                    article_metadata=json.dumps(metadata),
                )
            )
    return views


def _dirty_views() -> list[Row]:
    def dirty(event_id: str, **fields: object) -> Row:
        return {**_view(event_id, "sub-001", "art-1", "2025-03-01T10:00:00Z", "60"), **fields}

    return [
        # bots and HTTP libraries
        dirty("cv-bot-google", user_agent="Mozilla/5.0 (compatible; Googlebot/2.1)"),
        dirty("cv-bot-requests", user_agent="python-requests/2.32.3"),
        dirty("cv-bot-curl", user_agent="curl/8.7.1"),
        dirty("cv-bot-headless", user_agent="Mozilla/5.0 HeadlessChrome/126.0"),
        # no user agent at all: a human
        dirty("cv-no-agent", user_agent=None),
        # unusable timestamps: unparseable, empty, missing, in the future
        dirty("cv-bad-ts", event_timestamp="01/03/2025 10:00"),
        dirty("cv-empty-ts", event_timestamp=""),
        dirty("cv-null-ts", event_timestamp=None),
        dirty("cv-future", event_timestamp="2025-03-10T10:00:00Z"),
        # time spent that is not a count of seconds: 0, or rounded
        dirty("cv-time-text", time_spent_seconds="about a minute"),
        dirty("cv-time-negative", time_spent_seconds="-30"),
        dirty("cv-time-empty", time_spent_seconds=""),
        dirty("cv-time-fraction", time_spent_seconds="12.7"),
        dirty("cv-time-long", time_spent_seconds="5400"),
        # metadata: invalid JSON, no section, numbers as text, empty strings
        dirty("cv-meta-invalid", article_metadata="{section: News"),
        dirty("cv-meta-empty", article_metadata="{}"),
        dirty("cv-meta-null", article_metadata=None),
        dirty("cv-meta-blank-section", article_metadata='{"section": "  ", "word_count": "many"}'),
        # missing identifiers
        dirty("  ", subscriber_id="sub-002"),
        dirty("cv-no-subscriber", subscriber_id=None),
        # the same view twice in one load: the later row wins
        dirty("cv-dup", time_spent_seconds="10"),
        dirty("cv-dup", time_spent_seconds="20", device_type=" MOBILE "),
        # lower-case article id, and an offset that moves the view to the next day in UTC
        dirty("cv-late-evening", article_id=" art-x ", event_timestamp="2025-02-28T22:30:00-05:00"),
    ]


def content_rows(load: int) -> list[Row]:
    """RAW_CONTENT_ENGAGEMENT rows of load 0 or 1 (every column as the text the CSV held)."""
    if load == 0:
        rows = _clean_views(READING_DAYS, SUBSCRIBERS[:16]) + _dirty_views()
    else:
        first = _clean_views(READING_DAYS, SUBSCRIBERS[:1])[0]
        rows = [
            # reads on the second build's day, for the subscribers scored that day
            *_clean_views((date(2025, 3, 4),), SUBSCRIBERS[:6]),
            # a view the first load already brought: staging keeps the first one
            {**first, "time_spent_seconds": "999"},
            {**first, "event_id": "cv-second-load-1", "event_timestamp": "2025-03-03T07:45:00+01:00"},
            _view(
                "cv-second-load-2",
                "sub-new",
                "ART-9",
                "2025-03-04T21:10:00-04:00",
                "600",
                article_metadata='{"section": "World", "word_count": 2200, "author": ""}',
            ),
        ]
    return [
        {**_load_meta(load, n, "content_engagement.csv"), **row, "extra_fields": None} for n, row in enumerate(rows)
    ]


def support_tickets() -> list[Row]:
    """RAW_SUPPORT_INTERACTIONS rows (already typed: the loader validates Parquet)."""
    rows = []
    tickets = [
        ("sub-001", date(2025, 1, 20), True, "email", "billing", "high", 2, "resolved"),
        ("sub-001", date(2025, 2, 25), False, "chat", "billing", "urgent", None, "open"),
        ("sub-005", date(2025, 2, 2), True, "phone", "technical", "low", 5, "resolved"),
        ("sub-012", date(2025, 2, 27), True, "chat", "cancellation", "medium", 1, "closed"),
        ("sub-orphan", date(2025, 2, 21), False, "email", "account", "low", None, "pending"),
    ]
    for n, (sub, day, resolved, channel, category, priority, score, status) in enumerate(tickets):
        opened = datetime(day.year, day.month, day.day, 9, 30)
        rows.append(
            {
                **_load_meta(0, n, "support_tickets.parquet"),
                "ticket_id": f"tkt-{n:03d}",
                "subscriber_id": sub,
                "created_at": opened,
                "resolved_at": opened.replace(hour=16) if resolved else None,
                "channel": channel,
                "category": category,
                "priority": priority,
                "satisfaction_score": score,
                "status": status,
                "extra_fields": json.dumps({"agent": f"agent-{n % 2}"}),
            }
        )
    return rows


def health_scores() -> list[Row]:
    """FCT_CUSTOMER_HEALTH_SCORES rows as a scoring run would write them (for the views over them)."""
    scores = [("sub-001", 0.42, "High"), ("sub-002", 0.12, "Medium"), ("sub-003", 0.05, "Low")]
    scores += [("sub-004", 0.42, "High"), ("sub-orphan", 0.31, "High")]  # a tie in the leaderboard's rank
    rows = [
        {
            "subscriber_id": sub,
            "score_date": date(2025, 3, 1),
            "churn_risk_score": score,
            "risk_tier": tier,
            "model_version": "parity-model",
            "scored_at": datetime(2025, 3, 2, 4, 0),
            "drivers": json.dumps({"days_since_last_read": 0.1}),
            "run_id": "parity-score-run",
        }
        for sub, score, tier in scores
    ]
    rows.append({**rows[1], "score_date": date(2025, 2, 22), "churn_risk_score": 0.9, "risk_tier": "High"})
    # a score date whose 30-day window has closed by the builds (2025-01-26 .. 2025-02-24 holds the 20 February
    # cancels): outcome monitoring measures it; two subscribers share a score (a tie in the AUC's ranks)
    for i, sub in enumerate(SUBSCRIBERS):
        score = 0.35 if i in (3, 9) else round(0.02 + (i * 7 % 24) / 48, 4)
        tier = "High" if score >= 0.3 else "Medium" if score >= 0.1 else "Low"
        rows.append(
            {
                **rows[0],
                "subscriber_id": sub,
                "score_date": date(2025, 1, 25),
                "churn_risk_score": score,
                "risk_tier": tier,
            }
        )
    return rows


def _load_meta(load: int, n: int, source_file: str) -> Row:
    return {
        "load_seq": (load + 1) * 1000 + n,
        "load_id": f"parity-load-{load}",
        "source_file": source_file,
        "source_row": n + 1,
        "loaded_at": LOADED_AT[load],
    }


RAW_TABLES = {
    "SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS": subscriber_events,
    "SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT": content_rows,
}
VARIANT_COLUMNS = frozenset({"payload", "extra_fields", "drivers"})


def insert_statements(load: int) -> Iterator[str]:
    """The Snowflake-dialect INSERTs of one load (and, with the first, the tickets and scores)."""
    for table, rows in RAW_TABLES.items():
        yield insert_sql(table, rows(load))
    if load == 0:
        yield insert_sql("SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS", support_tickets())
        yield insert_sql("SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES", health_scores())


def insert_sql(table: str, rows: list[Row]) -> str:
    """``INSERT … SELECT`` of literal rows; VARIANT columns through PARSE_JSON, as COPY INTO would load them."""
    columns = list(rows[0])
    selects = ["SELECT " + ", ".join(f"{_literal(row[c])} AS {c}" for c in columns) for row in rows]
    outer = ", ".join(f"PARSE_JSON(r.{c})" if c in VARIANT_COLUMNS else f"r.{c}" for c in columns)
    union = "\n    UNION ALL ".join(selects)
    return f"INSERT INTO {table} ({', '.join(columns)})\nSELECT {outer}\nFROM (\n    {union}\n) AS r"


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return f"'{value.isoformat(sep=' ')}'::TIMESTAMP_NTZ"
    if isinstance(value, date):
        return f"'{value.isoformat()}'::DATE"
    return quote(str(value))
