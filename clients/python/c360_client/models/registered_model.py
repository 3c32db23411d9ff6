from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.gate_check import GateCheck
    from ..models.registered_model_metrics import RegisteredModelMetrics


T = TypeVar("T", bound="RegisteredModel")


@_attrs_define
class RegisteredModel:
    """A model of the registry and the gate decision that gave it its status.

    Attributes:
        model_version (str):
        status (str): current, retired or rejected.
        algorithm (str):
        trained_at (datetime.datetime):
        as_of_date (datetime.date):
        data_window_start (datetime.date):
        test_window_start (datetime.date):
        data_window_end (datetime.date):
        train_rows (int):
        test_rows (int):
        features (list[str]):
        metrics (RegisteredModelMetrics): Held-out test metrics (null: undefined).
        decision (str): The registry's message: why it was deployed or refused.
        gate (list[GateCheck]): Every check of the gate (empty for models decided before it).
    """

    model_version: str
    status: str
    algorithm: str
    trained_at: datetime.datetime
    as_of_date: datetime.date
    data_window_start: datetime.date
    test_window_start: datetime.date
    data_window_end: datetime.date
    train_rows: int
    test_rows: int
    features: list[str]
    metrics: RegisteredModelMetrics
    decision: str
    gate: list[GateCheck]

    def to_dict(self) -> dict[str, Any]:
        model_version = self.model_version

        status = self.status

        algorithm = self.algorithm

        trained_at = self.trained_at.isoformat()

        as_of_date = self.as_of_date.isoformat()

        data_window_start = self.data_window_start.isoformat()

        test_window_start = self.test_window_start.isoformat()

        data_window_end = self.data_window_end.isoformat()

        train_rows = self.train_rows

        test_rows = self.test_rows

        features = self.features

        metrics = self.metrics.to_dict()

        decision = self.decision

        gate = []
        for gate_item_data in self.gate:
            gate_item = gate_item_data.to_dict()
            gate.append(gate_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model_version": model_version,
                "status": status,
                "algorithm": algorithm,
                "trained_at": trained_at,
                "as_of_date": as_of_date,
                "data_window_start": data_window_start,
                "test_window_start": test_window_start,
                "data_window_end": data_window_end,
                "train_rows": train_rows,
                "test_rows": test_rows,
                "features": features,
                "metrics": metrics,
                "decision": decision,
                "gate": gate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gate_check import GateCheck  # noqa: PLC0415
        from ..models.registered_model_metrics import RegisteredModelMetrics  # noqa: PLC0415

        d = dict(src_dict)
        model_version = d.pop("model_version")

        status = d.pop("status")

        algorithm = d.pop("algorithm")

        trained_at = datetime.datetime.fromisoformat(d.pop("trained_at"))

        as_of_date = datetime.date.fromisoformat(d.pop("as_of_date"))

        data_window_start = datetime.date.fromisoformat(d.pop("data_window_start"))

        test_window_start = datetime.date.fromisoformat(d.pop("test_window_start"))

        data_window_end = datetime.date.fromisoformat(d.pop("data_window_end"))

        train_rows = d.pop("train_rows")

        test_rows = d.pop("test_rows")

        features = cast(list[str], d.pop("features"))

        metrics = RegisteredModelMetrics.from_dict(d.pop("metrics"))

        decision = d.pop("decision")

        gate = []
        _gate = d.pop("gate")
        for gate_item_data in _gate:
            gate_item = GateCheck.from_dict(gate_item_data)

            gate.append(gate_item)

        registered_model = cls(
            model_version=model_version,
            status=status,
            algorithm=algorithm,
            trained_at=trained_at,
            as_of_date=as_of_date,
            data_window_start=data_window_start,
            test_window_start=test_window_start,
            data_window_end=data_window_end,
            train_rows=train_rows,
            test_rows=test_rows,
            features=features,
            metrics=metrics,
            decision=decision,
            gate=gate,
        )

        return registered_model
