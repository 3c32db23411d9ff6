"""``c360 dashboard``: the Streamlit dashboard (dashboard/app.py), an API client of ``c360 serve``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard)


def app_path() -> Path:
    """The dashboard's Streamlit entry script."""
    import dashboard as package

    return Path(package.__file__).resolve().parent / "app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """``streamlit run`` of the dashboard on ``host:port``: headless, no usage statistics, no file watcher."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal", "--theme.base", "light",
    ]  # fmt: skip


def dashboard(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: C360_DASHBOARD_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: C360_DASHBOARD_PORT).")] = None,
) -> None:
    """Run the dashboard. It reads only the REST API (C360_DASHBOARD_API_URL, with C360_DASHBOARD_API_KEY)."""
    from c360.settings import get_settings

    settings = get_settings()
    host, port = host or settings.dashboard_host, port or settings.dashboard_port
    typer.echo(f"c360 dashboard on http://{host}:{port} (API {settings.dashboard_api_url})", err=True)
    if settings.dashboard_api_key is None:
        typer.echo("warning: C360_DASHBOARD_API_KEY is unset: every page will say so until it is", err=True)
    command = streamlit_command(host, port)
    sys.stderr.flush()
    # this process becomes Streamlit's: signals (Ctrl-C, a supervisor's SIGTERM) reach the server itself
    os.execv(command[0], command)  # noqa: S606 - our own interpreter and arguments
