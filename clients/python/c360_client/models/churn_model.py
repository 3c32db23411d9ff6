from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.churn_model_metrics import ChurnModelMetrics


T = TypeVar("T", bound="ChurnModel")


@_attrs_define
class ChurnModel:
    """The model that scored the served run, with its held-out test metrics.

    Attributes:
        version (str):
        trained_at (datetime.datetime):
        status (str): current, retired or rejected in the model registry.
        features (list[str]):
        metrics (ChurnModelMetrics): Test metrics: roc_auc, pr_auc, brier, … (null: undefined)
        train_rows (int):
        test_rows (int):
        data_window_start (datetime.date):
        data_window_end (datetime.date):
    """

    version: str
    trained_at: datetime.datetime
    status: str
    features: list[str]
    metrics: ChurnModelMetrics
    train_rows: int
    test_rows: int
    data_window_start: datetime.date
    data_window_end: datetime.date

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        trained_at = self.trained_at.isoformat()

        status = self.status

        features = self.features

        metrics = self.metrics.to_dict()

        train_rows = self.train_rows

        test_rows = self.test_rows

        data_window_start = self.data_window_start.isoformat()

        data_window_end = self.data_window_end.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "trained_at": trained_at,
                "status": status,
                "features": features,
                "metrics": metrics,
                "train_rows": train_rows,
                "test_rows": test_rows,
                "data_window_start": data_window_start,
                "data_window_end": data_window_end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.churn_model_metrics import ChurnModelMetrics  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        trained_at = datetime.datetime.fromisoformat(d.pop("trained_at"))

        status = d.pop("status")

        features = cast(list[str], d.pop("features"))

        metrics = ChurnModelMetrics.from_dict(d.pop("metrics"))

        train_rows = d.pop("train_rows")

        test_rows = d.pop("test_rows")

        data_window_start = datetime.date.fromisoformat(d.pop("data_window_start"))

        data_window_end = datetime.date.fromisoformat(d.pop("data_window_end"))

        churn_model = cls(
            version=version,
            trained_at=trained_at,
            status=status,
            features=features,
            metrics=metrics,
            train_rows=train_rows,
            test_rows=test_rows,
            data_window_start=data_window_start,
            data_window_end=data_window_end,
        )

        return churn_model
