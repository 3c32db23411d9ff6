"""Vectorised encoders: UUID v4 strings, ISO 8601 timestamps and categorical string columns.

Everything works on fixed-width ASCII byte matrices (one row per value) that become Arrow string arrays
without a per-value Python object, which is what keeps scale 10 within minutes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

SECONDS_PER_DAY: Final = 86_400
UUID_WIDTH: Final = 36
_HEX: Final = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# positions of the 32 hex digits inside the 36-character canonical form
_HEX_POS: Final = np.array([i for i in range(UUID_WIDTH) if i not in (8, 13, 18, 23)], dtype=np.intp)

U8 = NDArray[np.uint8]
I64 = NDArray[np.int64]


def uuid4_ascii(rng: np.random.Generator, n: int) -> U8:
    """n random UUID v4 strings as an (n, 36) ASCII matrix (version nibble 4, RFC 4122 variant)."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = np.empty((n, 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    out = np.full((n, UUID_WIDTH), ord("-"), dtype=np.uint8)
    out[:, _HEX_POS] = digits
    return out


def ascii_to_arrow(matrix: U8) -> pa.StringArray:
    """Wrap an (n, width) ASCII matrix as an Arrow string array without copying per value."""
    n, width = matrix.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(matrix)
    arr = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    assert isinstance(arr, pa.StringArray)
    return arr


@lru_cache(maxsize=1)
def _time_of_day_table() -> U8:
    """'HH:MM:SS' for every second of a day, formatted once with pyarrow.compute.strftime."""
    secs = pa.array(np.arange(SECONDS_PER_DAY, dtype=np.int64), type=pa.timestamp("s"))
    text = pc.strftime(secs, format="%H:%M:%S")
    table = np.frombuffer(text.buffers()[2], dtype=np.uint8)[: SECONDS_PER_DAY * 8]
    return table.reshape(SECONDS_PER_DAY, 8)


_FIRST_DAY: Final = -366  # day table covers 1969-01-01 .. 2100-12-31
_LAST_DAY: Final = int(np.datetime64("2100-12-31", "D").astype(np.int64))


@lru_cache(maxsize=1)
def _day_table() -> U8:
    """'YYYY-MM-DD' for every day of the supported range, formatted once."""
    return _format_days(np.arange(_FIRST_DAY, _LAST_DAY + 1, dtype=np.int64))


def _date_matrix(days: I64) -> U8:
    """(n, 10) 'YYYY-MM-DD' per element of days-since-epoch (table lookup; formatting outside the range)."""
    if len(days) and (days.min() < _FIRST_DAY or days.max() > _LAST_DAY):
        uniq, inverse = np.unique(days, return_inverse=True)
        return _format_days(uniq)[inverse.reshape(-1)]
    return _day_table()[days - _FIRST_DAY]


def _format_days(days: I64) -> U8:
    """(n, 10) ASCII 'YYYY-MM-DD' for days since epoch."""
    text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype("S10")
    return np.frombuffer(text.tobytes(), dtype=np.uint8).reshape(len(days), 10)


def local_iso_ascii(secs: I64) -> U8:
    """(n, 19) 'YYYY-MM-DDTHH:MM:SS' for epoch seconds (no zone designator)."""
    secs = np.asarray(secs, dtype=np.int64)
    out = np.empty((len(secs), 19), dtype=np.uint8)
    out[:, :10] = _date_matrix(secs // SECONDS_PER_DAY)
    out[:, 10] = ord("T")
    out[:, 11:] = _time_of_day_table()[secs % SECONDS_PER_DAY]
    return out


def utc_iso_ascii(secs: I64) -> U8:
    """(n, 20) 'YYYY-MM-DDTHH:MM:SSZ' for epoch seconds."""
    out = np.empty((len(secs), 20), dtype=np.uint8)
    out[:, :19] = local_iso_ascii(secs)
    out[:, 19] = ord("Z")
    return out


def offset_suffix(minutes: int) -> str:
    """'+02:00' / '-05:00' / '+05:30' for an offset in minutes east of UTC."""
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def iso_with_offsets(secs: I64, offset_min: NDArray[np.int16]) -> pa.StringArray:
    """ISO 8601 strings: 'Z' where offset_min == 0, else local wall time plus '+HH:MM' (same instant)."""
    local = local_iso_ascii(np.asarray(secs, dtype=np.int64) + offset_min.astype(np.int64) * 60)
    uniq, inverse = np.unique(offset_min, return_inverse=True)
    suffixes = pa.array(["Z" if m == 0 else offset_suffix(int(m)) for m in uniq.tolist()], type=pa.string())
    suffix = suffixes.take(pa.array(inverse.reshape(-1).astype(np.int32)))
    joined = pc.binary_join_element_wise(ascii_to_arrow(local), suffix, "")
    assert isinstance(joined, pa.StringArray)
    return joined


def pick(vocab: tuple[str, ...] | list[str], codes: NDArray[np.integer]) -> pa.StringArray:
    """Arrow strings vocab[codes] (a dictionary take, no per-value Python objects)."""
    arr = pa.array(list(vocab), type=pa.string()).take(pa.array(np.asarray(codes, dtype=np.int32)))
    assert isinstance(arr, pa.StringArray)
    return arr


def weighted_codes(rng: np.random.Generator, weights: tuple[float, ...], n: int) -> NDArray[np.int8]:
    """n category codes drawn with the given (normalised here) weights."""
    p = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1).astype(np.int8)


_Y2099: Final = int(np.datetime64("2099-01-01T00:00:00", "s").astype(np.int64))


def in_year_2099(secs: I64) -> I64:
    """The same offset into the year, in 2099 (29 Feb becomes 1 Mar: still a valid instant)."""
    year_start = np.asarray(secs, "datetime64[s]").astype("datetime64[Y]").astype("datetime64[s]")
    return np.asarray(secs, np.int64) - year_start.astype(np.int64) + _Y2099
