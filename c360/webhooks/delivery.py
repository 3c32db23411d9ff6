"""The delivery engine: claim, send, record, in an asyncio loop.

Each round is one store transaction: the attempts finished since the last round are recorded, claims
that were not sent are given back, and due messages are claimed (``claims``), per endpoint up to
DEPTH times C360_WEBHOOK_ENDPOINT_CONCURRENCY held at once (in flight and queued), so the next
attempts start while a round commits. Claimed messages wait in a queue per endpoint, in claim order,
and start as attempts finish: at most C360_WEBHOOK_ENDPOINT_CONCURRENCY in flight per endpoint and
C360_WEBHOOK_CONCURRENCY overall. A queued message starts only while its lease still has room for a
whole attempt; one that waited too long (a slow endpoint) is given back unsent, as are the queued
messages of an endpoint that answered 410 and, on stop, all of them. A finished attempt is recorded
within RECORD_WITHIN, so a crash (kill -9) sends again only what was in flight or finished in those
last milliseconds (the leases make them due again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from c360 import failpoints
from c360.errors import C360Error, summary
from c360.serving.store import Store, utcnow
from c360.settings import Settings
from c360.webhooks import driver, signing
from c360.webhooks.cipher import SecretCipher, secret_cipher
from c360.webhooks.claims import Claimed, Policy, Room, claim, release, stale_endpoints
from c360.webhooks.outcomes import Outcome, Recorded, record
from c360.webhooks.schedule import Schedule, retry_after_seconds
from c360.webhooks.sender import Sender
from c360.webhooks.wakeup import Listener

log = logging.getLogger(__name__)
# Claimed per endpoint: up to this many times its concurrency, in flight and queued. Fewer left the
# sender idle while a round committed: on PostgreSQL a round (record, claim, commit) takes tens of
# milliseconds, and 8 x 16 held messages were sent sooner than that, so throughput was 128 per round
# (bench/webhooks.py, docs/benchmarks.md: 4,250/s at 8, 7,700/s at 32, no more at 64 or 128). What a
# crash sends again does not depend on it (only what was in flight); what it delays by a lease does.
DEPTH = 32
# A finished attempt is recorded within this many seconds: a round per attempt halved throughput on SQLite
# (each round is a commit), and this bounds what a crash sends again.
RECORD_WITHIN = 0.02
_MAX_BACKOFF = 30.0  # seconds between tries while the serving store fails
# Queued claims of an endpoint deleted, disabled or moved since are given back within this many seconds
# (checked by a round, not every round: a query per round cost deliveries at full speed).
ENDPOINT_CHECK_INTERVAL = 1.0


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
        self._queues: dict[str, deque[tuple[float, Claimed]]] = {}  # per endpoint: (send-by, claim)
        self._held: Counter[str] = Counter()  # per endpoint: claimed and not finished (queued or in flight)
        self._sending: Counter[str] = Counter()  # per endpoint: in flight
        self._tasks: set[asyncio.Task[Outcome]] = set()
        self._finished: list[Outcome] = []
        self._released: list[Claimed] = []
        self._endpoints_checked = 0.0  # time.monotonic() of the last check of the queued claims' endpoints
        self._sender: Sender | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._stop_requested = threading.Event()
        self._totals = Recorded()
        self._totals_lock = threading.Lock()
        self._store_failures = 0
        self._unsynced: sa.Connection | None = None  # SQLite: the rounds' own connection (_unsynced_write)
        self.running = threading.Event()
        self.listener: Listener | None = None  # PostgreSQL: wakes the loop when messages become due (wakeup)

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
        self.wake()

    def wake(self) -> None:
        """Start the next round now instead of after the poll interval (from any thread)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed since: nothing left to wake
                loop.call_soon_threadsafe(lambda: self._wake.set())

    def take_totals(self) -> Recorded:
        """What was recorded since the last call."""
        with self._totals_lock:
            totals, self._totals = self._totals, Recorded()
        return totals

    async def run(self, *, until_idle: bool = False) -> None:
        """Round, start attempts, wait; until stopped and nothing is in flight (with ``until_idle``, also
        once a round claimed nothing and nothing is held)."""
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        self._queues.clear()
        self._held.clear()
        self._sending.clear()
        db = ThreadPoolExecutor(1, thread_name_prefix="c360-webhooks-db")
        sender = Sender(timeout=self.settings.webhook_timeout, allow_private=self.settings.webhook_allow_private_urls)
        # on PostgreSQL a commit that makes messages due wakes the loop at once; elsewhere (and for `--once`, which
        # does not wait for new messages) the poll does
        listens = self.store.dialect == "postgresql" and not until_idle
        listener = Listener(self.store.engine, self.wake).start() if listens else None
        self.listener = listener
        try:
            async with sender:
                self._sender = sender
                self.running.set()
                while True:
                    stopping = self._stop_requested.is_set()
                    if stopping:
                        self._give_back()
                    room = self._room(stopping)
                    claimed = await self._round(db, room) if self._finished or self._released or room.total else 0
                    idle = not self._tasks and not self._finished and not self._released
                    if idle and until_idle and not claimed and not self._held.total():
                        self._stop_requested.set()
                    if stopping and idle:
                        return
                    await self._sleep(self.settings.webhook_poll_interval)
        finally:
            if listener is not None:
                await asyncio.to_thread(listener.stop)  # up to half a second: not on the loop's thread
            for task in self._tasks:
                task.cancel()
            self.running.clear()
            db.shutdown(wait=True)
            self._close_unsynced()

    def _room(self, stopping: bool) -> Room:
        """How many more messages to hold: DEPTH times the concurrency, overall and per endpoint."""
        if stopping:
            return Room(0, {}, 0)
        cap = self.per_endpoint * DEPTH
        per_endpoint = {endpoint_id: cap - held for endpoint_id, held in self._held.items()}
        return Room(self.concurrency * DEPTH - self._held.total(), per_endpoint, cap)

    async def _round(self, db: ThreadPoolExecutor, room: Room) -> int:
        """Record, give back, claim; returns how many messages were claimed (-1: the store failed)."""
        outcomes, self._finished = self._finished, []
        released, self._released = self._released, []
        if outcomes:
            failpoints.hit("webhooks.before_record")  # sent, not recorded: the leases make them go again
        queued: set[tuple[str, str]] = set()
        if time.monotonic() - self._endpoints_checked >= ENDPOINT_CHECK_INTERVAL:
            self._endpoints_checked = time.monotonic()
            # a queue's claims carry the URL of the round that claimed them: its first and last say every one
            queued = {(m.endpoint.id, m.endpoint.url) for q in self._queues.values() for _, m in (q[0], q[-1])}
        work = partial(_transaction, self.cipher, self.policy, outcomes, released, room, queued)
        try:
            if self.store.dialect == "sqlite":
                # in-process CPU work: on the loop (a thread only added GIL hand-offs, measured)
                recorded, claimed, stale = self._in_store(work)
            else:  # PostgreSQL: the round waits on the network, in the store thread
                recorded, claimed, stale = await asyncio.get_running_loop().run_in_executor(db, self._in_store, work)
        except (C360Error, SQLAlchemyError) as exc:
            self._finished[:0] = outcomes  # recorded by a later round; their leases outlast a short outage
            self._released[:0] = released
            await self._back_off(exc.message if isinstance(exc, C360Error) else summary(exc))
            return -1
        if self._store_failures:
            log.warning("webhooks: the serving store answers again")
            self._store_failures = 0
        with self._totals_lock:
            self._totals.add(recorded)
        for endpoint_id in stale:  # deleted, disabled or moved since its queued messages were claimed
            self._give_back(endpoint_id)
        send_by = time.monotonic() + self._sendable_for
        for message in claimed:
            self._held[message.endpoint.id] += 1
            self._queues.setdefault(message.endpoint.id, deque()).append((send_by, message))
        self._start()
        return len(claimed)

    def _in_store(self, work: partial[RoundResult]) -> RoundResult:
        with self._unsynced_write() as conn:
            return work(conn)

    async def _back_off(self, message: str) -> None:
        if self._store_failures == 0:
            log.warning("webhooks: the serving store failed (%s); retrying with backoff", message)
        self._store_failures += 1
        backoff = min(self.settings.webhook_poll_interval * 2**self._store_failures, _MAX_BACKOFF)
        deadline = time.monotonic() + backoff
        while time.monotonic() < deadline and not self._stop_requested.is_set():
            await asyncio.sleep(min(0.5, deadline - time.monotonic()))

    def _start(self) -> None:
        """Start queued messages, in claim order, up to each endpoint's and the overall limit."""
        now = time.monotonic()
        for endpoint_id, queue in list(self._queues.items()):
            while queue and self._sending[endpoint_id] < self.per_endpoint and len(self._tasks) < self.concurrency:
                send_by, message = queue.popleft()
                if now > send_by:  # too late for its lease: given back unsent, claimed again later
                    self._give_back_one(message)
                    continue
                self._sending[endpoint_id] += 1
                task = asyncio.get_running_loop().create_task(self._attempt(message))
                self._tasks.add(task)
                task.add_done_callback(self._done)
            if not queue:
                del self._queues[endpoint_id]

    def _done(self, task: asyncio.Task[Outcome]) -> None:
        """An attempt finished: keep it for the next round (due within RECORD_WITHIN), start the next."""
        self._tasks.discard(task)
        if task.cancelled():
            return
        outcome = task.result()  # _attempt never raises
        endpoint_id = outcome.message.endpoint.id
        self._sending[endpoint_id] -= 1
        self._held[endpoint_id] -= 1
        if not self._finished:  # the first unrecorded attempt starts the clock
            asyncio.get_running_loop().call_later(RECORD_WITHIN, self._wake.set)
        self._finished.append(outcome)
        if outcome.status_code == 410:  # gone: the round disables the endpoint; send it nothing more
            self._give_back(endpoint_id)
        if self._stop_requested.is_set():
            if not self._tasks:
                self._wake.set()
        else:
            self._start()
            if not self._tasks:  # nothing in flight: record now, and claim
                self._wake.set()

    def _give_back(self, endpoint_id: str | None = None) -> None:
        """Give the queued claims (of one endpoint, or all) back unsent, in the next round."""
        for queued in [endpoint_id] if endpoint_id else list(self._queues):
            for _, message in self._queues.pop(queued, ()):
                self._give_back_one(message)

    def _give_back_one(self, message: Claimed) -> None:
        self._held[message.endpoint.id] -= 1
        self._released.append(message)

    async def _attempt(self, message: Claimed) -> Outcome:
        """Sign, send and judge one attempt; never raises, so every claim ends as a recorded outcome."""
        assert self._sender is not None
        attempted_at = utcnow()
        try:
            headers = signing.headers(message.endpoint.keys, message.id, int(time.time()), message.body)
            answer = await self._sender.send(message.endpoint.url, message.body, headers)
            retry_after = retry_after_seconds(answer.retry_after) if answer.status_code in (429, 503) else None
            return Outcome(
                message, attempted_at, answer.latency_ms, answer.status_code, answer.response, answer.error,
                retry_after,
            )  # fmt: skip
        except Exception as exc:  # a bug, not the receiver: record a failed attempt all the same
            log.error("webhooks: attempt of %s failed: %s", message.id, summary(exc))
            return Outcome(message, attempted_at, 0.0, error=f"internal error: {type(exc).__name__}")

    @contextlib.contextmanager
    def _unsynced_write(self) -> Iterator[sa.Connection]:
        """One transaction whose commit does not wait for the disk: SQLite's ``synchronous=NORMAL`` (written to the
        WAL, not fsynced), PostgreSQL's ``synchronous_commit = off`` (the server flushes the WAL within
        ``wal_writer_delay``).

        A round's commit is the only fsync per round, and on SQLite it blocked the loop (no attempt progressed) for
        longer than the round's own work: 0.2-0.3 ms per delivery on a busy disk against 0.07 ms of CPU
        (docs/benchmarks.md). Not syncing keeps every guarantee but one: a crashed worker (kill -9) loses
        nothing (the OS, or the server, holds the WAL), and a power cut, an OS or a server crash can at most roll
        back the engine's last rounds; a lost claim is due again at once and a lost outcome is sent again, so it
        adds duplicates and never loses a message (the outbox itself is written by the publish, synchronously).
        The rounds keep one connection of their own, detached from the pool and used by one thread at a time
        (the loop on SQLite, the store thread on PostgreSQL; closed, never handed to anyone else, when the
        engine stops or a round fails): setting and resetting the setting on a pooled one each round cost as
        much as the round's commit, and a pooled checkout its own round trips on PostgreSQL.
        """
        if self._unsynced is None:
            conn = self.store.engine.connect()
            conn.detach()
            try:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA synchronous=NORMAL")  # outside a transaction: SQLite refuses it inside
                else:
                    conn.exec_driver_sql("SET synchronous_commit = off")  # the session's, once committed
                conn.commit()
            except SQLAlchemyError:
                conn.close()
                raise
            self._unsynced = conn
        try:
            with self._unsynced.begin():
                yield self._unsynced
        except SQLAlchemyError:
            self._close_unsynced()  # a fresh connection for the next round
            raise

    def _close_unsynced(self) -> None:
        if self._unsynced is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._unsynced.close()
            self._unsynced = None

    async def _sleep(self, seconds: float) -> None:
        if not self._wake.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()


RoundResult = tuple[Recorded, list[Claimed], set[str]]


def _transaction(
    cipher: SecretCipher,
    policy: Policy,
    outcomes: list[Outcome],
    released: Sequence[Claimed],
    room: Room,
    queued: set[tuple[str, str]],
    conn: sa.Connection,
) -> RoundResult:
    """One round's store work: record ``outcomes``, give ``released`` back, claim what ``room`` allows, and say
    which endpoints of the ``queued`` claims (id, URL claimed with) were deleted, disabled or moved since."""
    now = driver.store_now(conn)  # every worker's leases on one clock
    recorded = record(conn, policy, outcomes, now) if outcomes else Recorded()
    if released:
        release(conn, released, now)
    claimed = claim(conn, cipher, policy, now, room) if room.total > 0 else []
    return recorded, claimed, stale_endpoints(conn, queued) if queued else set()
