"""The retry schedule: Svix's by default, configurable, jittered, Retry-After as a floor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from c360.errors import ConfigError
from c360.settings import Settings, get_settings
from c360.webhooks.schedule import Schedule, retry_after_seconds


def test_the_default_schedule_is_svixs(clean_env: None) -> None:
    delays = Settings().webhook_retry_delays
    assert delays == (5, 300, 1800, 7200, 18000, 36000, 36000)
    assert Schedule(delays).attempts == 8


def test_delays_are_jittered_and_run_out() -> None:
    schedule = Schedule((10.0, 100.0))
    firsts = {schedule.next_delay(1) for _ in range(50)}
    assert all(8.0 <= d <= 12.0 for d in firsts if d is not None) and len(firsts) > 1
    assert 80.0 <= (schedule.next_delay(2) or 0) <= 120.0
    assert schedule.next_delay(3) is None  # retries exhausted: the message fails
    assert (schedule.next_delay(1, retry_after=60.0) or 0) == 60.0  # never before the receiver asked
    assert (schedule.next_delay(1, retry_after=1e9) or 0) == 86_400.0  # at most a day


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 11, 21, 4, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Fri, 21 Nov 2025 04:01:30 GMT", now) == 90.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("C360_WEBHOOK_RETRY_SCHEDULE", "5,five", "C360_WEBHOOK_RETRY_SCHEDULE must be seconds as a comma list"),
        ("C360_WEBHOOK_RETRY_SCHEDULE", "5,-1", "every delay must be between 0 and 604800"),
        ("C360_WEBHOOK_LEASE_SECONDS", "10", "C360_WEBHOOK_LEASE_SECONDS must exceed C360_WEBHOOK_TIMEOUT"),
        ("C360_WEBHOOK_TIMEOUT", "0", "C360_WEBHOOK_TIMEOUT: Input should be greater than 0"),
    ],
)
def test_bad_settings_name_their_variable(
    monkeypatch: pytest.MonkeyPatch, clean_env: None, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match=message):
        get_settings()
