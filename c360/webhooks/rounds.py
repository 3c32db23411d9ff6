"""One round of the engine, in one store transaction: record what finished, give back what was not
sent, claim what is due."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from c360.serving.store import Store, utcnow
from c360.webhooks.cipher import SecretCipher
from c360.webhooks.claims import Claimed, Policy, Room, claim, release
from c360.webhooks.outcomes import Outcome, Recorded, record


def round_trip(
    store: Store,
    cipher: SecretCipher,
    policy: Policy,
    outcomes: list[Outcome],
    *,
    room: Room,
    released: Sequence[Claimed] = (),
) -> tuple[Recorded, list[Claimed]]:
    """``run_round`` in a transaction of its own."""
    with store.write() as conn:
        return run_round(conn, cipher, policy, outcomes, room=room, released=released)


def run_round(
    conn: sa.Connection,
    cipher: SecretCipher,
    policy: Policy,
    outcomes: list[Outcome],
    *,
    room: Room,
    released: Sequence[Claimed] = (),
) -> tuple[Recorded, list[Claimed]]:
    """Record ``outcomes``, give back ``released`` claims unsent, then claim as many due messages as
    ``room`` allows. The caller commits."""
    now = utcnow()
    recorded = record(conn, policy, outcomes, now) if outcomes else Recorded()
    if released:
        release(conn, released, now)
    claimed = claim(conn, cipher, policy, now, room) if room.total > 0 else []
    return recorded, claimed
