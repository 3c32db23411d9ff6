"""Bulk writes into the serving store: COPY on PostgreSQL, the driver's executemany on SQLite.

A publish writes one row per subscriber into several tables; at 10 M subscribers an INSERT per row, even
batched by executemany, is bound by statement round trips and the server's per-statement work. PostgreSQL's
``COPY ... FROM STDIN`` streams the rows through one statement. It runs on the driver connection under the
SQLAlchemy connection, so it belongs to the caller's transaction: the rows commit with the publish, or not at
all. It uses COPY's binary format when every column's type has one psycopg writes from these values (numbers,
text, JSON, dates, timestamps without a zone): formatting a row as COPY text cost psycopg about 4
of the 5 us it spent per row of ``served_subscribers``, and the server parses binary rows faster as well
(docs/benchmarks.md). A table with another type (a zone-aware timestamp, jsonb, numeric) is copied as text.

On SQLite the rows go to the driver's ``executemany`` directly: SQLAlchemy's own executemany builds and
processes a parameter dict per row, which cost more than SQLite's inserts (a publish writes about 100,000
rows at scale 1). Both run on the driver connection under the SQLAlchemy connection, in its transaction.

The values go through the same SQLAlchemy bind processing as an INSERT (UTC datetimes stored naive, JSON
columns serialized, ``none_as_null``), and psycopg's text COPY format escapes tabs, newlines and backslashes,
so a row reads back the same whichever path wrote it. NUL characters cannot be stored by PostgreSQL either
way; publish screens them out before (c360.text).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

import sqlalchemy as sa

_CHUNK = 5_000  # rows per SQLAlchemy executemany (the other drivers): bounded memory, few statements


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (each with the same keys, the first row's) into ``table`` in the caller's transaction;
    returns how many. Rows are consumed as they come, so a generator never holds them all."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = [table.c[name] for name in first]  # KeyError for a key that is not a column, as an INSERT would
    rows_again = _same_keys(table, first, iterator)
    if _use_copy(conn, table, columns):
        return _copy(conn, table, columns, rows_again)
    if conn.dialect.name == "sqlite" and _fills_every_column(table, columns):
        return _driver_executemany(conn, table, columns, rows_again)
    return _executemany(conn, table, rows_again)


def _use_copy(conn: sa.Connection, table: sa.Table, columns: list[sa.Column[Any]]) -> bool:
    """COPY needs psycopg."""
    return (
        conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg" and _fills_every_column(table, columns)
    )


def _fills_every_column(table: sa.Table, columns: list[sa.Column[Any]]) -> bool:
    """False when a column default computed in Python is needed, which only SQLAlchemy's INSERT fills (none of the
    store's tables has one today; a table that gets one keeps working, through SQLAlchemy's executemany)."""
    given = {c.name for c in columns}
    return not any(c.default is not None and c.name not in given for c in table.columns)


# PostgreSQL's types (by OID) whose binary form psycopg writes from the values bind processing gives: bool, int8,
# int2, int4, text, json (SQLAlchemy's psycopg dialect binds psycopg's Json), float4, float8, bpchar, varchar, date,
# timestamp
_BINARY = {16, 20, 21, 23, 25, 114, 700, 701, 1042, 1043, 1082, 1114}
_TEXT, _JSON = 25, 114
_TEXTUAL = {25, 1042, 1043}


def _copy(
    conn: sa.Connection, table: sa.Table, columns: list[sa.Column[Any]], rows: Iterable[Mapping[str, Any]]
) -> int:
    from psycopg import Error, sql

    name = sql.Identifier(*([table.schema] if table.schema else []), table.name)
    count = 0
    driver = conn.connection.driver_connection  # the psycopg connection, in the transaction conn began
    assert driver is not None
    try:
        types = _binary_types(driver, name.as_string(driver), columns)
        statement = sql.SQL("COPY {} ({}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")).format(
            name, sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
        )
        # as an INSERT (and a text COPY) would, a text column takes a value of another type as its text
        as_text = [i for i, oid in enumerate(types or ()) if oid in _TEXTUAL]
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            if types:
                copy.set_types(types)
            for values in _processed(conn, columns, rows):
                for i in as_text:
                    if values[i] is not None and type(values[i]) is not str:
                        values[i] = str(values[i])
                copy.write_row(values)
                count += 1
    except Error as exc:  # the same exception types as an INSERT's, parameters never in the message
        raise sa.exc.DBAPIError.instance(
            f"COPY {table.name}", None, exc, Error, hide_parameters=True, dialect=conn.dialect
        ) from exc
    return count


def _binary_types(driver: Any, table: str, columns: list[sa.Column[Any]]) -> list[int] | None:
    """The columns' types (OIDs) for a binary COPY, from the server's catalog; None when one has no binary form
    written here (the COPY is then text)."""
    found = dict(
        driver.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            (table,),
        ).fetchall()
    )
    types: list[int] = [_as_bound(found[c.name], c) for c in columns]
    return types if all(oid in _BINARY for oid in types) else None


def _as_bound(oid: int, column: sa.Column[Any]) -> int:
    """The type to write ``column``'s values as: a json column declared as text here (its values are JSON text
    already, c360.serving.activity) goes as text, which is its binary form; psycopg would encode the text again."""
    return _TEXT if oid == _JSON and not isinstance(column.type, sa.JSON) else oid


def _driver_executemany(
    conn: sa.Connection, table: sa.Table, columns: list[sa.Column[Any]], rows: Iterable[Mapping[str, Any]]
) -> int:
    quote = conn.dialect.identifier_preparer
    statement = (
        f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    error = conn.dialect.loaded_dbapi.Error
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # in conn's transaction
    try:
        cursor.executemany(statement, _processed(conn, columns, rows))  # rows consumed as they come
    except error as exc:  # the same exception types as an INSERT's, parameters never in the message
        raise sa.exc.DBAPIError.instance(
            f"INSERT INTO {table.name}", None, exc, error, hide_parameters=True, dialect=conn.dialect
        ) from exc
    else:
        return int(cursor.rowcount)  # sqlite3 sums an executemany's rows
    finally:
        cursor.close()


def _processed(
    conn: sa.Connection, columns: list[sa.Column[Any]], rows: Iterable[Mapping[str, Any]]
) -> Iterator[list[Any]]:
    """Each row's values in ``columns`` order, through the columns' SQLAlchemy bind processing on this dialect."""
    names = [c.name for c in columns]
    processors = [
        (i, p)
        for i, p in enumerate(c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns)
        if p is not None
    ]
    for row in rows:
        values = [row[name] for name in names]
        for i, process in processors:
            values[i] = process(values[i])
        yield values


def _executemany(conn: sa.Connection, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, _CHUNK)):
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def _same_keys(
    table: sa.Table, first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    """``first`` then ``rest``, each row checked to have as many keys as the first: a key more is refused on both
    paths (executemany would drop it silently); a key missing or another key fails the row's write as well."""
    yield first
    width = len(first)
    for row in rest:
        if len(row) != width:
            raise ValueError(f"bulk insert into {table.name}: every row must have the keys of the first row")
        yield row
