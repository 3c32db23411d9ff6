"""The trained model as one file: trees, calibration, categories and drift reference, with its checksum.

``<C360_HOME>/models/<model_version>/model.json`` holds everything scoring needs, so the SHA-256 that
CHURN_MODEL_REGISTRY records covers exactly what produces the scores; loading refuses a file whose
checksum differs. It keeps the booster twice: LightGBM's own text (to reload it in LightGBM) and its
tree dump, from which scoring computes scores and SHAP values in numpy (drivers.py), once they are checked
against LightGBM's own on the model's probe rows (else LightGBM's ``pred_contrib`` explains the model).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from c360.model.drivers import Explainer, explainer_for
from c360.model.errors import ArtifactError

if TYPE_CHECKING:
    import lightgbm as lgb

F64 = NDArray[np.float64]
FORMAT = "c360-churn-model/1"
ARTIFACT_NAME = "model.json"


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of the booster's raw score: calibrated log-odds = slope * raw + intercept."""

    slope: float
    intercept: float


@dataclass
class ChurnModel:
    """A trained churn classifier: LightGBM raw score, Platt-calibrated to a probability."""

    version: str
    booster_text: str  # LightGBM's model text
    trees: dict[str, Any]  # LightGBM's dump_model() of the same booster
    features: list[str]
    categories: dict[str, list[str]]
    calibration: Calibration
    reference: dict[str, dict[str, list[Any]]]  # per feature: PSI bins and training shares (monitor.py)
    params: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def booster(self) -> lgb.Booster:
        """The LightGBM booster (training and tests; scoring does without)."""
        import lightgbm as lgb

        return lgb.Booster(model_str=self.booster_text)

    @cached_property
    def explainer(self) -> Explainer:
        """The booster's trees as scores and exact SHAP values (drivers.py's tables, checked against LightGBM)."""
        return explainer_for(self.trees, self.booster)

    def raw_score(self, x: F64) -> F64:
        """The booster's log-odds, before calibration."""
        return self.explainer.raw_score(x)

    def logit(self, raw: F64) -> F64:
        """Calibrated log-odds of a raw score."""
        return self.calibration.slope * raw + self.calibration.intercept

    def probability(self, x: F64) -> F64:
        """Calibrated probability of cancelling within 30 days."""
        return sigmoid(self.logit(self.raw_score(x)))

    def contributions(self, x: F64) -> tuple[F64, float]:
        """Per-row SHAP values on the calibrated log-odds scale, and the base value they add up from.

        Platt scaling is affine in the raw score, so scaling each raw SHAP value by the slope keeps
        them exact: base + sum(contributions) = calibrated log-odds, row by row.
        """
        raw = self.explainer.shap_values(x)
        base = self.calibration.slope * self.explainer.base_value + self.calibration.intercept
        return raw * self.calibration.slope, float(base)

    def to_json(self) -> bytes:
        """The artifact's bytes (deterministic: sorted keys)."""
        document = {
            "format": FORMAT,
            "version": self.version,
            "features": self.features,
            "categories": self.categories,
            "calibration": {"slope": self.calibration.slope, "intercept": self.calibration.intercept},
            "reference": self.reference,
            "params": self.params,
            "booster": self.booster_text,
            "trees": self.trees,
        }
        return json.dumps(document, sort_keys=True, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> ChurnModel:
        """Parse an artifact written by ``to_json``."""
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise ArtifactError(f"not a churn model artifact (format {document.get('format')!r}, expected {FORMAT})")
        return cls(
            version=document["version"],
            booster_text=document["booster"],
            trees=document["trees"],
            features=list(document["features"]),
            categories={k: list(v) for k, v in document["categories"].items()},
            calibration=Calibration(**document["calibration"]),
            reference=document["reference"],
            params=document["params"],
        )


def sigmoid(z: F64) -> F64:
    """The logistic function."""
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def save(model: ChurnModel, models_dir: Path) -> tuple[Path, str]:
    """Write the artifact under ``models_dir/<version>/``; return its path and SHA-256."""
    data = model.to_json()
    path = models_dir / model.version / ARTIFACT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written artifact under the final name
    return path, sha256(data)


def load(path: Path, expected_sha256: str | None) -> ChurnModel:
    """Read an artifact, refusing one whose checksum differs from the registry's."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArtifactError(f"cannot read model artifact {path}: {exc.strerror}") from None
    actual = sha256(data)
    if expected_sha256 and actual != expected_sha256:
        raise ArtifactError(
            f"model artifact {path} has checksum {actual[:12]}, the registry recorded {expected_sha256[:12]}: "
            "the file changed after training; retrain with `c360 train`"
        )
    return ChurnModel.from_json(data)
