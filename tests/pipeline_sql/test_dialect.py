"""The Snowflake -> DuckDB derivation: each rewrite is checked by running the result on DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from pipeline_sql.dialect import DialectError, split_statements, tables_read, to_duckdb


@pytest.fixture
def duck() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute(
        """CREATE TABLE t AS SELECT '{"name": "Ada", "amount": "19.99", "nested": {"x": "y"}}'::JSON AS payload"""
    )
    return conn


def test_json_path_cast_to_string_loses_the_quotes(duck: duckdb.DuckDBPyConnection) -> None:
    sql = to_duckdb("SELECT payload:name::VARCHAR AS name, payload:nested.x::STRING AS x FROM t")
    assert duck.sql(sql).fetchall() == [("Ada", "y")]


def test_json_path_cast_to_number_goes_through_text(duck: duckdb.DuckDBPyConnection) -> None:
    sql = to_duckdb("SELECT TRY_CAST(payload:amount::VARCHAR AS NUMBER(10, 2)) AS amount FROM t")
    assert str(duck.execute(sql).fetchone()[0]) == "19.99"  # type: ignore[index]


def test_variant_columns_become_json_and_integer_numbers_bigint(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute(to_duckdb("CREATE TABLE v (id NUMBER(38, 0), amount NUMBER(10, 2), body VARIANT, tags ARRAY)"))
    types = dict(
        duck.sql("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'v'").fetchall()
    )
    assert types == {"id": "BIGINT", "amount": "DECIMAL(10,2)", "body": "JSON", "tags": "JSON"}


def test_timestamps_with_offsets_convert_to_utc(duck: duckdb.DuckDBPyConnection) -> None:
    sql = to_duckdb(
        "SELECT CONVERT_TIMEZONE('UTC', TRY_CAST('2026-03-01T10:00:00+02:00' AS TIMESTAMP_TZ))::TIMESTAMP_NTZ AS a, "
        "TRY_CAST('not-a-date' AS TIMESTAMP_TZ) AS b"
    )
    a, b = duck.execute(sql).fetchone()  # type: ignore[misc]
    assert a.isoformat() == "2026-03-01T08:00:00"
    assert b is None


def test_stream_has_data_becomes_exists(duck: duckdb.DuckDBPyConnection) -> None:
    sql = to_duckdb("SELECT SYSTEM$STREAM_HAS_DATA('t')")
    assert duck.execute(sql).fetchone() == (True,)
    duck.execute("DELETE FROM t")
    assert duck.execute(sql).fetchone() == (False,)


def test_named_binds_become_duckdb_parameters(duck: duckdb.DuckDBPyConnection) -> None:
    sql = to_duckdb("SELECT DATEADD(day, -1, :as_of::DATE) AS d")
    assert "$as_of" in sql
    assert str(duck.execute(sql, {"as_of": "2026-03-01"}).fetchone()[0]) == "2026-02-28"  # type: ignore[index]


def test_untranslatable_statements_are_refused_not_passed_through() -> None:
    with pytest.raises(DialectError, match="no DuckDB form"):
        to_duckdb("CREATE STREAM s ON TABLE t")
    with pytest.raises(DialectError, match="cannot parse"):
        to_duckdb("SELECT FROM WHERE (")


def test_split_respects_strings_comments_and_dollar_blocks() -> None:
    text = """
    -- a comment; with a semicolon
    SELECT 'a;b' AS x;
    CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$ BEGIN SELECT 1; RETURN 'x;y'; END $$;
    /* block; comment */ SELECT 2
    """
    statements = split_statements(text)
    assert len(statements) == 3
    assert statements[0] == "SELECT 'a;b' AS x"
    assert statements[1].startswith("CREATE PROCEDURE") and statements[1].endswith("$$")
    assert statements[2].endswith("SELECT 2")


def test_tables_read_names_every_table() -> None:
    sql = (
        "MERGE INTO a.t AS tgt USING (SELECT * FROM b.s JOIN c.u ON 1 = 1) AS src ON tgt.x = src.x "
        "WHEN MATCHED THEN DELETE"
    )
    assert tables_read(sql) == {"A.T", "B.S", "C.U"}
