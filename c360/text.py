"""The text policy: a lone surrogate or a NUL character never reaches a store or a log line.

Python strings can hold both, but DuckDB's JSON parser refuses a lone surrogate ("no low
surrogate"), PostgreSQL refuses NUL in text, and UTF-8 encoders fail on a surrogate. Every
boundary applies this module: input is *refused* with ``problem``/``first_problem`` (an event, a
line of a file: rejected with the reason, the rest goes on), text we only record (a receiver's
answer, an error message, a warehouse value on its way to the serving store) is *cleaned*.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

REPLACEMENT = "\ufffd"
_BAD = re.compile("[\x00\ud800-\udfff]")


def problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    found = _BAD.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else "a lone surrogate"
    return f"contains {what} (U+{ord(char):04X}) at position {found.start()}"


def first_problem(value: Any, where: str = "") -> str | None:
    """The first string (key or value) in a JSON-like value that cannot be stored, as ``field: reason``."""
    if isinstance(value, str):
        reason = problem(value)
        return f"{where}: {reason}" if reason and where else reason
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (reason := problem(key)):
                return f"a key of {where or 'the object'} {reason}"
            if reason := first_problem(item, f"{where}.{key}" if where else str(key)):
                return reason
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            if reason := first_problem(item, f"{where}[{index}]"):
                return reason
    return None


def clean(text: str) -> str:
    """``text`` with every NUL and lone surrogate replaced by U+FFFD (for text we record, not judge)."""
    return _BAD.sub(REPLACEMENT, text)


def clean_optional(text: str | None) -> str | None:
    """``clean`` for a nullable column."""
    return None if text is None else clean(text)


def screen_rows(
    rows: Sequence[Mapping[str, Any]], *, key: str, lengths: Mapping[str, int] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows fit for a store: strings cleaned and clipped to their column's length (``lengths``), and a row
    whose ``key`` cannot be stored as it is set aside.

    Returns the rows kept and one reason per row set aside (naming the column, never the value).
    """
    lengths = lengths or {}
    kept: list[dict[str, Any]] = []
    set_aside: list[str] = []
    for row in rows:
        identity = row.get(key)
        reason = problem(identity) if isinstance(identity, str) else None
        if isinstance(identity, str) and key in lengths and len(identity) > lengths[key]:
            reason = f"longer than {lengths[key]} characters"
        if reason:
            set_aside.append(f"{key}: {reason}")
            continue
        kept.append(fit_row(row, lengths))
    return kept, set_aside


def fit_row(row: Mapping[str, Any], lengths: Mapping[str, int]) -> dict[str, Any]:
    """``row`` fit for a store: strings cleaned (inside JSON values too) and clipped to their column's length."""
    if _fits_already(row, lengths):
        return dict(row)
    return {k: _fit(v, lengths.get(k)) if isinstance(v, str) else clean_json(v) for k, v in row.items()}


def _fits_already(row: Mapping[str, Any], lengths: Mapping[str, int]) -> bool:
    # The usual row needs nothing, and a publish screens tens of thousands of them: one search over its strings
    # joined (a character class cannot match across the joins) and one over each JSON value's, instead of a
    # call per value and per string inside the values.
    values = row.values()
    if _BAD.search("".join([v for v in values if isinstance(v, str)])):
        return False
    for name, length in lengths.items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > length:
            return False
    return all(_clean_already(v) for v in values if isinstance(v, list | dict))


def clean_json(value: Any) -> Any:
    """Every string inside a JSON-like value (lists, dicts, keys included) cleaned; other values (and keys that are
    not strings, which JSON's encoder converts when the value is stored) as they are. ``value`` itself when
    nothing in it needs cleaning."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list | dict) and _clean_already(value):
        return value
    return _cleaned(value)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: _cleaned(v) for k, v in value.items()}
    return value


def _clean_already(value: list[Any] | dict[Any, Any]) -> bool:
    """True when ``value`` is a dict of scalars, or a list of such dicts and scalars (a score's drivers), and no
    string in it (keys included) holds a NUL or a lone surrogate, so cleaning would give an equal value; False
    sends it to the walk. One search over the strings joined (a character class cannot match across the joins)
    instead of a call per string: a score's drivers hold about 50."""
    strings: list[str] = []
    for item in value if isinstance(value, list) else (value,):
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(inner, list | dict):
                    return False
                if isinstance(key, str):
                    strings.append(key)
                if isinstance(inner, str):
                    strings.append(inner)
        elif isinstance(item, list):
            return False
        elif isinstance(item, str):
            strings.append(item)
    return _BAD.search("".join(strings)) is None


def _fit(text: str, length: int | None) -> str:
    text = clean(text)
    return text if length is None or len(text) <= length else text[: length - 1] + "…"


_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@]*@")


# query parameters that carry a secret in our drivers' URLs: libpq's password, Snowflake's password, token,
# private key and its passphrase (SQLAlchemy's hide_password masks only the user:password@ part)
_SECRET_QUERY = re.compile(r"([?&](?:password|passwd|pwd|token|secret|private_key\w*)=)[^&#\s]*", re.IGNORECASE)


def masked_url(raw: str) -> str:
    """A URL as it may be shown in an error: the password between ``user:`` and ``@``, and a secret given as a
    query parameter (``?password=``), masked, even when the URL does not parse (an error message must never
    carry a secret)."""
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub(r"\1***@", raw))
