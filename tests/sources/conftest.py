"""The serving fixtures (a backend per case, a migrated store and warehouse) for the events inbox tests."""

from tests.serving.conftest import backend, serving, store, wh

__all__ = ["backend", "serving", "store", "wh"]
