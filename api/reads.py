"""Where serving-store reads run: on the event loop for SQLite, in worker threads for PostgreSQL.

A SQLite read is in-process CPU work on pages the OS already caches (memory-mapped, see
c360.serving.store): handing it to a worker thread adds two thread switches, and under CPU contention
their scheduling delays, to every request without letting anything else run meanwhile (the GIL is
held for the row processing either way). A PostgreSQL read waits on the network, which a worker
thread lets the event loop spend on other requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from c360.serving.store import Store

T = TypeVar("T")


async def read(store: Store, fn: Callable[[], T]) -> T:
    """``fn()``, a read of ``store``, run where it costs the least (see above)."""
    if store.dialect == "sqlite":
        return fn()
    return await run_in_threadpool(fn)
