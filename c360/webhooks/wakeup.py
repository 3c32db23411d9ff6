"""Waking the delivery engine when messages become due: PostgreSQL's LISTEN/NOTIFY, the poll as the fallback.

Between rounds the engine sleeps C360_WEBHOOK_POLL_INTERVAL, which was most of the delay from a publish to its
first delivery attempt (half the interval on average). On PostgreSQL every transaction that makes messages due
(a publish's outbox, a test event, a resend, a recovery) also runs ``NOTIFY``, which the server delivers at commit
and only then, and ``Listener`` wakes the engine on it. SQLite has no such signal: there the poll is the wake-up.

A notification can be lost (the listener's connection drops; a notification arrives before ``LISTEN``), so the
listener is an accelerator only: after each (re)connection it wakes the engine once, for whatever was committed
while it was not listening, and the poll goes on whatever happens to it. The channel is the database's, not the
schema's: two stores in one database wake each other's workers for nothing, which costs one empty round each.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa

from c360.errors import summary

log = logging.getLogger(__name__)

CHANNEL = "c360_webhooks"
_RETRY_AFTER = (1.0, 2.0, 5.0, 10.0, 30.0)  # seconds before reconnecting, by consecutive failures
_CHECK_STOP_EVERY = 0.5  # seconds: how soon the listener notices it should stop
# libpq's options for the listening connection: give up connecting after 5 s (the default waits minutes), and
# probe the idle socket with TCP keepalives, so that a server gone without a reset (a network partition) is
# noticed within about a minute instead of leaving the listener deaf until the next reconnection
_CONNECTION = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def notify(conn: sa.Connection) -> None:
    """Wake the listening workers when ``conn``'s transaction commits (PostgreSQL; nothing on SQLite)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"NOTIFY {CHANNEL}")


class Listener:
    """A thread holding a PostgreSQL connection of its own on ``LISTEN``, calling ``wake`` for each notification,
    and once after each connection; reconnecting after a failure, until ``stop()``."""

    def __init__(self, engine: sa.Engine, wake: Callable[[], None]) -> None:
        self._engine, self._wake = engine, wake
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN holds (tests wait on it)
        self.backend_pid: int | None = None  # the server process of the current connection
        self._failures = 0  # in a row, since the last LISTEN that held: how long to wait before the next try
        self._thread = threading.Thread(target=self._run, name="c360-webhooks-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the thread to end, and wait for it (it notices within half a second)."""
        self._stop.set()
        self._thread.join(5 * _CHECK_STOP_EVERY)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # any failure of the connection: the poll still delivers meanwhile
                if self._stop.is_set():
                    return  # the engine stopped while this was connecting or listening
                delay = _RETRY_AFTER[min(self._failures, len(_RETRY_AFTER) - 1)]
                self._failures += 1
                log.warning(
                    "webhooks: listening for new messages failed (%s); polling, retrying in %.0f s", summary(exc), delay
                )
                self._stop.wait(delay)

    def _listen(self) -> None:
        # a connection of its own, outside the store's pools (the dialect's connect, the URL's own arguments): it
        # is held for as long as the worker runs, and closing it after a failure must not go through a pool's
        # reset, which fails on a broken connection
        dialect = self._engine.dialect
        cargs, cparams = dialect.create_connect_args(self._engine.url)
        connection = dialect.connect(*cargs, **{**_CONNECTION, **cparams})
        try:
            if self._stop.is_set():
                return
            connection.autocommit = True  # LISTEN takes effect at once, and no transaction stays open
            connection.execute(f"LISTEN {CHANNEL}")
            self.backend_pid, self._failures = connection.info.backend_pid, 0
            self.listening.set()
            self._wake()  # what was committed before LISTEN sent no notification this connection saw
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=_CHECK_STOP_EVERY):
                    self._wake()
        finally:
            self.listening.clear()
            connection.close()
