"""The warehouse URL: a plain ``duckdb:///path`` is read without SQLAlchemy, and means what SQLAlchemy reads.

SQLAlchemy's import is 0.13-0.15 s of every ``c360`` process; the embedded warehouse does not need it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from c360.errors import ConfigError
from c360.settings import Settings
from c360.warehouse import Warehouse
from tests.conftest import REPO, run_cli


@pytest.mark.parametrize(
    "url",
    [
        "duckdb:///var/warehouse.duckdb",  # relative
        "duckdb:////tmp/c360 home/warehouse.duckdb",  # absolute, with a space
        "duckdb:////tmp/é/w.duckdb",
        "duckdb:///a%20b.duckdb",  # an escape: SQLAlchemy keeps it as written
        "duckdb:///w.duckdb?threads=1",  # a query: SQLAlchemy's database is the path alone
        "duckdb:///C:/w.duckdb",
        "duckdb:///a@b.duckdb",
        "duckdb:////srv/w.duckdb#x",
    ],
)
def test_a_duckdb_url_names_the_file_sqlalchemy_reads(home: Path, url: str) -> None:
    warehouse = Warehouse.from_settings(Settings(warehouse_url=url))
    parsed = sa.make_url(url)
    assert warehouse.target == "duckdb"
    assert warehouse.duckdb_path == Path(parsed.database or "")
    assert warehouse.display == parsed.render_as_string(hide_password=True)


def test_a_snowflake_url_is_displayed_without_its_password(home: Path) -> None:
    warehouse = Warehouse.from_settings(Settings(warehouse_url="snowflake://u:s3cret@acct/db/public?warehouse=WH"))
    assert warehouse.target == "snowflake"
    assert warehouse.display == "snowflake://u:***@acct/db/public?warehouse=WH"


def test_a_duckdb_url_without_a_file_is_refused(home: Path) -> None:
    with pytest.raises(ConfigError, match="must name a DuckDB file"):
        _ = Warehouse.from_settings(Settings(warehouse_url="duckdb:///:memory:")).duckdb_path


def test_a_file_name_that_is_not_utf8_is_refused_by_name(home: Path) -> None:
    # bytes of no UTF-8 in the environment reach Python as lone surrogates; DuckDB answered them with a bare
    # "std::bad_cast", reported as an internal error
    proc = run_cli("status", env={"C360_WAREHOUSE_URL": "duckdb:///a\udced\udca0\udc80b.duckdb"}, process=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: C360_WAREHOUSE_URL names a file that is not valid UTF-8: "), proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_default_warehouse_is_opened_without_sqlalchemy(home: Path, tmp_path: Path) -> None:
    # a real `c360 ingest` of a CSV into the default warehouse, in a fresh interpreter: the modules it imported
    csv = tmp_path / "content_engagement.csv"
    csv.write_text(
        "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,device_type,user_agent,referrer,"
        "article_metadata\n"
        'e-1,s-1,ART-1,2026-11-20T10:00:00Z,30,app,Mozilla/5.0,direct,"{""section"": ""local""}"\n'
    )
    code = (
        "import sys\n"
        "from c360.cli import main\n"
        f"sys.argv = ['c360', 'ingest', {str(csv)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('sqlalchemy', 'pyarrow', 'numpy') if m in sys.modules))\n"
    )
    migrate = run_cli("migrate")
    assert migrate.returncode == 0, migrate.stderr
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
    with Warehouse.from_settings(Settings()).connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT WHERE event_id = 'e-1'") == 1
