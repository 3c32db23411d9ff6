"""What the migration module needs of a warehouse: the caller opens it and passes it in.

``c360.warehouse`` provides both (``Warehouse`` and its connections); any object of this shape will do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Target = Literal["duckdb", "snowflake"]
Params = Mapping[str, Any]


class Connection(Protocol):
    """An open connection: Snowflake-dialect SQL in (translated on DuckDB), rows out."""

    @property
    def target(self) -> Target: ...

    def execute(self, sql: str, params: Params | None = None) -> None: ...

    def query(self, sql: str, params: Params | None = None) -> list[dict[str, Any]]: ...

    def scalar(self, sql: str, params: Params | None = None) -> Any: ...

    def run_native(self, sql: str, params: Params | Sequence[Any] | None = None) -> Any: ...


@dataclass(frozen=True)
class TaskParameters:
    """The values the migration templates write into Snowflake's tasks (fixed when the tasks are created)."""

    task_warehouse: str
    risk_tier_high: float
    risk_tier_medium: float
    model_min_test_auc: float
    model_psi_alert: float
    model_max_calibration_error: float
    model_gate_bootstrap: int


class Database(Protocol):
    """A warehouse to migrate: its dialect, a name for messages, a way to open it, its task parameters."""

    @property
    def target(self) -> Target: ...

    @property
    def display(self) -> str: ...

    @property
    def task_parameters(self) -> TaskParameters: ...

    def connect(self) -> AbstractContextManager[Connection]: ...


def used_params(sql: str, params: Params | None, sigil: str) -> dict[str, Any] | None:
    """Only the parameters the statement names: DuckDB refuses unused named parameters."""
    if not params:
        return None
    used = {
        name: value for name, value in params.items() if re.search(rf"{re.escape(sigil)}{re.escape(name)}(?!\w)", sql)
    }
    return used or None
