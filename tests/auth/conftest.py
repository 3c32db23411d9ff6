"""The serving fixtures (a backend per case, a migrated store) for the tests of API keys."""

from tests.serving.conftest import backend, serving, store

__all__ = ["backend", "serving", "store"]
