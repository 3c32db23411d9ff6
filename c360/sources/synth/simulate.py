"""The day-by-day simulation: every step is vectorised over subscribers; only days are looped over."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from c360.sources.synth import hazard as H
from c360.sources.synth import params as P
from c360.sources.synth.encode import SECONDS_PER_DAY
from c360.sources.synth.engagement import EngagementWriter, bot_rows, reader_rows
from c360.sources.synth.population import NEVER, WINDOW, Population
from c360.sources.synth.subscriptions import (
    CANCEL,
    DOWNGRADE,
    PAYMENT,
    SIGNUP,
    UPGRADE,
    EventLog,
    write_events,
)
from c360.sources.synth.tickets import TicketLog, write_tickets
from c360.sources.synth.truth import TruthLog, snapshot_days

Progress = Callable[[str, int, int], None]
IDX = NDArray[np.intp]
F64 = NDArray[np.float64]
_STREAMS: Final = (
    "population",
    "churn",
    "reads",
    "payments",
    "tickets",
    "plans",
    "csv",
    "json",
    "ticket_rows",
)


@dataclass
class Outputs:
    """What the simulation hands back to the public API."""

    files: dict[str, Path]
    counts: dict[str, int]
    oracle_auc: float | None


class Simulation:
    """Owns the population, the random streams and the output logs for one generate() call."""

    def __init__(
        self, out_dir: Path, scale: float, days: int, seed: int, as_of_day: int, drift: tuple[str, int] | None = None
    ) -> None:
        """Set up windows and independent random streams (one per concern, so dirt never shifts data)."""
        self.as_of = as_of_day
        self.start = as_of_day - days + 1
        self.sim_start = self.start - P.BURN_IN_DAYS
        self.target = max(1, round(P.TARGET_ACTIVE * scale))
        streams = np.random.SeedSequence([seed, 0xC360]).spawn(len(_STREAMS))
        self.rng = {name: np.random.default_rng(s) for name, s in zip(_STREAMS, streams, strict=True)}
        self.pop = Population(int(self.target * 1.6) + 64)
        if drift is not None:  # the churn drivers change on day drift[1] of the window (day 0 = the first)
            self.pop.drift_regime = H.DRIFTS[drift[0]]
            self.pop.drift_day = self.start + drift[1]
        self.events = EventLog()
        self.tickets = TicketLog()
        self.truth = TruthLog()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="c360-truth")
        self._truth_jobs: list[tuple[int, IDX, Future[F64]]] = []
        self.snapshots = set(snapshot_days(self.start, as_of_day))
        self.files = {
            "subscription_events": out_dir / "subscription_events.jsonl",
            "content_engagement": out_dir / "content_engagement.csv",
            "support_tickets": out_dir / "support_tickets.parquet",
            "ground_truth": out_dir / "ground_truth.parquet",
        }
        self.csv = EngagementWriter(self.files["content_engagement"], self.rng["csv"])

    def run(self, on_progress: Progress | None) -> Outputs:
        """Simulate burn-in and window, then write the three sources and the ground truth."""
        report = on_progress or (lambda _step, _done, _total: None)
        self._seed_population()
        total = self.as_of - self.sim_start + 1
        try:
            for i, day in enumerate(range(self.sim_start, self.as_of + 1)):
                self._step(day)
                report("simulate", i + 1, total)
        finally:
            self.csv.close()
            self._pool.shutdown(wait=True)
        for day, active, job in self._truth_jobs:
            self.truth.add(day, active, job.result())
        counts: Counter[str] = Counter(self.csv.counts)
        report("write", 0, 3)
        counts.update(
            write_events(self.files["subscription_events"], self.events, self.pop, self.start, self.rng["json"])
        )
        report("write", 1, 3)
        end = (self.as_of + 1) * SECONDS_PER_DAY
        counts.update(
            write_tickets(self.files["support_tickets"], self.tickets, self.pop, end, self.rng["ticket_rows"])
        )
        report("write", 2, 3)
        rows, oracle = self.truth.write(self.files["ground_truth"], self.pop, self.as_of)
        report("write", 3, 3)
        counts["ground_truth"] = rows
        counts.update(self._population_counts())
        return Outputs(dict(self.files), dict(sorted(counts.items())), oracle)

    def _population_counts(self) -> dict[str, int]:
        """Head counts that make volumes checkable."""
        n = self.pop.n
        signup, cancel = self.pop.signup_day[:n], self.pop.cancel_day[:n]
        return {
            "active_at_as_of": int(((signup <= self.as_of) & (cancel == NEVER)).sum()),
            "active_at_window_start": int(((signup < self.start) & (cancel >= self.start)).sum()),
            "cancels_in_window": int(((cancel >= self.start) & (cancel <= self.as_of)).sum()),
            "signups_in_window": int((signup >= self.start).sum()),
        }

    def _seed_population(self) -> None:
        """Subscribers present at the start of the burn-in, tenure skewed to recent (truncated exponential)."""
        rng = self.rng["population"]
        span = P.MAX_PRE_TENURE_DAYS - P.BURN_IN_DAYS
        s = P.PRE_TENURE_SCALE_DAYS
        age = -s * np.log1p(-rng.random(self.target) * -np.expm1(-span / s))
        signup = (self.sim_start - 1 - np.floor(age)).astype(np.int32)
        idx = self.pop.add(rng, signup, self.sim_start)
        # a steady reader's last read: a geometric number of days before the first simulated day
        self.pop.last_read[idx] = self.sim_start - rng.geometric(-np.expm1(-self.pop.base_rate[idx]))
        self._log_signups(idx)

    def _log_signups(self, idx: IDX) -> None:
        """Signup events (historical ones are filtered at write time by survival to the window)."""
        secs = self.pop.signup_day[idx].astype(np.int64) * SECONDS_PER_DAY + self.pop.signup_sec[idx]
        self.events.add(idx, SIGNUP, secs, self.pop.plan[idx])

    def _day_secs(self, rng: np.random.Generator, idx: IDX, day: int) -> NDArray[np.int64]:
        """Uniform instants within `day`, after the signup instant for subscribers who joined that day."""
        lo = np.where(self.pop.signup_day[idx] == day, self.pop.signup_sec[idx] + 1, 0).astype(np.int64)
        return day * SECONDS_PER_DAY + lo + (rng.random(len(idx)) * (SECONDS_PER_DAY - lo)).astype(np.int64)

    def _step(self, day: int) -> None:
        """One simulated day, in causal order: churn, window roll, arrivals, reads, payments, tickets, plans."""
        expected_cancels, n_active = self._churn(day)
        self._roll_window(day)
        self._arrivals(day, expected_cancels, n_active)
        self._reads(day)
        self._payments(day)
        self._support(day)
        if day >= self.start:
            self._plan_changes(day)
        if day in self.snapshots:
            n = self.pop.n
            active = np.flatnonzero((self.pop.signup_day[:n] <= day) & (self.pop.cancel_day[:n] == NEVER))
            # the truth needs no randomness: computed on a frozen copy on the spare core, joined in order
            frozen = self.pop.subset(active)
            self._truth_jobs.append(
                (day, active, self._pool.submit(H.churn_probability, frozen, np.arange(len(active)), day))
            )

    def _churn(self, day: int) -> tuple[float, int]:
        """Draw today's cancellations from the hazard; return (expected cancels, active afterwards)."""
        n = self.pop.n
        elig = np.flatnonzero((self.pop.signup_day[:n] < day) & (self.pop.cancel_day[:n] == NEVER))
        hazard = np.exp(H.log_hazard(self.pop, elig, day))
        rng = self.rng["churn"]
        gone = elig[rng.random(len(elig)) < -np.expm1(-hazard)]
        self.pop.cancel_day[gone] = day
        self.pop.cancel_sec[gone] = rng.integers(0, SECONDS_PER_DAY, len(gone))
        if day >= self.start:
            secs = day * SECONDS_PER_DAY + self.pop.cancel_sec[gone].astype(np.int64)
            self.events.add(gone, CANCEL, secs, self.pop.plan[gone])
        return float(hazard.sum()), len(elig) - len(gone)

    def _roll_window(self, day: int) -> None:
        """Day - 30 leaves the 'last 30 days' counters; its ring row is reused for today."""
        pop, slot, n = self.pop, day % WINDOW, self.pop.n
        for ring, total in (
            (pop.tix_ring, pop.tix30),
            (pop.ctix_ring, pop.ctix30),
            (pop.fail_ring, pop.fail30),
        ):
            total[:n] -= ring[slot, :n]
            ring[slot, :n] = 0

    def _arrivals(self, day: int, expected_cancels: float, n_active: int) -> None:
        """New signups replace expected cancels, plus a pull towards the target population."""
        rng = self.rng["population"]
        lam = max(0.0, expected_cancels + P.ARRIVAL_GAIN * (self.target - n_active))
        k = int(rng.poisson(lam))
        if k:
            self._log_signups(self.pop.add(rng, np.full(k, day, np.int32), day))

    def _reads(self, day: int) -> None:
        """Poisson reads; after a cancel reading stops (bar 0-2 grace days at half rate)."""
        pop, n, rng = self.pop, self.pop.n, self.rng["reads"]
        grace_until = pop.cancel_day[:n].astype(np.int64) + pop.grace[:n]
        readers = np.flatnonzero((pop.signup_day[:n] <= day) & (grace_until >= day))
        rate = H.read_rate(pop, readers, day) * np.where(pop.cancel_day[readers] < day, 0.5, 1.0)
        counts = rng.poisson(rate)
        has = counts > 0
        pop.last_read[readers[has]] = day
        if day < self.start:
            return
        rows = reader_rows(rng, pop, readers[has], counts[has], day)
        active = readers[pop.cancel_day[readers] >= day]
        bots = bot_rows(rng, active, len(rows.sub), day)
        self.csv.write_day(pop, rows.concat(bots), len(bots.sub))

    def _payments(self, day: int) -> None:
        """Billing on the signup day and every 30 days after; failures feed the involuntary-churn term."""
        pop, n, rng = self.pop, self.pop.n, self.rng["payments"]
        signup = pop.signup_day[:n]
        due = (signup <= day) & (pop.cancel_day[:n] == NEVER) & ((day - signup) % P.BILLING_CYCLE_DAYS == 0)
        payers = np.flatnonzero(due)
        failed = rng.random(len(payers)) < pop.fail_prob[payers]
        pop.fail_ring[day % WINDOW, payers[failed]] += 1
        pop.fail30[payers[failed]] += 1
        if day < self.start:
            return
        cents = np.rint(rng.normal(P.PAYMENT_MEAN, P.PAYMENT_SD, len(payers)) * 100).astype(np.int64)
        secs = self._day_secs(rng, payers, day)
        # the first payment follows its signup within a couple of minutes
        first = signup[payers] == day
        start = day * SECONDS_PER_DAY + pop.signup_sec[payers].astype(np.int64)
        secs = np.where(first, start + rng.integers(5, 180, len(payers)), secs)
        self.events.add(payers, PAYMENT, secs, pop.plan[payers], cents, failed)

    def _support(self, day: int) -> None:
        """Poisson tickets; category odds depend on failures and risk; counted into the 30-day rings."""
        pop, n, rng = self.pop, self.pop.n, self.rng["tickets"]
        alive = np.flatnonzero((pop.signup_day[:n] <= day) & (pop.cancel_day[:n] >= day))
        rate = H.read_rate(pop, alive, day)
        k = rng.poisson(H.ticket_rate(pop, alive, rate))
        who = np.repeat(np.arange(len(alive)), k)
        sub = alive[who]
        weights = H.category_weights(pop, sub, rate[who])
        cdf = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
        category = np.minimum((rng.random((len(sub), 1)) > cdf).sum(axis=1), weights.shape[1] - 1)
        slot = day % WINDOW
        np.add.at(pop.tix_ring[slot], sub, 1)
        np.add.at(pop.tix30, sub, 1)
        cancel_kind = sub[category == H.CANCEL_CAT]
        np.add.at(pop.ctix_ring[slot], cancel_kind, 1)
        np.add.at(pop.ctix30, cancel_kind, 1)
        if day >= self.start:
            self.tickets.add(sub, self._day_secs(rng, sub, day), category)

    def _plan_changes(self, day: int) -> None:
        """Upgrades from engaged readers, downgrades (more likely when reading has fallen) from at-risk ones."""
        pop, n, rng = self.pop, self.pop.n, self.rng["plans"]
        act = np.flatnonzero((pop.signup_day[:n] < day) & (pop.cancel_day[:n] == NEVER))
        rate = H.read_rate(pop, act, day)
        level = np.log((P.REF_RATE + P.RATE_EPS) / (rate + P.RATE_EPS))
        risk = H.drop(pop, act, rate) + np.maximum(level, 0)
        p_up = P.PLAN_CHANGE_RATE * np.exp(-0.5 * level)
        p_down = P.PLAN_CHANGE_RATE * np.exp(P.DOWNGRADE_RISK_GAIN * risk)
        draw = rng.random(len(act))
        plan = pop.plan[act]
        up = act[(draw < p_up) & (plan < len(P.PLANS) - 1)]
        down = act[(draw >= p_up) & (draw < p_up + p_down) & (plan > 0)]
        pop.plan[up] += 1
        pop.plan[down] -= 1
        for who, kind in ((up, UPGRADE), (down, DOWNGRADE)):
            self.events.add(who, kind, self._day_secs(rng, who, day), pop.plan[who])
