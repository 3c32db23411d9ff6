"""content_engagement.csv: one day of reads (plus crawler sessions and dirt) at a time, streamed to disk."""

from __future__ import annotations

import queue
import threading
from collections import Counter
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from c360.sources.synth import params as P
from c360.sources.synth import vocab
from c360.sources.synth.encode import (
    SECONDS_PER_DAY,
    ascii_to_arrow,
    in_year_2099,
    pick,
    utc_iso_ascii,
    uuid4_ascii,
    weighted_codes,
)
from c360.sources.synth.population import Population

HEADER: Final = (
    "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,"
    "device_type,user_agent,referrer,article_metadata,utm_campaign"
)
BAD_TIMESTAMPS: Final = ("not-a-date", "2026-13-45T99:00:00Z", "")
_DESKTOP: Final = P.DEVICES.index("desktop")
_NEWSLETTER_SOCIAL: Final = (P.REFERRERS.index("newsletter"), P.REFERRERS.index("social"))

IDX = NDArray[np.intp]
I64 = NDArray[np.int64]


def truncated_normal_int(rng: np.random.Generator, n: int, mean: float, sd: float, low: int) -> I64:
    """Integers round(x), x ~ NORMAL(mean, sd) resampled until x >= low (loops over rounds, not values)."""
    x = rng.normal(mean, sd, n)
    bad = np.flatnonzero(x < low)
    while len(bad):
        x[bad] = rng.normal(mean, sd, len(bad))
        bad = bad[x[bad] < low]
    return np.rint(x).astype(np.int64)


def zipf_articles(rng: np.random.Generator, n: int) -> I64:
    """0-based article indices, P(k) ~ (k+1)^-s, by inverse CDF over the bounded support."""
    return np.minimum(np.searchsorted(vocab.zipf_cdf(), rng.random(n), side="right"), P.N_ARTICLES - 1)


class Rows:
    """Column arrays of one day's engagement rows (before formatting)."""

    def __init__(self, sub: IDX, secs: I64, article: I64, spent: I64, device: I64, ua: I64, ref: I64) -> None:
        """Hold the columns; utm (-1 = none) is filled in later."""
        self.sub, self.secs, self.article, self.spent = sub, secs, article, spent
        self.device, self.ua, self.ref = device, ua, ref
        self.utm = np.full(len(sub), -1, np.int64)

    def concat(self, other: Rows) -> Rows:
        """Rows of self followed by other."""
        cols = [np.concatenate([a, b]) for a, b in zip(self._cols(), other._cols(), strict=True)]
        out = Rows(*cols[:7])
        out.utm = cols[7]
        return out

    def take(self, order: IDX) -> Rows:
        """Rows reordered / subset by integer index."""
        cols = [c[order] for c in self._cols()]
        out = Rows(*cols[:7])
        out.utm = cols[7]
        return out

    def _cols(self) -> list[NDArray[np.int64] | IDX]:
        """The columns in constructor order, utm last."""
        return [self.sub, self.secs, self.article, self.spent, self.device, self.ua, self.ref, self.utm]


def reader_rows(rng: np.random.Generator, pop: Population, idx: IDX, counts: I64, day: int) -> Rows:
    """Human reads: counts[j] reads by subscriber idx[j] on `day`, uniform in the day after any signup."""
    sub = np.repeat(idx, counts)
    n = len(sub)
    lo = np.where(pop.signup_day[sub] == day, pop.signup_sec[sub], 0).astype(np.int64)
    secs = day * SECONDS_PER_DAY + lo + (rng.random(n) * (SECONDS_PER_DAY - lo)).astype(np.int64)
    spent = truncated_normal_int(rng, n, P.TIME_SPENT_MEAN, P.TIME_SPENT_SD, 1)
    loyal = rng.random(n) < P.DEVICE_LOYALTY
    device = np.where(loyal, pop.device[sub], weighted_codes(rng, P.DEVICE_WEIGHTS, n)).astype(np.int64)
    start, size = vocab.ua_slices()
    ua = start[device] + (rng.random(n) * size[device]).astype(np.int64)
    ref = weighted_codes(rng, P.REFERRER_WEIGHTS, n).astype(np.int64)
    rows = Rows(sub, secs, zipf_articles(rng, n), spent, device, ua, ref)
    campaign = np.isin(ref, _NEWSLETTER_SOCIAL) & (rng.random(n) < P.UTM_SHARE)
    rows.utm = np.where(campaign, rng.integers(0, len(P.UTM_CAMPAIGNS), n), -1)
    return rows


