from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="GateCheck")


@_attrs_define
class GateCheck:
    """One check of the deploy gate, with its numbers.

    Attributes:
        check (str): auc_above_gate, not_worse_than_current, beats_baseline, calibration, …
        passed (bool):
        value (float | None): The candidate's number (AUC, AUC difference, calibration error).
        threshold (float | None): What it was compared with.
        detail (str): The comparison in words.
    """

    check: str
    passed: bool
    value: float | None
    threshold: float | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        check = self.check

        passed = self.passed

        value: float | None
        value = self.value

        threshold: float | None
        threshold = self.threshold

        detail = self.detail

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "check": check,
                "passed": passed,
                "value": value,
                "threshold": threshold,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        check = d.pop("check")

        passed = d.pop("passed")

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        def _parse_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        threshold = _parse_threshold(d.pop("threshold"))

        detail = d.pop("detail")

        gate_check = cls(
            check=check,
            passed=passed,
            value=value,
            threshold=threshold,
            detail=detail,
        )

        return gate_check
