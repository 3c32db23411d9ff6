"""Opaque paging cursors for /v1/health-scores: the pinned run and the last subscriber id, signed.

A cursor is a signed token (c360.serving.tokens) of ``{"r": run_seq, "a": after_id}``. Pinning the
run is what makes paging exactly-once across a publish; the signature turns a tampered or truncated
cursor into a precise 400 instead of a wrong page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from c360.errors import ConfigError
from c360.serving import tokens
from c360.serving.errors import InvalidRequest
from c360.settings import Settings

# Development only: outside it, C360_SECRET_KEY must be set (cursor_key refuses this default)
_DEVELOPMENT_KEY = b"c360-development-cursor-key"
_KIND = "page"


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after ``after`` in run ``run_seq``."""

    run_seq: int
    after: str


def cursor_key(settings: Settings) -> bytes:
    """The signing key of cursors and sync tokens: derived from C360_SECRET_KEY, which only development
    may leave unset."""
    if settings.secret_key is None:
        if settings.env != "development":
            raise ConfigError(f"C360_SECRET_KEY must be set when C360_ENV is {settings.env}")
        return _DEVELOPMENT_KEY
    return hashlib.sha256(b"c360-cursor:" + settings.secret_key.get_secret_value().encode()).digest()


def encode(cursor: Cursor, key: bytes) -> str:
    """The cursor as an opaque URL-safe string."""
    return tokens.sign(_KIND, {"r": cursor.run_seq, "a": cursor.after}, key)


def decode(text: str, key: bytes) -> Cursor:
    """The cursor a previous page returned; InvalidRequest for anything else."""
    data = tokens.verify(_KIND, text, key)
    try:
        if data is None or not isinstance(data.get("a"), str):
            raise ValueError("a")
        run_seq = tokens.integer(data, "r")
    except ValueError:
        raise InvalidRequest(
            "cursor is not one this API returned; pass next_cursor from the previous page unchanged"
        ) from None
    assert run_seq is not None
    return Cursor(run_seq, data["a"])
