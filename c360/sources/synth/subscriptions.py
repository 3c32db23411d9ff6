"""subscription_events.jsonl: the event log is kept columnar during the run and formatted once at the end."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from c360.sources.synth import params as P
from c360.sources.synth.encode import (
    SECONDS_PER_DAY,
    ascii_to_arrow,
    in_year_2099,
    iso_with_offsets,
    pick,
    uuid4_ascii,
)
from c360.sources.synth.population import Population

SIGNUP, UPGRADE, DOWNGRADE, CANCEL, PAYMENT = range(5)
STATUSES: Final = ("succeeded", "failed")
BAD_TIMESTAMPS: Final = ("not-a-date", "2026-13-45T99:00:00Z", "")
STRAY_TEXT: Final = ("<html><body>502 Bad Gateway</body></html>", "}{", "event_id=", "\\x00\\x00", "--")
_NULL: Final = pa.scalar(None, pa.string())
_BLOCK: Final = 1 << 20

IDX = NDArray[np.intp]


class EventLog:
    """Accumulates subscription events as column chunks; nothing is formatted until write()."""

    def __init__(self) -> None:
        """Start empty."""
        self._chunks: list[tuple[NDArray[np.int64], ...]] = []

    def add(
        self,
        sub: IDX,
        etype: int,
        secs: NDArray[np.int64],
        plan: NDArray[np.int8],
        cents: NDArray[np.int64] | None = None,
        failed: NDArray[np.bool_] | None = None,
    ) -> None:
        """Record len(sub) events of one type (cents/failed only for payments)."""
        n = len(sub)
        self._chunks.append(
            (
                sub.astype(np.int64),
                np.full(n, etype, np.int64),
                secs.astype(np.int64),
                plan.astype(np.int64),
                np.zeros(n, np.int64) if cents is None else cents.astype(np.int64),
                np.full(n, -1, np.int64) if failed is None else failed.astype(np.int64),
            )
        )

    def columns(self) -> tuple[NDArray[np.int64], ...]:
        """(sub, type, secs, plan, cents, status) of every event so far, in recording order."""
        if not self._chunks:
            return tuple(np.zeros(0, np.int64) for _ in range(6))
        return tuple(np.concatenate(col) for col in zip(*self._chunks, strict=True))


def _frag(key: str, values: pa.Array, quoted: bool = True) -> pa.Array:
    """'"key": "value"' (or unquoted value); null where the value is null so the join skips it."""
    q = '"' if quoted else ""
    return pc.binary_join_element_wise(pa.scalar(f'"{key}": {q}'), values, pa.scalar(q), "")


def _amount_text(cents: NDArray[np.int64]) -> pa.Array:
    """Dollars with two decimals from integer cents, e.g. 1999 -> '19.99', -350 -> '-3.50'."""
    whole = pa.array(np.abs(cents) // 100).cast(pa.string())
    frac = pc.utf8_lpad(pa.array(np.abs(cents) % 100).cast(pa.string()), width=2, padding="0")
    sign = pa.array(np.where(cents < 0, "-", ""))
    return pc.binary_join_element_wise(sign, whole, pa.scalar("."), frac, "")


def _timestamps(
    rng: np.random.Generator, secs: NDArray[np.int64], dirt_ok: NDArray[np.bool_]
) -> tuple[pa.Array, Counter[str]]:
    """ISO strings: ~10 % with a non-UTC offset; bad and 2099 values only where dirt_ok (payments)."""
    n = len(secs)
    counts: Counter[str] = Counter()
    use_offset = rng.random(n) < P.OFFSET_TS_RATE
    offsets = np.asarray(P.OFFSETS_MINUTES, np.int16)[rng.integers(0, len(P.OFFSETS_MINUTES), n)]
    offsets = np.where(use_offset, offsets, 0).astype(np.int16)
    future = dirt_ok & (rng.random(n) < P.FUTURE_TS_RATE)
    secs = np.where(future, in_year_2099(secs), secs)
    text = iso_with_offsets(secs, offsets)
    bad = dirt_ok & ~future & (rng.random(n) < P.BAD_TS_RATE)
    if bad.any():
        values = pa.array([BAD_TIMESTAMPS[i] for i in rng.integers(0, 3, int(bad.sum())).tolist()])
        text = pc.replace_with_mask(text, pa.array(bad), values)
    counts.update(
        json_offset_timestamps=int(use_offset.sum()),
        json_future_timestamps=int(future.sum()),
        json_bad_timestamps=int(bad.sum()),
    )
    return text, counts


def _lines(
    rng: np.random.Generator,
    pop: Population,
    cols: tuple[NDArray[np.int64], ...],
    ids: pa.Array,
    clean: NDArray[np.bool_],
) -> tuple[pa.Array, Counter[str]]:
    """One JSON object string per event (keys in contract order; optional keys skipped when null).

    Timestamp dirt only hits payments outside correction pairs (clean): a lost signup/cancel time would
    make the lifecycle unrecoverable, and a corrected event must stay resolvable by its timestamps.
    """
    sub, etype, secs, plan, cents, status = cols
    n = len(sub)
    is_pay = etype == PAYMENT
    is_signup = etype == SIGNUP
    ts, counts = _timestamps(rng, secs, is_pay & clean)
    extra = rng.random(n) < P.EXTRA_FIELD_RATE
    counts.update(json_extra_fields=int(extra.sum()), nonpositive_payments=int((is_pay & (cents <= 0)).sum()))

    def only(mask: NDArray[np.bool_], values: pa.Array) -> pa.Array:
        return pc.if_else(pa.array(mask), values, _NULL)

    frags = [
        _frag("event_id", ids),
        _frag("subscriber_id", ascii_to_arrow(pop.sid[sub])),
        _frag("event_type", pick(P.EVENT_TYPES, etype)),
        _frag("event_timestamp", ts),
        _frag("plan", pick(P.PLANS, plan)),
        _frag("payment_amount", only(is_pay, _amount_text(cents)), quoted=False),
        _frag("payment_status", only(is_pay, pick(STATUSES, np.maximum(status, 0)))),
        _frag("currency", only(is_pay, pa.array(np.full(n, "USD")))),
        _frag("country", only(is_signup, pick(P.COUNTRIES, pop.country[sub]))),
        _frag("age_band", only(is_signup, pick(P.AGE_BANDS, pop.age_band[sub]))),
        _frag("acquisition_channel", only(is_signup, pick(P.CHANNELS, pop.channel[sub]))),
        _frag("client_version", only(extra, pick(P.CLIENT_VERSIONS, rng.integers(0, 3, n)))),
        _frag("experiment_bucket", only(extra, pick(P.EXPERIMENT_BUCKETS, rng.integers(0, 3, n)))),
    ]
    body = pc.binary_join_element_wise(*frags, ", ", null_handling="skip")
    return pc.binary_join_element_wise(pa.scalar("{"), body, pa.scalar("}"), ""), counts


def write_events(
    path: Path, log: EventLog, pop: Population, window_start: int, rng: np.random.Generator
) -> Counter[str]:
    """Sort, add corrections/duplicates/malformed lines, format and write the JSONL file."""
    sub, etype, secs, plan, cents, status = log.columns()
    # historical signups only for subscribers still active at window start (others never show up)
    keep = (secs >= window_start * SECONDS_PER_DAY) | (pop.cancel_day[sub] >= window_start)
    cols = tuple(c[keep] for c in (sub, etype, secs, plan, cents, status))
    cols = tuple(c[np.argsort(cols[2], kind="stable")] for c in cols)
    n = len(cols[0])
    counts: Counter[str] = Counter({f"events_{t}": int((cols[1] == i).sum()) for i, t in enumerate(P.EVENT_TYPES)})
    ids = uuid4_ascii(rng, n)
    # "latest wins": a copy with an earlier, wrong timestamp goes out first; the true line follows later
    corr = np.flatnonzero((rng.random(n) < P.CORRECTION_RATE) & (cols[1] != SIGNUP))
    src = np.concatenate([np.arange(n), corr])
    display = cols[2][src].copy()
    display[n:] -= rng.integers(60, 6 * 3600, len(corr))
    order = src[np.argsort(display, kind="stable")]
    display = np.sort(display, kind="stable")
    clean = ~np.isin(order, corr)
    base = tuple(c[order] for c in cols)
    base = (*base[:2], display, *base[3:])
    parts = []
    # formatted in blocks: 32-bit Arrow string offsets would overflow on very long runs
    for lo in range(0, max(len(order), 1), _BLOCK):
        block = tuple(c[lo : lo + _BLOCK] for c in base)
        ids_block = ascii_to_arrow(ids[order[lo : lo + _BLOCK]])
        part, fmt_counts = _lines(rng, pop, block, ids_block, clean[lo : lo + _BLOCK])
        parts.append(part.cast(pa.large_string()))
        counts.update(fmt_counts)
    lines = pa.concat_arrays(parts)
    counts["json_corrections"] = len(corr)
    lines = _interleave_dirt(rng, lines, clean, counts)
    counts["subscription_events"] = len(lines)
    _write_lines(path, lines)
    return counts


def _write_lines(path: Path, lines: pa.Array) -> None:
    """Write each string followed by '\\n' (64-bit offsets: long runs can exceed 2 GiB of text)."""
    empty, newline = pa.scalar("", pa.large_string()), pa.scalar("\n", pa.large_string())
    text = pc.binary_join_element_wise(lines, empty, newline)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    data = text.buffers()[2]
    with path.open("wb") as f:
        if data is not None:
            f.write(memoryview(data)[offsets[0] : offsets[-1]])


def _interleave_dirt(
    rng: np.random.Generator, lines: pa.Array, clean: NDArray[np.bool_], counts: Counter[str]
) -> pa.Array:
    """Verbatim repeats a little later (never of a correction pair), and malformed lines (never last)."""
    n = len(lines)
    dup = np.flatnonzero((rng.random(n) < P.DUP_RATE) & clean)
    n_bad = int(rng.binomial(n, P.MALFORMED_RATE)) if n > 1 else 0
    sources = rng.integers(0, n, n_bad)
    bad_text = []
    for src, cut, kind in zip(
        sources.tolist(), rng.random(n_bad).tolist(), rng.integers(0, 3, n_bad).tolist(), strict=True
    ):
        line = lines[src].as_py()
        # two of three are truncated objects, one stray text
        bad_text.append(STRAY_TEXT[src % len(STRAY_TEXT)] if kind == 0 else line[: max(1, int(len(line) * cut * 0.9))])
    key = np.concatenate(
        [
            np.arange(n, dtype=np.float64),
            dup + rng.integers(1, P.DUP_MAX_SHIFT + 1, len(dup)) + 0.5,
            rng.uniform(0, n - 1, n_bad) if n_bad else np.zeros(0),
        ]
    )
    all_lines = pa.concat_arrays([lines, lines.take(pa.array(dup)), pa.array(bad_text, pa.large_string())])
    counts.update(json_duplicates=len(dup), json_malformed=n_bad)
    return all_lines.take(pa.array(np.argsort(key, kind="stable")))
