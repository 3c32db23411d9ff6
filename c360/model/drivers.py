"""Exact per-subscriber SHAP values of the churn model, fast enough to explain every daily score.

LightGBM's ``pred_contrib`` runs TreeSHAP row by row: ~60 µs a row for our 300 trees on one core,
15 s for 250,000 subscribers. Our trees are at most 3 deep (at most 7 splits), and a row's
path-dependent TreeSHAP values in one tree depend only on which way it goes at each of those splits:
at most 2**7 = 128 cases. So each tree's SHAP values are computed once per case when the model is
loaded (a table of at most 128 x 7 numbers), and explaining a row takes, per tree, its decisions at
the splits and one table lookup. The values are LightGBM's own, to rounding (tests compare them with
``pred_contrib``); they add up with ``base_value`` to the model's raw score.

The case values come from the definition (Lundberg et al., "Consistent individualized feature
attribution for tree ensembles", algorithm 1): with S the features a coalition knows, the tree's
expected output is a sum over leaves of the leaf value times, per split on the path, 1 if the split's
feature is in S and the row goes the leaf's way (0 if not), or the share of training rows going that
way if the feature is not in S. Shapley values then follow by enumerating the coalitions of the tree's
own (at most 7) features.

The tables stay only while they agree with LightGBM: ``explainer_for`` checks every model it serves
against ``pred_contrib`` on probe rows drawn from the model's own splits (each threshold, either side of
it, zero, missing and unseen categories), and falls back to ``pred_contrib`` for a model the tables do not
handle (deeper trees, split or missing-value rules they do not implement) or do not reproduce.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from math import factorial
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import lightgbm as lgb

log = logging.getLogger(__name__)
F64 = NDArray[np.float64]
MAX_SPLITS = 7  # trees of depth <= 3
PARITY_TOLERANCE = 1e-9  # largest difference from pred_contrib (or the raw score) the tables may show
_ZERO = 1e-35  # LightGBM's kZeroThreshold
_DECISIONS = {"<=", "=="}
_MISSING_TYPES = {"None", "Zero", "NaN"}


class UnsupportedModel(ValueError):
    """A tree the SHAP tables do not implement (too deep, or a split rule they do not know)."""


class Explainer(Protocol):
    """Raw scores and SHAP values of a booster, in raw-score (log-odds) units."""

    @property
    def base_value(self) -> float:
        """What the contributions add up from."""

    def raw_score(self, x: F64) -> F64:
        """The booster's raw score per row."""

    def shap_values(self, x: F64) -> F64:
        """(rows, features) contributions; each row plus ``base_value`` sums to the raw score."""


@dataclass(frozen=True)
class _Split:
    feature: int
    threshold: float
    categories: NDArray[np.float64] | None  # categorical split: these codes go left
    default_left: bool
    missing_type: str  # None | Zero | NaN

    @property
    def key(self) -> tuple[Any, ...]:
        """What the decision depends on: equal keys decide every row the same way."""
        cats = None if self.categories is None else tuple(self.categories.tolist())
        return (self.feature, self.threshold, cats, self.default_left, self.missing_type)

    def goes_left(self, values: F64) -> NDArray[np.bool_]:
        """LightGBM's decision for a column of values (NumericalDecision / CategoricalDecision)."""
        if self.categories is not None:
            codes = np.trunc(values)
            return np.isin(codes, self.categories) & ~np.isnan(values) & (codes >= 0)
        if self.missing_type != "NaN":
            values = np.where(np.isnan(values), 0.0, values)
        left = values <= self.threshold
        if self.missing_type == "Zero":
            left = np.where(np.abs(values) <= _ZERO, self.default_left, left)
        elif self.missing_type == "NaN":
            left = np.where(np.isnan(values), self.default_left, left)
        return np.asarray(left)


@dataclass(frozen=True)
class _Leaf:
    value: float
    count: float
    path: tuple[tuple[int, bool, float], ...]  # (split index, goes left, share of the node's rows)


@dataclass(frozen=True)
class _Tree:
    splits: tuple[_Split, ...]
    features: NDArray[np.intp]  # the tree's distinct features
    table: F64  # (len(features), 2**len(splits)): SHAP values of each decision case, per feature
    expected: float


