"""Migration scripts: the file name is the contract, as in schemachange.

* ``V<version>__<description>.sql`` runs once, in version order, and must never change afterwards.
* ``R__<description>.sql`` runs after the versioned ones, in name order, whenever its checksum changes.

A statement whose comment lines just before it include ``-- c360:snowflake-only <reason>`` runs on
Snowflake only (a stage, a pipe, a ``COPY`` from a stage: objects DuckDB has no form of, whose DuckDB
counterpart lives in Python); the DuckDB dry run prints the reason where it skips the statement.

Scripts are Jinja templates rendered from this package's folder, so a procedure can
``{% include "models/staging/stg_subscriber_events.sql" %}`` the one copy of a transformation and
``{{ checks("models/marts/dim_subscribers.checks.sql") }}`` its quality checks. The checksum is taken
of the rendered text, so editing an included model re-applies the repeatable script that includes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import jinja2

from pipeline_sql.dialect import split_marked, split_statements
from pipeline_sql.errors import MigrationError

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"

_VERSIONED = re.compile(r"^V(?P<version>\d+(?:[._]\d+)*)__(?P<description>\w+)\.sql$")
_REPEATABLE = re.compile(r"^R__(?P<description>\w+)\.sql$")
_CHECK_HEADER = re.compile(r"^--\s*check:\s*(?P<name>[a-z0-9_]+)\s*$", re.M)


@dataclass(frozen=True)
class Script:
    """One rendered migration script."""

    name: str
    kind: Literal["versioned", "repeatable"]
    version: str | None
    description: str
    text: str

    @cached_property
    def checksum(self) -> str:
        """SHA-256 of the rendered text."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    @cached_property
    def statements(self) -> list[str]:
        """The script's statements, in Snowflake's dialect."""
        return [statement for statement, _ in self.marked]

    @cached_property
    def marked(self) -> list[tuple[str, str | None]]:
        """Each statement with why it is Snowflake-only (its ``-- c360:snowflake-only <reason>`` marker), or None."""
        return split_marked(self.text)

    @property
    def sort_key(self) -> tuple[int, tuple[int, ...], str]:
        if self.version is None:
            return (1, (), self.name)
        return (0, tuple(int(p) for p in re.split(r"[._]", self.version)), self.name)


def load_scripts(directory: Path = MIGRATIONS_DIR, variables: dict[str, str] | None = None) -> list[Script]:
    """All scripts of ``directory``, rendered and in the order they apply."""
    env = _environment()
    scripts: list[Script] = []
    versions: dict[tuple[int, ...], str] = {}
    for path in sorted(directory.glob("*.sql")):
        versioned, repeatable = _VERSIONED.match(path.name), _REPEATABLE.match(path.name)
        if not versioned and not repeatable:
            raise MigrationError(
                f"bad migration file name {path.name}: expected V<version>__<description>.sql or R__<description>.sql"
            )
        match = versioned or repeatable
        assert match is not None
        version = versioned.group("version") if versioned else None
        if version is not None:
            key = tuple(int(p) for p in re.split(r"[._]", version))
            if key in versions:
                raise MigrationError(f"{path.name} and {versions[key]} have the same version {version}")
            versions[key] = path.name
        try:
            rel = path.relative_to(PACKAGE_DIR).as_posix() if path.is_relative_to(PACKAGE_DIR) else None
            template = env.get_template(rel) if rel else env.from_string(path.read_text())
            text = template.render(**(variables or {}))
        except jinja2.TemplateError as exc:
            raise MigrationError(f"{path.name}: template error: {exc}") from None
        scripts.append(
            Script(
                name=path.name,
                kind="versioned" if versioned else "repeatable",
                version=version,
                description=match.group("description").replace("_", " "),
                text=text,
            )
        )
    return sorted(scripts, key=lambda s: s.sort_key)


def render_model(relative_path: str, **variables: str) -> str:
    """A model file of this package rendered (its includes resolved, ``variables`` substituted): a query run
    outside the migrations, such as the publish snapshot, written with the same model files as the procedures."""
    try:
        return _environment().get_template(relative_path).render(**variables)
    except jinja2.TemplateError as exc:
        raise MigrationError(f"{relative_path}: template error: {exc}") from None


@cache
def _environment() -> jinja2.Environment:
    """One environment per process, so each template is compiled once (Jinja's cache; ``auto_reload`` still
    recompiles a file edited since): a migrate rendered every script anew, 10 s of the fast suite's CPU."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - SQL, not HTML
    )
    env.globals["checks"] = _render_checks
    return env


def parse_checks(text: str) -> list[tuple[str, str]]:
    """``(name, query)`` pairs of a checks file: each query returns the failing rows."""
    headers = list(_CHECK_HEADER.finditer(text))
    checks = []
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = split_statements(text[header.end() : end])
        if len(body) != 1:
            raise MigrationError(f"check {header.group('name')} must be exactly one query")
        checks.append((header.group("name"), body[0]))
    return checks


def _render_checks(relative_path: str) -> str:
    """Snowflake Scripting that records each check's result and raises when any failed.

    Used inside procedures that have ``as_of`` and ``run_id`` arguments, a ``failed_checks`` variable
    and a ``dq_check_failed`` exception.
    """
    path = PACKAGE_DIR / relative_path
    # rendered like a model, so that checks can import the macros their model is built with
    checks = parse_checks(_environment().get_template(relative_path).render())
    if not checks:
        raise MigrationError(f"{relative_path} defines no checks (expected '-- check: <name>' headers)")
    model = path.name.removesuffix(".checks.sql")
    parts = []
    for name, query in checks:
        parts.append(
            "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS "
            "(run_id, as_of_date, check_name, model, failures, passed, checked_at)\n"
            f"    SELECT :run_id, :as_of, '{name}', '{model}', COUNT(*), COUNT(*) = 0, "
            f"CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n{_indent(query, 8)}\n    ) AS failing;"
        )
    parts.append(
        "failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS "
        "WHERE run_id = :run_id AND NOT passed);\n"
        "    IF (failed_checks > 0) THEN\n        RAISE dq_check_failed;\n    END IF;"
    )
    return "\n    ".join(parts)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else line for line in text.splitlines())
