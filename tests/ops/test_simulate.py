"""A simulated day, end to end at full speed: the world goes on one day past the trained warehouse's
history, events reach the warehouse through the API and files through the landing folders, the worker's
jobs run on a fake clock, and the day ends with a new served run, its webhooks, and every row accounted
for (written = loaded + rejected)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from c360.auth.keys import create_key
from c360.ops.landing import LandingJob
from c360.ops.simulate import Day, Future, Simulator, new_day
from c360.pipeline.run import run_pipeline
from c360.serving.migrate import upgrade
from c360.serving.publish import publish_pending
from c360.serving.queries import current_run
from c360.serving.store import Store, dispose_engines
from c360.settings import Settings
from c360.sources.formats import SOURCES
from c360.sources.generate import generate
from c360.sources.inbox import InboxJob
from c360.webhooks import endpoints
from c360.webhooks.delivery import Engine
from c360.webhooks.outbox import record_events
from tests.conftest import AS_OF, DAYS, SCALE, SEED, Built, using_home
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.timeout(1500)]


@pytest.mark.slow  # a whole deployment on the trained warehouse for a day
def test_a_simulated_day_ends_served_with_its_webhooks_and_every_row_accounted_for(
    trained: Built, tmp_path: Path, receiver: Receiver
) -> None:
    began = datetime.now(UTC).replace(tzinfo=None)  # loads since then are this day's (the copy holds history)
    home = tmp_path / "home"
    warehouse = trained.copy(home)
    with using_home(home) as base:
        settings = base.model_copy(update={"landing_settle_seconds": 0.0, "webhook_allow_private_urls": True,
                                           "api_rate_limit": 100_000})  # fmt: skip
        upgrade(settings)
        store = Store.from_settings(settings)
        publish_pending(settings, warehouse=warehouse, store=store, outbox=record_events)  # the baseline: AS_OF served
        _, secret = endpoints.create(store, settings, url=receiver.url,
                                     event_types=["subscriber.risk_tier.changed"])  # fmt: skip
        _, key = create_key(store, name="simulator", scopes=["events:write"])
        client = TestClient(create_app(settings))

        def post(events: list[dict[str, Any]]) -> tuple[int, int]:
            response = client.post("/v1/events/subscription", json={"events": events},
                                   headers={"Authorization": f"Bearer {key}"})  # fmt: skip
            assert response.status_code == 202, response.text
            body = response.json()
            return int(body["accepted"]), len(body["rejected"])

        day = new_day(tmp_path / "scratch", scale=SCALE, days=DAYS, seed=SEED, as_of=AS_OF, ahead=1)
        # hourly content files here (the seed's are per minute: 1,440 loads of ~4 rows would only slow the test)
        simulator = Simulator(settings, post, speed=0, report=lambda _: None, batch_minutes=60)
        now = datetime.combine(day.day, datetime.min.time())
        landing = {name: LandingJob(settings, source, warehouse, clock=lambda: now) for name, source in
                   SOURCES.items()}  # fmt: skip
        inbox = InboxJob(settings)
        for minute in range(0, 1440):  # the sources feed the day; the worker's jobs follow on the fake clock
            simulator.feed_minute(day, minute)
            if minute % 60 == 59:
                now = datetime.combine(day.day, datetime.min.time()) + timedelta(minutes=minute)
                inbox.tick()
                landing["content_engagement"].tick()
        simulator.export_tickets(day)
        now = datetime.combine(day.day + timedelta(days=1), datetime.min.time()) + timedelta(hours=2, minutes=30)
        inbox.tick()
        for job in landing.values():
            job.next_due = None  # due now: it is 02:30 UTC the next day
            job.tick()

        result = run_pipeline(warehouse, as_of=day.day)  # the 03:00 build, scoring, the day's run
        assert any(s.task == "sfe_daily_churn_scoring_task" and s.status == "ran" for s in result.steps), result
        published = publish_pending(settings, warehouse=warehouse, store=store, outbox=record_events)
        run = current_run(store)
        assert run is not None and run.score_date == day.day, published

        engine = Engine(settings, store=store)
        thread = threading.Thread(target=engine.run_forever, daemon=True)
        thread.start()
        try:
            deliveries = receiver.wait_for(1, timeout=60)
        finally:
            engine.stop()
            thread.join(10)
        bodies = receiver.verify(secret)
        assert deliveries and {b["type"] for b in bodies} == {"subscriber.risk_tier.changed"}
        assert {b["data"]["score_date"] for b in bodies} == {day.day.isoformat()}  # type: ignore[index]

        ledger = simulator.ledger
        with warehouse.connect() as conn:
            read = {r["source"]: r for r in conn.query(
                "SELECT source, SUM(rows_read) AS read, SUM(rows_loaded) AS loaded, SUM(rows_rejected) AS rejected "
                "FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY WHERE started_at >= :since GROUP BY source",
                {"since": began})}  # fmt: skip
        assert ledger.content_rows > 1000 and ledger.events_posted > 50 and ledger.ticket_rows > 0
        assert read["content_engagement"]["read"] == ledger.content_rows
        content = read["content_engagement"]
        assert content["loaded"] + content["rejected"] == ledger.content_rows
        tickets = read["support_tickets"]
        assert tickets["read"] == tickets["loaded"] + tickets["rejected"] == ledger.ticket_rows
        events = read["subscription_events"]
        assert ledger.events_posted == ledger.events_accepted + ledger.events_rejected
        assert events["read"] == events["loaded"] + events["rejected"] == ledger.events_accepted
    dispose_engines()


def test_the_future_is_generated_once_per_horizon_and_continues_the_same_world(tmp_path: Path) -> None:
    """Days served from one generation of three days ahead are the days the generator writes when asked for
    each day on its own (the content lines it adds, the events and tickets of that day)."""
    future = Future(tmp_path / "future", scale=0.02, days=60, seed=SEED, as_of=AS_OF, horizon=3)
    try:
        served = [future.day(k) for k in (1, 2, 3)]
    finally:
        future.close()
    # one generation served the three days (chunk-1 is the prefetch of the next three, cancelled or not)
    assert "chunk-0" in {p.name for p in (tmp_path / "future").iterdir()}
    before, after = tmp_path / "before", tmp_path / "after"
    generate(before, scale=0.02, days=61, seed=SEED, as_of=AS_OF + timedelta(days=1))
    generate(after, scale=0.02, days=62, seed=SEED, as_of=AS_OF + timedelta(days=2))
    old = (before / "content_engagement.csv").read_text().splitlines()
    new = (after / "content_engagement.csv").read_text().splitlines()
    assert new[: len(old)] == old
    day = served[1]
    assert day.day == AS_OF + timedelta(days=2) and day.header == new[0]
    assert [line for minute in day.content for line in minute] == new[len(old) :]
    events = [json.loads(line) for line in (after / "subscription_events.jsonl").read_text().splitlines()
              if f'"event_timestamp": "{day.day.isoformat()}' in line]  # fmt: skip
    assert sorted(e["event_id"] for minute in day.events for e in minute) == sorted(e["event_id"] for e in events)
    assert day.tickets is not None and pq.read_table(day.tickets).num_rows > 0
    assert [d.day for d in served] == [AS_OF + timedelta(days=k) for k in (1, 2, 3)]


def test_a_second_simulation_continues_after_the_days_the_first_fed(tmp_path: Path) -> None:
    # `make live` twice used to send the first simulated days again (their content files refused as duplicates)
    from c360.ops.simulate import Ledger, simulate
    from c360.settings import Settings

    settings = Settings(home=tmp_path / "home")
    posted: list[str] = []

    def post(events: list[dict[str, Any]]) -> tuple[int, int]:
        posted.extend(e["event_id"] for e in events)
        return len(events), 0

    lines: list[str] = []

    def run(as_of: date) -> Ledger:
        return simulate(settings, post, scale=0.02, days=60, seed=SEED, as_of=as_of, ahead=1, speed=0,
                        report=lines.append)  # fmt: skip

    first, second = run(AS_OF), run(AS_OF)
    assert first.days == [AS_OF + timedelta(days=1)] and second.days == [AS_OF + timedelta(days=2)]
    assert f"simulate: continuing after {AS_OF + timedelta(days=1)} (fed by an earlier simulation)" in lines
    assert len(posted) == len(set(posted)) == first.events_posted + second.events_posted > 0
    other = run(AS_OF - timedelta(days=1))
    assert other.days == [AS_OF]  # another generation starts from its own first day


def test_a_day_still_to_come_is_fed_as_the_wall_clock_reaches_each_minute(settings: Settings) -> None:
    """Days that have passed replay at ``speed``; the minutes of today are sent only once they are over (the
    API refuses events from the future, staging keeps future views out: a day fed early would be lost)."""
    today = date(2026, 12, 8)
    wall = [datetime(2026, 12, 8, 0, 10, tzinfo=UTC)]  # ten minutes into today
    posted: list[tuple[datetime, list[str]]] = []

    def post(events: list[dict[str, Any]]) -> tuple[int, int]:
        posted.append((wall[0], [e["event_timestamp"] for e in events]))
        return len(events), 0

    def sleep(seconds: float) -> None:
        wall[0] += timedelta(seconds=seconds)

    def events_at(minutes: set[int], day: date) -> list[list[dict[str, Any]]]:
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        return [[{"event_timestamp": (start + timedelta(minutes=m, seconds=30)).isoformat()}] if m in minutes else []
                for m in range(1440)]  # fmt: skip

    lines: list[str] = []
    simulator = Simulator(settings, post, speed=0, sleep=sleep, wall=lambda: wall[0], report=lines.append,
                          post_every=0.0)  # fmt: skip
    for day in (today - timedelta(days=1), today):
        simulator.run_day(Day(day, "h", [[] for _ in range(1440)], events_at({5, 30, 600}, day), None))
    yesterday = [stamps for at, stamps in posted if at == datetime(2026, 12, 8, 0, 10, tzinfo=UTC)]
    assert len(yesterday) == 4  # yesterday's three minutes at once, and today's first, already over
    for at, stamps in posted:  # nothing sent before it happened
        assert all(datetime.fromisoformat(s) < at for s in stamps)
    assert posted[-1][0] == datetime(2026, 12, 8, 10, 1, tzinfo=UTC)  # minute 600's event, once it was over
    assert wall[0] == datetime(2026, 12, 9, 0, 0, tzinfo=UTC)  # and the day's last minute waited for
    assert any("caught up with the wall clock at 2026-12-08 00:10 UTC" in line for line in lines)
    assert lines[-1].startswith("simulate: 2026-12-08: 3 events posted (3 accepted, 0 rejected)")
