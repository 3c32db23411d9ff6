"""``c360 simulate``: the synthetic world goes on past its generated history, and feeds the system.

The generator is deterministic and simulates day by day, so generating ``days + k`` days to
``as_of + k`` with the same scale and seed replays the same population and history and adds k days
(the ground truth continues with them, for later backtests). Each new day is fed the way the sources
really send it: subscription events posted to the API minute by minute, a content batch dropped in
the landing folder every minute, the support system's ticket export at 02:00 the next day. Files are
written as ``*.tmp`` and renamed, so the worker never loads half a file.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future as Pending
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from c360.ops.landing import folder
from c360.settings import Settings
from c360.sources.formats import CONTENT_ENGAGEMENT, SUPPORT_TICKETS
from c360.sources.generate import generate

MINUTES = 1440
MAX_POST = 1000  # the API's largest batch
Post = Callable[[list[dict[str, Any]]], tuple[int, int]]  # events -> (accepted, rejected)


@dataclass
class Day:
    """One simulated day's source data, ready to feed."""

    day: date
    header: str
    content: list[list[str]]  # CSV lines per minute
    events: list[list[dict[str, Any]]]  # events per minute of their timestamp
    tickets: Path | None  # a Parquet file of the day's tickets


@dataclass
class Ledger:
    """What was fed: every row the sources sent, for accounting (written = loaded + rejected)."""

    content_rows: int = 0
    content_files: int = 0
    events_posted: int = 0
    events_accepted: int = 0
    events_rejected: int = 0
    ticket_rows: int = 0
    days: list[date] = field(default_factory=list)


PROGRESS = "simulate.json"  # in C360_HOME: the days of a generation already fed
HORIZON = 7  # days generated at once: one generation serves this many simulated days


def new_day(scratch: Path, *, scale: float, days: int, seed: int, as_of: date, ahead: int) -> Day:
    """Day ``as_of + ahead`` of the world generated for ``days`` days to ``as_of`` (one generation)."""
    return Future(scratch, scale=scale, days=days, seed=seed, as_of=as_of, horizon=ahead).day(ahead)