class TreeExplainer:
    """SHAP values of a LightGBM binary model with trees of depth <= 3, in raw-score (log-odds) units."""

    def __init__(self, dump: dict[str, Any]) -> None:
        """Build the case tables from ``Booster.dump_model()``."""
        self.n_features = int(dump["max_feature_idx"]) + 1
        self.trees = [_table(_parse(info["tree_structure"])) for info in dump["tree_info"]]
        self.base_value = float(sum(t.expected for t in self.trees))

    def raw_score(self, x: F64) -> F64:
        """The model's raw score (log-odds): the base value plus the row's contributions."""
        return np.asarray(self.base_value + self.shap_values(x).sum(axis=1))

    def shap_values(self, x: F64) -> F64:
        """(rows, features) contributions; each row plus ``base_value`` sums to the raw score."""
        columns = np.ascontiguousarray(x.T, dtype=np.float64)
        out = np.zeros((self.n_features, x.shape[0]), dtype=np.float64)
        decisions: dict[tuple[Any, ...], NDArray[np.intp]] = {}  # splits recur across trees: decide each once
        for tree in self.trees:
            if not len(tree.features):
                continue
            case = np.zeros(x.shape[0], dtype=np.intp)
            for bit, split in enumerate(tree.splits):
                key = split.key
                if key not in decisions:
                    decisions[key] = split.goes_left(columns[split.feature]).astype(np.intp)
                case |= decisions[key] << bit
            for position, feature in enumerate(tree.features):
                out[feature] += tree.table[position].take(case)
        return out.T


def _parse(node: dict[str, Any]) -> tuple[list[_Split], list[_Leaf]]:
    """The tree's splits (depth-first) and its leaves with their paths."""
    splits: list[_Split] = []
    leaves: list[_Leaf] = []

    def walk(n: dict[str, Any], path: tuple[tuple[int, bool, float], ...]) -> None:
        if "leaf_value" in n:
            if "leaf_coeff" in n:
                raise UnsupportedModel("linear trees")
            leaves.append(_Leaf(float(n["leaf_value"]), float(n.get("leaf_count", 0)), path))
            return
        index = len(splits)
        if n["decision_type"] not in _DECISIONS or n["missing_type"] not in _MISSING_TYPES:
            raise UnsupportedModel(f"split rule {n['decision_type']!r} / missing {n['missing_type']!r}")
        categorical = n["decision_type"] == "=="
        splits.append(
            _Split(
                feature=int(n["split_feature"]),
                threshold=0.0 if categorical else float(n["threshold"]),
                categories=np.array([float(c) for c in str(n["threshold"]).split("||")]) if categorical else None,
                default_left=bool(n["default_left"]),
                missing_type=str(n["missing_type"]),
            )
        )
        total = float(n["internal_count"])
        for child, left in ((n["left_child"], True), (n["right_child"], False)):
            share = _count(child) / total if total else 0.0
            walk(child, (*path, (index, left, share)))

    walk(node, ())
    if len(splits) > MAX_SPLITS:
        raise UnsupportedModel(f"a tree has {len(splits)} splits; the SHAP tables support trees of depth <= 3")
    return splits, leaves


def _count(node: dict[str, Any]) -> float:
    return float(node["leaf_count"] if "leaf_value" in node else node["internal_count"])


