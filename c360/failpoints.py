"""Named crash points, so tests can prove that a crash at the worst moment loses and duplicates nothing.

``C360_FAILPOINTS=stream.before_commit`` makes the process SIGKILL itself when it reaches
``hit("stream.before_commit")``: no cleanup, no exception handlers, exactly like ``kill -9``.
Unset (always, in production) a hit costs one environment lookup.
"""

from __future__ import annotations

import os
import signal


def hit(name: str) -> None:
    """Die here, at once, if the failpoint ``name`` is armed."""
    armed = os.environ.get("C360_FAILPOINTS")
    if armed and name in armed.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
