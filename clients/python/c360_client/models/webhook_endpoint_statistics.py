from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.delivery_day import DeliveryDay
    from ..models.failed_attempt import FailedAttempt
    from ..models.message_counts import MessageCounts


T = TypeVar("T", bound="WebhookEndpointStatistics")


@_attrs_define
class WebhookEndpointStatistics:
    """Delivery statistics of one webhook endpoint over the last 30 days.

    Attributes:
        endpoint_id (str):
        url (str): Scheme, host and path (no credentials or query string).
        enabled (bool):
        disabled_reason (None | str):
        messages (MessageCounts): Webhook messages of an endpoint by status.
        attempts (int):
        success_rate (float | None):
        latency_ms_mean (float | None):
        latency_ms_p95 (float | None):
        daily (list[DeliveryDay]):
        recent_failures (list[FailedAttempt]):
    """

    endpoint_id: str
    url: str
    enabled: bool
    disabled_reason: None | str
    messages: MessageCounts
    attempts: int
    success_rate: float | None
    latency_ms_mean: float | None
    latency_ms_p95: float | None
    daily: list[DeliveryDay]
    recent_failures: list[FailedAttempt]

    def to_dict(self) -> dict[str, Any]:
        endpoint_id = self.endpoint_id

        url = self.url

        enabled = self.enabled

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        messages = self.messages.to_dict()

        attempts = self.attempts

        success_rate: float | None
        success_rate = self.success_rate

        latency_ms_mean: float | None
        latency_ms_mean = self.latency_ms_mean

        latency_ms_p95: float | None
        latency_ms_p95 = self.latency_ms_p95

        daily = []
        for daily_item_data in self.daily:
            daily_item = daily_item_data.to_dict()
            daily.append(daily_item)

        recent_failures = []
        for recent_failures_item_data in self.recent_failures:
            recent_failures_item = recent_failures_item_data.to_dict()
            recent_failures.append(recent_failures_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "endpoint_id": endpoint_id,
                "url": url,
                "enabled": enabled,
                "disabled_reason": disabled_reason,
                "messages": messages,
                "attempts": attempts,
                "success_rate": success_rate,
                "latency_ms_mean": latency_ms_mean,
                "latency_ms_p95": latency_ms_p95,
                "daily": daily,
                "recent_failures": recent_failures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_day import DeliveryDay  # noqa: PLC0415
        from ..models.failed_attempt import FailedAttempt  # noqa: PLC0415
        from ..models.message_counts import MessageCounts  # noqa: PLC0415

        d = dict(src_dict)
        endpoint_id = d.pop("endpoint_id")

        url = d.pop("url")

        enabled = d.pop("enabled")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        messages = MessageCounts.from_dict(d.pop("messages"))

        attempts = d.pop("attempts")

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))

        def _parse_latency_ms_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms_mean = _parse_latency_ms_mean(d.pop("latency_ms_mean"))

        def _parse_latency_ms_p95(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms_p95 = _parse_latency_ms_p95(d.pop("latency_ms_p95"))

        daily = []
        _daily = d.pop("daily")
        for daily_item_data in _daily:
            daily_item = DeliveryDay.from_dict(daily_item_data)

            daily.append(daily_item)

        recent_failures = []
        _recent_failures = d.pop("recent_failures")
        for recent_failures_item_data in _recent_failures:
            recent_failures_item = FailedAttempt.from_dict(recent_failures_item_data)

            recent_failures.append(recent_failures_item)

        webhook_endpoint_statistics = cls(
            endpoint_id=endpoint_id,
            url=url,
            enabled=enabled,
            disabled_reason=disabled_reason,
            messages=messages,
            attempts=attempts,
            success_rate=success_rate,
            latency_ms_mean=latency_ms_mean,
            latency_ms_p95=latency_ms_p95,
            daily=daily,
            recent_failures=recent_failures,
        )

        return webhook_endpoint_statistics
