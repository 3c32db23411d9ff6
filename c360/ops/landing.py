"""Scheduled loads from landing folders: the sources drop files, ``c360 worker`` loads them.

``$C360_LANDING_DIR/<source>/`` receives each source's files (``subscription_events/``,
``content_engagement/``, ``support_tickets/``). A job per source loads the files that are ready on
the seed's cadence, then moves each to ``archive/`` (loaded, or already loaded) or ``refused/`` with
``<name>.reason.txt`` (refused whole). A file is ready once it has not changed for
``C360_LANDING_SETTLE_SECONDS``; ``*.tmp``/``*.part`` and dot-files are never ready (write, then rename).
A file that does not end complete (a last line without its line end, a Parquet file without its footer)
waits ``C360_LANDING_INCOMPLETE_GRACE_SECONDS`` more, since its writer may only have paused; and a file
that changed while it was loading stays where it is, to be loaded again whole at the next tick (its rows
loaded twice are one in staging) rather than archived with its end never loaded.

Crash safety comes from the load history: each file loads in one transaction recorded with its
checksum, and the move comes after the commit. A kill before the commit loads nothing (the file is
still there and loads next time); a kill after it leaves a file whose checksum is already loaded,
which the next tick skips and archives. Nothing is lost or loaded twice.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from c360 import failpoints
from c360.errors import ConfigError, WarehouseBusy
from c360.pipeline.scheduler import Schedule, utcnow
from c360.settings import Settings
from c360.sources.formats import CONTENT_ENGAGEMENT, SOURCES, SUBSCRIPTION_EVENTS, SUPPORT_TICKETS, Source
from c360.sources.ingest import LoadResult, ingest
from c360.warehouse import Warehouse

log = logging.getLogger(__name__)

ARCHIVE, REFUSED = "archive", "refused"
NOT_READY_SUFFIXES = (".tmp", ".part", ".partial")
# the stream task that stages each source on DuckDB right after its load (Snowflake's own tasks do it there)
STAGE_PROCEDURE = {
    SUBSCRIPTION_EVENTS.name: "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS",
    CONTENT_ENGAGEMENT.name: "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT",
}


def folder(settings: Settings, source: Source) -> Path:
    """Where ``source`` lands its files."""
    return settings.resolved_landing_dir / source.name


def make_folders(settings: Settings) -> None:
    """Every source's folder, with archive/ and refused/."""
    for source in SOURCES.values():
        for sub in ("", ARCHIVE, REFUSED):
            path = folder(settings, source) / sub
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file in the way, no permission, a read-only disk
                raise ConfigError(f"C360_LANDING_DIR: cannot create {path}: {exc.strerror}") from None


def ready_files(
    directory: Path, *, settle: float, incomplete_grace: float = 0.0, now: float | None = None
) -> list[Path]:
    """Files of ``directory`` complete enough to load, oldest first."""
    if not directory.is_dir():
        return []
    now = time.time() if now is None else now
    ready = []
    for path in directory.iterdir():
        if path.name.startswith(".") or path.name.endswith(NOT_READY_SUFFIXES) or path.name.endswith(".reason.txt"):
            continue
        try:
            stat = path.stat()
            if not path.is_file() or now - stat.st_mtime < settle:
                continue
            if now - stat.st_mtime < incomplete_grace and not ends_complete(path):
                continue
        except FileNotFoundError:  # moved away meanwhile
            continue
        ready.append((stat.st_mtime, path.name, path))
    return [path for _, _, path in sorted(ready)]


def ends_complete(path: Path) -> bool:
    """Whether the file ends as a whole file does: Parquet with its footer's magic, text with a line end."""
    tail = b"PAR1" if path.name.lower().endswith(".parquet") else b"\n"
    with path.open("rb") as handle:
        size = handle.seek(0, io.SEEK_END)
        if size < len(tail):
            return False
        handle.seek(size - len(tail))
        return handle.read(len(tail)) == tail


