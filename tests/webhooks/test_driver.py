"""The engine's driver SQL binds timestamps exactly as SQLAlchemy binds a ``UTCDateTime`` column."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from c360.serving.store import UTCDateTime
from c360.webhooks import driver

MOMENTS = [
    datetime(2025, 11, 21, 4, 30, 2, 117000, tzinfo=UTC),
    datetime(2025, 1, 1, tzinfo=UTC),  # no microseconds: still written with them, as SQLAlchemy does
    datetime(2025, 3, 30, 1, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),  # another offset
    datetime(999, 12, 31, 23, 0, 0, 1, tzinfo=timezone(timedelta(hours=2))),
]


DIALECTS = [sqlite.dialect(), postgresql.psycopg.dialect()]  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
def test_timestamps_are_bound_as_sqlalchemy_binds_them(dialect: Dialect) -> None:
    sqlalchemy_binds = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert sqlalchemy_binds is not None
    stamp = driver.stamper(dialect)
    assert [stamp(moment) for moment in MOMENTS] == [sqlalchemy_binds(moment) for moment in MOMENTS]
