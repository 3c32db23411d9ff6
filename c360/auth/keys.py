"""API keys: created and shown once, stored only as a SHA-256, checked in constant time.

A key reads ``c360_<key_id>_<secret>``: ``key_id`` (8 hex digits) is the lookup prefix stored in
clear, ``secret`` is 32 random bytes (``secrets.token_urlsafe``). With that much entropy a plain
SHA-256 is a safe hash (no salt or slow hash needed: there is nothing to brute-force).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from c360.errors import ConfigError
from c360.serving.errors import KeyNotFound, Unauthorized
from c360.serving.store import Store, UTCDateTime, metadata, utcnow

SCOPES = ("scores:read", "profiles:read", "webhooks:manage", "events:write", "analytics:read", "admin")
_KEY = re.compile(r"^c360_(?P<key_id>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[\w .:@-]{1,100}$")

# API keys: only a SHA-256 of the key is stored; key_id is the lookup prefix printed in the key.
api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("key_id", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("scopes", sa.String(200), nullable=False),  # comma-separated
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)


@dataclass(frozen=True)
class ApiKey:
    """A stored key (never its secret)."""

    key_id: str
    name: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None = None

    def allows(self, scope: str) -> bool:
        """Whether the key may use an operation needing ``scope`` (``admin`` may use all)."""
        return scope in self.scopes or "admin" in self.scopes


def create_key(store: Store, *, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key: the stored record and the key itself, which exists nowhere else afterwards."""
    if not _NAME.match(name):
        raise ConfigError(f"invalid key name {name!r}: 1-100 letters, digits, spaces or .:@_-")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ConfigError(f"invalid scopes {', '.join(unknown) or '(none)'}: choose from {', '.join(SCOPES)}")
    key_id, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    raw = f"c360_{key_id}_{secret}"
    record = ApiKey(key_id, name, frozenset(scopes), utcnow())
    with store.write() as conn:
        conn.execute(
            api_keys.insert().values(
                key_id=key_id,
                name=name,
                key_hash=_digest(raw),
                scopes=",".join(s for s in SCOPES if s in record.scopes),
                created_at=record.created_at,
            )
        )
    return record, raw


def list_keys(store: Store) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first."""
    with store.read() as conn:
        rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)).all()
    return [_record(row) for row in rows]


def revoke_key(store: Store, *, key_id: str) -> ApiKey:
    """Revoke a key by its id (the 8 hex digits after ``c360_``); revoking twice keeps the first time."""
    with store.write() as conn:
        row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
        if row is None:
            raise KeyNotFound(f"no API key with id {key_id!r}; `c360 keys list` shows them")
        if row.revoked_at is None:
            conn.execute(api_keys.update().where(api_keys.c.key_id == key_id).values(revoked_at=utcnow()))
        row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).one()
    return _record(row)


def lookup(store: Store, key_id: str) -> tuple[ApiKey, str] | None:
    """The stored record and hash of ``key_id`` (None: no such key)."""
    with store.read() as conn:
        row = conn.execute(sa.select(api_keys).where(api_keys.c.key_id == key_id)).first()
    return (_record(row), row.key_hash) if row else None


def key_id_of(raw: str) -> str:
    """The lookup prefix of a presented key; Unauthorized when it is not shaped like one of ours."""
    match = _KEY.match(raw)
    if match is None:
        raise Unauthorized("the API key is malformed")
    return match.group("key_id")


def check(raw: str, record: ApiKey, stored_hash: str) -> ApiKey:
    """``record`` if ``raw`` is its key and it is not revoked; Unauthorized otherwise."""
    if not hmac.compare_digest(_digest(raw), stored_hash):
        raise Unauthorized("the API key is not valid")
    if record.revoked_at is not None:
        raise Unauthorized("the API key has been revoked")
    return record


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _record(row: sa.Row[tuple[object, ...]]) -> ApiKey:
    return ApiKey(row.key_id, row.name, frozenset(row.scopes.split(",")), row.created_at, row.revoked_at)
