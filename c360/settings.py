"""The one settings object: every knob, its environment variable and its default, in one place.

Every field is read from the environment with the ``C360_`` prefix (``warehouse_url`` is
``C360_WAREHOUSE_URL``). ``docs/configuration.md`` lists them; keep both in step.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from c360.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
MIN_SECRET_KEY = 32  # characters of C360_SECRET_KEY outside development (`openssl rand -hex 32` gives 64)
# Development only: the key webhook secrets and cursors are derived from when C360_SECRET_KEY is unset
DEVELOPMENT_SECRET_KEY = "c360-development-secret-key"  # noqa: S105 - public by design, development only
_PUBLIC_KEYS = {DEVELOPMENT_SECRET_KEY, "c360-development-cursor-key", "changeme", "change-me", "secret"}


def _default_home() -> Path:
    return REPO_ROOT / "var"


_TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d$"  # HH:MM, 00:00 to 23:59
DAY = 86_400.0  # the longest interval of the worker's loops, in seconds (a longer wait overflowed its timer)


class Settings(BaseSettings):
    """Runtime configuration, from ``C360_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="C360_", extra="ignore", frozen=True)

    env: Literal["development", "test", "production"] = Field(
        "development", description="Deployment environment; production refuses unsafe defaults."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "WARNING", description="Level of the log lines the CLI and the worker write to stderr."
    )
    debug: bool = Field(
        False, description="Show the traceback of an unexpected error instead of its one-line summary (CLI)."
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
    warehouse_connect_timeout: int = Field(
        30, ge=1, description="Seconds to wait for a Snowflake login before failing."
    )
    # DuckDB's limit bounds its buffer pool, not the process: at scale 10 the ingest and the pipeline peaked about
    # 0.4 GB above it (3.5GB is 3,338 MiB; they peaked at 3,732-3,754 MiB; docs/benchmarks.md, 2026-12-07 14:01),
    # so this default keeps them under 4 GB. With 4GB they peaked at 4,109-4,130 MiB.
    duckdb_memory_limit: str = Field(
        "3.5GB",
        description="DuckDB memory_limit; above it DuckDB spills to <home>/duckdb_tmp. It bounds DuckDB's buffers, "
        "not the process, which peaks about 0.4 GB above it: keep that headroom under a container's limit.",
    )
    duckdb_threads: int | None = Field(None, ge=1, description="DuckDB threads (default: all cores).")
    task_poll_seconds: float | None = Field(
        None,
        gt=0,
        description="Embedded worker only: check the WHEN condition of stream tasks this often instead of waiting "
        "for their SCHEDULE (1 minute), for lower latency; the condition is a cheap query.",
    )
    snowflake_task_warehouse: str = Field("SFE_C360_WH", description="Snowflake warehouse the pipeline's tasks run on.")

    # --- the churn model -------------------------------------------------------------------------
    risk_tier_high: float = Field(
        0.30, gt=0, lt=1, description="A churn_risk_score at or above this is risk tier High."
    )
    risk_tier_medium: float = Field(
        0.10, gt=0, lt=1, description="At or above this (and below High) is Medium; below it, Low."
    )
    model_min_test_auc: float = Field(
        0.80,
        ge=0,
        le=1,
        description="Deploy gate: a newly trained churn model becomes current only with a test ROC AUC above this; "
        "otherwise it is recorded as rejected and the current model stays.",
    )
    model_max_calibration_error: float = Field(
        0.02,
        gt=0,
        le=1,
        description="Deploy gate: a candidate's calibration error on the test set (mean |predicted - observed| over "
        "deciles of predicted risk, weighted by rows) must not exceed this.",
    )
    model_gate_bootstrap: int = Field(
        200,
        ge=20,
        le=10000,
        description="Deploy gate: bootstrap resamples of the test rows for the confidence interval of the "
        "candidate's ROC AUC minus the current model's (95 %); the candidate is refused when the whole interval "
        "is below 0.",
    )
    model_psi_alert: float = Field(
        0.25,
        gt=0,
        description="Outcome monitoring: a feature whose PSI on a score date is above this raises a MODEL_ALERTS row.",
    )
    model_retrain_on_alert: bool = Field(
        False,
        description="Outcome monitoring: when `c360 monitor` raises a new alert, train a candidate as of that day "
        "(the deploy gate still decides whether it replaces the current model).",
    )
    model_max_drivers: int = Field(
        5, ge=1, le=16, description="Top features (by |SHAP value|) stored as each score's drivers."
    )
    model_threads: int = Field(
        1,
        ge=1,
        description="LightGBM threads for training; fixed rather than 'all cores' so that the same data trains the "
        "same model on any machine, and 1 because on shared cores OpenMP threads spin (2 threads trained 6 times "
        "slower than 1 on a busy 2-core machine).",
    )

    # --- serving store and API ---------------------------------------------------------------------
    serving_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the serving store: sqlite:///path (default: <home>/serving.sqlite) "
        "or postgresql+psycopg://user@host/db.",
    )
    redis_url: str | None = Field(
        None, description="Redis URL; when set, response caches and rate limits are shared across API replicas."
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Key for encrypting webhook secrets at rest and signing cursors; required outside development, "
        f"at least {MIN_SECRET_KEY} characters and not a published default (e.g. `openssl rand -hex 32`).",
    )
    redis_prefix: str = Field(
        "c360:", description="Prefix of every Redis key the API writes, so several deployments can share one Redis."
    )
    serving_keep_runs: int = Field(
        3,
        ge=2,
        description="Published runs whose rows stay in the serving store: a paging cursor pins its run, and keeps "
        "working until that many newer runs have been published.",
    )
    serving_history_days: int = Field(
        90, ge=1, description="Days of per-subscriber score history kept for /health-score/history."
    )
    publish_poll_interval: float = Field(
        60.0,
        ge=1,
        le=DAY,
        description="Seconds between the worker's looks for a scoring run newer than the served one (on Snowflake "
        "a metadata query, which needs no running warehouse).",
    )
    inbox_interval: float = Field(
        1.0, gt=0, le=DAY, description="Seconds between the worker's moves of API-accepted events into the warehouse."
    )
    inbox_move_rows: int = Field(10_000, ge=1, description="Most accepted events moved into the warehouse per load.")
    inbox_retention_days: int = Field(
        7, ge=1, description="Days accepted events stay in the serving store after they reached the warehouse."
    )
    api_host: str = Field("127.0.0.1", description="Address `c360 serve` listens on.")
    api_port: int = Field(8360, ge=1, le=65535, description="Port `c360 serve` listens on.")
    dashboard_host: str = Field("127.0.0.1", description="Address `c360 dashboard` listens on.")
    dashboard_port: int = Field(8501, ge=1, le=65535, description="Port `c360 dashboard` listens on.")
    dashboard_api_url: str = Field(
        "http://127.0.0.1:8360", description="Base URL of the REST API the dashboard reads (it reads nothing else)."
    )
    dashboard_api_key: SecretStr | None = Field(
        None, description="API key of the dashboard: scopes scores:read, profiles:read and analytics:read."
    )
    api_workers: int = Field(1, ge=1, description="API worker processes `c360 serve` starts.")
    api_rate_limit: int = Field(
        600, ge=0, description="Requests one API key may make per rate-limit window; 0 turns rate limiting off."
    )
    api_auth_failure_limit: int = Field(
        60,
        ge=0,
        description="Failed authentications (no key, or a malformed, unknown or revoked one) one client address may "
        "make per rate-limit window; past it the address is answered 429 without a key lookup (but for keys that "
        "verified within the last hour). 0 turns it off.",
    )
    api_forwarded_allow_ips: str = Field(
        "127.0.0.1",
        max_length=4096,
        description="Addresses (comma-separated, CIDR ranges allowed, * for any) of the proxies or load balancers "
        "whose X-Forwarded-For and X-Forwarded-Proto `c360 serve` trusts for the client's address (uvicorn's "
        "forwarded_allow_ips): behind a load balancer, its addresses, or every client shares one.",
    )
    api_rate_limit_window: int = Field(60, ge=1, description="Length of the rate-limit window, in seconds.")
    api_cache_size: int = Field(
        50_000,
        ge=0,
        description="Rendered responses each API process keeps in memory; 0 turns the response cache off "
        "(Redis included).",
    )
    api_cache_ttl: int = Field(
        300, ge=1, description="Seconds a cached response lives; a newly published run replaces it sooner."
    )
    api_cache_max_age: int = Field(60, ge=0, description="Cache-Control max-age the API sends with GET responses.")
    api_run_check_interval: float = Field(
        1.0,
        ge=0,
        description="Seconds an API process trusts its last look at the served run id: a publish is served "
        "within this.",
    )
    api_key_cache_ttl: float = Field(
        5.0, ge=0, description="Seconds an API process trusts a key lookup: a revoked key stops working within this."
    )
    api_max_body_bytes: int = Field(
        2 * 1024 * 1024, ge=1024, description="Largest request body the API reads; a larger one is 413."
    )
    served_run_max_age_hours: float = Field(
        30.0,
        gt=0,
        description="/readyz reports the served run as stale when its score_date ended (midnight UTC after it) longer "
        "ago than this: a daily run scored for yesterday is fresh until 06:00 UTC the day after tomorrow.",
    )
    changes_retention_runs: int = Field(
        60,
        ge=1,
        description="Served versions the change feed keeps: a sync token older than that many publishes answers "
        "410 Gone, and the client resyncs from scratch.",
    )

    # --- webhooks ----------------------------------------------------------------------------------
    webhook_retry_schedule: str = Field(
        "5,300,1800,7200,18000,36000,36000",
        description="Seconds after each failed delivery attempt before the next, as a comma list (default: "
        "Svix's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; each with ±20 % jitter). The first attempt is "
        "immediate; when the list is used up the message is marked failed. Empty: no retries.",
    )
    webhook_timeout: float = Field(
        15.0, gt=0, le=300, description="Seconds one delivery attempt may take (connect, send, response)."
    )
    webhook_concurrency: int = Field(64, ge=1, description="Deliveries one worker has in flight, over all endpoints.")
    webhook_endpoint_concurrency: int = Field(
        16, ge=1, description="Deliveries one worker has in flight to any one endpoint."
    )
    webhook_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="Seconds a claimed message is reserved for the worker that claimed it; the messages of a "
        "worker killed mid-delivery are retried once this has passed. Must exceed C360_WEBHOOK_TIMEOUT.",
    )
    webhook_poll_interval: float = Field(
        0.25,
        gt=0,
        le=DAY,
        description="Seconds between the worker's looks for due webhook messages while idle: on SQLite most of "
        "the delay from a publish to the first delivery attempt; on PostgreSQL new messages wake the worker at "
        "commit, and this is the fallback.",
    )
    webhook_disable_after: float = Field(
        432_000.0,
        gt=0,
        description="Seconds (default 5 days) an endpoint may fail continuously before it is disabled, with the "
        "reason.",
    )
    webhook_secret_grace: float = Field(
        86_400.0,
        ge=0,
        description="Seconds (default 24 h) the previous secret keeps signing beside the new one after a rotation.",
    )
    webhook_allow_private_urls: bool = Field(
        False,
        description="Local development and tests only (refused in production): accept http:// endpoint URLs and "
        "hosts on loopback, private, link-local or metadata addresses, at creation and at delivery.",
    )
    webhook_retention_days: int = Field(
        30, ge=1, description="Days delivered and failed webhook messages, with their attempts, stay listed."
    )

    # --- running by itself: landing folders, alerts, metrics (c360/ops) ---------------------------
    landing_dir: Path | None = Field(
        None,
        description="Folder the sources drop files into (default: <home>/landing): subscription_events/, "
        "content_engagement/ and support_tickets/, each with archive/ and refused/ beside the new files.",
    )
    landing_events_interval: float = Field(
        5.0, gt=0, le=DAY, description="Seconds between the worker's looks for new subscription event files."
    )
    landing_content_schedule: str = Field(
        "1 MINUTE", description="When the worker loads new content batches: 'N MINUTE' or 'USING CRON <expr> UTC'."
    )
    landing_tickets_schedule: str = Field(
        "USING CRON 30 2 * * * UTC",
        description="When the worker loads the support system's daily export (the seed's COPY INTO at 02:30 UTC).",
    )
    landing_settle_seconds: float = Field(
        2.0,
        ge=0,
        description="A landed file is loaded once its size and modification time have not changed for this long "
        "(files named *.tmp, *.part or starting with '.' are never loaded: rename them when complete).",
    )
    landing_incomplete_grace_seconds: float = Field(
        300.0,
        ge=0,
        le=DAY,  # inf would leave a truncated file waiting for ever, never refused
        description="A landed file that does not end complete (a last line with no line end, a Parquet file "
        "without its footer) waits this long after its last change, in case its writer only paused; then it is "
        "loaded, and refused if it still looks truncated.",
    )
    alert_interval: float = Field(30.0, gt=0, le=DAY, description="Seconds between the worker's checks of the alerts.")
    alert_event_lag_minutes: float = Field(
        5.0, gt=0, description="Alert when an accepted subscription event is not in STG_UNIFIED_CUSTOMER after this."
    )
    alert_facts_by: str = Field(
        "04:00", pattern=_TIME_OF_DAY, description="UTC time of day by which yesterday's FCT tables must be built."
    )
    alert_predictions_by: str = Field(
        "05:00", pattern=_TIME_OF_DAY, description="UTC time of day by which yesterday's churn scores must exist."
    )
    alert_malformed_rate: float = Field(
        0.05, ge=0, le=1, description="Alert when more than this share of a recent load's records was rejected."
    )
    alert_window_hours: float = Field(
        24.0, gt=0, description="Task failures, refused models, drift and malformed loads this recent raise alerts."
    )

    @field_validator("warehouse_url")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value else None

    @field_validator("home", "landing_dir", mode="before")
    @classmethod
    def _a_path(cls, value: object) -> object:
        # an empty C360_HOME or C360_LANDING_DIR was Path(""), the working directory: files went wherever the
        # command ran
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty: give a directory, or leave the variable unset for the default")
        return value

    @property
    def resolved_warehouse_url(self) -> str:
        """The warehouse URL, defaulting to the embedded DuckDB file under ``home``."""
        return self.warehouse_url or f"duckdb:///{self.home / 'warehouse.duckdb'}"

    @property
    def resolved_serving_url(self) -> str:
        """The serving store URL, defaulting to a SQLite file beside the embedded warehouse."""
        return self.serving_url or f"sqlite:///{self.home / 'serving.sqlite'}"

    @property
    def resolved_landing_dir(self) -> Path:
        """The landing folder, defaulting to ``<home>/landing``."""
        return self.landing_dir or self.home / "landing"

    @property
    def webhook_retry_delays(self) -> tuple[float, ...]:
        """C360_WEBHOOK_RETRY_SCHEDULE as seconds."""
        return tuple(float(part) for part in self.webhook_retry_schedule.split(",") if part.strip())

    @field_validator("duckdb_memory_limit")
    @classmethod
    def _memory_size(cls, value: str) -> str:
        # checked here, so that a bad value names its variable when the settings load, not as DuckDB's parser
        # error when the warehouse is first opened
        found = re.fullmatch(r"(\d{1,12}(?:\.\d{1,6})?)\s*([kmgt]i?)?b", value.strip(), re.IGNORECASE)
        if found is None:
            raise ValueError("not a size such as 3.5GB or 512MiB")
        unit = (found[2] or "").lower()
        size = float(found[1]) * (1024 if unit.endswith("i") else 1000) ** " kmgt".index(unit[:1] or " ")
        if not 2**24 <= size <= 2**50:
            raise ValueError("outside 16 MiB to 1 PiB")
        return value.strip()

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _tiers_ordered(self) -> Settings:
        if self.risk_tier_medium >= self.risk_tier_high:
            raise ValueError("C360_RISK_TIER_MEDIUM must be below C360_RISK_TIER_HIGH")
        return self

    @property
    def master_key(self) -> str:
        """C360_SECRET_KEY, which every signing and encryption key is derived from (a public default only in
        development); ConfigError outside development without one."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if self.env != "development":
            raise ConfigError(f"C360_SECRET_KEY must be set when C360_ENV is {self.env}")
        return DEVELOPMENT_SECRET_KEY

    @model_validator(mode="after")
    def _secret_key_safe(self) -> Settings:
        # the one check of the key: outside development an empty, short or published key signs cursors and
        # encrypts webhook secrets under a key anyone can derive. The message never shows the value.
        if self.env == "development":
            return self
        key = self.secret_key.get_secret_value() if self.secret_key is not None else ""
        if not key.strip():
            raise ValueError(f"C360_SECRET_KEY must be set when C360_ENV is {self.env}")
        if len(key) < MIN_SECRET_KEY:
            raise ValueError(
                f"C360_SECRET_KEY must be at least {MIN_SECRET_KEY} characters when C360_ENV is {self.env} "
                f"(it has {len(key)}); generate one with `openssl rand -hex 32`"
            )
        if key.strip().lower() in _PUBLIC_KEYS:
            raise ValueError("C360_SECRET_KEY is a published default; generate one with `openssl rand -hex 32`")
        return self

    @model_validator(mode="after")
    def _webhooks_sane(self) -> Settings:
        try:
            delays = self.webhook_retry_delays
        except ValueError:
            raise ValueError(
                f"C360_WEBHOOK_RETRY_SCHEDULE must be seconds as a comma list, e.g. 5,300,1800 "
                f"(got {self.webhook_retry_schedule!r})"
            ) from None
        if any(d < 0 or d != d or d > 7 * 86_400 for d in delays):
            raise ValueError("C360_WEBHOOK_RETRY_SCHEDULE: every delay must be between 0 and 604800 seconds")
        if self.webhook_lease_seconds <= self.webhook_timeout:
            raise ValueError("C360_WEBHOOK_LEASE_SECONDS must exceed C360_WEBHOOK_TIMEOUT")
        if self.webhook_allow_private_urls and self.env == "production":
            raise ValueError("C360_WEBHOOK_ALLOW_PRIVATE_URLS is for development and tests; unset it in production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once; a bad value is a ConfigError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if first.get("loc"):
            got = repr(first.get("input"))  # a hostile value is quoted, not echoed whole
            got = got if len(got) <= 80 else f"{got[:80]}... ({len(got):,} characters)"
            message = f"C360_{str(first['loc'][0]).upper()}: {message} (got {got})"
        raise ConfigError(message) from None


def reference_markdown() -> str:
    """docs/configuration.md, generated from the fields above (``python -m c360.settings``)."""
    lines = [
        "# Configuration",
        "",
        "Every setting is an environment variable read by one settings object, `c360.settings.Settings`.",
        "This page is generated from it: `.venv/bin/python -m c360.settings > docs/configuration.md`",
        "(a test fails when it is out of date).",
        "",
        "| Variable | Default | Meaning |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        if field.default_factory is not None:
            default = "`var/` in the repository" if name == "home" else "(computed)"
        elif field.default is None:
            default = "(unset)"
        else:
            default = f"`{field.default}`"
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `C360_{name.upper()}` | {default} | {description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
