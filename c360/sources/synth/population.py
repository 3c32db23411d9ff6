"""The subscriber population: one struct of numpy arrays, grown by doubling as new subscribers arrive."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from c360.sources.synth import params as P
from c360.sources.synth.encode import SECONDS_PER_DAY, UUID_WIDTH, uuid4_ascii, weighted_codes

NEVER: Final = np.iinfo(np.int32).max  # cancel_day of a subscriber who has not cancelled
WINDOW: Final = 30  # the rolling "last 30 days" of tickets and failed payments

_ROW_FIELDS: Final = (
    "signup_day", "signup_sec", "cancel_day", "cancel_sec", "grace", "plan", "country", "age_band",
    "channel", "device", "base_rate", "u", "onset_day", "half_life", "fail_prob", "last_read",
    "tix30", "ctix30", "fail30",
)  # fmt: skip
_RING_FIELDS: Final = ("tix_ring", "ctix_ring", "fail_ring")


class Population:
    """Per-subscriber latent and observable state; rows [0, n) are in use, index = subscriber number."""

    def __init__(self, capacity: int) -> None:
        """Allocate empty arrays with room for `capacity` subscribers."""
        cap = max(capacity, 16)
        self.n = 0
        self.sid: NDArray[np.uint8] = np.zeros((cap, UUID_WIDTH), dtype=np.uint8)
        self.signup_day: NDArray[np.int32] = np.zeros(cap, np.int32)
        self.signup_sec: NDArray[np.int32] = np.zeros(cap, np.int32)
        self.cancel_day: NDArray[np.int32] = np.full(cap, NEVER, np.int32)
        self.cancel_sec: NDArray[np.int32] = np.zeros(cap, np.int32)
        self.grace: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.plan: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.country: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.age_band: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.channel: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.device: NDArray[np.int8] = np.zeros(cap, np.int8)
        self.base_rate: NDArray[np.float64] = np.zeros(cap, np.float64)
        self.u: NDArray[np.float64] = np.zeros(cap, np.float64)
        self.onset_day: NDArray[np.int32] = np.full(cap, NEVER, np.int32)
        self.half_life: NDArray[np.float64] = np.ones(cap, np.float64)
        self.fail_prob: NDArray[np.float64] = np.zeros(cap, np.float64)
        self.last_read: NDArray[np.int32] = np.zeros(cap, np.int32)
        self.tix30: NDArray[np.int16] = np.zeros(cap, np.int16)
        self.ctix30: NDArray[np.int16] = np.zeros(cap, np.int16)
        self.fail30: NDArray[np.int16] = np.zeros(cap, np.int16)
        # daily counts by day % 30, laid out (30, cap) so that clearing one day is a contiguous write
        self.tix_ring: NDArray[np.int8] = np.zeros((WINDOW, cap), np.int8)
        self.ctix_ring: NDArray[np.int8] = np.zeros((WINDOW, cap), np.int8)
        self.fail_ring: NDArray[np.int8] = np.zeros((WINDOW, cap), np.int8)
        # a drift of the churn process: from drift_day on, the hazard's coefficients are drift_regime
        self.drift_day: int = int(NEVER)
        self.drift_regime: Any = None

    @property
    def capacity(self) -> int:
        """Rows allocated."""
        return len(self.signup_day)

    def _grow(self, needed: int) -> None:
        """Double the capacity until `needed` rows fit (fresh rows: not cancelled, no onset)."""
        old = self.capacity
        cap = old
        while cap < needed:
            cap *= 2
        if cap == old:
            return
        for name in _ROW_FIELDS:
            arr: NDArray[np.generic] = getattr(self, name)
            fresh = np.zeros(cap, dtype=arr.dtype)
            fresh[:old] = arr
            setattr(self, name, fresh)
        self.cancel_day[old:] = NEVER
        self.onset_day[old:] = NEVER
        sid = np.zeros((cap, UUID_WIDTH), np.uint8)
        sid[:old] = self.sid
        self.sid = sid
        for name in _RING_FIELDS:
            ring: NDArray[np.int8] = getattr(self, name)
            wide = np.zeros((WINDOW, cap), np.int8)
            wide[:, :old] = ring
            setattr(self, name, wide)

    def subset(self, idx: NDArray[np.intp]) -> Population:
        """A frozen copy of rows idx (renumbered 0..len-1), safe to read from another thread."""
        out = Population(len(idx))
        out.n = len(idx)
        out.sid = self.sid[idx]
        for name in _ROW_FIELDS:
            setattr(out, name, getattr(self, name)[idx])
        for name in _RING_FIELDS:
            setattr(out, name, getattr(self, name)[:, idx])
        out.drift_day, out.drift_regime = self.drift_day, self.drift_regime
        return out

    def add(self, rng: np.random.Generator, signup_day: NDArray[np.int32], first_day: int) -> NDArray[np.intp]:
        """Append len(signup_day) new subscribers with freshly drawn attributes; return their indices.

        first_day is the first simulated day: disengagement onsets are drawn from then on (memoryless), so
        pre-existing subscribers start engaged and the burn-in lets the disengaged share settle.
        """
        k = len(signup_day)
        self._grow(self.n + k)
        idx = np.arange(self.n, self.n + k, dtype=np.intp)
        self.n += k
        self.sid[idx] = uuid4_ascii(rng, k)
        self.signup_day[idx] = signup_day
        # leave room after the signup instant for the same-day first payment
        self.signup_sec[idx] = rng.integers(0, SECONDS_PER_DAY - 300, k)
        self.grace[idx] = weighted_codes(rng, P.GRACE_PROBS, k)
        self.plan[idx] = weighted_codes(rng, P.PLAN_WEIGHTS, k)
        self.country[idx] = weighted_codes(rng, P.COUNTRY_WEIGHTS, k)
        self.age_band[idx] = weighted_codes(rng, P.AGE_WEIGHTS, k)
        self.channel[idx] = weighted_codes(rng, P.CHANNEL_WEIGHTS, k)
        self.device[idx] = weighted_codes(rng, P.DEVICE_WEIGHTS, k)
        mu = np.log(P.READ_RATE_MEAN) - P.READ_RATE_LOG_SD**2 / 2
        self.base_rate[idx] = rng.lognormal(mu, P.READ_RATE_LOG_SD, k)
        self.u[idx] = rng.normal(0.0, P.U_SD, k)
        start = np.maximum(np.asarray(signup_day, np.int64), first_day)
        wait = np.ceil(rng.exponential(1.0 / P.ONSET_RATE, k))
        self.onset_day[idx] = np.minimum(start + wait, NEVER - 1).astype(np.int32)
        self.half_life[idx] = rng.uniform(P.HALF_LIFE_MIN_DAYS, P.HALF_LIFE_MAX_DAYS, k)
        bad = rng.random(k) < P.BAD_CARD_SHARE
        self.fail_prob[idx] = np.where(bad, P.FAIL_PROB_BAD, P.FAIL_PROB_GOOD)
        # days since the last read at signup: as if the subscriber read on the day before
        self.last_read[idx] = np.asarray(signup_day, np.int32) - 1
        return idx
