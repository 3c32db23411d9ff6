from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.cohort import Cohort
    from ..models.cohort_churn import CohortChurn


T = TypeVar("T", bound="CohortAnalysis")


@_attrs_define
class CohortAnalysis:
    """Signup-month cohorts: the retention matrix and churn rates by plan and segment.

    Attributes:
        by (str): signup_month
        metric (str): retention
        cohorts (list[Cohort]):
        churn (list[CohortChurn]):
    """

    by: str
    metric: str
    cohorts: list[Cohort]
    churn: list[CohortChurn]

    def to_dict(self) -> dict[str, Any]:
        by = self.by

        metric = self.metric

        cohorts = []
        for cohorts_item_data in self.cohorts:
            cohorts_item = cohorts_item_data.to_dict()
            cohorts.append(cohorts_item)

        churn = []
        for churn_item_data in self.churn:
            churn_item = churn_item_data.to_dict()
            churn.append(churn_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "by": by,
                "metric": metric,
                "cohorts": cohorts,
                "churn": churn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cohort import Cohort  # noqa: PLC0415
        from ..models.cohort_churn import CohortChurn  # noqa: PLC0415

        d = dict(src_dict)
        by = d.pop("by")

        metric = d.pop("metric")

        cohorts = []
        _cohorts = d.pop("cohorts")
        for cohorts_item_data in _cohorts:
            cohorts_item = Cohort.from_dict(cohorts_item_data)

            cohorts.append(cohorts_item)

        churn = []
        _churn = d.pop("churn")
        for churn_item_data in _churn:
            churn_item = CohortChurn.from_dict(churn_item_data)

            churn.append(churn_item)

        cohort_analysis = cls(
            by=by,
            metric=metric,
            cohorts=cohorts,
            churn=churn,
        )

        return cohort_analysis
