"""The webhook tests' fixtures (a migrated serving store per backend, a receiver on loopback), shared here."""

from tests.webhooks.conftest import backend, clean_env, hooks, receiver

__all__ = ["backend", "clean_env", "hooks", "receiver"]
