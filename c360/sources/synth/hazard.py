"""The churn process: read rates, ticket rates, the daily cancellation hazard and the true 30-day risk.

Latent read rate of subscriber i on day t (reads are Poisson(r_i(t)) per day):

    r_i(t) = e_i                                                       before the disengagement onset o_i
           = e_i * (RATE_FLOOR + (1 - RATE_FLOOR) * 0.5 ** ((t - o_i) / halflife_i))      from o_i on

Daily hazard on day t, from the history up to the end of day t-1; the subscriber cancels on day t with
probability 1 - exp(-h):

    h_i(t) = exp(eta),  eta = B0
        + B_LEVEL   * ln((REF_RATE + eps) / (m30 + eps))     low reading: m30 = mean r_i over t-30..t-1
        + B_DROP    * ln((m23 + eps) / (m7 + eps))           falling reading: last 7 days vs the 23 before
        + B_RECENCY * min(days since last read, RECENCY_CAP)
        + B_TICKETS * tickets in days t-30..t-1
        + B_CANCEL_TICKET * [cancellation ticket in days t-30..t-1]
        + B_NEW     * exp(-tenure_days / NEW_TAU_DAYS)       new subscribers churn more
        + B_FAILED  * failed payments in days t-30..t-1      involuntary churn
        + B_PLAN[plan] + B_CHANNEL[acquisition channel] + u_i,   u_i ~ N(0, U_SD) never observed

(the m's average the latent rate over days on or after signup, so they mirror the observable features).
With a drift (``generate(drift="product-change@N")``) the coefficients are those of PRODUCT_CHANGE from
the N-th day of the window on (Population.drift_day): the true process, and so the oracle, change.
Tickets are Poisson(TICKET_BASE_RATE * exp(TICKET_DROP_GAIN * ln((e+eps)/(r+eps)) + TICKET_U_GAIN * u_i)).
churn_probability() gives the ground truth P(cancel in w+1..w+30 | everything known at the end of w).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from c360.sources.synth import params as P
from c360.sources.synth.population import NEVER, WINDOW, Population

F64 = NDArray[np.float64]
IDX = NDArray[np.intp]
HORIZON: Final = 30
_CHUNK: Final = 32_768  # subscribers per block in the 30-day expectation, bounds temporary memory
_B_PLAN: Final[F64] = np.asarray(P.B_PLAN, dtype=np.float64)
_B_CHANNEL: Final[F64] = np.asarray(P.B_CHANNEL, dtype=np.float64)
_W_CAT: Final[F64] = np.asarray(P.CATEGORY_WEIGHTS, dtype=np.float64)


@dataclass(frozen=True)
class Regime:
    """The hazard's coefficients (see the module docstring)."""

    level: float
    drop: float
    tickets: float
    cancel_ticket: float
    failed: float
    plan: F64
    channel: F64


BASE: Final = Regime(P.B_LEVEL, P.B_DROP, P.B_TICKETS, P.B_CANCEL_TICKET, P.B_FAILED, _B_PLAN, _B_CHANNEL)
# A product change: a redesign makes reading habits matter less, billing retries rescue most failed
# payments, support gets worse, and a price rise on the basic plan drives its subscribers away.
PRODUCT_CHANGE: Final = Regime(
    level=0.25,
    drop=0.3,
    tickets=1.0,
    cancel_ticket=3.0,
    failed=0.8,
    plan=np.asarray((0.9, 0.0, -0.3), dtype=np.float64),
    channel=_B_CHANNEL,
)
DRIFTS: Final = {"product-change": PRODUCT_CHANGE}


def regime(pop: Population, day: int) -> Regime:
    """The coefficients in force on ``day``."""
    return pop.drift_regime if day >= pop.drift_day else BASE


CANCEL_CAT: Final = P.CATEGORIES.index("cancellation")
BILLING_CAT: Final = P.CATEGORIES.index("billing")


def _known_onset(pop: Population, idx: IDX, onset_known_until: int | None) -> NDArray[np.int64]:
    """Onset days, with onsets after onset_known_until treated as never happening."""
    onset = pop.onset_day[idx].astype(np.int64)
    if onset_known_until is not None:
        onset = np.where(onset <= onset_known_until, onset, NEVER)
    return onset


