"""Property-based contract testing: schemathesis generates requests for every operation from the OpenAPI
document and runs every check (status codes, content types, schemas, headers, negative data, auth …)."""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from c360.auth.keys import api_keys
from c360.serving import feed, queries
from c360.serving.cursor import CURSOR_PATTERN, cursor_key
from c360.serving.store import utcnow
from tests.api.conftest import Served, build, make_settings
from tests.conftest import examples
from tests.serving.backends import Backend

CURSOR = re.compile(CURSOR_PATTERN)
# schemathesis' lazy fixture loader does not run under pytest 9, so the app exists at import;
# it opens its store only on the first request, after the `contract` fixture has filled it
HOME = Path(tempfile.mkdtemp(prefix="c360-contract-"))
BACKEND = Backend("sqlite", None, None, "c360test:contract:")
# private URLs allowed: a schema-valid webhook URL is then accepted without resolving its host (offline here)
APP = create_app(make_settings(HOME, BACKEND, webhook_allow_private_urls=True))
# a request the contract refuses may also be over C360_API_MAX_BODY_BYTES: the body limit answers 413 before its
# content is read (generated event batches reach 2 MB), which is a rejection as much as a 422 is
CONFIG = SchemathesisConfig.from_str("""
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]
""")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module")
def contract(clean_env: None) -> Iterator[Served]:
    """The app's store, published, with keys and a real cursor (only the API can mint valid ones)."""
    served = build(HOME, BACKEND)
    run = queries.current_run(served.store)
    page = queries.list_health_scores(
        served.store, run=run, cursor=None, cursor_key=cursor_key(served.settings), limit=3
    )
    assert page.next_cursor
    served.keys["cursor"] = page.next_cursor
    changes = feed.read_changes(
        served.store, run=run, key=cursor_key(served.settings), sync_token=None, cursor=None, limit=3
    )
    assert changes.next_cursor
    served.keys["feed-cursor"] = changes.next_cursor
    assert run is not None
    served.keys["sync-token"] = feed.sync_token_of(served.store, cursor_key(served.settings), run.version)
    with served.store.write() as conn:
        conn.execute(
            api_keys.insert().values(
                key_id=ADMIN_KEY.split("_")[1], name="schemathesis", scopes="admin", created_at=utcnow(),
                key_hash=hashlib.sha256(ADMIN_KEY.encode()).hexdigest(),
            )
        )  # fmt: skip
    yield served
    shutil.rmtree(HOME, ignore_errors=True)


# schemathesis asks for the key while collecting; it is stored (as its hash) when `contract` fills the store
ADMIN_KEY = f"c360_{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


@schema.auth()
class ApiKey:
    """The admin key, through schemathesis' auth support (so its auth checks know about it)."""

    def get(self, case: Any, context: Any) -> str:
        return ADMIN_KEY

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(max_examples=examples(50), deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_meets_its_contract(case: Any, contract: Served) -> None:
    query = case.query or {}
    is_feed = case.operation.path.endswith("/changes")
    if isinstance(query.get("cursor"), str) and CURSOR.match(query["cursor"]) and len(query["cursor"]) <= 512:
        # a well-formed cursor stays well-formed, and becomes real (each listing issues its own kind)
        query["cursor"] = contract.keys["feed-cursor" if is_feed else "cursor"]
    if isinstance(query.get("sync_token"), str) and CURSOR.match(query["sync_token"]):
        query["sync_token"] = contract.keys["sync-token"]
    case.call_and_validate()
