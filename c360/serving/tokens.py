"""Signed, opaque tokens: the change feed's sync tokens and page cursors.

Format: ``base64url(json payload) "." base64url(hmac_sha256(kind + payload)[:16])``. The kind is part of
what is signed, so a page cursor is never accepted as a sync token or the other way round; anything
not signed with this deployment's key (tampered, truncated, another deployment's) reads as None, and
the caller answers with the precise problem.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

MAX_INT = 2**31  # every number in a token fits the stores' 32-bit integer columns
# What the contract accepts: a base64url payload, ".", and the 22 base64url characters of a 16-byte signature
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,489}\.[A-Za-z0-9_-]{22}$"  # noqa: S105 - a regex, not a secret


def sign(kind: str, payload: dict[str, Any], key: bytes) -> str:
    """``payload`` as an opaque URL-safe token of ``kind``."""
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(_mac(kind, body, key))}"


def verify(kind: str, token: str, key: bytes) -> dict[str, Any] | None:
    """The payload of a token of ``kind`` signed with ``key``; None for anything else."""
    body, _, signature = token.partition(".")
    try:
        if not hmac.compare_digest(_unb64(signature), _mac(kind, body, key)):
            return None
        payload = json.loads(_unb64(body))
    except (binascii.Error, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def integer(payload: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
    """``payload[name]`` when it is a non-negative integer in range (None when absent and optional)."""
    value = payload.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_INT:
        raise ValueError(name)
    return value


def _mac(kind: str, body: str, key: bytes) -> bytes:
    return hmac.new(key, f"{kind}:{body}".encode(), hashlib.sha256).digest()[:16]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
