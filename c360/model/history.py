"""How much history training needs, checked before any work, and the training window as of a day.

The constants mirror SFE_BUILD_TRAINING_SET and the split of churn_snapshots.sql: weekly snapshots from
``as_of - 35`` (the latest whose 30-day label window has closed) back to 89 days into the engagement
data (every 90-day feature sees its whole window, as at scoring) when that leaves 6 snapshots, else to
29 days (full 30-day windows); at most 26. The latest ~20 % of the dates are the test set and the 4
weekly snapshots before it are purged (their label windows reach into the test snapshot's). Training
therefore needs at least 6 labelled weekly snapshots: 100 days of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from c360.model.errors import InsufficientHistory
from c360.warehouse import WarehouseConnection

LABEL_DAYS = 30
SNAPSHOT_EVERY_DAYS = 7
LATEST_SNAPSHOT_DAYS = 35  # as_of - 35: the latest weekly snapshot whose label window has closed
FIRST_SNAPSHOT_DAYS = 29  # snapshots start 29 days into the data at the earliest: a full 30-day window
FULL_WINDOW_DAYS = 89  # ... and 89 days in (full 90-day windows) when that leaves MIN_SNAPSHOTS
MAX_SNAPSHOTS = 26
PURGED_SNAPSHOTS = (LABEL_DAYS - 1) // SNAPSHOT_EVERY_DAYS  # weekly snapshots whose labels overlap the test's
MIN_SNAPSHOTS = PURGED_SNAPSHOTS + 2  # one to train on, the purged ones, one to test on
MIN_DAYS = FIRST_SNAPSHOT_DAYS + (MIN_SNAPSHOTS - 1) * SNAPSHOT_EVERY_DAYS + LATEST_SNAPSHOT_DAYS + 1


@dataclass(frozen=True)
class TrainingWindow:
    """The weekly snapshot grid a training run as of ``as_of`` uses."""

    as_of: date
    first_snapshot: date
    last_snapshot: date

    @property
    def snapshots(self) -> int:
        """Weekly snapshot dates in the window."""
        if self.first_snapshot > self.last_snapshot:
            return 0
        return (self.last_snapshot - self.first_snapshot).days // SNAPSHOT_EVERY_DAYS + 1


def loaded_range(conn: WarehouseConnection) -> tuple[date, date] | None:
    """The first and last day of engagement data in the warehouse, if any."""
    rows = conn.query(
        "SELECT MIN(activity_date) AS first_day, MAX(activity_date) AS last_day "
        "FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY"
    )
    first, last = rows[0]["first_day"], rows[0]["last_day"]
    return (first, last) if isinstance(first, date) and isinstance(last, date) else None


def training_window(first_day: date, as_of: date) -> TrainingWindow:
    """The snapshot grid SFE_BUILD_TRAINING_SET builds as of ``as_of`` from data starting ``first_day``."""
    last = as_of - timedelta(days=LATEST_SNAPSHOT_DAYS)
    full = (last - first_day).days >= FULL_WINDOW_DAYS + (MIN_SNAPSHOTS - 1) * SNAPSHOT_EVERY_DAYS
    earliest = max(
        first_day + timedelta(days=FULL_WINDOW_DAYS if full else FIRST_SNAPSHOT_DAYS),
        last - timedelta(days=SNAPSHOT_EVERY_DAYS * (MAX_SNAPSHOTS - 1)),
    )
    # the grid counts back from the last snapshot: the first date is the earliest grid day on or after it
    offset = (last - earliest).days % SNAPSHOT_EVERY_DAYS if earliest <= last else 0
    return TrainingWindow(as_of, earliest + timedelta(days=offset), last)


def require_history(conn: WarehouseConnection, as_of: date) -> TrainingWindow:
    """The training window as of ``as_of``, or InsufficientHistory naming the loaded range and the need."""
    loaded = loaded_range(conn)
    if loaded is None:
        raise InsufficientHistory(
            "the warehouse holds no engagement data; load sources and run `c360 pipeline run` before training"
        )
    first, last = loaded
    window = training_window(first, as_of)
    if window.snapshots >= MIN_SNAPSHOTS:
        return window
    needed_from = as_of - timedelta(days=MIN_DAYS - 1)
    raise InsufficientHistory(
        f"training as of {as_of} needs {MIN_SNAPSHOTS} labelled weekly snapshots (one to train on, "
        f"{PURGED_SNAPSHOTS} purged, one to test on), i.e. {MIN_DAYS} days of data from {needed_from}; the "
        f"warehouse holds {(last - first).days + 1} days, {first} to {last}, which gives {window.snapshots}: "
        f"load more history (`c360 generate --days 184`) or train as of a later day"
    )
