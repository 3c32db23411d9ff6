"""The one settings object: every knob, its environment variable and its default, in one place.

Every field is read from the environment with the ``C360_`` prefix (``warehouse_url`` is
``C360_WAREHOUSE_URL``). ``docs/configuration.md`` lists them; keep both in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from c360.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]


def _default_home() -> Path:
    return REPO_ROOT / "var"


class Settings(BaseSettings):
    """Runtime configuration, from ``C360_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="C360_", extra="ignore", frozen=True)

    env: Literal["development", "test", "production"] = Field(
        "development", description="Deployment environment; production refuses unsafe defaults."
    )
    home: Path = Field(
        default_factory=_default_home,
        description="Directory for the embedded warehouse, serving store and model artifacts.",
    )
    warehouse_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the warehouse: duckdb:///path (default: <home>/warehouse.duckdb) "
        "or snowflake://user:password@account/database?warehouse=WH&role=ROLE.",
    )
    warehouse_lock_timeout: float = Field(
        30.0,
        ge=0,
        description="Seconds a command waits for the embedded warehouse file while another process "
        "(usually `c360 worker`) holds it, before failing with the holder's name.",
    )
    duckdb_memory_limit: str = Field(
        "4GB", description="DuckDB memory_limit; above it DuckDB spills to <home>/duckdb_tmp."
    )
    duckdb_threads: int | None = Field(None, ge=1, description="DuckDB threads (default: all cores).")
    snowflake_task_warehouse: str = Field(
        "SFE_C360_WH", description="Snowflake warehouse the pipeline's tasks run on."
    )

    @field_validator("warehouse_url")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value else None

    @property
    def resolved_warehouse_url(self) -> str:
        """The warehouse URL, defaulting to the embedded DuckDB file under ``home``."""
        return self.warehouse_url or f"duckdb:///{self.home / 'warehouse.duckdb'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once; a bad value is a ConfigError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "C360_" + str(first["loc"][0]).upper() if first.get("loc") else "C360_*"
        raise ConfigError(f"{name}: {first['msg']}") from None
