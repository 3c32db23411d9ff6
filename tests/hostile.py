"""Hypothesis strategies of hostile input, shared by the property tests: lone surrogates, NUL and other
control characters, quotes and escapes, 10 kB strings, and instants at the edges of the calendar."""

from __future__ import annotations

from hypothesis import strategies as st

EDGE_INSTANTS = [
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1764583200", "2025-11-20t09:15:00z",
    "1899-12-31T23:59:59Z", "2025-02-30T00:00:00Z", "2025-11-20T09:15:00Z",
]  # fmt: skip
_NASTY = ["\x00", "\ud800", "\udfff", "\x01", "\x1f", "\x7f", "\u2028", "\ufeff", "'", '"', "\\", "%", "\n", "é", "😀"]

hostile_char = st.one_of(st.sampled_from(_NASTY), st.characters(codec=None, categories=["L", "N", "P", "Cs", "Cc"]))
hostile_text = st.one_of(
    st.text(hostile_char, max_size=30),
    st.sampled_from(EDGE_INSTANTS),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "\x00", "é"]), st.sampled_from([64, 65, 10_000])),
)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
_known = st.fixed_dictionaries(
    {
        "event_id": hostile_text,
        "subscriber_id": st.one_of(st.just("sub-0001"), hostile_text),
        "event_type": st.sampled_from(["signup", "upgrade", "payment", "refund", "\x00"]),
        "event_timestamp": st.one_of(st.sampled_from(EDGE_INSTANTS), hostile_text),
    },
    optional={
        "plan": hostile_text,
        "payment_amount": json_scalar,
        "nested": st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3), max_leaves=5),
    },
)
# the fields of the contract, then extra keys (schema-on-read keeps them), keys themselves hostile
hostile_event = st.builds(
    lambda known, extra: {**extra, **known}, _known, st.dictionaries(hostile_text, json_scalar, max_size=2)
)