def bot_rows(rng: np.random.Generator, active: IDX, n_human: int, day: int) -> Rows:
    """Crawler sessions under real subscriber ids: bursts of uniform article hits of 1-3 seconds."""
    mean_len = (P.BOT_SESSION_MIN + P.BOT_SESSION_MAX) / 2
    n_sessions = int(rng.poisson(n_human * P.BOT_ROW_RATE / (1 - P.BOT_ROW_RATE) / mean_len))
    if n_sessions == 0 or len(active) == 0:
        empty = np.zeros(0, np.int64)
        return Rows(empty.astype(np.intp), empty, empty, empty, empty, empty, empty)
    lengths = rng.integers(P.BOT_SESSION_MIN, P.BOT_SESSION_MAX + 1, n_sessions)
    session = np.repeat(np.arange(n_sessions), lengths)
    n = len(session)
    # within-session clock: cumulative 1-6 s steps restarted at each session start
    steps = rng.integers(1, 7, n)
    clock = np.cumsum(steps)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    clock -= np.repeat(clock[first] - steps[first], lengths)
    start = rng.integers(0, SECONDS_PER_DAY, n_sessions)
    secs = day * SECONDS_PER_DAY + np.minimum(start[session] + clock, SECONDS_PER_DAY - 1)
    ua_start = vocab.ua_slices()[0][-1]
    ua = ua_start + rng.integers(0, len(vocab.BOT_USER_AGENTS), n_sessions)[session]
    sub = active[rng.integers(0, len(active), n_sessions)][session]
    ref = np.where(rng.random(n) < 0.5, P.REFERRERS.index("direct"), P.REFERRERS.index("internal"))
    device = np.full(n, _DESKTOP, np.int64)
    return Rows(sub, secs, rng.integers(0, P.N_ARTICLES, n), rng.integers(1, 4, n), device, ua, ref)


