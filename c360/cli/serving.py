"""Commands for the serving side: ``serve``, ``publish``, ``keys create|list|revoke``."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from c360.cli.options import parse_date
from c360.cli.progress import show

keys_app = typer.Typer(help="Manage API keys (shown once at creation, stored only as hashes).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("publish")(publish)
    app.add_typer(keys_app, name="keys")
    keys_app.command("create")(keys_create)
    keys_app.command("list")(keys_list)
    keys_app.command("revoke")(keys_revoke)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: C360_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: C360_API_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: C360_API_WORKERS).")] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request (method, path, status).")] = False,
) -> None:
    """Run the REST API (uvicorn). It reads only the serving store; `c360 worker` owns the warehouse."""
    import uvicorn

    from c360.serving.cursor import cursor_key
    from c360.serving.migrate import require_migrated
    from c360.serving.store import Store
    from c360.settings import get_settings

    settings = get_settings()
    cursor_key(settings)  # outside development C360_SECRET_KEY must be set: say so here, not in each worker
    host, port, workers = host or settings.api_host, port or settings.api_port, workers or settings.api_workers
    require_migrated(settings)
    store = Store.from_settings(settings)
    if workers > 1:
        _multiprocess_metrics(settings.home / f"prometheus-{os.getpid()}")
    _check_port_free(host, port)  # before the "API on" line: a busy port is one error line, not a banner and a trace
    typer.echo(f"c360 API on http://{host}:{port} ({workers} worker(s), store {store.display})", err=True)
    uvicorn.run(
        "api.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=_log_config(access_log),
        log_level=None,  # the levels are log_config's: uvicorn's log_level would also silence the access log
        access_log=access_log,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.api_forwarded_allow_ips,
    )


def _check_port_free(host: str, port: int) -> None:
    """Bind the address once, as uvicorn will (SO_REUSEADDR), and let it go: a port in use is a ConfigError."""
    import socket

    from c360.errors import ConfigError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror} (another `c360 serve` or program holds it?); "
                "choose another with --port or C360_API_PORT (make demo: API_PORT=8361 make demo)"
            ) from None


def _log_config(access_log: bool) -> dict[str, Any]:
    """uvicorn's logging: warnings and errors, and with --access-log one line per request (on stdout)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn"]["level"] = config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    return config


def _multiprocess_metrics(directory: Path) -> None:
    # every worker writes its samples here; /metrics adds them up (prometheus_client multiprocess mode)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def publish(
    score_date: Annotated[
        str | None, typer.Option("--score-date", help="Publish this day's latest run (YYYY-MM-DD); default: latest.")
    ] = None,
    rollback: Annotated[
        bool,
        typer.Option(
            "--rollback", help="Serve --score-date's run again even though a newer day is served (needs --reason)."
        ),
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why a rollback is needed (kept with it).")] = None,
) -> None:
    """Copy a scoring run and its profile snapshot into the serving store (one transaction).

    A day newer than the served one becomes the served run; an older day is a backfill (score history
    only, nothing served changes, no webhooks); --rollback serves an older day on purpose."""
    from c360.serving.migrate import require_migrated
    from c360.serving.publish import publish as run
    from c360.settings import get_settings
    from c360.warehouse import Warehouse, ensure_migrated
    from c360.webhooks.outbox import record_events

    settings = get_settings()
    ensure_migrated(Warehouse.from_settings(settings))  # both ends migrated, or a precise error naming the fix
    require_migrated(settings)
    result = run(
        settings,
        outbox=record_events,
        score_date=parse_date(score_date, "--score-date"),
        rollback=rollback,
        reason=reason,
    )
    typer.echo(describe_publish(result))


def describe_publish(result: object) -> str:
    """One line about a PublishResult."""
    from c360.serving.publish import PublishResult, describe

    assert isinstance(result, PublishResult)
    return f"publish: {describe(result)}"


def keys_create(
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key, e.g. salesforce-prod.")],
    scopes: Annotated[
        str,
        typer.Option("--scopes", help="Comma-separated: scores:read,profiles:read,webhooks:manage,events:write,admin"),
    ],
) -> None:
    """Create a key. The key is printed once, alone on the last line of stdout; only its hash is stored."""
    from c360.auth.keys import create_key
    from c360.serving.store import Store
    from c360.settings import get_settings

    wanted = [s.strip() for s in scopes.split(",") if s.strip()]
    record, raw = create_key(Store.from_settings(get_settings()), name=name, scopes=wanted)
    typer.echo(f"created key {record.key_id} ({record.name}) with scopes {','.join(sorted(record.scopes))}", err=True)
    typer.echo("store it now: it is not shown again", err=True)
    typer.echo(raw)


def keys_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout instead of a table.")] = False,
) -> None:
    """Every key: id, name, scopes, when created and revoked (never the key)."""
    from c360.auth.keys import list_keys
    from c360.serving.store import Store
    from c360.settings import get_settings

    keys = list_keys(Store.from_settings(get_settings()))
    if as_json:
        rows = [
            {
                "key_id": k.key_id,
                "name": k.name,
                "scopes": sorted(k.scopes),
                "created_at": k.created_at.isoformat(),
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            }
            for k in keys
        ]
        typer.echo(json.dumps(rows, indent=1))
        return
    table = Table("id", "name", "scopes", "created", "revoked", title="API keys")
    table.columns[2].overflow = "fold"  # scopes are one word: fold them on a narrow terminal, never cut them
    for key in keys:
        revoked = f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else ""
        table.add_row(key.key_id, key.name, ",".join(sorted(key.scopes)), f"{key.created_at:%Y-%m-%d %H:%M}", revoked)
    show(table)


def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id: the 8 characters after c360_ (see `c360 keys list`).")],
) -> None:
    """Revoke a key; API processes stop accepting it within C360_API_KEY_CACHE_TTL seconds."""
    from c360.auth.keys import revoke_key
    from c360.serving.store import Store
    from c360.settings import get_settings

    key = revoke_key(Store.from_settings(get_settings()), key_id=key_id)
    typer.echo(f"revoked key {key.key_id} ({key.name}) at {key.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
