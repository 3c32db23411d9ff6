"""generate(): argument validation and the public result type."""

from __future__ import annotations

import datetime
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from c360.sources.synth.hazard import DRIFTS
from c360.sources.synth.simulate import Simulation

MIN_DAYS: Final = 35  # the first weekly snapshot needs 28 days of history and a week to land in
MAX_DAYS: Final = 730
MAX_SCALE: Final = 100.0
MIN_YEAR: Final = 1980
MAX_YEAR: Final = 2098
_EPOCH: Final = datetime.date(1970, 1, 1)


@dataclass(frozen=True)
class GenerateResult:
    """Paths of the written files, row/dirt counts and the AUC of the ground truth against realised churn.

    files: keys "subscription_events", "content_engagement", "support_tickets", "ground_truth".
    counts: rows written per file (same keys; dirt lines included), dirt counts by kind (json_*, csv_*,
        ticket_*, nonpositive_payments), events_<type> and population head counts.
    oracle_auc: AUC of true_churn_prob_30d vs cancelled_within_30d over the labelled snapshots
        (None if no snapshot is 30 days old or one class is empty).
    """

    files: dict[str, Path]
    counts: dict[str, int]
    oracle_auc: float | None


def _validate(scale: float, days: int, seed: int, as_of: object) -> None:
    """Raise ValueError naming the argument, the rule and the value received."""
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not math.isfinite(scale):
        raise ValueError(f"scale must be a finite number in (0, {MAX_SCALE:g}], got {scale!r}")
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be > 0 and <= {MAX_SCALE:g}, got {scale!r}")
    if isinstance(days, bool) or not isinstance(days, numbers.Integral) or not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"days must be an integer between {MIN_DAYS} and {MAX_DAYS}, got {days!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(as_of, datetime.datetime) or not isinstance(as_of, datetime.date):
        raise ValueError(f"as_of must be a datetime.date (not a datetime or string), got {as_of!r}")
    if not MIN_YEAR <= as_of.year <= MAX_YEAR:
        # the "future timestamp" dirt is dated 2099 and must lie after as_of
        raise ValueError(f"as_of must be a date in {MIN_YEAR}..{MAX_YEAR}, got {as_of.isoformat()}")


def parse_drift(drift: str | None, days: int) -> tuple[str, int] | None:
    """``"<kind>@<day>"`` as (kind, day), or ValueError naming the kinds and the range of days."""
    if drift is None:
        return None
    kind, _, day = drift.partition("@")
    if kind not in DRIFTS or not day.isdigit() or not 1 <= int(day) < days:
        raise ValueError(
            f"drift must be <kind>@<day> with kind one of {', '.join(sorted(DRIFTS))} and day in 1..{days - 1} "
            f"(days into the window), got {drift!r}"
        )
    return kind, int(day)


def generate(
    out_dir: Path,
    *,
    scale: float = 1.0,
    days: int = 90,
    seed: int = 0,
    as_of: datetime.date,
    on_progress: Callable[[str, int, int], None] | None = None,
    drift: str | None = None,
) -> GenerateResult:
    """Write the three source files and the ground truth for the `days` days ending at `as_of`.

    Deterministic: the same arguments give byte-identical files. on_progress(step, done, total) is called
    once per simulated day (step "simulate", burn-in included) and per written file (step "write").
    drift="product-change@N": the churn drivers change on day N of the window (day 0 = the first day), in
    the data and in the ground truth alike (hazard.PRODUCT_CHANGE).
    """
    _validate(scale, days, seed, as_of)
    parsed = parse_drift(drift, days)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    as_of_day = (as_of - _EPOCH).days
    result = Simulation(out, float(scale), int(days), int(seed), as_of_day, parsed).run(on_progress)
    return GenerateResult(files=result.files, counts=result.counts, oracle_auc=result.oracle_auc)
