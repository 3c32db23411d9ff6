from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.removal_reason import RemovalReason

T = TypeVar("T", bound="Removal")


@_attrs_define
class Removal:
    """Why and since when a subscriber is no longer in the served run.

    Attributes:
        reason (RemovalReason): cancelled: the warehouse shows a cancellation; not_scored: the served run did not score
            them.
        removed_at (datetime.datetime): When the publish that removed them was served.
        score_date (datetime.date): Score date of the run that no longer has them.
        cancelled_at (datetime.datetime | None): When they cancelled (reason cancelled).
        was_high (bool): Whether their last served tier was High.
    """

    reason: RemovalReason
    removed_at: datetime.datetime
    score_date: datetime.date
    cancelled_at: datetime.datetime | None
    was_high: bool

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        removed_at = self.removed_at.isoformat()

        score_date = self.score_date.isoformat()

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        was_high = self.was_high

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
                "removed_at": removed_at,
                "score_date": score_date,
                "cancelled_at": cancelled_at,
                "was_high": was_high,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = RemovalReason(d.pop("reason"))

        removed_at = datetime.datetime.fromisoformat(d.pop("removed_at"))

        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at"))

        was_high = d.pop("was_high")

        removal = cls(
            reason=reason,
            removed_at=removed_at,
            score_date=score_date,
            cancelled_at=cancelled_at,
            was_high=was_high,
        )

        return removal
