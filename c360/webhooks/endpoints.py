"""Webhook endpoints: create (the secret is returned once), list, get, update, delete, rotate the secret."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from c360.serving.store import Store, utcnow
from c360.settings import Settings
from c360.webhooks import events, signing, ssrf
from c360.webhooks.cipher import secret_cipher
from c360.webhooks.errors import EndpointNotFound, InvalidEventTypes
from c360.webhooks.tables import webhook_attempts, webhook_endpoints, webhook_messages

e = webhook_endpoints.c


class _Any:
    """Every owner: what an ``admin`` key sees and manages."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()
Owner = str | _Any  # an API key's key_id, or ANY


@dataclass(frozen=True)
class Endpoint:
    """A stored endpoint (never its secret)."""

    id: str
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


def create(
    store: Store,
    settings: Settings,
    *,
    url: str,
    event_types: list[str],
    description: str = "",
    owner_key_id: str | None = None,
) -> tuple[Endpoint, str]:
    """A new endpoint (of the key ``owner_key_id``) and its secret, which is shown only now (stored encrypted).
    Resolves the URL's host."""
    ssrf.check_url(url, allow_private=settings.webhook_allow_private_urls)
    kinds = _event_types(event_types)
    secret, now = signing.new_secret(), utcnow()
    endpoint_id = "ep_" + secrets.token_hex(12)
    with store.write() as conn:
        conn.execute(
            webhook_endpoints.insert().values(
                id=endpoint_id, url=url, event_types=",".join(kinds), description=description, enabled=True,
                secret=secret_cipher(settings).seal(secret), created_at=now, updated_at=now,
                owner_key_id=owner_key_id,
            )
        )  # fmt: skip
        return _get(conn, endpoint_id), secret


def list_endpoints(store: Store, *, owner: Owner = ANY) -> list[Endpoint]:
    """Every endpoint (of ``owner``), oldest first."""
    query = sa.select(webhook_endpoints).order_by(e.created_at, e.id)
    if owner is not ANY:
        query = query.where(e.owner_key_id == owner)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [_record(row) for row in rows]


def require_owner(store: Store, endpoint_id: str, *, owner: Owner) -> None:
    """EndpointNotFound unless the endpoint exists and belongs to ``owner`` (``ANY``: an admin key).

    Another key's endpoint is "not found", like a missing one: its existence is not disclosed.
    """
    if owner is ANY:
        return
    with store.read() as conn:
        found = conn.execute(sa.select(e.owner_key_id).where(e.id == endpoint_id)).first()
    if found is None or found.owner_key_id != owner:
        raise EndpointNotFound(f"no webhook endpoint with id {endpoint_id!r}")


def get(store: Store, endpoint_id: str) -> Endpoint:
    """One endpoint; EndpointNotFound when there is none with this id."""
    with store.read() as conn:
        return _get(conn, endpoint_id)


def update(
    store: Store,
    settings: Settings,
    endpoint_id: str,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    enabled: bool | None = None,
    description: str | None = None,
) -> Endpoint:
    """Change what is given (None: unchanged). Enabling clears the reason it was disabled and its failure clock."""
    values: dict[str, object] = {}
    if url is not None:
        ssrf.check_url(url, allow_private=settings.webhook_allow_private_urls)
        values["url"] = url
    if event_types is not None:
        values["event_types"] = ",".join(_event_types(event_types))
    if description is not None:
        values["description"] = description
    if enabled is not None:
        values["enabled"] = enabled
        values.update(disabled_reason=None if enabled else "disabled through the API", failing_since=None)
    with store.write() as conn:
        current = _get(conn, endpoint_id)
        if enabled is not None and enabled == current.enabled:  # enabling an enabled endpoint changes nothing
            for key in ("enabled", "disabled_reason", "failing_since"):
                values.pop(key)
        if values:
            conn.execute(webhook_endpoints.update().where(e.id == endpoint_id).values(**values, updated_at=utcnow()))
        return _get(conn, endpoint_id)


def delete(store: Store, endpoint_id: str) -> None:
    """Delete an endpoint with its messages and their attempts (an attempt in flight is not recorded)."""
    with store.write() as conn:
        _get(conn, endpoint_id)
        messages = sa.select(webhook_messages.c.id).where(webhook_messages.c.endpoint_id == endpoint_id)
        conn.execute(webhook_attempts.delete().where(webhook_attempts.c.message_id.in_(messages)))
        conn.execute(webhook_messages.delete().where(webhook_messages.c.endpoint_id == endpoint_id))
        conn.execute(webhook_endpoints.delete().where(e.id == endpoint_id))


def rotate_secret(store: Store, settings: Settings, endpoint_id: str) -> tuple[Endpoint, str]:
    """A new secret (shown only now); the current one keeps signing beside it for C360_WEBHOOK_SECRET_GRACE."""
    cipher, secret, now = secret_cipher(settings), signing.new_secret(), utcnow()
    with store.write() as conn:
        row = conn.execute(sa.select(e.secret).where(e.id == endpoint_id)).first()
        if row is None:
            raise EndpointNotFound(f"no webhook endpoint with id {endpoint_id!r}")
        conn.execute(
            webhook_endpoints.update()
            .where(e.id == endpoint_id)
            .values(
                secret=cipher.seal(secret),
                previous_secret=row.secret,  # still sealed: it never exists in clear outside a signing worker
                previous_secret_expires_at=now + timedelta(seconds=settings.webhook_secret_grace),
                updated_at=now,
            )
        )
        return _get(conn, endpoint_id), secret


def _event_types(kinds: list[str]) -> list[str]:
    unknown = sorted(set(kinds) - set(events.SUBSCRIBABLE))
    if unknown or not kinds:
        known = ", ".join(events.SUBSCRIBABLE)
        raise InvalidEventTypes(f"event types {', '.join(unknown) or '(none)'}: subscribe to one or more of {known}")
    return [k for k in events.SUBSCRIBABLE if k in kinds]


def _get(conn: sa.Connection, endpoint_id: str) -> Endpoint:
    row = conn.execute(sa.select(webhook_endpoints).where(e.id == endpoint_id)).first()
    if row is None:
        raise EndpointNotFound(f"no webhook endpoint with id {endpoint_id!r}")
    return _record(row)


def _record(row: sa.Row[tuple[object, ...]]) -> Endpoint:
    return Endpoint(
        row.id, row.url, row.event_types.split(","), row.description, row.enabled, row.disabled_reason,
        row.failing_since, row.previous_secret_expires_at, row.created_at, row.updated_at,
    )  # fmt: skip
