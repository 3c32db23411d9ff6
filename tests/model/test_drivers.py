"""The SHAP tables serve a model only when they reproduce LightGBM's pred_contrib; otherwise pred_contrib does."""

from __future__ import annotations

import copy
from typing import Any

import lightgbm as lgb
import numpy as np
import pytest

from c360.model.drivers import (
    PARITY_TOLERANCE,
    LightGBMExplainer,
    TreeExplainer,
    UnsupportedModel,
    explainer_for,
    probe_rows,
)


def _booster(depth: int, rounds: int = 40) -> tuple[lgb.Booster, np.ndarray]:
    """A binary model on a categorical plan-like code (with NaN) and two numbers (one with NaN)."""
    rng = np.random.default_rng(3)
    n = 3000
    x = np.column_stack([rng.integers(0, 6, n).astype(float), rng.normal(size=n), rng.normal(size=n)])
    y = ((x[:, 0] % 2 == 0) ^ (x[:, 1] > 0.3) ^ (x[:, 2] > 1.0)).astype(int)
    x[rng.random(n) < 0.1, 0] = np.nan
    x[rng.random(n) < 0.1, 1] = np.nan
    params = {
        "objective": "binary",
        "verbose": -1,
        "max_depth": depth,
        "num_leaves": 2**depth,
        "min_data_in_leaf": 5,
        "min_data_per_group": 5,
        "cat_smooth": 1,
        "num_threads": 1,
    }
    booster = lgb.train(params, lgb.Dataset(x, y, categorical_feature=[0]), rounds)
    return booster, x


def _assert_lightgbms_own(explainer: Any, booster: lgb.Booster, x: np.ndarray) -> None:
    reference = np.asarray(booster.predict(x, pred_contrib=True))
    assert np.abs(explainer.shap_values(x) - reference[:, :-1]).max() < PARITY_TOLERANCE
    assert explainer.base_value == pytest.approx(reference[0, -1], abs=PARITY_TOLERANCE)
    assert np.abs(explainer.raw_score(x) - booster.predict(x, raw_score=True)).max() < PARITY_TOLERANCE


def test_a_shallow_model_with_categories_and_missing_values_keeps_the_tables() -> None:
    booster, x = _booster(depth=3)
    explainer = explainer_for(booster.dump_model(), booster, x[:500])
    assert isinstance(explainer, TreeExplainer)
    _assert_lightgbms_own(explainer, booster, x[:500])
    _assert_lightgbms_own(explainer, booster, probe_rows(booster.dump_model()))


def test_a_deeper_model_falls_back_to_pred_contrib_with_the_right_contributions() -> None:
    booster, x = _booster(depth=5, rounds=20)
    with pytest.raises(UnsupportedModel, match="depth <= 3"):
        TreeExplainer(booster.dump_model())
    explainer = explainer_for(booster.dump_model(), booster)
    assert isinstance(explainer, LightGBMExplainer)
    _assert_lightgbms_own(explainer, booster, x[:500])


def test_a_split_rule_the_tables_do_not_know_falls_back() -> None:
    booster, x = _booster(depth=3, rounds=10)
    dump = copy.deepcopy(booster.dump_model())
    dump["tree_info"][0]["tree_structure"]["missing_type"] = "Infinity"  # a rule drivers.py does not implement
    explainer = explainer_for(dump, booster)
    assert isinstance(explainer, LightGBMExplainer)
    _assert_lightgbms_own(explainer, booster, x[:200])


def _splits(dump: dict[str, Any], decision: str, feature: int) -> list[dict[str, Any]]:
    """The dump's split nodes of one kind on one feature (editable in place)."""
    found, stack = [], [info["tree_structure"] for info in dump["tree_info"]]
    while stack:
        node = stack.pop()
        if "leaf_value" not in node:
            stack += [node["left_child"], node["right_child"]]
            if node["decision_type"] == decision and node["split_feature"] == feature:
                found.append(node)
    return found


def test_tables_that_route_categories_or_missing_values_differently_are_caught_by_the_parity_check() -> None:
    booster, x = _booster(depth=3, rounds=10)
    # a categorical split read as if the other categories went left: tables built, but wrong
    dump = copy.deepcopy(booster.dump_model())
    split = _splits(dump, "==", 0)[0]
    chosen = {float(c) for c in str(split["threshold"]).split("||")}
    split["threshold"] = "||".join(str(c) for c in range(6) if float(c) not in chosen)
    assert isinstance(explainer_for(dump, booster), LightGBMExplainer)
    # missing values sent the other way at a numerical split
    dump = copy.deepcopy(booster.dump_model())
    numeric = _splits(dump, "<=", 1)[0]  # feature 1 has NaN values, routed by default_left
    assert numeric["missing_type"] == "NaN"
    numeric["default_left"] = not numeric["default_left"]
    fallback = explainer_for(dump, booster)
    assert isinstance(fallback, LightGBMExplainer)
    _assert_lightgbms_own(fallback, booster, x[:200])
