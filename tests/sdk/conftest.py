"""The API tests' live servers (``served``, ``servers``), for the SDK helpers' tests."""

from tests.api.conftest import clean_env, served, servers  # noqa: F401
