from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.health_score_removal_reason import HealthScoreRemovalReason

if TYPE_CHECKING:
    from ..models.health_score import HealthScore


T = TypeVar("T", bound="HealthScoreRemoval")


@_attrs_define
class HealthScoreRemoval:
    """A subscriber no longer served: delete them, or mark them, in your copy.

    Attributes:
        subscriber_id (str):
        removed (bool): Always true: a removal.
        reason (HealthScoreRemovalReason):
        removed_at (datetime.datetime):
        score_date (datetime.date): Score date of the run that no longer has them.
        cancelled_at (datetime.datetime | None):
        was_high (bool): Whether their last served tier was High.
        last (HealthScore): A subscriber's churn risk as of the served scoring run (or their last one, when
            ``removed``).
    """

    subscriber_id: str
    removed: bool
    reason: HealthScoreRemovalReason
    removed_at: datetime.datetime
    score_date: datetime.date
    cancelled_at: datetime.datetime | None
    was_high: bool
    last: HealthScore

    def to_dict(self) -> dict[str, Any]:
        subscriber_id = self.subscriber_id

        removed = self.removed

        reason = self.reason.value

        removed_at = self.removed_at.isoformat()

        score_date = self.score_date.isoformat()

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        was_high = self.was_high

        last = self.last.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscriber_id": subscriber_id,
                "removed": removed,
                "reason": reason,
                "removed_at": removed_at,
                "score_date": score_date,
                "cancelled_at": cancelled_at,
                "was_high": was_high,
                "last": last,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_score import HealthScore  # noqa: PLC0415

        d = dict(src_dict)
        subscriber_id = d.pop("subscriber_id")

        removed = d.pop("removed")

        reason = HealthScoreRemovalReason(d.pop("reason"))

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

        last = HealthScore.from_dict(d.pop("last"))

        health_score_removal = cls(
            subscriber_id=subscriber_id,
            removed=removed,
            reason=reason,
            removed_at=removed_at,
            score_date=score_date,
            cancelled_at=cancelled_at,
            was_high=was_high,
            last=last,
        )

        return health_score_removal
