"""ground_truth.parquet: the generator's own 30-day churn probability per weekly snapshot, and its AUC."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from c360.sources.synth.encode import ascii_to_arrow
from c360.sources.synth.hazard import HORIZON
from c360.sources.synth.population import Population

SCHEMA: Final = pa.schema(
    [
        ("subscriber_id", pa.string()),
        ("snapshot_date", pa.date32()),
        ("true_churn_prob_30d", pa.float64()),
        ("cancelled_within_30d", pa.bool_()),
    ]
)
SNAPSHOT_STEP_DAYS: Final = 7
FIRST_SNAPSHOT_OFFSET: Final = 28  # snapshots start at least 28 days into the window (features need history)

F64 = NDArray[np.float64]


def snapshot_days(window_start: int, as_of: int) -> list[int]:
    """as_of - 7k for k = 0, 1, ... while >= window_start + 28, ascending."""
    days = range(as_of, window_start + FIRST_SNAPSHOT_OFFSET - 1, -SNAPSHOT_STEP_DAYS)
    return sorted(days)


class TruthLog:
    """(subscriber index, snapshot day, probability) blocks, labelled only when written."""

    def __init__(self) -> None:
        """Start empty."""
        self.blocks: list[tuple[int, NDArray[np.intp], F64]] = []

    def add(self, day: int, idx: NDArray[np.intp], probability: F64) -> None:
        """Record one snapshot's true 30-day churn probabilities."""
        self.blocks.append((day, idx, probability))

    def labels(self, pop: Population, as_of: int) -> list[tuple[NDArray[np.bool_], bool]]:
        """Per block: cancelled in (w, w + 30] and whether that is known yet (w + 30 <= as_of)."""
        out = []
        for day, idx, _ in self.blocks:
            cancel = pop.cancel_day[idx].astype(np.int64)
            out.append(((cancel > day) & (cancel <= day + HORIZON), day + HORIZON <= as_of))
        return out

    def write(self, path: Path, pop: Population, as_of: int) -> tuple[int, float | None]:
        """Write one row group per snapshot; return (rows, oracle AUC over the labelled snapshots)."""
        rows = 0
        probs, hits = [], []
        with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
            for (day, idx, prob), (label, known) in zip(self.blocks, self.labels(pop, as_of), strict=True):
                n = len(idx)
                label_arr = pa.array(label) if known else pa.nulls(n, pa.bool_())
                table = pa.table(
                    {
                        "subscriber_id": ascii_to_arrow(pop.sid[idx]),
                        "snapshot_date": pc.cast(pa.array(np.full(n, day, np.int32)), pa.date32()),
                        "true_churn_prob_30d": pa.array(prob),
                        "cancelled_within_30d": label_arr,
                    },
                    schema=SCHEMA,
                )
                writer.write_table(table)
                rows += n
                if known:
                    probs.append(prob)
                    hits.append(label)
        if not probs:
            return rows, None
        return rows, auc(np.concatenate(probs), np.concatenate(hits))


def auc(score: F64, positive: NDArray[np.bool_]) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties count half); None without both classes."""
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(score, kind="stable")
    sorted_score = score[order]
    ranks = np.empty(len(score), np.float64)
    # average rank within runs of equal scores
    starts = np.flatnonzero(np.concatenate([[True], sorted_score[1:] != sorted_score[:-1]]))
    ends = np.concatenate([starts[1:], [len(score)]])
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
