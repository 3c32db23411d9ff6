"""Fixtures shared from the webhook tests (a migrated serving store per backend, a receiver on loopback) and
the model tests (a small generated, built and trained warehouse, once per session)."""

from tests.model.conftest import trained
from tests.webhooks.conftest import backend, clean_env, hooks, receiver

__all__ = ["backend", "clean_env", "hooks", "receiver", "trained"]
