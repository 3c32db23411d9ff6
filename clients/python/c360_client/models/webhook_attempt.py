from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="WebhookAttempt")


@_attrs_define
class WebhookAttempt:
    """One delivery attempt.

    Attributes:
        id (str):
        attempted_at (datetime.datetime):
        status_code (int | None): The receiver's HTTP status; null when there was no answer.
        latency_ms (float):
        response (None | str): The first 2 KB of the response body.
        error (None | str): Why there was no answer (timeout, connection refused, SSRF refusal …).
    """

    id: str
    attempted_at: datetime.datetime
    status_code: int | None
    latency_ms: float
    response: None | str
    error: None | str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        attempted_at = self.attempted_at.isoformat()

        status_code: int | None
        status_code = self.status_code

        latency_ms = self.latency_ms

        response: None | str
        response = self.response

        error: None | str
        error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "attempted_at": attempted_at,
                "status_code": status_code,
                "latency_ms": latency_ms,
                "response": response,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        latency_ms = d.pop("latency_ms")

        def _parse_response(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response = _parse_response(d.pop("response"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        webhook_attempt = cls(
            id=id,
            attempted_at=attempted_at,
            status_code=status_code,
            latency_ms=latency_ms,
            response=response,
            error=error,
        )

        return webhook_attempt
