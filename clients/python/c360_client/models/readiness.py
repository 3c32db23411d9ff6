from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """The serving store answers; whether the served run is fresh.

    Attributes:
        status (Literal['ready']):
        run_id (None | str): The served run; null before the first publish.
        score_date (datetime.date | None):
        scored_at (datetime.datetime | None):
        age_hours (float | None): Hours since the served run's score_date ended (midnight UTC after it); negative while
            that day is still going on.
        max_age_hours (float): The staleness threshold, C360_SERVED_RUN_MAX_AGE_HOURS.
        stale (bool): True when no run is served or age_hours is above max_age_hours.
    """

    status: Literal["ready"]
    run_id: None | str
    score_date: datetime.date | None
    scored_at: datetime.datetime | None
    age_hours: float | None
    max_age_hours: float
    stale: bool

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        run_id: None | str
        run_id = self.run_id

        score_date: None | str
        if isinstance(self.score_date, datetime.date):
            score_date = self.score_date.isoformat()
        else:
            score_date = self.score_date

        scored_at: None | str
        if isinstance(self.scored_at, datetime.datetime):
            scored_at = self.scored_at.isoformat()
        else:
            scored_at = self.scored_at

        age_hours: float | None
        age_hours = self.age_hours

        max_age_hours = self.max_age_hours

        stale = self.stale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "run_id": run_id,
                "score_date": score_date,
                "scored_at": scored_at,
                "age_hours": age_hours,
                "max_age_hours": max_age_hours,
                "stale": stale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = cast(Literal["ready"], d.pop("status"))
        if status != "ready":
            raise ValueError(f"status must match const 'ready', got '{status}'")

        def _parse_run_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        run_id = _parse_run_id(d.pop("run_id"))

        def _parse_score_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                score_date_type_0 = datetime.date.fromisoformat(data)

                return score_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        score_date = _parse_score_date(d.pop("score_date"))

        def _parse_scored_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scored_at_type_0 = datetime.datetime.fromisoformat(data)

                return scored_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        scored_at = _parse_scored_at(d.pop("scored_at"))

        def _parse_age_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        age_hours = _parse_age_hours(d.pop("age_hours"))

        max_age_hours = d.pop("max_age_hours")

        stale = d.pop("stale")

        readiness = cls(
            status=status,
            run_id=run_id,
            score_date=score_date,
            scored_at=scored_at,
            age_hours=age_hours,
            max_age_hours=max_age_hours,
            stale=stale,
        )

        return readiness
