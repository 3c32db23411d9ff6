from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.decile_outcome import DecileOutcome
    from ..models.score_date_outcome_metrics import ScoreDateOutcomeMetrics
    from ..models.score_date_outcome_tiers import ScoreDateOutcomeTiers


T = TypeVar("T", bound="ScoreDateOutcome")


@_attrs_define
class ScoreDateOutcome:
    """Realised performance of one score date's scores, once its 30-day window closed.

    Attributes:
        score_date (datetime.date):
        model_version (str):
        metrics (ScoreDateOutcomeMetrics): rows, positives, base_rate, roc_auc, brier, mean_predicted,
            calibration_error, top_decile_lift.
        deciles (list[DecileOutcome]):
        tiers (ScoreDateOutcomeTiers): By tier: High, Medium, Low.
    """

    score_date: datetime.date
    model_version: str
    metrics: ScoreDateOutcomeMetrics
    deciles: list[DecileOutcome]
    tiers: ScoreDateOutcomeTiers

    def to_dict(self) -> dict[str, Any]:
        score_date = self.score_date.isoformat()

        model_version = self.model_version

        metrics = self.metrics.to_dict()

        deciles = []
        for deciles_item_data in self.deciles:
            deciles_item = deciles_item_data.to_dict()
            deciles.append(deciles_item)

        tiers = self.tiers.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "score_date": score_date,
                "model_version": model_version,
                "metrics": metrics,
                "deciles": deciles,
                "tiers": tiers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decile_outcome import DecileOutcome  # noqa: PLC0415
        from ..models.score_date_outcome_metrics import ScoreDateOutcomeMetrics  # noqa: PLC0415
        from ..models.score_date_outcome_tiers import ScoreDateOutcomeTiers  # noqa: PLC0415

        d = dict(src_dict)
        score_date = datetime.date.fromisoformat(d.pop("score_date"))

        model_version = d.pop("model_version")

        metrics = ScoreDateOutcomeMetrics.from_dict(d.pop("metrics"))

        deciles = []
        _deciles = d.pop("deciles")
        for deciles_item_data in _deciles:
            deciles_item = DecileOutcome.from_dict(deciles_item_data)

            deciles.append(deciles_item)

        tiers = ScoreDateOutcomeTiers.from_dict(d.pop("tiers"))

        score_date_outcome = cls(
            score_date=score_date,
            model_version=model_version,
            metrics=metrics,
            deciles=deciles,
            tiers=tiers,
        )

        return score_date_outcome
