"""The churn model's Snowflake SQL: golden-tested (fakesnow cannot run Snowflake ML), and parsed by sqlglot
wherever sqlglot can parse Snowflake.

The golden file is the one of every migration (tests/pipeline_sql/golden/snowflake_migrations.sql, rewritten
with ``C360_UPDATE_GOLDEN=1 pytest tests/pipeline_sql/test_snowflake.py``); this checks that the model's
statements are all in it, as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlglot
from sqlglot import exp

from c360.settings import Settings
from c360.warehouse import task_parameters
from pipeline_sql.dialect import split_statements
from pipeline_sql.migrate import template_variables
from pipeline_sql.scripts import load_scripts

GOLDEN = Path(__file__).parents[1] / "pipeline_sql" / "golden" / "snowflake_migrations.sql"
MINE = re.compile(
    r"\b(SFE_BUILD_TRAINING_SET|SFE_BUILD_SCORING_FEATURES|SFE_TRAIN_CHURN_CLASSIFIER|SFE_SCORE_CHURN|"
    r"sfe_daily_churn_scoring_task|sfe_weekly_training_task|V_CHURN_TRAINING_TRAIN|V_CHURN_TRAINING_TEST|"
    r"V_CHURN_MODEL_CURRENT|FCT_CHURN_TRAINING|FCT_CHURN_SCORING_FEATURES|CHURN_MODEL_REGISTRY|"
    r"CHURN_FEATURE_IMPORTANCE|FCT_SCORING_MONITOR|CHURN_MODEL_GATE|CHURN_FEATURE_REFERENCE)\b",
    re.I,
)
SCRIPTING = re.compile(r"^(DECLARE|BEGIN|IF|ELSE|END)\b", re.I)
EXPRESSION = re.compile(r"^(?:RETURN\s+|\w+\s*:=\s*)(?P<expr>.+)$", re.I | re.S)  # parsed as SELECT <expr>


def model_statements() -> list[str]:
    """The Snowflake statements that create the model's objects (named in their first line)."""
    statements = []
    for script in load_scripts(variables=template_variables(task_parameters(Settings()))):
        for statement in script.statements:
            head = statement.strip().splitlines()[0]
            if MINE.search(head):
                statements.append(statement.strip())
    return statements


def test_snowflake_statements_are_in_the_golden_file() -> None:
    golden = GOLDEN.read_text()
    statements = model_statements()
    assert len(statements) >= 12  # tables, views, procedures and the two tasks of the model
    missing = [s.splitlines()[0] for s in statements if s + ";" not in golden]
    assert missing == [], "Snowflake SQL changed: review, then C360_UPDATE_GOLDEN=1 (see the module docstring)"


def test_the_snowflake_ml_procedures_use_classification_predict_and_the_gate() -> None:
    text = "\n".join(model_statements())
    assert "CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE" in text
    assert "SYSTEM$REFERENCE('VIEW', 'SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN')" in text
    assert 'SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => input):probability:"True"' in text
    assert "COALESCE(MIN_TEST_AUC, 0.80)" in text
    # the relative gate: the checks of gate.py in SQL (churn_model_gate.sql), kept in CHURN_MODEL_GATE
    assert "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE" in text and "IF (accepted) THEN" in text
    assert "SET p_current = SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => input)" in text
    # drift on Snowflake: training keeps the population's bins, scoring records PSI (scoring_drift.sql)
    assert "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE" in text
    assert "'psi',\n    feature," in text
    assert "-- c360:duckdb-native train_churn_classifier" in text
    assert "-- c360:duckdb-native score_churn" in text
    assert "AFTER SFE_ANALYTICS_MEDIA.sfe_daily_build_task" in text
    assert "SCHEDULE = 'USING CRON 0 1 * * 0 UTC'" in text


def test_every_statement_parses_where_sqlglot_parses_snowflake() -> None:
    """Tables, views and the SQL inside procedure bodies; Snowflake ML, CALL and scripting are exempt."""
    unparsed = []
    checked = 0
    for statement in model_statements():
        parts = [statement]
        if "$$" in statement:
            # the body after its DECLARE section: BEGIN stands alone on its line
            body_text = re.split(r"^\s*BEGIN\s*$", statement.split("$$")[1], maxsplit=1, flags=re.M)[-1]
            parts = split_statements(body_text)
        for part in parts:
            body = "\n".join(line for line in part.splitlines() if not line.strip().startswith("--")).strip()
            if not body or "SNOWFLAKE.ML." in body or "!" in body or body.upper().startswith("CALL "):
                continue
            if SCRIPTING.match(body) or re.match(r"^(CREATE|ALTER) (OR REPLACE )?(TASK|PROCEDURE)\b", body, re.I):
                continue
            if expression := EXPRESSION.match(body):
                body = f"SELECT {expression.group('expr')}"
            checked += 1
            tree = sqlglot.parse_one(body, read="snowflake")
            if isinstance(tree, exp.Command):
                unparsed.append(body[:80])
    assert checked > 40
    assert unparsed == []
