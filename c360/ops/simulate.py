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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def new_day(scratch: Path, *, scale: float, days: int, seed: int, as_of: date, ahead: int) -> Day:
    """Day ``as_of + ahead`` of the world generated for ``days`` days to ``as_of``."""
    day = as_of + timedelta(days=ahead)
    before, after = scratch / f"day-{ahead - 1}", scratch / f"day-{ahead}"
    if not (before / "content_engagement.csv").exists():
        generate(before, scale=scale, days=days + ahead - 1, seed=seed, as_of=day - timedelta(days=1))
    generate(after, scale=scale, days=days + ahead, seed=seed, as_of=day)
    old, new = _lines(before / "content_engagement.csv"), _lines(after / "content_engagement.csv")
    if new[: len(old)] != old:
        raise RuntimeError("the generator did not replay its history: cannot extend it")
    added = new[len(old) :]
    per = -(-len(added) // MINUTES) if added else 0
    content = [added[i * per : (i + 1) * per] for i in range(MINUTES)]
    events: list[list[dict[str, Any]]] = [[] for _ in range(MINUTES)]
    for line in _lines(after / "subscription_events.jsonl"):
        try:
            event = json.loads(line)
            stamp = datetime.fromisoformat(str(event["event_timestamp"]).replace("Z", "+00:00"))
        except (ValueError, KeyError, TypeError):
            continue  # a dirt line of no known day: not replayed
        stamp = stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        if stamp.date() == day:
            events[stamp.hour * 60 + stamp.minute].append(event)
    table = pq.read_table(after / "support_tickets.parquet")
    created = pc.cast(table["created_at"], "timestamp[us]")
    mask = pc.and_(pc.greater_equal(created, datetime.combine(day, datetime.min.time())),
                   pc.less(created, datetime.combine(day + timedelta(days=1), datetime.min.time())))  # fmt: skip
    tickets = after / f"tickets-{day}.parquet"
    pq.write_table(table.filter(mask), tickets)
    return Day(day, old[0] if old else new[0], content, events, tickets)


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
    _pending: list[str] = field(default_factory=list)

    def feed_minute(self, day: Day, minute: int) -> None:
        """Minute ``minute`` of ``day``: its events to the API, its content batch to the landing folder."""
        events = day.events[minute]
        for i in range(0, len(events), MAX_POST):
            batch = events[i : i + MAX_POST]
            accepted, rejected = self.post(batch)
            self.ledger.events_posted += len(batch)
            self.ledger.events_accepted += accepted
            self.ledger.events_rejected += rejected
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

    def export_tickets(self, day: Day) -> None:
        """The support system's daily export of ``day`` (at 02:00 the day after)."""
        if day.tickets is None:
            return
        source = day.tickets
        rows = pq.read_metadata(source).num_rows
        _drop(folder(self.settings, SUPPORT_TICKETS), source.name, lambda p: p.write_bytes(source.read_bytes()))
        self.ledger.ticket_rows += rows

    def run_day(self, day: Day) -> None:
        """Feed one day, minute by minute, at ``speed``; its tickets are exported at the end."""
        started = time.monotonic()
        for minute in range(MINUTES):
            if self.speed > 0:
                due = started + minute * 60 / self.speed
                if (wait := due - time.monotonic()) > 0:
                    self.sleep(wait)
            self.feed_minute(day, minute)
        self.export_tickets(day)
        self.ledger.days.append(day.day)
        self.report(f"simulate: {day.day}: {sum(map(len, day.events)):,} events posted, "
                    f"{sum(map(len, day.content)):,} content rows landed, tickets exported")  # fmt: skip


def simulate(
    settings: Settings, post: Post, *, scale: float, days: int, seed: int, as_of: date, ahead: int | None = None,
    speed: float = 1440.0, report: Callable[[str], None] = print,
) -> Ledger:  # fmt: skip
    """Feed the days after ``as_of`` (``ahead`` of them; None: until stopped)."""
    simulator = Simulator(settings, post, speed=speed, report=report)
    with tempfile.TemporaryDirectory(prefix="c360-simulate-") as scratch:
        k = 1
        while ahead is None or k <= ahead:
            simulator.run_day(new_day(Path(scratch), scale=scale, days=days, seed=seed, as_of=as_of, ahead=k))
            k += 1
    return simulator.ledger


def api_poster(base_url: str, key: str) -> Post:
    """Post batches to ``POST /v1/events/subscription`` with an ``events:write`` key."""
    import httpx

    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)

    def post(events: list[dict[str, Any]]) -> tuple[int, int]:
        response = client.post("/v1/events/subscription", json={"events": events})
        response.raise_for_status()
        body = response.json()
        return int(body["accepted"]), len(body["rejected"])

    return post


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
