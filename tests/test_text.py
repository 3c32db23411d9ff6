"""The text policy's row screening (c360.text): the one-pass check of a row must decide as the walk of its values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from c360.text import REPLACEMENT, clean_json, fit_row
from tests.conftest import examples
from tests.hostile import hostile_text, json_scalar

_json = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
_LENGTHS = {"plan": 8, "subscriber_id": 64}


def _walked(value: Any) -> Any:
    """The reference: every string cleaned by a plain walk (the policy as c360.text states it)."""
    if isinstance(value, str):
        return "".join(REPLACEMENT if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in value)
    if isinstance(value, list):
        return [_walked(item) for item in value]
    if isinstance(value, dict):
        return {_walked(k) if isinstance(k, str) else k: _walked(v) for k, v in value.items()}
    return value


@settings(max_examples=examples(300), deadline=None)
@given(_json)
def test_property_a_json_value_comes_out_as_a_walk_of_its_strings_would_leave_it(value: Any) -> None:
    assert clean_json(value) == _walked(value)


@settings(max_examples=examples(300), deadline=None)
@given(hostile_text, hostile_text, _json)
def test_property_a_row_is_fit_as_each_of_its_values_would_be(plan: str, sid: str, drivers: Any) -> None:
    day, now = date(2026, 11, 25), datetime(2026, 11, 25, 6, tzinfo=UTC)
    row = {"subscriber_id": sid, "plan": plan, "score_date": day, "scored_at": now, "score": 0.5, "drivers": drivers}
    fitted = fit_row(row, _LENGTHS)
    clipped = _walked(plan)
    assert fitted["plan"] == (clipped if len(clipped) <= 8 else clipped[:7] + "…")
    assert fitted["subscriber_id"] == (_walked(sid) if len(_walked(sid)) <= 64 else _walked(sid)[:63] + "…")
    assert fitted["drivers"] == _walked(drivers)
    assert fitted["score_date"] is day and fitted["scored_at"] is now and fitted["score"] == 0.5
    assert fitted is not row  # a new row: the caller's is never changed


def test_a_clean_row_is_kept_and_a_nul_or_surrogate_anywhere_in_it_is_replaced() -> None:
    drivers = [{"feature": "plan", "value": "basic", "contribution": 0.2, "importance": None}]
    row = {"subscriber_id": "sub-1", "plan": "basic", "drivers": drivers}
    assert fit_row(row, _LENGTHS) == row
    for dirty, expected in (
        ({"value": "ba\x00sic"}, {"value": f"ba{REPLACEMENT}sic"}),
        ({"value": "ba\ud800sic"}, {"value": f"ba{REPLACEMENT}sic"}),
        ({"fea\udfffture": 1}, {f"fea{REPLACEMENT}ture": 1}),
        ({"value": "a literal \\u0000 stays"}, {"value": "a literal \\u0000 stays"}),  # only the walk's cost
    ):
        assert fit_row(row | {"drivers": [dirty]}, _LENGTHS)["drivers"] == [expected]
