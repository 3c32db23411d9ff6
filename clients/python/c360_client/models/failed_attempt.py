from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FailedAttempt")


@_attrs_define
class FailedAttempt:
    """A delivery attempt that did not get a 2xx.

    Attributes:
        attempted_at (datetime.datetime):
        message_id (str):
        event_type (str):
        status_code (int | None):
        error (None | str):
        response (None | str): The first 500 characters of the response body.
    """

    attempted_at: datetime.datetime
    message_id: str
    event_type: str
    status_code: int | None
    error: None | str
    response: None | str

    def to_dict(self) -> dict[str, Any]:
        attempted_at = self.attempted_at.isoformat()

        message_id = self.message_id

        event_type = self.event_type

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        response: None | str
        response = self.response

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempted_at": attempted_at,
                "message_id": message_id,
                "event_type": event_type,
                "status_code": status_code,
                "error": error,
                "response": response,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))

        message_id = d.pop("message_id")

        event_type = d.pop("event_type")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_response(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response = _parse_response(d.pop("response"))

        failed_attempt = cls(
            attempted_at=attempted_at,
            message_id=message_id,
            event_type=event_type,
            status_code=status_code,
            error=error,
            response=response,
        )

        return failed_attempt
