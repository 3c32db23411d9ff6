"""Failures of the churn model, in the one hierarchy (``c360.errors.C360Error``)."""

from __future__ import annotations

from c360.errors import C360Error


class ModelError(C360Error):
    """Base of the churn model's errors."""

    slug = "model-error"
    title = "Churn model error"


class NoCurrentModel(ModelError):
    """Scoring needs a current model and there is none (never trained, or every candidate rejected)."""

    status = 409
    slug = "no-current-model"
    title = "No current churn model"


class ModelNotFound(ModelError):
    """No registered model has that version."""

    status = 404
    slug = "model-not-found"
    title = "Churn model not found"


class TrainingDataError(ModelError):
    """The training set cannot train a model: too few rows or snapshots, or a single class."""

    status = 422
    slug = "training-data-error"
    title = "Training set unusable"


class InsufficientHistory(TrainingDataError):
    """The warehouse holds too little history to train (checked before any work, naming the loaded range)."""

    slug = "insufficient-history"
    title = "Not enough history to train"
    exit_code = 2


class ModelRejected(ModelError):
    """A trained model failed the deploy gate; it is recorded as rejected and the current one stays."""

    slug = "model-rejected"
    title = "Model rejected by the deploy gate"
    exit_code = 3


class ArtifactError(ModelError):
    """A model file is missing, or its checksum differs from the registry's."""

    slug = "model-artifact-error"
    title = "Model artifact unusable"


class BacktestError(ModelError):
    """A backtest cannot run for that date (no following 30-day window, no ground truth for it, ...)."""

    status = 422
    slug = "backtest-error"
    title = "Backtest not possible"