@dataclass
class Future:
    """The world past ``as_of``, generated ``horizon`` days at a time.

    Generating a day alone costs as much as generating the whole history again (the generator replays it
    from the seed), so each generation runs ``horizon`` days further and serves all of them: a chunk of
    ``days + k * horizon`` days to ``as_of + k * horizon``, whose days after the previous chunk are the next
    ``horizon`` simulated days. The next chunk is generated in the background while this one is fed.
    """

    scratch: Path
    scale: float
    days: int
    seed: int
    as_of: date
    horizon: int = HORIZON
    _chunks: dict[int, Pending[list[Day]]] = field(default_factory=dict)
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="c360-future"))

    def day(self, ahead: int) -> Day:
        """Day ``as_of + ahead`` (``ahead`` >= 1)."""
        chunk = (ahead - 1) // self.horizon
        for old in [c for c in self._chunks if c < chunk]:
            self._chunks.pop(old).cancel()
        days = self._chunk(chunk).result()
        self._chunk(chunk + 1)  # prefetch: the next horizon generates while these days are fed
        return days[ahead - 1 - chunk * self.horizon]

    def close(self) -> None:
        """Stop prefetching."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _chunk(self, chunk: int) -> Pending[list[Day]]:
        if chunk not in self._chunks:
            self._chunks[chunk] = self._pool.submit(self._generate, chunk)
        return self._chunks[chunk]

    def _generate(self, chunk: int) -> list[Day]:
        last = (chunk + 1) * self.horizon
        out = self.scratch / f"chunk-{chunk}"
        generate(out, scale=self.scale, days=self.days + last, seed=self.seed, as_of=self.as_of + timedelta(days=last))
        first = self.as_of + timedelta(days=chunk * self.horizon + 1)
        wanted = [first + timedelta(days=i) for i in range(self.horizon)]
        header, content = _content_by_day(out / "content_engagement.csv", first, wanted[-1])
        events = _events_by_day(out / "subscription_events.jsonl", first, wanted[-1])
        table = pq.read_table(out / "support_tickets.parquet")
        created = pc.cast(table["created_at"], "timestamp[us]")
        result = []
        for day in wanted:
            lines = content.get(day, [])
            per = -(-len(lines) // MINUTES) if lines else 0
            start, stop = (datetime.combine(d, datetime.min.time()) for d in (day, day + timedelta(days=1)))
            tickets = out / f"tickets-{day}.parquet"
            pq.write_table(table.filter(pc.and_(pc.greater_equal(created, start), pc.less(created, stop))), tickets)
            result.append(Day(day, header, [lines[i * per : (i + 1) * per] for i in range(MINUTES)],
                              events.get(day, [[] for _ in range(MINUTES)]), tickets))  # fmt: skip
        (out / "content_engagement.csv").unlink()  # the history is the warehouse's already; keep the disk free
        return result


def _line_day(line: bytes, last: date) -> date | None:
    """The UTC day of a content line (its 4th field), None when it has none (the generator's dirt)."""
    try:
        stamp = date.fromisoformat(line.split(b",", 4)[3].strip(b'"')[:10].decode())
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    return stamp if stamp <= last else None  # the "future timestamp" dirt is dated 2099


def _content_by_day(path: Path, first: date, last: date) -> tuple[str, dict[date, list[str]]]:
    """The header and the lines of days ``first``..``last`` of a content file written day by day.

    The file is in day order, so a bisection over byte offsets finds where ``first`` begins without
    reading the history; a line without a day of its own (a bad timestamp, say) belongs to the day before it.
    """
    with path.open("rb") as handle:
        header = handle.readline().decode("utf-8").rstrip("\n")
        low, high = handle.tell(), path.stat().st_size
        while high - low > 1 << 16:
            mid = (low + high) // 2
            handle.seek(mid)
            handle.readline()  # the rest of a line cut in the middle
            day = None
            while day is None and handle.tell() < high:
                day = _line_day(handle.readline(), last)
            if day is not None and day < first:
                low = mid
            else:
                high = mid
        handle.seek(low)
        if low > len(header):
            handle.readline()
        days: dict[date, list[str]] = {}
        current: date | None = None
        for raw in handle:
            current = _line_day(raw, last) or current
            if current is not None and current >= first:
                days.setdefault(current, []).append(raw.decode("utf-8").rstrip("\n"))
    return header, days


def _events_by_day(path: Path, first: date, last: date) -> dict[date, list[list[dict[str, Any]]]]:
    """Events of days ``first``..``last``, per minute of their timestamp (dirt of no known day is not replayed)."""
    days: dict[date, list[list[dict[str, Any]]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                event = json.loads(line)
                stamp = datetime.fromisoformat(str(event["event_timestamp"]).replace("Z", "+00:00"))
            except (ValueError, KeyError, TypeError):
                continue
            stamp = stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)
            if first <= stamp.date() <= last:
                minutes = days.setdefault(stamp.date(), [[] for _ in range(MINUTES)])
                minutes[stamp.hour * 60 + stamp.minute].append(event)
    return days


def _drop(directory: Path, name: str, write: Callable[[Path], object]) -> None:
    """Write ``name`` into ``directory`` as a .tmp file, then rename it: never half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (name + ".tmp")
    write(tmp)
    tmp.replace(directory / name)


@dataclass
class Simulator:
    """Feeds simulated days in real or accelerated time (``speed`` 1440: a day a minute; 0: at once)."""

    settings: Settings
    post: Post
    speed: float = 1440.0
    sleep: Callable[[float], None] = time.sleep
    ledger: Ledger = field(default_factory=Ledger)
    report: Callable[[str], None] = print
    batch_minutes: int = 1  # minutes of content per landed file (the seed: 1)
    # At most one post per this many wall-clock seconds (a full batch or the day's last minute excepted):
    # at 1,440 times real time a post per simulated minute is 24 requests a second, past the API's rate limit.
    post_every: float = 1.0
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], datetime] = field(default=partial(datetime.now, UTC))  # the wall clock
    _pending: list[str] = field(default_factory=list)
    _real_time: bool = False  # caught up with the wall clock (said once)
    _events: list[dict[str, Any]] = field(default_factory=list)
    _posted_at: float = float("-inf")

    def feed_minute(self, day: Day, minute: int) -> None:
        """Minute ``minute`` of ``day``: its events to the API, its content batch to the landing folder."""
        self._events.extend(day.events[minute])
        while len(self._events) >= MAX_POST:
            self._post(MAX_POST)
        if self._events and (minute == MINUTES - 1 or self.clock() - self._posted_at >= self.post_every):
            self._post(len(self._events))
        self._pending.extend(day.content[minute])
        if (minute + 1) % self.batch_minutes and minute != MINUTES - 1:
            return
        lines, self._pending = self._pending, []
        if lines:
            stamp = f"{day.day:%Y%m%d}-{minute // 60:02d}{minute % 60:02d}"
            text = "\n".join([day.header, *lines]) + "\n"
            _drop(folder(self.settings, CONTENT_ENGAGEMENT), f"content-{stamp}.csv",
                  lambda p: p.write_text(text, encoding="utf-8"))  # fmt: skip
            self.ledger.content_rows += len(lines)
            self.ledger.content_files += 1

    def _post(self, n: int) -> None:
        batch, self._events = self._events[:n], self._events[n:]
        accepted, rejected = self.post(batch)
        self._posted_at = self.clock()
        self.ledger.events_posted += len(batch)
        self.ledger.events_accepted += accepted
        self.ledger.events_rejected += rejected

    def export_tickets(self, day: Day) -> None:
        """The support system's daily export of ``day`` (at 02:00 the day after)."""
        if day.tickets is None:
            return
        source = day.tickets
        rows = pq.read_metadata(source).num_rows
        _drop(folder(self.settings, SUPPORT_TICKETS), source.name, lambda p: p.write_bytes(source.read_bytes()))
        self.ledger.ticket_rows += rows

    def run_day(self, day: Day) -> None:
        """Feed one day, minute by minute, at ``speed`` but never ahead of the wall clock; its tickets are
        exported at the end."""
        started = time.monotonic()
        accepted, rejected = self.ledger.events_accepted, self.ledger.events_rejected
        for minute in range(MINUTES):
            if self.speed > 0:
                due = started + minute * 60 / self.speed
                if (wait := due - time.monotonic()) > 0:
                    self.sleep(wait)
            self._after_the_minute(day.day, minute)
            self.feed_minute(day, minute)
        self.export_tickets(day)
        self.ledger.days.append(day.day)
        self.report(f"simulate: {day.day}: {sum(map(len, day.events)):,} events posted "
                    f"({self.ledger.events_accepted - accepted:,} accepted, "
                    f"{self.ledger.events_rejected - rejected:,} rejected), "
                    f"{sum(map(len, day.content)):,} content rows landed, tickets exported")  # fmt: skip

    def _after_the_minute(self, day: date, minute: int) -> None:
        """Wait until the minute is over on the wall clock. ``speed`` replays days that have passed; a minute
        still to come cannot be sent early: the API refuses events from the future and staging keeps views
        from the future out, so a day fed ahead of its time would be lost, not early."""
        end = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=minute + 1)
        while (ahead := (end - self.wall()).total_seconds()) > 0:
            if not self._real_time:
                self._real_time = True
                self.report(f"simulate: caught up with the wall clock at {end - timedelta(minutes=1):%Y-%m-%d %H:%M} "
                            "UTC: from here the world moves in real time")  # fmt: skip
            self.sleep(min(ahead, 60.0))


def simulate(
    settings: Settings, post: Post, *, scale: float, days: int, seed: int, as_of: date, ahead: int | None = None,
    speed: float = 1440.0, report: Callable[[str], None] = print,
) -> Ledger:  # fmt: skip
    """Feed the days after ``as_of`` (``ahead`` of them; None: until stopped), continuing after the last day a
    previous simulation of the same generation fed (its progress is kept in ``<home>/simulate.json``), so a
    second `make live` moves the world on instead of sending the same days again."""
    simulator = Simulator(settings, post, speed=speed, report=report)
    generation = {"scale": scale, "days": days, "seed": seed, "as_of": as_of.isoformat()}
    done = _fed_days(settings, generation)
    if done:
        report(f"simulate: continuing after {as_of + timedelta(days=done)} (fed by an earlier simulation)")
    with tempfile.TemporaryDirectory(prefix="c360-simulate-") as scratch:
        future = Future(Path(scratch), scale=scale, days=days, seed=seed, as_of=as_of,
                        horizon=min(ahead or HORIZON, HORIZON))  # fmt: skip
        try:
            k = done + 1
            while ahead is None or k <= done + ahead:
                simulator.run_day(future.day(k))
                _save_progress(settings, {**generation, "fed_days": k})
                k += 1
        finally:
            future.close()
    return simulator.ledger


def _fed_days(settings: Settings, generation: dict[str, Any]) -> int:
    """Days of this generation an earlier simulation fed whole (0: none, or another generation's progress)."""
    try:
        saved = json.loads((settings.home / PROGRESS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    if not isinstance(saved, dict) or {k: saved.get(k) for k in generation} != generation:
        return 0
    fed = saved.get("fed_days")
    return fed if isinstance(fed, int) and fed > 0 else 0


def _save_progress(settings: Settings, progress: dict[str, Any]) -> None:
    _drop(settings.home, PROGRESS, lambda p: p.write_text(json.dumps(progress), encoding="utf-8"))


def api_poster(base_url: str, key: str, *, attempts: int = 8, sleep: Callable[[float], None] = time.sleep) -> Post:
    """Post batches to ``POST /v1/events/subscription`` with an ``events:write`` key.

    A 429 or 503 is waited out (``Retry-After``, else a doubling backoff) and the batch sent again, as is a
    refused connection (an API restarting): the simulated world slows down rather than losing events. Only
    answers that say nothing was taken are retried, so no batch is posted twice."""
    import httpx

    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)

    def post(events: list[dict[str, Any]]) -> tuple[int, int]:
        for attempt in range(attempts):
            wait = min(0.25 * 2**attempt, 30.0)
            try:
                response = client.post("/v1/events/subscription", json={"events": events})
            except httpx.ConnectError:
                if attempt == attempts - 1:
                    raise
                sleep(wait)
                continue
            if response.status_code in (429, 503) and attempt < attempts - 1:
                sleep(min(_retry_after(response) or wait, 60.0))
                continue
            response.raise_for_status()
            body = response.json()
            return int(body["accepted"]), len(body["rejected"])
        raise AssertionError("unreachable: the last attempt returns or raises")

    return post


def _retry_after(response: Any) -> float | None:
    """The seconds of a ``Retry-After`` header (its delay-seconds form, the one the API sends)."""
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def generated_as_of(sources: Path) -> date:
    """The last day a generation in ``sources`` ran to: its latest subscription event on or before today
    (the generator's dirt includes events dated 2099)."""
    today, latest = datetime.now(UTC).date(), None
    with (sources / "subscription_events.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            stamp = line.partition('"event_timestamp":')[2].strip().lstrip('"')[:10]
            try:
                day = date.fromisoformat(stamp)
            except ValueError:
                continue
            if day <= today and (latest is None or day > latest):
                latest = day
    if latest is None:
        raise ValueError(f"{sources}: no dated subscription event")
    return latest
