"""A ``snowflake://`` warehouse on fakesnow (Snowflake's dialect emulated on an in-memory DuckDB)."""

from __future__ import annotations

from collections.abc import Iterator

import fakesnow
import pytest

from c360.settings import Settings
from c360.warehouse import Warehouse

SNOWFLAKE_URL = "snowflake://u:p@acct/db/public"


@pytest.fixture
def fakesnow_warehouse(settings: Settings) -> Iterator[Warehouse]:
    """A Snowflake warehouse (``c360.warehouse.Warehouse``, target snowflake) that fakesnow answers."""
    with fakesnow.patch():
        yield Warehouse(url=SNOWFLAKE_URL, settings=settings)
