"""Which days can be built, scored, trained on, backtested or published: checked before anything is written.

A day is checked against what the warehouse holds: the days with content views in STG_CONTENT_ENGAGEMENT
(the daily activity every build, feature and score reads) and, for publishing, the days
FCT_CUSTOMER_HEALTH_SCORES has scored. A day outside them is refused with ``DateOutOfRange`` (exit 2),
a message that names the loaded range and what to do, and no table touched. The daily build's procedure
repeats the first check in SQL (``as_of_out_of_range``), so Snowflake's scheduled tasks are guarded too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from c360.errors import DateOutOfRange
from c360.warehouse import WarehouseConnection

Purpose = Literal["build", "score", "train", "backtest"]

# Days of loaded history a purpose needs before its day (see churn_snapshots.sql): scoring reads a 30-day
# engagement window ending on the day; training needs two weekly snapshots (train and test), the latest
# 35 days before the day (its 30-day label window must have passed) and the earliest 29 days after the
# first loaded day (a full window behind it).
MIN_HISTORY_DAYS: dict[Purpose, int] = {"build": 0, "score": 29, "train": 29 + 7 + 35, "backtest": 29}
LABEL_WINDOW_DAYS = 30  # a backtest compares with the cancellations of the 30 days after its day

_LOADED = """
SELECT MIN(event_date) AS first_day, MAX(event_date) AS last_day
FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
"""
_VIEWS_ON = "SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_date = :day"
_SCORED = """
SELECT MIN(score_date) AS first_day, MAX(score_date) AS last_day, COUNT(DISTINCT score_date) AS days
FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
"""


def default_as_of() -> date:
    """Yesterday (UTC): the last complete day, what the scheduled tasks build."""
    return datetime.now(UTC).date() - timedelta(days=1)


@dataclass(frozen=True)
class LoadedDays:
    """The first and last day with loaded content views (None: nothing loaded)."""

    first: date | None
    last: date | None

    def describe(self) -> str:
        """``loaded: 2026-09-05 .. 2026-12-03`` or ``nothing is loaded``."""
        return f"loaded: {self.first} .. {self.last}" if self.first else "nothing is loaded"


def loaded_days(conn: WarehouseConnection) -> LoadedDays:
    """What STG_CONTENT_ENGAGEMENT holds."""
    row = conn.query(_LOADED)[0]
    return LoadedDays(row["first_day"], row["last_day"])


def today() -> date:
    """Today in UTC, the calendar every date of the pipeline is in."""
    return datetime.now(UTC).date()


def check_day(conn: WarehouseConnection, day: date, purpose: Purpose, *, option: str = "--as-of") -> LoadedDays:
    """``DateOutOfRange`` unless ``day`` can be used for ``purpose`` with what is loaded; returns the range."""
    loaded = loaded_days(conn)
    if day > today():
        raise DateOutOfRange(f"{option} {day} is in the future (today is {today()} UTC); {loaded.describe()}")
    if loaded.first is None or loaded.last is None:
        raise DateOutOfRange(
            f"{option} {day}: nothing is loaded yet; load the sources with `c360 ingest` "
            "and run `c360 pipeline run` (its staging steps move them in)"
        )
    if day > loaded.last:
        raise DateOutOfRange(
            f"{option} {day} is after the last day with loaded data, {loaded.last} ({loaded.describe()}); "
            f"load newer sources with `c360 ingest`, or choose a day up to {loaded.last}"
        )
    earliest = loaded.first + timedelta(days=MIN_HISTORY_DAYS[purpose])
    if day < earliest:
        days = MIN_HISTORY_DAYS[purpose]
        need = f", the first day with the {days} days of history a {purpose} needs" if days else ""
        choose = (
            f"choose a day from {earliest} to {loaded.last}"
            if earliest <= loaded.last
            else f"no loaded day has that much history yet: load {(earliest - loaded.last).days} more day(s), or "
            "older sources, with `c360 ingest`"
        )  # a range that ends before it starts would name no day at all
        raise DateOutOfRange(f"{option} {day} is before {earliest}{need} ({loaded.describe()}); {choose}")
    if purpose == "backtest" and day + timedelta(days=LABEL_WINDOW_DAYS) > loaded.last:
        latest = loaded.last - timedelta(days=LABEL_WINDOW_DAYS)
        raise DateOutOfRange(
            f"{option} {day}: the {LABEL_WINDOW_DAYS} days after it are not all loaded ({loaded.describe()}), "
            f"so its outcomes are unknown; choose a day up to {latest}"
        )
    if purpose in ("score", "train", "backtest") and not int(conn.scalar(_VIEWS_ON, {"day": day}) or 0):
        raise DateOutOfRange(
            f"{option} {day} has no content views loaded ({loaded.describe()}): a day's snapshot needs its views; "
            "load that day's content file with `c360 ingest`"
        )
    return loaded


def check_scored_day(conn: WarehouseConnection, day: date, *, option: str = "--score-date") -> None:
    """``DateOutOfRange`` unless FCT_CUSTOMER_HEALTH_SCORES holds a run of ``day``."""
    if conn.scalar(
        "SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = :day", {"day": day}
    ):
        return
    row = conn.query(_SCORED)[0]
    scored = (
        f"scored days: {row['first_day']} .. {row['last_day']} ({row['days']} days)"
        if row["days"]
        else "no day has been scored yet"
    )
    raise DateOutOfRange(
        f"{option} {day}: no scoring run of that day in FCT_CUSTOMER_HEALTH_SCORES ({scored}); "
        f"score it first with `c360 score --as-of {day}`"
    )
