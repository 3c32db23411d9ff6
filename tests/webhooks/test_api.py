"""The management API over real HTTP: every route needs webhooks:manage; secrets are shown only at
creation and rotation and are encrypted at rest; bad input gets precise problem+json answers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from api.app import create_app
from c360.auth.keys import create_key
from c360.errors import ConfigError
from c360.settings import Settings
from c360.webhooks.tables import webhook_endpoints
from tests.conftest import TLS
from tests.serving.backends import live_server
from tests.webhooks.conftest import Hooks
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import HIGH, churn

EP = "/v1/webhook-endpoints"


@dataclass
class Api:
    hooks: Hooks
    client: httpx.Client
    url: str

    def create(self, **body: Any) -> httpx.Response:
        return self.client.post(EP, json={"url": "http://127.0.0.1:9/hook", "event_types": [HIGH], **body})

    def created(self, **body: Any) -> dict[str, Any]:
        response = self.create(**body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


def api_for(hooks: Hooks, **overrides: Any) -> Iterator[Api]:
    settings = hooks.settings.model_copy(update=overrides)
    key = create_key(hooks.store, name="marketing-ops", scopes=["webhooks:manage", "scores:read"])[1]
    with (
        live_server(create_app(settings)) as url,
        httpx.Client(verify=TLS, base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client,
    ):
        yield Api(Hooks(settings, hooks.store, hooks.home), client, url)


@pytest.fixture
def api(hooks: Hooks) -> Iterator[Api]:
    yield from api_for(hooks)


@pytest.fixture
def strict_api(hooks: Hooks) -> Iterator[Api]:
    """The API as in production: https only, no private hosts."""
    yield from api_for(hooks, webhook_allow_private_urls=False)


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def test_create_shows_the_secret_once_and_stores_it_encrypted(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = api.create(description="Braze win-back")
    created = response.json()
    assert response.status_code == 201 and response.headers["location"] == f"{EP}/{created['id']}"
    assert created["secret"].startswith("whsec_") and len(created["secret"]) == len("whsec_") + 44
    assert (created["enabled"], created["event_types"], created["description"]) == (True, [HIGH], "Braze win-back")
    shown = api.client.get(f"{EP}/{created['id']}")
    assert shown.status_code == 200 and "secret" not in shown.json() and shown.headers["etag"]
    assert api.client.get(f"{EP}/{created['id']}", headers={"If-None-Match": shown.headers["etag"]}).status_code == 304
    listed = api.client.get(EP).json()["data"]
    assert [e["id"] for e in listed] == [created["id"]] and "secret" not in listed[0]
    with api.hooks.store.read() as conn:
        stored = conn.execute(sa.select(webhook_endpoints.c.secret)).scalar_one()
    assert created["secret"] not in stored and created["secret"][6:] not in stored  # Fernet, not clear text
    assert created["secret"] not in caplog.text


def test_update_delete_and_unknown_ids(api: Api) -> None:
    endpoint = api.created()
    path = f"{EP}/{endpoint['id']}"
    changed = api.client.patch(
        path, json={"enabled": False, "event_types": [HIGH, HIGH, "subscriber.risk_tier.changed"]}
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["enabled"], body["disabled_reason"]) == (False, "disabled through the API")
    assert body["event_types"] == [HIGH, "subscriber.risk_tier.changed"]
    again = api.client.patch(path, json={"enabled": True, "url": "http://127.0.0.1:10/other"}).json()
    assert (again["enabled"], again["disabled_reason"], again["url"]) == (True, None, "http://127.0.0.1:10/other")
    assert problem(api.client.patch(path, json={}), 422)["detail"].startswith("body: nothing to change")
    assert "url cannot be null" in problem(api.client.patch(path, json={"url": None}), 422)["detail"]
    assert api.client.delete(path).status_code == 204
    for response in (api.client.get(path), api.client.delete(path), api.client.post(f"{path}/test")):
        assert problem(response, 404)["type"].endswith("/webhook-endpoint-not-found")
    missing = api.client.get(f"{EP}/{api.created()['id']}/messages/msg_nope/attempts")
    assert problem(missing, 404)["detail"].endswith("has no message with id 'msg_nope'")
    allowed = api.client.put(EP)
    assert problem(allowed, 405) and allowed.headers["allow"] == "GET, POST"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"url": "ftp://example.com/x"}, "body.url: the URL scheme must be https, not ftp"),
        ({"url": "example.com/hook"}, "body.url: the URL must be absolute"),
        ({"url": "https://user:pw@example.com/"}, "body.url: the URL must not carry credentials"),
        ({"url": "https://example.com/#x"}, "body.url: the URL must not have a #fragment"),
        ({"url": "https://exa mple.com/"}, "body.url: the URL is not valid"),
        ({"url": "https://example.com/" + "a" * 2100}, "body.url: the URL is longer than 2048 characters"),
        ({"event_types": []}, "body.event_types: List should have at least 1 item"),
        ({"event_types": ["subscriber.created"]}, "body.event_types.0: Input should be"),
        ({"description": "x" * 501}, "body.description: String should have at most 500 characters"),
        ({"description": "two\nlines"}, "body.description: must be one line of text"),
        ({"secret": "whsec_mine"}, "body.secret: Extra inputs are not permitted"),
    ],
)
def test_bad_input_gets_a_precise_problem(api: Api, body: dict[str, Any], detail: str) -> None:
    answer = problem(api.create(**body), 422)
    assert answer["detail"].startswith(detail), answer
    assert api.client.get(EP).json()["data"] == []  # nothing was created


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("http://93.184.215.14/hook", "the URL must use https"),
        ("https://127.0.0.1/hook", "the host 127.0.0.1 resolves to 127.0.0.1, a loopback address"),
        ("https://10.1.2.3/hook", "the host 10.1.2.3 resolves to 10.1.2.3, a private address"),
        ("https://192.168.0.10:8443/", "a private address"),
        ("https://169.254.169.254/latest/meta-data", "a link-local address (cloud metadata services live there)"),
        ("https://100.100.100.200/", "not a public unicast address"),
        ("https://0.0.0.0/", "the host 0.0.0.0 resolves to 0.0.0.0"),
        ("https://2130706433/", "resolves to 127.0.0.1, a loopback address"),  # 127.0.0.1 as one number
        ("https://localhost:8443/hook", "the host localhost is a local or metadata name"),
        ("https://metadata.google.internal/computeMetadata/v1/", "is a local or metadata name"),
        ("https://no-such-host.invalid/hook", "the host no-such-host.invalid does not resolve"),
        ("https://[::1]/hook", "IPv6 literals are not accepted"),
    ],
)
def test_ssrf_refusals_at_creation(strict_api: Api, url: str, detail: str) -> None:
    answer = problem(strict_api.create(url=url), 422)
    assert detail in answer["detail"], answer


def test_a_public_https_url_is_accepted_and_a_private_one_refused_on_update(strict_api: Api) -> None:
    created = strict_api.created(url="https://93.184.215.14/hook")  # an IPv4 literal: no DNS needed offline
    changed = strict_api.client.patch(f"{EP}/{created['id']}", json={"url": "https://10.0.0.5/hook"})
    assert problem(changed, 422)["type"].endswith("/invalid-webhook-url")
    assert strict_api.client.get(f"{EP}/{created['id']}").json()["url"] == "https://93.184.215.14/hook"


def test_every_route_needs_the_webhooks_manage_scope(api: Api) -> None:
    endpoint = api.created()
    reader = create_key(api.hooks.store, name="reader", scopes=["scores:read", "profiles:read"])[1]
    routes = [
        ("GET", EP), ("POST", EP), ("GET", f"{EP}/{endpoint['id']}"), ("PATCH", f"{EP}/{endpoint['id']}"),
        ("DELETE", f"{EP}/{endpoint['id']}"), ("POST", f"{EP}/{endpoint['id']}/rotate-secret"),
        ("POST", f"{EP}/{endpoint['id']}/test"), ("GET", f"{EP}/{endpoint['id']}/messages"),
        ("GET", f"{EP}/{endpoint['id']}/messages/msg_x/attempts"),
        ("POST", f"{EP}/{endpoint['id']}/messages/msg_x/resend"), ("POST", f"{EP}/{endpoint['id']}/recover"),
    ]  # fmt: skip
    with httpx.Client(verify=TLS, base_url=api.url, timeout=10) as anonymous:
        for method, path in routes:
            assert problem(anonymous.request(method, path), 401)["type"].endswith("/unauthorized")
            wrong = anonymous.request(method, path, headers={"Authorization": f"Bearer {reader}"})
            assert "needs the webhooks:manage scope" in problem(wrong, 403)["detail"], (method, path)


def test_rotate_test_messages_attempts_resend_and_recover(api: Api, receiver: Receiver) -> None:
    endpoint = api.created(url=receiver.url)
    path = f"{EP}/{endpoint['id']}"
    rotated = api.client.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new != endpoint["secret"] and rotated.json()["previous_secret_expires_at"] is not None
    assert "secret" not in api.client.get(path).json()
    queued = api.client.post(f"{path}/test")
    assert queued.status_code == 202 and queued.json()["event_type"] == "webhook.test"
    assert queued.json()["status"] == "pending"
    assert "a running `c360 worker`" in queued.json()["hint"]  # nothing is delivered without one: say so
    churn(api.hooks, 2)
    with api.hooks.engine():
        api.hooks.settled(3)
    for secret in (endpoint["secret"], new):  # both sign during the grace period
        assert {b["type"] for b in receiver.verify(secret)} == {"webhook.test", HIGH}
    page = api.client.get(f"{path}/messages", params={"limit": 2})
    assert page.status_code == 200
    first = page.json()
    assert len(first["data"]) == 2 and first["next_cursor"]
    rest = api.client.get(f"{path}/messages", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(rest["data"]) == 1 and rest["next_cursor"] is None
    assert rest["data"][0]["id"] == queued.json()["id"]  # newest first: the test event was the first
    message = first["data"][0]
    assert message["status"] == "delivered" and message["payload"]["type"] == HIGH
    attempts = api.client.get(f"{path}/messages/{message['id']}/attempts").json()["data"]
    assert [(a["status_code"], a["error"]) for a in attempts] == [(204, None)]
    resent = api.client.post(f"{path}/messages/{message['id']}/resend")
    assert resent.status_code == 202 and resent.json()["status"] == "pending"
    with api.hooks.engine():
        api.hooks.settled(3)
    assert receiver.ids().count(message["id"]) == 2  # the same webhook-id again
    assert len(api.client.get(f"{path}/messages/{message['id']}/attempts").json()["data"]) == 2
    recovered = api.client.post(f"{path}/recover", json={"since": "2020-01-01T00:00:00Z"})
    assert recovered.status_code == 202 and recovered.json() == {"requeued": 0}  # nothing failed
    unix = problem(api.client.post(f"{path}/recover", json={"since": 1700000000}), 422)
    assert unix["detail"] == "body.since: must be an ISO 8601 date-time, e.g. 2025-11-20T04:00:00Z"
    assert problem(api.client.get(f"{path}/messages", params={"status": "lost"}), 422)


def test_the_secret_key_is_required_outside_development(hooks: Hooks) -> None:
    production = hooks.settings.model_copy(update={"env": "production", "webhook_allow_private_urls": False})
    with pytest.raises(ConfigError, match="C360_SECRET_KEY must be set when C360_ENV is production"):
        create_app(production)
    from c360.webhooks.job import WebhookJob

    with pytest.raises(ConfigError, match="C360_SECRET_KEY must be set"):
        WebhookJob(production)
    with pytest.raises(ValueError, match="C360_WEBHOOK_ALLOW_PRIVATE_URLS is for development and tests"):
        Settings(env="production", secret_key="k" * 40, webhook_allow_private_urls=True)


def test_a_key_manages_only_its_own_endpoints_and_reads_payloads_only_with_scores_read(api: Api) -> None:
    # issue 11 #9: a webhooks:manage key read score payloads that /v1/health-scores refuses it, and could
    # repoint any endpoint
    mine = api.created()
    other = create_key(api.hooks.store, name="other-team", scopes=["webhooks:manage"])[1]
    admin = create_key(api.hooks.store, name="ops", scopes=["admin"])[1]
    with httpx.Client(verify=TLS, base_url=api.url, timeout=10, headers={"Authorization": f"Bearer {other}"}) as client:
        assert client.get(EP).json() == {"data": []}  # not its endpoint: not listed
        path = f"{EP}/{mine['id']}"
        for method, where in [("GET", path), ("PATCH", path), ("DELETE", path), ("POST", f"{path}/rotate-secret")]:
            body = {"url": "http://127.0.0.1:9/elsewhere"} if method == "PATCH" else None
            answer = client.request(method, where, json=body)
            assert problem(answer, 404)["type"].endswith("/webhook-endpoint-not-found")
        theirs = client.post(EP, json={"url": "http://127.0.0.1:9/hook", "event_types": [HIGH]}).json()
        for where in (f"{EP}/{theirs['id']}/messages", f"{EP}/{theirs['id']}/messages/msg_x/attempts"):
            assert "needs the scores:read scope as well" in problem(client.get(where), 403)["detail"]
        resend = client.post(f"{EP}/{theirs['id']}/messages/msg_x/resend")
        assert "needs the scores:read scope as well" in problem(resend, 403)["detail"]
        assert client.get(f"{EP}/{theirs['id']}").status_code == 200
    with httpx.Client(verify=TLS, base_url=api.url, timeout=10, headers={"Authorization": f"Bearer {admin}"}) as client:
        assert {e["id"] for e in client.get(EP).json()["data"]} == {mine["id"], theirs["id"]}
        assert client.get(f"{EP}/{mine['id']}/messages").status_code == 200
    assert api.client.get(f"{EP}/{mine['id']}").json()["url"] == mine["url"]  # unchanged
