"""Paging /v1/health-scores over real HTTP: stable order, exactly once across a publish, incremental sync."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from c360.serving.cursor import Cursor, cursor_key, encode
from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import SCORE_DATE, add_scoring_run, tier


def pages(client: httpx.Client, **params: Any) -> list[list[str]]:
    """Every page's subscriber ids, following next_cursor to the end."""
    found, cursor = [], None
    while True:
        response = client.get("/v1/health-scores", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        found.append([row["subscriber_id"] for row in body["data"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return found


def test_pages_hold_every_matching_subscriber_once_in_id_order(served: Served) -> None:
    high = sorted(sid for sid, score in served.expected.scored.items() if tier(score) == "High")
    got = pages(served.client(), risk_tier="High", limit=7)
    assert [sid for page in got for sid in page] == high
    assert [len(p) for p in got[:-1]] == [7] * (len(got) - 1)
    scores = served.expected.scored
    at_least = [sid for page in pages(served.client(), min_score=0.5, limit=1000) for sid in page]
    assert at_least == sorted(sid for sid, score in scores.items() if score >= 0.5)


def test_a_cursor_keeps_reading_its_run_when_a_new_one_is_published(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client = served.client()
    run1 = served.expected.scored
    high1 = sorted(sid for sid, s in run1.items() if tier(s) == "High")
    first = client.get("/v1/health-scores", params={"risk_tier": "High", "limit": 10}).json()
    # run-2 inverts the scores: most High subscribers become Low and the other way round
    run2 = {sid: round(1 - s, 4) for sid, s in run1.items()}
    add_scoring_run(served.warehouse, "run-2", run2, score_date=SCORE_DATE + timedelta(days=1))
    assert publish(served.settings, outbox=record_events, warehouse=served.warehouse).status == "published"
    rest = pages(client, risk_tier="High", limit=10, cursor=first["next_cursor"])
    seen = [row["subscriber_id"] for row in first["data"]] + [sid for page in rest for sid in page]
    assert seen == high1  # all of run-1's High list, each once
    fresh = [sid for page in pages(client, risk_tier="High", limit=10) for sid in page]
    assert fresh == sorted(sid for sid, s in run2.items() if tier(s) == "High")


def test_a_cursor_of_a_dropped_run_is_410_and_a_forged_one_400(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0, serving_keep_runs=2)
    client = served.client()
    cursor = client.get("/v1/health-scores", params={"limit": 5}).json()["next_cursor"]
    payload, signature = cursor.split(".")
    forged = f"{payload[:-2]}{'AA' if not payload.endswith('AA') else 'BB'}.{signature}"
    assert_problem(client.get("/v1/health-scores", params={"cursor": forged}), 400, "invalid-request")
    for n in (2, 3):  # keep 2 runs: run-1's rows go when run-3 is published
        add_scoring_run(served.warehouse, f"run-{n}", served.expected.scored, score_date=SCORE_DATE + timedelta(n))
        publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    assert_problem(client.get("/v1/health-scores", params={"cursor": cursor}), 410, "cursor-expired")


def test_updated_since_returns_only_subscribers_whose_score_changed(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client = served.client()
    synced_at = datetime.now(UTC)
    changed = {"sub-0003": 0.9, "sub-0005": 0.01, "sub-0011": 0.2}
    add_scoring_run(
        served.warehouse, "run-2", {**served.expected.scored, **changed}, score_date=SCORE_DATE + timedelta(days=1)
    )
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    body = client.get("/v1/health-scores", params={"updated_since": synced_at.isoformat(), "limit": 1000}).json()
    assert sorted(row["subscriber_id"] for row in body["data"]) == sorted(changed)
    row = next(r for r in body["data"] if r["subscriber_id"] == "sub-0005")
    assert (row["previous_risk_tier"], row["risk_tier"]) == (tier(served.expected.scored["sub-0005"]), "Low")
    everyone = client.get("/v1/health-scores", params={"updated_since": "2000-01-01T00:00:00", "limit": 1000})
    assert len(everyone.json()["data"]) == len(served.expected.scored)


@pytest.mark.parametrize("run_seq", [2**31, 2**63, -1, True])
def test_a_signed_cursor_with_an_impossible_run_is_400(servers: Servers, run_seq: int) -> None:
    # issue 11 #7: a run number of 2^63 or more (signable with the public development key) answered 500
    served = servers.start()
    forged = encode(Cursor(run_seq, "sub-0001"), cursor_key(served.settings))
    response = served.client().get("/v1/health-scores", params={"cursor": forged})
    assert_problem(response, 400, "invalid-request")


def test_a_malformed_cursor_or_sync_token_is_422_as_docs_api_md_says(served: Served) -> None:
    client = served.client()
    cursor = client.get("/v1/health-scores", params={"limit": 5}).json()["next_cursor"]
    for path, name in (("/v1/health-scores", "cursor"), ("/v1/health-scores/changes", "sync_token")):
        for malformed in (cursor[:-3], "not a cursor", cursor + "=="):  # truncated, made up, edited
            assert_problem(client.get(path, params={name: malformed}), 422, "validation-error")