def read_rate(pop: Population, idx: IDX, day: int, onset_known_until: int | None = None) -> F64:
    """Expected reads on `day`; onsets after onset_known_until are ignored (the truth's "no future onset")."""
    onset = _known_onset(pop, idx, onset_known_until)
    since = np.maximum(day - onset, 0).astype(np.float64)
    decay = np.where(day >= onset, P.RATE_FLOOR + (1 - P.RATE_FLOOR) * 0.5 ** (since / pop.half_life[idx]), 1.0)
    return pop.base_rate[idx] * decay


def mean_rate(pop: Population, idx: IDX, first: int, last: int, onset_known_until: int | None = None) -> F64:
    """Mean latent read rate over days [first, last] on or after signup (closed-form geometric sums).

    Falls back to the base rate when the subscriber has no such day yet.
    """
    onset = _known_onset(pop, idx, onset_known_until).astype(np.float64)
    lo = np.maximum(first, pop.signup_day[idx]).astype(np.float64)
    days = last - lo + 1
    pre = np.clip(np.minimum(last, onset - 1) - lo + 1, 0, None)
    post_lo = np.maximum(lo, onset)
    post = np.clip(last - post_lo + 1, 0, None)
    rho = 0.5 ** (1.0 / pop.half_life[idx])
    # sum over j = post_lo - onset .. last - onset of rho**j (zero when there is no post-onset day)
    j0 = np.where(post > 0, post_lo - onset, 0.0)
    geo = np.where(post > 0, rho**j0 * -np.expm1(post * np.log(rho)) / (1 - rho), 0.0)
    total = pre + P.RATE_FLOOR * post + (1 - P.RATE_FLOOR) * geo
    return pop.base_rate[idx] * np.where(days > 0, total / np.maximum(days, 1), 1.0)


def drop(pop: Population, idx: IDX, rate: F64) -> F64:
    """ln((e + eps) / (r + eps)) >= 0: how far reading has fallen below the subscriber's own baseline."""
    return np.log((pop.base_rate[idx] + P.RATE_EPS) / (rate + P.RATE_EPS))


def _static_eta(pop: Population, idx: IDX, day: int, onset_known_until: int | None = None) -> F64:
    """The terms of eta that need no event history: engagement, tenure, plan, channel and u.

    Engagement is the latent read rate averaged like the observable features: over days t-30..t-1 (level),
    and the last 7 against the 23 before (trend).
    """
    eps = P.RATE_EPS
    m30 = mean_rate(pop, idx, day - 30, day - 1, onset_known_until)
    m7 = mean_rate(pop, idx, day - 7, day - 1, onset_known_until)
    m23 = mean_rate(pop, idx, day - 30, day - 8, onset_known_until)
    tenure = (day - pop.signup_day[idx]).astype(np.float64)
    r = regime(pop, day)
    return (
        P.B0
        + r.level * np.log((P.REF_RATE + eps) / (m30 + eps))
        + r.drop * np.log((m23 + eps) / (m7 + eps))
        + P.B_NEW * np.exp(-tenure / P.NEW_TAU_DAYS)
        + r.plan[pop.plan[idx]]
        + r.channel[pop.channel[idx]]
        + pop.u[idx]
    )


def log_hazard(pop: Population, idx: IDX, day: int) -> F64:
    """eta_i(day) from the history up to the end of day-1 (call before day's events are recorded)."""
    recency = np.minimum(day - pop.last_read[idx], P.RECENCY_CAP).astype(np.float64)
    r = regime(pop, day)
    history: F64 = (
        P.B_RECENCY * recency
        + r.tickets * pop.tix30[idx]
        + r.cancel_ticket * (pop.ctix30[idx] > 0)
        + r.failed * pop.fail30[idx]
    )
    return _static_eta(pop, idx, day) + history


def ticket_rate(pop: Population, idx: IDX, rate: F64) -> F64:
    """Expected support tickets per day: disengaged and high-propensity subscribers write more."""
    gain = P.TICKET_DROP_GAIN * drop(pop, idx, rate) + P.TICKET_U_GAIN * pop.u[idx]
    return P.TICKET_BASE_RATE * np.exp(gain)


def category_weights(pop: Population, idx: IDX, rate: F64) -> F64:
    """(n, 6) unnormalised ticket-category weights: billing after failures, cancellation when at risk."""
    w = np.tile(_W_CAT, (len(idx), 1))
    w[:, BILLING_CAT] *= np.where(pop.fail30[idx] > 0, P.BILLING_FAILED_GAIN, 1.0)
    w[:, CANCEL_CAT] *= np.exp(P.CANCEL_CATEGORY_GAIN * (drop(pop, idx, rate) + pop.u[idx]))
    return w


