"""Opaque paging cursors for /v1/health-scores: the pinned run and the last subscriber id, signed.

Format: ``base64url(json {"r": run_seq, "a": after_id}) "." base64url(hmac_sha256(payload)[:12])``.
Pinning the run is what makes paging exactly-once across a publish; the signature turns a tampered
or truncated cursor into a precise 400 instead of a wrong page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

from c360.serving.errors import InvalidRequest
from c360.settings import Settings
from c360.text import problem

MAX_RUN_SEQ = 2**31 - 1
# The contract's pattern: a base64url payload, ".", and 16 base64url characters of signature (12 bytes)
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,495}\.[A-Za-z0-9_-]{16}$"


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after ``after`` in run ``run_seq``."""

    run_seq: int
    after: str


def cursor_key(settings: Settings) -> bytes:
    """The signing key: derived from C360_SECRET_KEY (checked by the settings class)."""
    return hashlib.sha256(b"c360-cursor:" + settings.master_key.encode()).digest()


def encode(cursor: Cursor, key: bytes) -> str:
    """The cursor as an opaque URL-safe string."""
    payload = _b64(json.dumps({"r": cursor.run_seq, "a": cursor.after}, separators=(",", ":")).encode())
    return f"{payload}.{_b64(_sign(payload, key))}"


def decode(text: str, key: bytes) -> Cursor:
    """The cursor a previous page returned; InvalidRequest for anything else."""
    payload, _, signature = text.partition(".")
    try:
        valid = hmac.compare_digest(_unb64(signature), _sign(payload, key))
        data = json.loads(_unb64(payload)) if valid else None
    except (binascii.Error, ValueError):
        data = None
    if not isinstance(data, dict) or not _in_range(data.get("r")) or not _id_like(data.get("a")):
        # a signed cursor can still be bad when signed with the (public) development key
        raise InvalidRequest("cursor is not one this API returned; pass next_cursor from the previous page unchanged")
    return Cursor(data["r"], data["a"])


def _in_range(run_seq: object) -> bool:
    # served_runs.seq is a 32-bit INTEGER in PostgreSQL: a larger number fails the query, not the page
    return isinstance(run_seq, int) and not isinstance(run_seq, bool) and 0 <= run_seq <= MAX_RUN_SEQ


def _id_like(after: object) -> bool:
    return isinstance(after, str) and len(after) <= 64 and problem(after) is None


def _sign(payload: str, key: bytes) -> bytes:
    return hmac.new(key, payload.encode(), hashlib.sha256).digest()[:12]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