class _Sink(threading.Thread):
    """Encodes and writes queued blocks in order, so CSV encoding and disk I/O overlap the simulation."""

    def __init__(self, path: Path) -> None:
        """Create (truncate) the file with its header; blocks follow via queue, None ends the thread."""
        super().__init__(name="c360-csv-sink", daemon=True)
        self.queue: queue.Queue[list[pa.Table | bytes] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self._path = path
        path.write_bytes(HEADER.encode() + b"\n")

    def run(self) -> None:
        """Append every block; on failure keep draining so the producer never blocks, report on close."""
        options = pacsv.WriteOptions(include_header=False)
        try:
            with self._path.open("ab") as f:
                while (block := self.queue.get()) is not None:
                    for part in block:
                        if isinstance(part, bytes):
                            f.write(part)
                            continue
                        buf = pa.BufferOutputStream()
                        pacsv.write_csv(part, buf, options)
                        f.write(memoryview(buf.getvalue()))
        except BaseException as exc:  # re-raised in the producer by EngagementWriter.close()
            self.error = exc
            while self.queue.get() is not None:
                pass


class EngagementWriter:
    """Streams content_engagement.csv day by day; keeps only dirt counters between days."""

    def __init__(self, path: Path, rng: np.random.Generator) -> None:
        """Write the exact header line and start the background sink."""
        self.path = path
        self.rng = rng
        self.counts: Counter[str] = Counter()
        self._uas = pa.array(vocab.all_user_agents(), type=pa.string())
        self._sink = _Sink(path)
        self._sink.start()

    def close(self) -> None:
        """Wait until everything queued is on disk; raise what the sink hit, if anything."""
        self._sink.queue.put(None)
        self._sink.join()
        if self._sink.error is not None:
            raise self._sink.error

    def write_day(self, pop: Population, rows: Rows, n_bots: int) -> None:
        """Sort one day's rows by time, add dirt, format and queue them for writing."""
        rng = self.rng
        rows = rows.take(np.argsort(rows.secs, kind="stable"))
        n = len(rows.sub)
        future = rng.random(n) < P.FUTURE_TS_RATE
        ts = utc_iso_ascii(np.where(future, in_year_2099(rows.secs), rows.secs))
        ts_arr: pa.Array = ascii_to_arrow(ts)
        bad = (rng.random(n) < P.BAD_TS_RATE) & ~future
        if bad.any():
            values = pa.array([BAD_TIMESTAMPS[i] for i in rng.integers(0, 3, int(bad.sum())).tolist()])
            ts_arr = pc.replace_with_mask(ts_arr, pa.array(bad), values)
        utm = pick(P.UTM_CAMPAIGNS, np.maximum(rows.utm, 0))
        utm = pc.if_else(pa.array(rows.utm >= 0), utm, pa.scalar(None, pa.string()))
        table = pa.table(
            {
                "event_id": ascii_to_arrow(uuid4_ascii(rng, n)),
                "subscriber_id": ascii_to_arrow(pop.sid[rows.sub]),
                "article_id": vocab.article_ids().take(pa.array(rows.article)),
                "event_timestamp": ts_arr,
                "time_spent_seconds": pa.array(rows.spent, pa.int32()),
                "device_type": pick(P.DEVICES, rows.device),
                "user_agent": self._uas.take(pa.array(rows.ua)),
                "referrer": pick(P.REFERRERS, rows.ref),
                "article_metadata": vocab.article_metadata().take(pa.array(rows.article)),
                "utm_campaign": utm,
            }
        )
        table = self._with_duplicates(table)
        blocks = self._with_broken_lines(table)
        self._sink.queue.put(blocks)
        self.counts.update(
            content_engagement=table.num_rows + sum(isinstance(b, bytes) for b in blocks),
            csv_bot_rows=n_bots,
            csv_future_timestamps=int(future.sum()),
            csv_bad_timestamps=int(bad.sum()),
            csv_utm_campaign=int((rows.utm >= 0).sum()),
        )

    def _with_duplicates(self, table: pa.Table) -> pa.Table:
        """Repeat ~DUP_RATE of the rows verbatim, each 1..DUP_MAX_SHIFT rows after its original."""
        n = table.num_rows
        dup = np.flatnonzero(self.rng.random(n) < P.DUP_RATE)
        self.counts["csv_duplicates"] += len(dup)
        where = np.minimum(dup + 1 + self.rng.integers(1, P.DUP_MAX_SHIFT + 1, len(dup)), n)
        return table.take(pa.array(np.insert(np.arange(n), where, dup)))

    def _with_broken_lines(self, table: pa.Table) -> list[pa.Table | bytes]:
        """Row blocks with a few lines of a wrong column count between them (never after the last row)."""
        n = table.num_rows
        n_broken = int(self.rng.binomial(n, P.BROKEN_CSV_RATE)) if n else 0
        cuts = np.sort(self.rng.integers(0, max(n, 1), n_broken)).tolist()
        self.counts["csv_broken_lines"] += n_broken
        parts: list[pa.Table | bytes] = []
        prev = 0
        for cut in [*cuts, n]:
            if cut > prev:
                parts.append(table.slice(prev, cut - prev))
            if cut < n:
                parts.append(self._broken_line(table, cut).encode() + b"\n")
            prev = cut
        return parts

    def _broken_line(self, table: pa.Table, row: int) -> str:
        """A row cut short after 4 fields or padded with 3 extra ones (no quotes, so parsing resyncs)."""
        fields = [str(table.column(c)[row].as_py() or "") for c in range(4)]
        if self.rng.random() < 0.5:
            return ",".join(fields)
        spent = str(table.column(4)[row].as_py())
        return ",".join([*fields, spent, "mobile", "Mozilla/5.0", "direct", "{}", "", "x", "y", "z"])