def _known_by_age(ring: NDArray[np.int8], idx: IDX, day: int) -> NDArray[np.int32]:
    """(30, n) counts in days day-a'..day summed over ages a' <= a (ring holds day x at row x % 30)."""
    rows = (day - np.arange(WINDOW)) % WINDOW
    return np.cumsum(ring[rows][:, idx].astype(np.int32), axis=0)


def churn_probability(pop: Population, idx: IDX, day: int) -> F64:
    """P(cancel within days day+1..day+30 | state at the end of `day`), computed blockwise."""
    out = np.empty(len(idx), np.float64)
    for lo in range(0, len(idx), _CHUNK):
        out[lo : lo + _CHUNK] = _probability_block(pop, idx[lo : lo + _CHUNK], day)
    return out


def _probability_block(pop: Population, idx: IDX, w: int) -> F64:
    """1 - E[exp(-sum of the daily hazards over w+1..w+30)] given the state at the end of day w.

    Known at w: latent rates (onsets up to w), u, tenure, plan, and past reads, tickets and failures.
    Future disengagement onsets are set to zero (not anticipated). The future shocks that move the hazard
    most are carried exactly as a Markov chain: days since the last read (reads ~ Poisson(r(t))), whether a
    cancellation ticket has arrived and whether the next payment failed (both stay in the 30-day window for
    the rest of the horizon). Other future tickets enter through their exact expected multiplier
    E[exp(B_TICKETS * N)] = exp(Lambda * (e^B_TICKETS - 1)), the only averaged shock.
    dist[c, f, j] = P(still subscribed, cancellation ticket c, failed payment f, recency j + 1).
    """
    n = len(idx)
    tix, ctix, fails = (_known_by_age(r, idx, w) for r in (pop.tix_ring, pop.ctix_ring, pop.fail_ring))
    cap = P.RECENCY_CAP
    recency_term = np.exp(P.B_RECENCY * np.arange(1, cap + 1, dtype=np.float64))[:, None]
    dist = np.zeros((2, 2, cap, n))
    dist[0, 0, np.minimum(w + 1 - pop.last_read[idx], cap) - 1, np.arange(n)] = 1.0
    next_pay = w + 1 + (pop.signup_day[idx].astype(np.int64) - (w + 1)) % P.BILLING_CYCLE_DAYS
    fail_prob = pop.fail_prob[idx]
    cum_tix = np.zeros(n)  # expected tickets on days w+1..t-1
    for k in range(1, HORIZON + 1):
        t = w + k
        rate = read_rate(pop, idx, t, onset_known_until=w)
        known = WINDOW - k  # ages 0..30-k of the end-of-w history are still inside t's window
        r = regime(pop, t)
        base = np.exp(_static_eta(pop, idx, t, w) + r.tickets * tix[known] + r.failed * fails[known])
        base *= np.exp(cum_tix * math.expm1(r.tickets))
        for c in (0, 1):
            has_ctix = np.maximum(c, ctix[known] > 0)
            for f in (0, 1):
                h = base * np.exp(r.cancel_ticket * has_ctix + r.failed * f)
                dist[c, f] *= np.exp(-h * recency_term)
        _advance(dist, -np.expm1(-rate))
        lam = ticket_rate(pop, idx, rate)
        cat = category_weights(pop, idx, rate)
        p_ctix = -np.expm1(-lam * cat[:, CANCEL_CAT] / cat.sum(axis=1))
        dist[1] += dist[0] * p_ctix
        dist[0] *= 1 - p_ctix
        p_fail = np.where(next_pay == t, fail_prob, 0.0)
        dist[:, 1] += dist[:, 0] * p_fail
        dist[:, 0] *= 1 - p_fail
        cum_tix += lam
    survival: F64 = dist.sum(axis=(0, 1, 2))
    return 1.0 - survival


def _advance(dist: NDArray[np.float64], p_read: F64) -> None:
    """Recency after a day: back to 1 with P(read), else one more day (absorbed at the cap); in place."""
    alive = dist.sum(axis=-2)
    dist[..., -1, :] += dist[..., -2, :]
    dist[..., 1:-1, :] = dist[..., :-2, :].copy()
    dist[..., 1:, :] *= 1 - p_read
    dist[..., 0, :] = p_read * alive
