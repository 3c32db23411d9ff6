"""API keys: shown once, stored only as a hash, checked in constant time, revocable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from c360.auth import keys
from c360.auth.keys import api_keys
from c360.errors import ConfigError
from c360.serving.errors import KeyNotFound, Unauthorized
from c360.serving.store import Store
from tests.conftest import run_cli


def verify(store: Store, raw: str) -> keys.ApiKey:
    found = keys.lookup(store, keys.key_id_of(raw))
    if found is None:
        raise Unauthorized("unknown")
    return keys.check(raw, *found)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_prints_the_key_once_and_stores_only_its_hash(store: Store) -> None:
    created = run_cli("keys", "create", "--name", "crm sync", "--scopes", "scores:read, profiles:read")
    assert created.returncode == 0, created.stderr
    raw = created.stdout.splitlines()[-1]
    assert raw.startswith("c360_") and raw == created.stdout.strip()  # alone on the last line
    assert verify(store, raw).scopes == {"scores:read", "profiles:read"}
    with store.read() as conn:
        stored = conn.execute(sa.select(api_keys)).one()
    assert raw not in [str(value) for value in stored] and raw.split("_", 2)[2] not in str(tuple(stored))
    listed = run_cli("keys", "list")
    assert stored.key_id in listed.stdout and raw not in listed.stdout
    revoked = run_cli("keys", "revoke", stored.key_id)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    with pytest.raises(Unauthorized, match="revoked"):
        verify(store, raw)
    bad = run_cli("keys", "create", "--name", "x", "--scopes", "scores:write")
    assert bad.returncode == 2 and "scores:write" in bad.stderr


def test_wrong_malformed_and_unknown_keys_are_refused(store: Store) -> None:
    _record, raw = keys.create_key(store, name="a", scopes=["admin"])
    assert verify(store, raw).allows("events:write")  # admin may do everything
    key_id, secret = raw.split("_")[1], raw.split("_", 2)[2]
    tampered = f"c360_{key_id}_{'A' if secret[0] != 'A' else 'B'}{secret[1:]}"
    with pytest.raises(Unauthorized, match="not valid"):
        verify(store, tampered)
    for malformed in ("", "Bearer x", raw + "x", raw.replace("c360_", "c361_"), "c360_zzzzzzzz_" + secret):
        with pytest.raises(Unauthorized):
            verify(store, malformed)
    with pytest.raises(Unauthorized):
        verify(store, f"c360_{'0' * 8 if key_id != '0' * 8 else '1' * 8}_{secret}")  # an id that does not exist


def test_scopes_and_names_are_checked_and_revoking_twice_is_harmless(store: Store) -> None:
    with pytest.raises(ConfigError, match="invalid scopes"):
        keys.create_key(store, name="a", scopes=[])
    with pytest.raises(ConfigError, match="invalid key name"):
        keys.create_key(store, name="<script>", scopes=["scores:read"])
    record, _ = keys.create_key(store, name="b", scopes=["scores:read"])
    assert not record.allows("profiles:read")
    first = keys.revoke_key(store, key_id=record.key_id)
    assert keys.revoke_key(store, key_id=record.key_id).revoked_at == first.revoked_at
    with pytest.raises(KeyNotFound):
        keys.revoke_key(store, key_id="ffffffff")
