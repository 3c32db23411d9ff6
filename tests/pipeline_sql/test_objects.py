"""Parsing the Snowflake statements DuckDB emulates: the accepted grammar, and clear refusals."""

from __future__ import annotations

import pytest

from pipeline_sql import objects
from pipeline_sql.errors import MigrationError


def test_stream() -> None:
    s = objects.parse_stream(
        "CREATE OR REPLACE STREAM raw.my_stream ON TABLE raw.events APPEND_ONLY = TRUE SHOW_INITIAL_ROWS = TRUE"
    )
    assert (s.name, s.table, s.replace, s.if_not_exists, s.show_initial_rows) == (
        "RAW.MY_STREAM",
        "RAW.EVENTS",
        True,
        False,
        True,
    )


def test_task_with_schedule_condition_and_call() -> None:
    t = objects.parse_task(
        """CREATE OR REPLACE TASK stg.t1
             WAREHOUSE = WH SCHEDULE = '1 MINUTE' TIMEZONE = 'UTC' COMMENT = 'runs AS needed'
             WHEN SYSTEM$STREAM_HAS_DATA('raw.s')
           AS CALL stg.proc(DATEADD(day, -1, CURRENT_DATE()), 'x')"""
    )
    assert t.name == "STG.T1" and t.schedule == "1 MINUTE" and t.after == ()
    assert t.condition == "SYSTEM$STREAM_HAS_DATA('raw.s')"
    assert objects.parse_call(t.body).args == ("DATEADD(day, -1, CURRENT_DATE())", "'x'")


def test_child_task() -> None:
    t = objects.parse_task("CREATE TASK a.child WAREHOUSE = WH AFTER a.root, a.other AS CALL a.p()")
    assert t.after == ("A.ROOT", "A.OTHER") and t.schedule is None


def test_task_body_must_be_a_call() -> None:
    with pytest.raises(MigrationError, match="must be one CALL"):
        objects.parse_task("CREATE TASK a.t SCHEDULE = '1 MINUTE' AS INSERT INTO x SELECT 1")


def test_procedure_steps() -> None:
    p = objects.parse_procedure(
        """CREATE OR REPLACE PROCEDURE s.p(AS_OF DATE, RUN_ID VARCHAR DEFAULT 'r')
        RETURNS VARCHAR LANGUAGE SQL AS
        $$
        DECLARE
            n INTEGER DEFAULT 0;
            boom EXCEPTION (-20001, 'it''s broken');
        BEGIN
            BEGIN TRANSACTION;
            DELETE FROM t WHERE d = :as_of;
            COMMIT;
            n := (SELECT COUNT(*) FROM t);
            IF (n > 0) THEN
                RAISE boom;
            END IF;
            RETURN 'done';
        END;
        $$"""
    )
    assert p.name == "S.P"
    assert [(a.name, a.type, a.default) for a in p.args] == [("as_of", "DATE", None), ("run_id", "VARCHAR", "'r'")]
    assert p.variables == {"n": "0"} and p.exceptions == {"BOOM": "it's broken"}
    assert [s.kind for s in p.steps] == ["begin", "sql", "commit", "assign", "raise_if", "return"]
    assert p.steps[4].sql == "n > 0" and p.steps[4].target == "BOOM"


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("CREATE PROCEDURE p() RETURNS INT LANGUAGE PYTHON AS $$ x $$", "LANGUAGE SQL only"),
        ("CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS 'SELECT 1'", r"\$\$ … \$\$ block"),
        (
            "CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$ BEGIN FOR i IN 1 TO 3 DO SELECT 1; END FOR; END $$",
            "unsupported Snowflake Scripting",
        ),
        ("CREATE STREAM s ON VIEW v", "unsupported CREATE STREAM"),
        ("ALTER TASK t SET SCHEDULE = '5 MINUTE'", "unsupported ALTER TASK"),
    ],
)
def test_unsupported_forms_are_refused(statement: str, message: str) -> None:
    parsers = {
        "stream": objects.parse_stream,
        "procedure": objects.parse_procedure,
        "alter_task": objects.parse_alter_task,
        "task": objects.parse_task,
    }
    with pytest.raises(MigrationError, match=message):
        parsers[objects.classify(statement)](statement)
