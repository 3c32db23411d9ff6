"""The delivery engine: an asyncio loop keeping up to C360_WEBHOOK_CONCURRENCY attempts in flight.

Each round is one store transaction (``rounds.run_round``): the attempts finished since the last
round are recorded and due messages are claimed. Finished attempts are recorded within RECORD_WITHIN
(20 ms), so a crash re-sends only what was in flight or finished in those last milliseconds.
Per endpoint at most C360_WEBHOOK_ENDPOINT_CONCURRENCY attempts are in flight; more claimed messages
wait in a local queue (up to ``HOLD`` times the concurrency, no more than can be sent within the
lease at the endpoint's recent latency), so claims are large and the next attempts start at once. A
queued message starts only while its lease still has room for a whole attempt; one that waited too
long (a slow endpoint) is given back unsent by the next round, as are the queued messages of an
endpoint that answered 410 and, on stop, all of them. A round claims when ``HOLD - 1`` times the
endpoint concurrency have room, when the queues ran dry, or every C360_WEBHOOK_POLL_INTERVAL seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from sqlalchemy.exc import SQLAlchemyError

from c360 import failpoints
from c360.errors import C360Error, summary
from c360.serving.store import Store, utcnow
from c360.settings import Settings
from c360.webhooks import signing
from c360.webhooks.cipher import secret_cipher
from c360.webhooks.claims import Claimed, Policy, Room
from c360.webhooks.outcomes import Outcome, Recorded
from c360.webhooks.rounds import round_trip, run_round
from c360.webhooks.schedule import Schedule, retry_after_seconds
from c360.webhooks.sender import Sender

log = logging.getLogger(__name__)
# Messages claimed per endpoint: at most this many times its concurrency (in flight and queued), and no
# more than its lanes can send within the lease at its recent latency. A round's commit (an fsync on
# SQLite) is shared by the messages it records and claims: CPU per delivery measured 200 µs at 4, 160 µs
# at 8, 145 µs at 16 (bench/webhooks.py).
HOLD = 16
# A finished attempt is recorded within this many seconds (sooner when a batch has finished): a round per
# attempt halved throughput on SQLite (each round is a commit), and this bounds what a crash sends again to
# the attempts in flight and those of the last few milliseconds.
RECORD_WITHIN = 0.02
_MAX_BACKOFF = 30.0  # seconds between tries while the serving store fails


class Engine:
    """Claims, signs, sends and records, until ``stop()``; ``run_forever`` runs it in the calling thread."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store or Store.from_settings(settings)
        self.cipher = secret_cipher(settings)  # outside development: ConfigError now, without C360_SECRET_KEY
        self.concurrency, self.per_endpoint = settings.webhook_concurrency, settings.webhook_endpoint_concurrency
        self.policy = Policy(
            Schedule(settings.webhook_retry_delays),
            timedelta(seconds=settings.webhook_lease_seconds),
            timedelta(seconds=settings.webhook_disable_after),
        )
        # a queued message starts only this long after its claim: its attempt still ends within the lease
        self._sendable_for = (settings.webhook_lease_seconds - settings.webhook_timeout) * 0.9
        self._batch = self.per_endpoint * (HOLD - 1)
        self._claimed_at = 0.0  # monotonic time of the last round that claimed
        self._finished: list[Outcome] = []
        self._released: list[Claimed] = []
        self._held: Counter[str] = Counter()  # claimed and not finished: queued or in flight
        self._lanes: Counter[str] = Counter()  # per endpoint: coroutines sending its queue, one attempt each
        self._queues: dict[str, deque[tuple[float, Claimed]]] = {}  # (send-by, claim)
        self._latency: dict[str, float] = {}  # per endpoint: a moving average of its attempts' seconds
        self._tasks: set[asyncio.Task[None]] = set()  # the lanes
        self._sender: Sender | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._stop_requested = threading.Event()
        self._totals = Recorded()
        self._totals_lock = threading.Lock()
        self._store_failures = 0
        self.running = threading.Event()

    def run_forever(self) -> None:
        """Run the engine's loop (uvloop when installed) in this thread until ``stop()``."""
        self._run_in_loop(until_idle=False)

    def run_until_idle(self) -> None:
        """Deliver what is due now (retries due later are left for later), then return: ``worker --once``."""
        self._run_in_loop(until_idle=True)

    def _run_in_loop(self, *, until_idle: bool) -> None:
        try:
            import uvloop

            factory = uvloop.new_event_loop
        except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
            factory = None
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(self.run(until_idle=until_idle))

    def stop(self) -> None:
        """Ask the engine to finish the attempts in flight, record them and return (from any thread)."""
        self._stop_requested.set()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    def take_totals(self) -> Recorded:
        """What was recorded since the last call."""
        with self._totals_lock:
            totals, self._totals = self._totals, Recorded()
        return totals

    async def run(self, *, until_idle: bool = False) -> None:
        """The loop: round, start the claimed attempts, wait; until stopped and nothing is in flight (with
        ``until_idle``, also once a round claimed nothing and nothing is queued or in flight)."""
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        self._lanes.clear()
        self._held.clear()
        self._queues.clear()
        settings = self.settings
        db = ThreadPoolExecutor(1, thread_name_prefix="c360-webhooks-db")
        sender = Sender(
            timeout=settings.webhook_timeout,
            concurrency=settings.webhook_concurrency,
            allow_private=settings.webhook_allow_private_urls,
        )
        try:
            async with sender:
                self._sender = sender
                self.running.set()
                while True:
                    stopping = self._stop_requested.is_set()
                    if stopping:
                        self._release_queued()
                    room = self._claimable(self._room(stopping))
                    claimed = await self._round(db, room) if self._finished or self._released or room.total else 0
                    idle = not self._tasks and not self._finished and not self._released
                    if idle and until_idle and not claimed and not any(self._queues.values()):
                        self._stop_requested.set()
                    if stopping and idle:
                        return
                    await self._sleep(settings.webhook_poll_interval)
        finally:
            for task in self._tasks:
                task.cancel()
            self.running.clear()
            db.shutdown(wait=True)

    def _claimable(self, room: Room) -> Room:
        """``room``, or none while enough is queued: a round runs as soon as any attempt finished (to record
        it), but claims only in batches of ``_batch``, when the queues ran dry, or every poll interval."""
        now = time.monotonic()
        queued = any(self._queues.values())
        if room.total >= self._batch or not queued or now - self._claimed_at >= self.settings.webhook_poll_interval:
            self._claimed_at = now
            return room
        return Room(0, {}, 0)

    def _room(self, stopping: bool) -> Room:
        """How many messages to claim: up to HOLD times the concurrency, per endpoint no more than its lanes
        can send within the lease at its recent latency."""
        total = 0 if stopping else self.concurrency * HOLD - sum(self._held.values())
        default = self.per_endpoint * HOLD
        endpoints = {}
        for endpoint_id, latency in self._latency.items():
            depth = max(1, min(HOLD, int(self._sendable_for / max(latency, 0.001))))
            endpoints[endpoint_id] = self.per_endpoint * depth - self._held[endpoint_id]
        for endpoint_id, held in self._held.items():
            endpoints.setdefault(endpoint_id, default - held)
        return Room(total, endpoints, default)

    async def _round(self, db: ThreadPoolExecutor, room: Room) -> int:
        """Record, release, claim; returns how many messages were claimed (-1: the store failed)."""
        outcomes, self._finished = self._finished, []
        released, self._released = self._released, []
        if outcomes:
            failpoints.hit("webhooks.before_record")  # sent, not recorded: the leases make them go again
        loop = asyncio.get_running_loop()
        try:
            if self.store.dialect == "sqlite":
                # in-process CPU work, fsync included: on the loop (a thread only added GIL hand-offs, measured)
                with self.store.write() as conn:
                    recorded, claimed = run_round(
                        conn, self.cipher, self.policy, outcomes, room=room, released=released
                    )
            else:  # PostgreSQL: the whole round waits on the network, in the store thread
                call = partial(
                    round_trip, self.store, self.cipher, self.policy, outcomes,
                    room=room, released=released,
                )  # fmt: skip
                recorded, claimed = await loop.run_in_executor(db, call)
        except (C360Error, SQLAlchemyError) as exc:
            self._finished[:0] = outcomes  # recorded by a later round; their leases outlast a short outage
            self._released[:0] = released
            message = exc.message if isinstance(exc, C360Error) else summary(exc)
            if self._store_failures == 0:
                log.warning("webhooks: the serving store failed (%s); retrying with backoff", message)
            self._store_failures += 1
            backoff = min(self.settings.webhook_poll_interval * 2**self._store_failures, _MAX_BACKOFF)
            deadline = time.monotonic() + backoff
            while time.monotonic() < deadline and not self._stop_requested.is_set():
                await asyncio.sleep(min(0.5, deadline - time.monotonic()))
            return -1
        if self._store_failures:
            log.warning("webhooks: the serving store answers again")
            self._store_failures = 0
        with self._totals_lock:
            self._totals.add(recorded)
        send_by = time.monotonic() + self._sendable_for
        for claim in claimed:
            self._held[claim.endpoint.id] += 1
            self._queues.setdefault(claim.endpoint.id, deque()).append((send_by, claim))
        self._pump()
        return len(claimed)

    def _pump(self) -> None:
        """Start lanes for queued messages, up to each endpoint's and the overall limit."""
        for endpoint_id, queue in self._queues.items():
            while len(queue) > self._lanes[endpoint_id] and self._lanes[endpoint_id] < self.per_endpoint:
                if len(self._tasks) >= self.concurrency:
                    return
                self._lanes[endpoint_id] += 1
                task = asyncio.get_running_loop().create_task(self._lane(endpoint_id, queue))
                self._tasks.add(task)
                task.add_done_callback(partial(self._lane_done, endpoint_id))

    async def _lane(self, endpoint_id: str, queue: deque[tuple[float, Claimed]]) -> None:
        """Send the endpoint's queued messages one after the other, until its queue is empty."""
        assert self._sender is not None
        while queue and not self._stop_requested.is_set():
            send_by, claim = queue.popleft()
            if time.monotonic() > send_by:  # too late for its lease: given back unsent, claimed again later
                self._held[endpoint_id] -= 1
                self._released.append(claim)
                continue
            outcome = await self._attempt(self._sender, claim)
            self._held[endpoint_id] -= 1
            seconds, previous = outcome.latency_ms / 1000, self._latency.get(endpoint_id)
            self._latency[endpoint_id] = seconds if previous is None else 0.8 * previous + 0.2 * seconds
            if not self._finished:  # the first unrecorded attempt starts the clock
                asyncio.get_running_loop().call_later(RECORD_WITHIN, self._wake.set)
            self._finished.append(outcome)
            if outcome.status_code == 410:  # gone: the round disables the endpoint; send it nothing more
                self._release_queued(endpoint_id)
            # recorded within RECORD_WITHIN, or at once when a batch has finished: after a crash only what was
            # in flight, or finished that shortly before, goes out again
            if len(self._finished) >= self._batch:
                self._wake.set()

    def _lane_done(self, endpoint_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._lanes[endpoint_id] -= 1
        if not task.cancelled() and task.exception() is not None:
            log.error("webhooks: a delivery lane of %s failed", endpoint_id, exc_info=task.exception())
        if not self._tasks:  # nothing in flight: record what finished now
            self._wake.set()
        elif not self._stop_requested.is_set():
            self._pump()  # room under the overall limit for another endpoint's queue

    def _release_queued(self, endpoint_id: str | None = None) -> None:
        """Give the queued claims (of one endpoint, or all) back unsent, in the next round."""
        queues = [self._queues.get(endpoint_id, deque())] if endpoint_id else list(self._queues.values())
        for queue in queues:
            while queue:
                _, claim = queue.popleft()
                self._held[claim.endpoint.id] -= 1
                self._released.append(claim)

    async def _attempt(self, sender: Sender, message: Claimed) -> Outcome:
        """Sign, send and judge one attempt; never raises, so every claim ends as a recorded outcome."""
        attempted_at = utcnow()
        try:
            headers = signing.headers(message.endpoint.keys, message.id, int(time.time()), message.body)
            answer = await sender.send(message.endpoint.url, message.body, headers)
            retry_after = retry_after_seconds(answer.retry_after) if answer.status_code in (429, 503) else None
            return Outcome(
                message, attempted_at, answer.latency_ms, answer.status_code, answer.response, answer.error,
                retry_after,
            )  # fmt: skip
        except Exception as exc:  # a bug, not the receiver: record a failed attempt all the same
            log.error("webhooks: attempt of %s failed: %s", message.id, summary(exc))
            return Outcome(message, attempted_at, 0.0, error=f"internal error: {type(exc).__name__}")

    async def _sleep(self, seconds: float) -> None:
        if not self._wake.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()