def _table(parsed: tuple[list[_Split], list[_Leaf]]) -> _Tree:
    """Every decision case's SHAP values, by enumerating coalitions of the tree's features."""
    splits, leaves = parsed
    values = np.array([leaf.value for leaf in leaves])
    if not splits:
        return _Tree((), np.array([], dtype=np.intp), np.zeros((0, 1)), float(values[0]))
    features = np.array(sorted({s.feature for s in splits}), dtype=np.intp)
    position = {int(f): i for i, f in enumerate(features)}
    n_cases, k = 2 ** len(splits), len(features)
    bits = (np.arange(n_cases)[:, None] >> np.arange(len(splits))[None, :]) & 1  # (cases, splits)
    # o[case, leaf, j]: the row goes the leaf's way at every split on feature j; z[leaf, j]: row shares
    o = np.ones((n_cases, len(leaves), k))
    z = np.ones((len(leaves), k))
    for li, leaf in enumerate(leaves):
        for split_index, left, share in leaf.path:
            j = position[splits[split_index].feature]
            o[:, li, j] *= bits[:, split_index] == int(left)
            z[li, j] *= share
    members = ((np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)  # (coalitions, k)
    factors = np.where(members[None, :, None, :], o[:, None, :, :], z[None, None, :, :])
    expected_value = factors.prod(axis=3) @ values  # (cases, coalitions)
    sizes = members.sum(axis=1)
    weights = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    table = np.empty((n_cases, k))
    for j in range(k):
        without = np.flatnonzero(~members[:, j])
        gain = expected_value[:, without | (1 << j)] - expected_value[:, without]
        table[:, j] = gain @ weights[sizes[without]]
    expected = float(expected_value[0, 0])
    return _Tree(tuple(splits), features, np.ascontiguousarray(table.T), expected)


class LightGBMExplainer:
    """LightGBM's own TreeSHAP (``pred_contrib``): exact for any booster, 30-60 times slower than the tables."""

    def __init__(self, booster: lgb.Booster) -> None:
        """Wrap ``booster``."""
        self.booster = booster
        self.n_features = int(booster.num_feature())

    @property
    def base_value(self) -> float:
        """The expected raw score (``pred_contrib``'s last column, the same for every row)."""
        return float(np.asarray(self.booster.predict(np.zeros((1, self.n_features)), pred_contrib=True))[0, -1])

    def raw_score(self, x: F64) -> F64:
        """The booster's raw score per row."""
        return np.asarray(self.booster.predict(x, raw_score=True), dtype=np.float64)

    def shap_values(self, x: F64) -> F64:
        """(rows, features) contributions from ``pred_contrib``."""
        return np.asarray(self.booster.predict(x, pred_contrib=True), dtype=np.float64)[:, :-1]


def explainer_for(dump: dict[str, Any], booster: lgb.Booster, rows: F64 | None = None) -> Explainer:
    """The SHAP tables when they match ``pred_contrib`` on probe rows (and ``rows``), else LightGBM's own."""
    try:
        fast = TreeExplainer(dump)
    except UnsupportedModel as exc:
        log.info("SHAP tables do not handle this model (%s): drivers use LightGBM's pred_contrib", exc)
        return LightGBMExplainer(booster)
    x = probe_rows(dump) if rows is None else np.vstack([probe_rows(dump), rows])
    gap = parity_gap(fast, LightGBMExplainer(booster), x)
    if gap > PARITY_TOLERANCE:
        log.warning("SHAP tables differ from LightGBM's pred_contrib by %g: drivers use pred_contrib", gap)
        return LightGBMExplainer(booster)
    return fast


def parity_gap(ours: Explainer, reference: Explainer, x: F64) -> float:
    """The largest difference in SHAP values, base value or raw score between two explainers on ``x``."""
    if not len(x):
        return abs(ours.base_value - reference.base_value)
    return max(
        float(np.abs(ours.shap_values(x) - reference.shap_values(x)).max()),
        float(np.abs(ours.raw_score(x) - reference.raw_score(x)).max()),
        abs(ours.base_value - reference.base_value),
    )


def probe_rows(dump: dict[str, Any], seed: int = 0) -> F64:
    """Rows that take every split both ways: per feature, each threshold and its neighbours, each category
    and an unseen one, zero, +-1e-36 and NaN, shuffled into rows independently per feature."""
    n_features = int(dump["max_feature_idx"]) + 1
    values: list[set[float]] = [{0.0, -1.0, 1e-36, -1e-36, 1e30, -1e30} for _ in range(n_features)]
    stack = [info["tree_structure"] for info in dump["tree_info"]]
    while stack:
        node = stack.pop()
        if "leaf_value" in node:
            continue
        stack += [node["left_child"], node["right_child"]]
        feature = values[int(node["split_feature"])]
        if node["decision_type"] == "==":
            codes = [float(c) for c in str(node["threshold"]).split("||")]
            feature.update(codes, [max(codes) + 1.0, min(codes) + 0.5])
        else:
            t = float(node["threshold"])
            feature.update([t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf)])
    rng = np.random.default_rng(seed)
    n_rows = 2 * max(len(v) for v in values) + 1
    columns = [rng.permutation(np.resize([*sorted(v), np.nan], n_rows)) for v in values]
    return np.column_stack(columns).astype(np.float64)
