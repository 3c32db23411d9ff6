"""Opaque paging cursors for /v1/health-scores: the pinned run and the last subscriber id, signed.

A cursor is a signed token (c360.serving.tokens) of ``{"r": run_seq, "a": after_id}``. Pinning the
run is what makes paging exactly-once across a publish; the signature turns a tampered or truncated
cursor into a precise 400 instead of a wrong page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from c360.serving import tokens
from c360.serving.errors import InvalidRequest
from c360.settings import Settings
from c360.text import problem

MAX_RUN_SEQ = 2**31 - 1
CURSOR_PATTERN = tokens.TOKEN_PATTERN  # the contract's pattern of cursors and sync tokens
_KIND = "page"


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after ``after`` in run ``run_seq``."""

    run_seq: int
    after: str


def cursor_key(settings: Settings) -> bytes:
    """The signing key of cursors and sync tokens: derived from C360_SECRET_KEY (checked by the settings class)."""
    return hashlib.sha256(b"c360-cursor:" + settings.master_key.encode()).digest()


def encode(cursor: Cursor, key: bytes) -> str:
    """The cursor as an opaque URL-safe string."""
    return tokens.sign(_KIND, {"r": cursor.run_seq, "a": cursor.after}, key)


def decode(text: str, key: bytes) -> Cursor:
    """The cursor a previous page returned; InvalidRequest for anything else (a signed cursor can still be bad
    when signed with the public development key: its run must fit the store's 32-bit column, its id be an id)."""
    data = tokens.verify(_KIND, text, key)
    run_seq = data.get("r") if data is not None else None
    after = data.get("a") if data is not None else None
    if not _in_range(run_seq) or not _id_like(after):
        raise InvalidRequest("cursor is not one this API returned; pass next_cursor from the previous page unchanged")
    assert isinstance(run_seq, int) and isinstance(after, str)
    return Cursor(run_seq, after)


def _in_range(run_seq: object) -> bool:
    # served_runs.seq is a 32-bit INTEGER in PostgreSQL: a larger number fails the query, not the page
    return isinstance(run_seq, int) and not isinstance(run_seq, bool) and 0 <= run_seq <= MAX_RUN_SEQ


def _id_like(after: object) -> bool:
    return isinstance(after, str) and len(after) <= 64 and problem(after) is None
