from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DecileOutcome")


@_attrs_define
class DecileOutcome:
    """Predicted against observed churn in one decile of predicted risk (10: riskiest).

    Attributes:
        decile (float | None | Unset):
        rows (float | None | Unset):
        predicted (float | None | Unset):
        observed (float | None | Unset):
    """

    decile: float | None | Unset = UNSET
    rows: float | None | Unset = UNSET
    predicted: float | None | Unset = UNSET
    observed: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decile: float | None | Unset
        if isinstance(self.decile, Unset):
            decile = UNSET
        else:
            decile = self.decile

        rows: float | None | Unset
        if isinstance(self.rows, Unset):
            rows = UNSET
        else:
            rows = self.rows

        predicted: float | None | Unset
        if isinstance(self.predicted, Unset):
            predicted = UNSET
        else:
            predicted = self.predicted

        observed: float | None | Unset
        if isinstance(self.observed, Unset):
            observed = UNSET
        else:
            observed = self.observed

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if decile is not UNSET:
            field_dict["decile"] = decile
        if rows is not UNSET:
            field_dict["rows"] = rows
        if predicted is not UNSET:
            field_dict["predicted"] = predicted
        if observed is not UNSET:
            field_dict["observed"] = observed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_decile(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        decile = _parse_decile(d.pop("decile", UNSET))

        def _parse_rows(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rows = _parse_rows(d.pop("rows", UNSET))

        def _parse_predicted(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        predicted = _parse_predicted(d.pop("predicted", UNSET))

        def _parse_observed(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        observed = _parse_observed(d.pop("observed", UNSET))

        decile_outcome = cls(
            decile=decile,
            rows=rows,
            predicted=predicted,
            observed=observed,
        )

        return decile_outcome
