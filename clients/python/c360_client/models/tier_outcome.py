from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TierOutcome")


@_attrs_define
class TierOutcome:
    """How many of a tier there were and how many cancelled within 30 days (precision).

    Attributes:
        rows (float | None | Unset):
        precision (float | None | Unset):
    """

    rows: float | None | Unset = UNSET
    precision: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        rows: float | None | Unset
        if isinstance(self.rows, Unset):
            rows = UNSET
        else:
            rows = self.rows

        precision: float | None | Unset
        if isinstance(self.precision, Unset):
            precision = UNSET
        else:
            precision = self.precision

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if rows is not UNSET:
            field_dict["rows"] = rows
        if precision is not UNSET:
            field_dict["precision"] = precision

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_rows(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rows = _parse_rows(d.pop("rows", UNSET))

        def _parse_precision(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        precision = _parse_precision(d.pop("precision", UNSET))

        tier_outcome = cls(
            rows=rows,
            precision=precision,
        )

        return tier_outcome
