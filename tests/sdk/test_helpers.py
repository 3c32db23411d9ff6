"""The hand-written SDK layer (``c360_client.helpers``) over real HTTP on loopback: against the app for paging,
the change feed, batches and problems; against a scripted server for the retries; and the README's examples."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from c360_client.helpers import (
    C360,
    BadRequest,
    C360Error,
    CursorExpired,
    Forbidden,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    SyncTokenExpired,
    Unauthorized,
    ValidationFailed,
)
from c360_client.models import HealthScore, HealthScoreRemovalReason, RiskTier, SubscriberProfile

from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.conftest import REPO, free_port
from tests.serving.data import SCORE_DATE, add_scoring_run, tier

README = REPO / "clients" / "python" / "README.md"


def test_iter_health_scores_pages_through_the_served_set(served: Served) -> None:
    with C360(served.url, served.keys["reader"]) as c360:
        scores = list(c360.iter_health_scores(page_size=7))
        assert {s.subscriber_id: s.churn_risk_score for s in scores} == served.expected.scored
        assert len(scores) == len(served.expected.scored)  # each once
        high = [s.subscriber_id for s in c360.iter_health_scores(risk_tier="High", page_size=3)]
        assert high == sorted(sid for sid, score in served.expected.scored.items() if tier(score) == "High")
        assert high and all(s.risk_tier == RiskTier.HIGH for s in c360.iter_health_scores(risk_tier=RiskTier.HIGH))
        floor = sorted(served.expected.scored.values())[len(scores) // 2]
        assert {s.subscriber_id for s in c360.iter_health_scores(min_score=floor)} == {
            sid for sid, score in served.expected.scored.items() if score >= floor
        }
        one = scores[0]
        assert c360.get_health_score(one.subscriber_id).churn_risk_score == one.churn_risk_score


def test_sync_sends_everything_then_what_a_publish_changed(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    c360 = C360(served.url, served.keys["reader"])
    full = c360.sync(page_size=7)
    assert full.full and not full.removals and full.next_token
    assert {u.subscriber_id: u.churn_risk_score for u in full.upserts} == served.expected.scored
    assert all(u.removed is False for u in full.upserts)

    before = served.expected.scored
    moved, dropped = sorted(before)[:2]
    run2 = {sid: score for sid, score in before.items() if sid != dropped}  # dropped is not scored by run-2
    run2[moved] = 0.01 if before[moved] > 0.5 else 0.99
    add_scoring_run(served.warehouse, "run-2", run2, score_date=SCORE_DATE + timedelta(days=1))
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)

    delta = c360.sync(full.next_token, page_size=1)  # two pages
    assert not delta.full and delta.next_token != full.next_token
    assert [(u.subscriber_id, u.churn_risk_score) for u in delta.upserts] == [(moved, run2[moved])]
    [removal] = delta.removals
    assert removal.subscriber_id == dropped and removal.removed is True
    assert removal.reason == HealthScoreRemovalReason.NOT_SCORED
    assert removal.last.churn_risk_score == before[dropped]
    assert removal.score_date == SCORE_DATE + timedelta(days=1)
    again = c360.sync(delta.next_token)
    assert not again.upserts and not again.removals and not again.full
    c360.close()


def forged(token: str) -> str:
    body, signature = token.split(".")
    return f"{body[:-2]}{'AA' if not body.endswith('AA') else 'BB'}.{signature}"


def test_an_expired_sync_token_raises_unless_resync_on_expiry(served: Served) -> None:
    with C360(served.url, served.keys["reader"]) as c360:
        token = forged(c360.sync().next_token)
        with pytest.raises(SyncTokenExpired) as raised:
            c360.sync(token)
        assert raised.value.status == 410 and raised.value.type.endswith("/problems/sync-token-expired")
        assert "sync from scratch" in raised.value.detail
        resynced = c360.sync(token, resync_on_expiry=True, include_profile=True, page_size=9)
        assert resynced.full and not resynced.removals and resynced.next_token
        assert {u.subscriber_id: u.churn_risk_score for u in resynced.upserts} == served.expected.scored
        for upsert in resynced.upserts:
            assert isinstance(upsert.profile, SubscriberProfile)
            assert upsert.profile.subscriber_id == upsert.subscriber_id


def test_error_answers_of_the_api_are_typed_problems(served: Served) -> None:
    with C360(served.url, served.keys["reader"], max_retries=0) as c360:
        with pytest.raises(NotFound) as missing:
            c360.get_health_score("nobody")
        assert missing.value.status == 404 and missing.value.title and "nobody" in missing.value.detail
        with pytest.raises(ValidationFailed) as invalid:
            next(c360.iter_health_scores(page_size=5000))
        assert invalid.value.errors and any("limit" in e.location for e in invalid.value.errors)
    with C360(served.url, "c360_nope_nope") as c360, pytest.raises(Unauthorized):
        c360.get_health_score("sub-0001")
    with C360(served.url, served.keys["scores"]) as c360, pytest.raises(Forbidden):
        c360.sync(include_profile=True)


def test_batch_get_profiles_asks_500_at_a_time_and_merges(served: Served) -> None:
    known = sorted(served.expected.ids)
    unknown = [f"nobody-{i:03d}" for i in range(600)]
    ids = [*known[:3], *unknown[:300], *known, *unknown[300:]]  # duplicates are answered once
    with C360(served.url, served.keys["reader"]) as c360:
        answer = c360.batch_get_profiles(ids)
        assert [p.subscriber_id for p in answer.data] == [*known[:3], *known[3:]]
        assert answer.missing == unknown
        assert c360.batch_get_profiles([]).data == []


# --- retries, against a scripted server --------------------------------------------------------------------

Step = tuple[int, dict[str, str], object]  # status (0: close the connection unanswered), headers, JSON body
SCORE = {
    "subscriber_id": "sub-1",
    "churn_risk_score": 0.42,
    "risk_tier": "High",
    "previous_risk_tier": None,
    "score_date": "2026-12-04",
    "scored_at": "2026-12-04T06:00:00+00:00",
    "model_version": "m-1",
    "drivers": None,
    "updated_at": "2026-12-04T06:00:00+00:00",
    "removed": False,
    "removal": None,
}
OK: Step = (200, {}, SCORE)


def problem(status: int, slug: str, detail: str = "it says why") -> dict[str, object]:
    return {"type": f"https://docs.c360.dev/problems/{slug}", "title": slug, "status": status, "detail": detail}


@dataclass
class Scripted:
    steps: list[Step]
    seen: list[tuple[str, str]] = field(default_factory=list)  # method and path of each request received
    url: str = ""


@contextlib.contextmanager
def scripted(*steps: Step) -> Iterator[Scripted]:
    """A loopback HTTP server answering each request with the next step."""
    script = Scripted(list(steps))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.answer()

        def answer(self) -> None:
            script.seen.append((self.command, self.path))
            status, headers, body = script.steps.pop(0)
            if status == 0:
                self.close_connection = True
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            kind = "application/problem+json" if status >= 400 else "application/json"
            for name, value in {"Content-Type": kind, "Content-Length": str(len(data)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # a short poll: shutdown() waits for the loop's next look (half a second by default, in every test)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


RETRIED: dict[str, Step] = {
    "503": (503, {}, problem(503, "serving-store-unavailable")),
    "429 Retry-After 0": (429, {"Retry-After": "0"}, problem(429, "rate-limited")),
    "502 not a problem": (502, {}, "<html>bad gateway</html>"),
    "504": (504, {}, problem(504, "gateway-timeout")),
    "connection closed": (0, {}, None),
}


@pytest.mark.parametrize("failure", RETRIED.values(), ids=RETRIED.keys())
def test_a_read_is_retried_until_it_succeeds(failure: Step) -> None:
    with scripted(failure, failure, OK) as server, C360(server.url, "k", backoff=0.01) as c360:
        score = c360.get_health_score("sub-1")
        assert isinstance(score, HealthScore) and score.churn_risk_score == 0.42
        assert server.seen == [("GET", "/v1/subscribers/sub-1/health-score")] * 3


def test_retries_stop_at_max_retries_with_the_typed_error() -> None:
    unavailable: Step = (503, {}, problem(503, "serving-store-unavailable", "store down"))
    with scripted(*[unavailable] * 4) as server, C360(server.url, "k", max_retries=3, backoff=0.01) as c360:
        with pytest.raises(ServiceUnavailable, match="store down"):
            c360.get_health_score("sub-1")
        assert len(server.seen) == 4
    limited: Step = (429, {"Retry-After": "0"}, problem(429, "rate-limited"))
    with scripted(*[limited] * 3) as server, C360(server.url, "k", max_retries=2, backoff=0.01) as c360:
        with pytest.raises(RateLimited) as raised:
            c360.get_health_score("sub-1")
        assert raised.value.retry_after == 0 and len(server.seen) == 3


def test_a_retry_after_longer_than_max_retry_wait_is_not_waited_for() -> None:
    limited: Step = (429, {"Retry-After": "120"}, problem(429, "rate-limited"))
    with scripted(limited) as server, C360(server.url, "k", max_retry_wait=30) as c360:
        with pytest.raises(RateLimited) as raised:
            c360.get_health_score("sub-1")
        assert raised.value.retry_after == 120 and len(server.seen) == 1


NOT_RETRIED: dict[str, tuple[Step, type[C360Error]]] = {
    "400": ((400, {}, problem(400, "invalid-request")), BadRequest),
    "401": ((401, {}, problem(401, "unauthorized")), Unauthorized),
    "403": ((403, {}, problem(403, "forbidden")), Forbidden),
    "404": ((404, {}, problem(404, "not-found", "No subscriber sub-1 in the served run")), NotFound),
    "410 cursor-expired": ((410, {}, problem(410, "cursor-expired")), CursorExpired),
    "422": ((422, {}, {**problem(422, "validation-error"), "errors": [{"location": "query.limit", "message": "x"}]}),
            ValidationFailed),
}  # fmt: skip


@pytest.mark.parametrize(("answer", "error"), NOT_RETRIED.values(), ids=NOT_RETRIED.keys())
def test_other_4xx_are_not_retried_and_raise_the_problem(answer: Step, error: type[C360Error]) -> None:
    with scripted(answer, OK) as server, C360(server.url, "k", backoff=0.01) as c360:
        with pytest.raises(error) as raised:
            c360.get_health_score("sub-1")
        assert len(server.seen) == 1
    body = answer[2]
    assert isinstance(body, dict)
    error_ = raised.value
    assert (error_.status, error_.type, error_.detail) == (body["status"], body["type"], body["detail"])
    assert [e.location for e in raised.value.errors] == [e["location"] for e in body.get("errors", [])]


def test_a_write_is_retried_only_when_it_cannot_have_reached_the_api() -> None:
    bad_gateway: Step = (502, {}, problem(502, "bad-gateway"))
    with scripted(bad_gateway, OK) as server, C360(server.url, "k", backoff=0.01) as c360:
        with pytest.raises(C360Error) as raised:  # an event batch may have been ingested: not sent twice
            c360.client.get_httpx_client().post("/v1/events/subscription", json={"events": []})
        assert raised.value.status == 502 and len(server.seen) == 1
    profiles: Step = (200, {}, {"data": [], "missing": ["x"]})
    with scripted(bad_gateway, profiles) as server, C360(server.url, "k", backoff=0.01) as c360:
        assert c360.batch_get_profiles(["x"]).missing == ["x"]  # batch-get is a read
        assert server.seen == [("POST", "/v1/subscribers/batch-get")] * 2
    refused = C360(f"http://127.0.0.1:{free_port()}", "k", max_retries=2, backoff=0.01)
    with refused, pytest.raises(httpx.ConnectError):
        refused.get_health_score("sub-1")


# --- the README ----------------------------------------------------------------------------------------------


def test_the_readme_examples_run_against_a_live_server(
    served: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = README.read_text()
    assert "## Quick start" in text and "## Register a webhook endpoint" in text
    runnable, webhooks = text.split("## Register a webhook endpoint")  # those need a receiver: compiled only
    blocks = re.findall(r"```python\n(.*?)```", runnable, re.DOTALL)
    assert len(blocks) >= 4
    monkeypatch.setenv("C360_URL", served.url)
    monkeypatch.setenv("C360_API_KEY", served.keys["reader"])
    namespace: dict[str, Any] = {"__name__": "readme"}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"README.md python block {number}", "exec"), namespace)
    for number, block in enumerate(re.findall(r"```python\n(.*?)```", webhooks, re.DOTALL), 1):
        compile(block, f"README.md webhook block {number}", "exec")
    assert namespace["scores"] == served.expected.scored  # the synced copy is the served set
    assert isinstance(namespace["token"], str) and namespace["token"]
    assert namespace["profiles"].missing == ["no-such-subscriber"]
    namespace["scores"]["ghost"] = 0.5  # a copy that drifted; then the token expires:
    namespace["refresh"](forged(namespace["token"]))  # the README's resync replaces the copy
    assert namespace["scores"] == served.expected.scored
    out = capsys.readouterr().out
    assert "High-risk subscribers" in out and "404" in out
    namespace["c360"].close()