def _signature(path: Path) -> tuple[int, int] | None:
    """What tells a file changed: its size and last write (None: gone)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _free_name(directory: Path, name: str, tag: str) -> Path:
    target = directory / name
    if not target.exists():
        return target
    stem, dot, suffix = name.partition(".")
    return directory / f"{stem}.{tag}{dot}{suffix}"


def settle_file(path: Path, result: LoadResult) -> Path:
    """Move a file whose load is committed (or refused) out of the landing folder; returns where."""
    tag = (result.load_id or f"{time.time_ns()}")[:12]
    if result.status == "failed":
        target = _free_name(path.parent / REFUSED, path.name, tag)
        target.parent.mkdir(exist_ok=True)
        target.with_name(target.name + ".reason.txt").write_text(result.message + "\n", encoding="utf-8")
    else:
        target = _free_name(path.parent / ARCHIVE, path.name, tag)
        target.parent.mkdir(exist_ok=True)
    path.replace(target)
    return target


def load_landed(
    warehouse: Warehouse, settings: Settings, source: Source, mtimes: dict[str, float] | None = None
) -> list[LoadResult]:
    """Load every ready file of ``source``'s folder, then archive or refuse each (``mtimes``: filled with
    each file's last write, for the lag metric)."""
    paths = ready_files(
        folder(settings, source),
        settle=settings.landing_settle_seconds,
        incomplete_grace=settings.landing_incomplete_grace_seconds,
    )
    if not paths:
        return []
    if mtimes is not None:
        mtimes.update((str(path), path.stat().st_mtime) for path in paths)
    before = {path: _signature(path) for path in paths}
    # each file is committed on its own; they move once all are in (a crash between leaves files whose
    # checksums are loaded: skipped and moved next time)
    results = ingest(warehouse, paths, source=source.name)
    failpoints.hit("landing.before_archive")
    for path, result in zip(paths, results, strict=True):
        if _signature(path) != before[path]:
            # written to while it loaded: what was loaded (or refused) is not the whole file; moving it would
            # archive an end never loaded, or refuse a file that is complete by now
            log.warning("%s changed while it was loading: it stays, to be loaded again whole", path)
            continue
        settle_file(path, result)
    procedure = STAGE_PROCEDURE.get(source.name)
    if procedure and warehouse.target == "duckdb" and any(r.rows_loaded for r in results):
        from pipeline_sql import runtime

        with warehouse.connect() as conn:
            runtime.call(conn, procedure)
    return results


def describe(results: list[LoadResult]) -> str:
    """One line for the worker's log."""
    loaded = [r for r in results if r.status == "loaded"]
    parts = [f"{len(loaded)} loaded ({sum(r.rows_loaded for r in loaded):,} rows, "
             f"{sum(r.rows_rejected for r in loaded):,} rejected)"]  # fmt: skip
    if skipped := sum(r.status == "skipped" for r in results):
        parts.append(f"{skipped} already loaded")
    if refused := [r for r in results if r.status == "failed"]:
        parts.append(f"{len(refused)} refused ({refused[0].message})")
    return ", ".join(parts)


def schedule_of(settings: Settings, source: Source) -> Schedule | None:
    """When ``source``'s folder is loaded; None: as files arrive (every C360_LANDING_EVENTS_INTERVAL)."""
    if source is CONTENT_ENGAGEMENT:
        return Schedule.parse(settings.landing_content_schedule)
    if source is SUPPORT_TICKETS:
        return Schedule.parse(settings.landing_tickets_schedule)
    return None


@dataclass
class LandingJob:
    """Worker job: one source's landing folder, loaded on its schedule.

    A scheduled folder is looked at once when the worker starts (a run missed while it was down happens
    then, like the task scheduler's), then at each scheduled time.
    """

    settings: Settings
    source: Source
    warehouse: Warehouse
    report: Callable[[str], None] = log.info
    clock: Callable[[], datetime] = utcnow
    name: str = ""
    interval: float = 1.0
    next_due: datetime | None = None
    last_run: datetime | None = None
    observers: list[Callable[[Source, list[LoadResult], dict[str, float]], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.name = self.name or f"landing:{self.source.name}"
        self.schedule = schedule_of(self.settings, self.source)
        if self.schedule is None:
            self.interval = self.settings.landing_events_interval
        make_folders(self.settings)

    def tick(self) -> None:
        """Load what is ready, if due."""
        now = self.clock()
        if self.next_due is not None and now < self.next_due:
            return
        self.last_run = now
        if self.schedule is not None:
            self.next_due = self.schedule.next_after(now)
        mtimes: dict[str, float] = {}
        try:
            results = load_landed(self.warehouse, self.settings, self.source, mtimes)
        except WarehouseBusy:  # another command holds the warehouse: due again next tick, not at the next 02:30
            self.next_due = None
            raise
        for observe in self.observers:
            observe(self.source, results, mtimes)
        if results:
            self.report(f"{self.name}: {describe(results)}")


def landing_jobs(
    settings: Settings, warehouse: Warehouse, report: Callable[[str], None] = log.info
) -> list[LandingJob]:
    """One job per source folder."""
    return [LandingJob(settings, source, warehouse, report=report) for source in SOURCES.values()]
