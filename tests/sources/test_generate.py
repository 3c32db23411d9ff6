"""Tests of the synthetic source generator, all through the public generate() function."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import json
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from numpy.typing import NDArray

from c360.sources.generate import GenerateResult, generate

AS_OF = datetime.date(2026, 9, 30)
DAYS = 90
WINDOW_START = AS_OF - datetime.timedelta(days=DAYS - 1)
CSV_HEADER = (
    "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,"
    "device_type,user_agent,referrer,article_metadata,utm_campaign"
)
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ISO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
BOT_MARKERS = ("bot", "headlesschrome", "python-requests", "curl", "crawler", "spider")
SECTIONS = {"politics", "business", "sports", "culture", "technology", "science", "opinion", "world", "local"}
SECTIONS |= {"lifestyle"}
CSV_READ = "header=true, all_varchar=true, quote='\"', escape='\"'"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    """One 90-day run at scale 0.1 (~2,500 subscribers) shared by the statistical tests."""
    return generate(tmp_path_factory.mktemp("gen") / "out", scale=0.1, days=DAYS, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def json_lines(run: GenerateResult) -> list[tuple[str, dict[str, Any] | None]]:
    """(raw line, parsed object or None when malformed) for every line of the JSONL file."""
    out: list[tuple[str, dict[str, Any] | None]] = []
    for raw in run.files["subscription_events"].read_text(encoding="utf-8").split("\n")[:-1]:
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            obj = None
        out.append((raw, obj if isinstance(obj, dict) else None))
    return out


@pytest.fixture(scope="module")
def csv_db(run: GenerateResult) -> duckdb.DuckDBPyConnection:
    """DuckDB with table csv: the file read as varchar (broken lines skipped), plus an is_bot flag."""
    con = duckdb.connect()
    bot = " or ".join(f"lower(user_agent) like '%{m}%'" for m in BOT_MARKERS)
    path = run.files["content_engagement"]
    con.execute(f"create table raw as select * from read_csv('{path}', {CSV_READ}, ignore_errors=true)")
    con.execute(f"create table csv as select *, ({bot}) as is_bot from raw")
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value of a one-row, one-column query."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def instant(text: str) -> datetime.datetime:
    """Parse an ISO 8601 timestamp with Z or offset into an aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def parses(text: str | None) -> bool:
    """Whether an ISO 8601 timestamp string is valid (None and garbage are not)."""
    try:
        instant(text or "")
    except ValueError:
        return False
    return True


def assert_rate(count: int, n: int, rate: float, label: str) -> None:
    """count ~ Binomial(n, rate): within 4 standard deviations (plus 2 for tiny expectations)."""
    expected = n * rate
    assert abs(count - expected) <= 4 * math.sqrt(expected) + 2, f"{label}: {count} vs ~{expected:.1f} of {n}"


# --- determinism, API and validation ---------------------------------------------------------------------


def test_same_arguments_give_identical_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    kwargs: dict[str, Any] = {"scale": 0.02, "days": 35, "as_of": AS_OF}
    a = generate(tmp_path / "a", seed=3, **kwargs)
    b = generate(tmp_path / "b", seed=3, **kwargs)
    c = generate(tmp_path / "c", seed=4, **kwargs)
    assert set(a.files) == {"subscription_events", "content_engagement", "support_tickets", "ground_truth"}
    for key in a.files:
        assert a.files[key].read_bytes() == b.files[key].read_bytes(), key
        assert a.files[key].read_bytes() != c.files[key].read_bytes(), key
    assert a.counts == b.counts
    assert a.oracle_auc == b.oracle_auc


def test_result_counts_match_the_files(run: GenerateResult) -> None:
    files, counts = run.files, run.counts
    assert all(p.parent == files["ground_truth"].parent and p.exists() for p in files.values())
    text = files["subscription_events"].read_bytes()
    assert text.endswith(b"\n") and text.count(b"\n") == counts["subscription_events"]
    csv = files["content_engagement"].read_bytes()
    assert csv.endswith(b"\n") and csv.count(b"\n") - 1 == counts["content_engagement"]
    assert pq.read_metadata(files["support_tickets"]).num_rows == counts["support_tickets"]
    assert pq.read_metadata(files["ground_truth"]).num_rows == counts["ground_truth"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.counts = {}  # type: ignore[misc]


def test_progress_is_reported_per_day_and_out_dir_is_created(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    out = tmp_path / "nested" / "dir"
    result = generate(
        out, scale=0.02, days=35, seed=1, as_of=AS_OF, on_progress=lambda s, d, t: calls.append((s, d, t))
    )
    sim = [c for c in calls if c[0] == "simulate"]
    assert [d for _, d, _ in sim] == list(range(1, len(sim) + 1))
    assert all(t == len(sim) for _, _, t in sim) and len(sim) > 35
    assert [c for c in calls if c[0] == "write"][-1] == ("write", 3, 3)
    # 35 days: a single snapshot (as_of), not yet labelled, hence no oracle AUC
    truth = pq.read_table(result.files["ground_truth"])
    assert set(truth.column("snapshot_date").to_pylist()) == {AS_OF}
    assert truth.column("cancelled_within_30d").null_count == truth.num_rows and result.oracle_auc is None
    assert sorted(p.name for p in out.iterdir()) == [
        "content_engagement.csv",
        "ground_truth.parquet",
        "subscription_events.jsonl",
        "support_tickets.parquet",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0}, "scale must be > 0 and <= 100, got 0"),
        ({"scale": -1.5}, "scale must be > 0 and <= 100, got -1.5"),
        ({"scale": 100.5}, "scale must be > 0 and <= 100, got 100.5"),
        ({"scale": float("nan")}, "scale must be a finite number"),
        ({"scale": "1"}, "scale must be a finite number"),
        ({"days": 34}, "days must be an integer between 35 and 730, got 34"),
        ({"days": 731}, "days must be an integer between 35 and 730, got 731"),
        ({"days": 90.0}, "days must be an integer between 35 and 730, got 90.0"),
        ({"seed": -1}, "seed must be a non-negative integer, got -1"),
        ({"as_of": "2026-09-30"}, "as_of must be a datetime.date"),
        ({"as_of": datetime.datetime(2026, 9, 30, 12)}, "as_of must be a datetime.date"),
        ({"as_of": datetime.date(2099, 1, 1)}, "as_of must be a date in 1980..2098, got 2099-01-01"),
    ],
)
def test_invalid_arguments_raise_precise_errors(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"scale": 0.02, "days": 35, "seed": 0, "as_of": AS_OF, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        generate(tmp_path / "x", **args)
    assert not (tmp_path / "x").exists()


# --- volumes ---------------------------------------------------------------------------------------------


def test_daily_volumes_scale_with_the_population(run: GenerateResult) -> None:
    c, scale = run.counts, 0.1
    assert 0.9 * 25_000 * scale <= c["active_at_as_of"] <= 1.1 * 25_000 * scale
    assert 0.9 * 25_000 * scale <= c["active_at_window_start"] <= 1.1 * 25_000 * scale
    reads = c["content_engagement"] - c["csv_bot_rows"] - c["csv_duplicates"] - c["csv_broken_lines"]
    assert 1.7 <= reads / DAYS / c["active_at_as_of"] <= 2.4
    in_window = sum(c[f"events_{t}"] for t in ("payment", "cancel", "upgrade", "downgrade"))
    in_window += c["signups_in_window"]
    assert 500 * scale <= in_window / DAYS <= 1000 * scale
    assert 100 * scale <= c["support_tickets"] / DAYS <= 200 * scale
    monthly_churn = c["cancels_in_window"] / c["active_at_window_start"] / (DAYS / 30)
    assert 0.03 <= monthly_churn <= 0.05
    # signups replace churn: the population stays roughly stable
    assert abs(c["signups_in_window"] - c["cancels_in_window"]) <= 0.25 * c["cancels_in_window"]


def test_history_signups_reach_back_at_most_three_years(json_lines: list[tuple[str, dict[str, Any] | None]]) -> None:
    signups = [instant(o["event_timestamp"]) for _, o in json_lines if o and o["event_type"] == "signup"]
    start = datetime.datetime.combine(WINDOW_START, datetime.time(), datetime.UTC)
    before = [start - s for s in signups if s < start]
    assert len(before) > 0.8 * len(signups)
    assert max(before) <= datetime.timedelta(days=3 * 365 + 1)
    # skewed to recent: more in the last year than in the one before
    assert sum(d.days < 365 for d in before) > sum(365 <= d.days < 730 for d in before)


# --- subscription_events.jsonl ---------------------------------------------------------------------------


def test_json_lines_follow_the_contract(
    run: GenerateResult, json_lines: list[tuple[str, dict[str, Any] | None]]
) -> None:
    parsed = [o for _, o in json_lines if o is not None]
    assert len(json_lines) - len(parsed) == run.counts["json_malformed"] > 0
    assert json_lines[-1][1] is not None
    common = {"event_id", "subscriber_id", "event_type", "event_timestamp", "plan"}
    extra = {"client_version", "experiment_bucket"}
    for o in parsed:
        keys = set(o) - extra
        assert UUID4.match(o["event_id"]) and UUID4.match(o["subscriber_id"])
        assert o["plan"] in {"basic", "standard", "premium"}
        if o["event_type"] == "payment":
            assert keys == common | {"payment_amount", "payment_status", "currency"}
            assert isinstance(o["payment_amount"], float | int) and o["currency"] == "USD"
            assert o["payment_status"] in {"succeeded", "failed"}
        elif o["event_type"] == "signup":
            assert keys == common | {"country", "age_band", "acquisition_channel"}
            assert len(o["country"]) == 2 and o["age_band"] in {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
            assert o["acquisition_channel"] in {"search", "social", "newsletter", "referral", "direct"}
        else:
            assert o["event_type"] in {"upgrade", "downgrade", "cancel"} and keys == common
    with_extra = sum(1 for o in parsed if extra & set(o))
    assert (
        run.counts["json_extra_fields"] <= with_extra <= run.counts["json_extra_fields"] + run.counts["json_duplicates"]
    )
    assert 0.04 <= with_extra / len(parsed) <= 0.06


def test_json_timestamps_mostly_utc_some_offset_and_ordered(
    run: GenerateResult, json_lines: list[tuple[str, dict[str, Any] | None]]
) -> None:
    stamps = [o["event_timestamp"] for _, o in json_lines if o is not None]
    utc = sum(bool(ISO_Z.match(s)) for s in stamps)
    offset = sum(bool(ISO_OFFSET.match(s)) for s in stamps)
    assert 0.86 <= utc / len(stamps) <= 0.94 and 0.06 <= offset / len(stamps) <= 0.14
    assert offset > 0 and any(s.endswith(("+02:00", "+01:00")) for s in stamps)
    assert any(s.endswith(("-05:00", "-04:00", "-07:00")) for s in stamps)
    unparseable = [s for s in stamps if not (ISO_Z.match(s) or ISO_OFFSET.match(s))]
    assert set(unparseable) <= {"not-a-date", "2026-13-45T99:00:00Z", ""}
    assert len(unparseable) >= run.counts["json_bad_timestamps"]
    seen: set[str] = set()
    last = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    for raw, o in json_lines:
        if o is None or raw in seen:
            continue
        seen.add(raw)
        try:
            t = instant(o["event_timestamp"])
        except ValueError:
            continue
        if t.year != 2099:
            assert t >= last, raw
            last = t


def test_json_dirt_rates_and_kinds(run: GenerateResult, json_lines: list[tuple[str, dict[str, Any] | None]]) -> None:
    c = run.counts
    parsed = [(raw, o) for raw, o in json_lines if o is not None]
    n = len(parsed)
    repeats = len(parsed) - len({raw for raw, _ in parsed})
    assert repeats == c["json_duplicates"]
    assert_rate(c["json_duplicates"], n, 0.005, "duplicates")
    assert_rate(c["json_malformed"], n, 0.001, "malformed")
    by_id: dict[str, list[datetime.datetime]] = {}
    for _raw, o in dict(parsed).items():
        with contextlib.suppress(ValueError):
            by_id.setdefault(o["event_id"], []).append(instant(o["event_timestamp"]))
    corrected = {k: v for k, v in by_id.items() if len(v) > 1}
    assert len(corrected) == c["json_corrections"] > 0
    assert all(v[-1] > v[0] for v in corrected.values())  # the later line carries the later, true time
    assert_rate(c["json_corrections"], n, 0.001, "corrections")
    payments = [o for _, o in parsed if o["event_type"] == "payment"]
    others = [o for _, o in parsed if o["event_type"] != "payment"]
    assert all(ISO_Z.match(o["event_timestamp"]) or ISO_OFFSET.match(o["event_timestamp"]) for o in others)
    assert all(instant(o["event_timestamp"]).year < 2099 for o in others)  # lifecycle events stay clean
    future = [o for o in payments if o["event_timestamp"].startswith("2099-")]
    assert len(future) >= c["json_future_timestamps"]
    assert_rate(c["json_bad_timestamps"] + c["json_future_timestamps"], len(payments), 0.001, "bad+future")


def test_payment_amounts_follow_the_seed_normal(
    run: GenerateResult, json_lines: list[tuple[str, dict[str, Any] | None]]
) -> None:
    events = {o["event_id"]: o for _, o in json_lines if o is not None and o["event_type"] == "payment"}
    amounts = np.array([o["payment_amount"] for o in events.values()], dtype=float)
    assert abs(amounts.mean() - 19.99) < 0.6 and abs(amounts.std() - 10.0) < 0.6
    assert np.allclose(amounts, np.round(amounts, 2))
    nonpositive = int((amounts <= 0).sum())
    assert nonpositive == run.counts["nonpositive_payments"]
    assert 0.012 <= nonpositive / len(amounts) <= 0.035  # P(N(19.99, 10) <= 0) = 2.3 %
    failed = sum(o["payment_status"] == "failed" for o in events.values())
    assert 0.01 <= failed / len(events) <= 0.1


# --- content_engagement.csv ------------------------------------------------------------------------------


def test_csv_header_quoting_and_readers(run: GenerateResult, csv_db: duckdb.DuckDBPyConnection) -> None:
    path = run.files["content_engagement"]
    with path.open("rb") as f:
        assert f.readline() == (CSV_HEADER + "\n").encode()
    c = run.counts
    n = one(csv_db, "select count(*) from raw")
    assert n == c["content_engagement"] - c["csv_broken_lines"]
    assert [d[0] for d in csv_db.execute("select * from raw limit 0").description] == CSV_HEADER.split(",")
    skipped: list[int] = []

    def skip(row: Any) -> str:
        skipped.append(1)
        return "skip"

    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(invalid_row_handler=skip),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(CSV_HEADER.split(","), pa.string())),
    )
    assert table.num_rows == n and len(skipped) == c["csv_broken_lines"] > 0
    last_line = path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1].decode()
    assert len(next(csv.reader([last_line]))) == 10  # never a broken line at the end


def test_csv_values_and_article_metadata(csv_db: duckdb.DuckDBPyConnection) -> None:
    def values(column: str) -> set[Any]:
        return {r[0] for r in csv_db.execute(f"select distinct {column} from csv").fetchall()}

    assert all(UUID4.match(v) for v in values("event_id") | values("subscriber_id"))
    assert values("device_type") == {"mobile", "desktop", "tablet", "app"}
    assert values("referrer") == {"google", "direct", "newsletter", "social", "internal"}
    assert values("article_id") <= {f"ART-{k:04d}" for k in range(1, 1001)}
    # article metadata is a fixed function of the article
    assert (
        one(csv_db, "select max(n) from (select count(distinct article_metadata) n from csv group by article_id)") == 1
    )
    docs = [json.loads(m) for m in values("article_metadata")]
    assert all(set(d) == {"section", "word_count", "author"} and isinstance(d["word_count"], int) for d in docs)
    assert {d["section"] for d in docs} == SECTIONS
    assert 0.0 < one(csv_db, "select avg((utm_campaign is not null)::int) from csv") < 0.3
    assert values("utm_campaign") - {None} <= {
        "spring_sale",
        "weekly_digest",
        "breaking_news",
        "winback_q3",
        "sports_promo",
    }


def test_zipf_articles_and_truncated_normal_time_spent(csv_db: duckdb.DuckDBPyConnection) -> None:
    freq = dict(csv_db.execute("select article_id, count(*) from csv where not is_bot group by 1").fetchall())
    top = max(freq, key=lambda k: freq[k])
    assert top == "ART-0001"
    assert 1.8 <= freq["ART-0001"] / freq["ART-0002"] <= 2.2
    assert 2.7 <= freq["ART-0001"] / freq["ART-0003"] <= 3.3
    low, mean_spent, sd_spent = csv_db.execute(
        "select min(t), avg(t), stddev_pop(t) from (select time_spent_seconds::int t from csv where not is_bot)"
    ).fetchone() or (0, 0, 0)
    assert low >= 1
    # NORMAL(180, 120) truncated to >= 1: mean = mu + sd * lambda, var = sd^2 (1 + a lambda - lambda^2)
    a = (1 - 180) / 120
    pdf = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    lam = pdf / (1 - 0.5 * (1 + math.erf(a / math.sqrt(2))))
    mean, sd = 180 + 120 * lam, 120 * math.sqrt(1 + a * lam - lam * lam)
    assert abs(mean_spent - mean) < 2.0 and abs(sd_spent - sd) < 2.0


def test_csv_dirt_bots_duplicates_and_timestamps(run: GenerateResult, csv_db: duckdb.DuckDBPyConnection) -> None:
    c = run.counts
    n = one(csv_db, "select count(*) from csv")
    assert 0.012 <= one(csv_db, "select avg(is_bot::int) from csv") <= 0.03
    assert one(csv_db, "select max(time_spent_seconds::int) from csv where is_bot") <= 3
    # bots use real subscriber ids (ids that also read as humans)
    assert one(csv_db, "select count(distinct subscriber_id) from csv where is_bot") > 0
    orphans = "select subscriber_id from csv where is_bot except select subscriber_id from csv where not is_bot"
    assert one(csv_db, f"select count(*) from ({orphans})") == 0
    assert one(csv_db, "select count(*) from csv where is_bot") >= c["csv_bot_rows"]
    assert n - one(csv_db, "select count(distinct event_id) from csv") == c["csv_duplicates"]
    assert one(csv_db, "select count(*) from (select distinct * from csv)") == n - c["csv_duplicates"]  # verbatim
    assert_rate(c["csv_duplicates"], n, 0.005, "csv duplicates")
    stamps = [r[0] for r in csv_db.execute("select event_timestamp from csv").fetchall()]
    bad = [s for s in stamps if not parses(s)]
    assert set(bad) <= {None, "not-a-date", "2026-13-45T99:00:00Z"} and len(bad) >= c["csv_bad_timestamps"]
    assert sum(s is not None and s.startswith("2099-") for s in stamps) >= c["csv_future_timestamps"]
    assert_rate(c["csv_bad_timestamps"], n, 0.0005, "csv bad timestamps")
    assert_rate(c["csv_future_timestamps"], n, 0.0005, "csv future timestamps")
    assert_rate(c["csv_broken_lines"], n, 0.0001, "csv broken lines")
    valid = [s for s in stamps if parses(s) and ISO_Z.match(s) and not s.startswith("2099")]
    assert min(valid) >= WINDOW_START.isoformat() and max(valid) < (AS_OF + datetime.timedelta(days=1)).isoformat()
    # rows are in time order, apart from the repeats placed a little later
    steps_back = one(
        csv_db,
        "select count(*) from (select event_timestamp t, lag(event_timestamp) over () p, "
        "count(*) over (partition by event_id) k from csv) "
        "where k = 1 and t < p and t like '2026-%' and p like '2026-%'",
    )
    assert steps_back <= 2 * c["csv_duplicates"]


# --- parquet files ---------------------------------------------------------------------------------------


def test_support_tickets_schema_and_dirt(run: GenerateResult) -> None:
    table = pq.read_table(run.files["support_tickets"])
    utc = pa.timestamp("us", tz="UTC")
    assert table.schema.names == [
        "ticket_id", "subscriber_id", "created_at", "resolved_at", "channel", "category",
        "priority", "satisfaction_score", "status", "agent_team",
    ]  # fmt: skip
    assert [table.schema.field(k).type for k in ("created_at", "resolved_at")] == [utc, utc]
    assert table.schema.field("satisfaction_score").type == pa.int8()
    t = table.to_pydict()
    n, c = table.num_rows, run.counts
    assert set(t["category"]) == {"billing", "technical", "content", "delivery", "account", "cancellation"}
    assert set(t["channel"]) == {"email", "chat", "phone"} and set(t["priority"]) == {"low", "medium", "high"}
    assert set(t["status"]) == {"open", "resolved", "closed"}
    assert all((r is None) == (s == "open") for r, s in zip(t["resolved_at"], t["status"], strict=True))
    assert 0.3 <= np.mean([s is None for s in t["satisfaction_score"]]) <= 0.5
    assert {s for s in t["satisfaction_score"] if s is not None} <= {1, 2, 3, 4, 5}
    assert sum(s is None for s in t["subscriber_id"]) == c["ticket_null_subscriber"]
    assert n - len(set(t["ticket_id"])) == c["ticket_duplicates"]
    assert sum(x.year == 2099 for x in t["created_at"]) == c["ticket_future_created"]
    assert_rate(c["ticket_null_subscriber"], n, 0.002, "null subscriber")
    assert_rate(c["ticket_duplicates"], n, 0.003, "ticket duplicates")


def test_ground_truth_shape_labels_and_calibration(run: GenerateResult) -> None:
    table = pq.read_table(run.files["ground_truth"])
    assert table.schema == pa.schema(
        [
            ("subscriber_id", pa.string()),
            ("snapshot_date", pa.date32()),
            ("true_churn_prob_30d", pa.float64()),
            ("cancelled_within_30d", pa.bool_()),
        ]
    )
    g = table.to_pydict()
    dates = sorted(set(g["snapshot_date"]))
    expected = [AS_OF - datetime.timedelta(days=7 * k) for k in range(DAYS) if 7 * k <= DAYS - 1 - 28]
    assert dates == sorted(expected)
    assert len(set(zip(g["subscriber_id"], g["snapshot_date"], strict=True))) == table.num_rows
    assert sum(d == AS_OF for d in g["snapshot_date"]) == run.counts["active_at_as_of"]
    prob = np.array(g["true_churn_prob_30d"])
    assert prob.min() > 0 and prob.max() < 1
    horizon = datetime.timedelta(days=30)
    labelled = np.array([d + horizon <= AS_OF for d in g["snapshot_date"]])
    label = np.array(g["cancelled_within_30d"], dtype=object)
    assert all(v is None for v in label[~labelled]) and all(v is not None for v in label[labelled])
    realised = label[labelled].astype(bool)
    assert abs(realised.mean() - prob[labelled].mean()) <= 0.25 * prob[labelled].mean()
    from sklearn.metrics import roc_auc_score

    assert run.oracle_auc is not None
    assert run.oracle_auc == pytest.approx(roc_auc_score(realised, prob[labelled]), abs=1e-9)
    assert 0.8 <= run.oracle_auc <= 0.95


# --- learnability ------------------------------------------------------------------------------------------


def observable_features(out: Path) -> dict[str, NDArray[Any]]:
    """Per labelled ground-truth row, features an ingestion pipeline can compute from the three files."""
    con = duckdb.connect()
    bot = " or ".join(f"lower(user_agent) like '%{m}%'" for m in BOT_MARKERS)
    con.execute(f"""
        create table reads as select distinct on (event_id) subscriber_id,
            cast(try_cast(event_timestamp as timestamptz) as date) as day
        from read_csv('{out}/content_engagement.csv', {CSV_READ}, ignore_errors=true)
        where not ({bot}) and try_cast(event_timestamp as timestamptz) < timestamptz '2090-01-01';
        create table ev as select subscriber_id, event_type, plan, payment_status, ts from (
            select *, try_cast(event_timestamp as timestamptz) as ts, row_number() over (
                partition by event_id order by line desc) as k
            from (select *, row_number() over () as line from read_json('{out}/subscription_events.jsonl',
                format='newline_delimited', ignore_errors=true, columns={{event_id: 'varchar',
                subscriber_id: 'varchar', event_type: 'varchar', event_timestamp: 'varchar', plan: 'varchar',
                payment_status: 'varchar'}})) where event_id is not null)
        where k = 1 and ts < timestamptz '2090-01-01';
        create table tk as select distinct on (ticket_id) subscriber_id, category,
            cast(created_at as date) as day from read_parquet('{out}/support_tickets.parquet')
        where subscriber_id is not null and created_at < timestamptz '2090-01-01';
        create table gt as select * from read_parquet('{out}/ground_truth.parquet')
        where cancelled_within_30d is not null;
    """)
    return con.execute("""
        with r as (select g.subscriber_id, g.snapshot_date as w,
                count(r.day) filter (where r.day > w - 30) as reads30,
                count(r.day) filter (where r.day > w - 7) as reads7, max(r.day) as last_read
            from gt g left join reads r on r.subscriber_id = g.subscriber_id and r.day <= g.snapshot_date
            group by all),
        t as (select g.subscriber_id, g.snapshot_date as w,
                count(t.day) filter (where t.day > w - 90) as tix90,
                count(t.day) filter (where t.day > w - 30) as tix30,
                count(t.day) filter (where t.day > w - 30 and t.category = 'cancellation') as ctix30
            from gt g left join tk t on t.subscriber_id = g.subscriber_id and t.day <= g.snapshot_date
            group by all),
        e as (select g.subscriber_id, g.snapshot_date as w,
                min(cast(e.ts as date)) filter (where e.event_type = 'signup') as signup,
                count(*) filter (where e.payment_status = 'failed' and cast(e.ts as date) > w - 30) as failed30,
                arg_max(e.plan, e.ts) as plan
            from gt g left join ev e on e.subscriber_id = g.subscriber_id and cast(e.ts as date) <= g.snapshot_date
            group by all)
        select g.subscriber_id, g.true_churn_prob_30d as truth, g.cancelled_within_30d as y, r.reads30, r.reads7,
            coalesce(date_diff('day', r.last_read, g.snapshot_date), 60) as recency, t.tix90, t.tix30, t.ctix30,
            coalesce(date_diff('day', e.signup, g.snapshot_date), 400) as tenure, e.failed30, e.plan
        from gt g
        join r on r.subscriber_id = g.subscriber_id and r.w = g.snapshot_date
        join t on t.subscriber_id = g.subscriber_id and t.w = g.snapshot_date
        join e on e.subscriber_id = g.subscriber_id and e.w = g.snapshot_date
        order by g.snapshot_date, g.subscriber_id
    """).fetchnumpy()


def simple_model_aucs(f: dict[str, NDArray[Any]]) -> tuple[float, float, float]:
    """(oracle AUC, logistic regression AUC, gradient boosting AUC) on a subscriber-held-out half."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    y = f["y"].astype(bool)
    reads30, reads7 = f["reads30"].astype(float), f["reads7"].astype(float)
    x = np.column_stack(
        [
            np.log(reads30 / 30 + 0.1),  # average daily reads, last 30 days
            np.log(reads7 / 7 + 0.1) - np.log((reads30 - reads7) / 23 + 0.1),  # last 7 vs previous 23
            np.minimum(f["recency"].astype(float), 30),
            f["tix90"], f["tix30"], f["ctix30"] > 0,
            np.exp(-f["tenure"].astype(float) / 60), f["failed30"],
            f["plan"] == "basic", f["plan"] == "premium",
        ]
    ).astype(float)  # fmt: skip
    test = np.array([int(s[:8], 16) % 2 == 1 for s in f["subscriber_id"]])
    scaler = StandardScaler().fit(x[~test])
    lr = LogisticRegression(max_iter=2000).fit(scaler.transform(x[~test]), y[~test])
    hgb = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, random_state=0).fit(x[~test], y[~test])
    oracle = roc_auc_score(y[test], f["truth"][test])
    lr_auc = roc_auc_score(y[test], lr.predict_proba(scaler.transform(x[test]))[:, 1])
    hgb_auc = roc_auc_score(y[test], hgb.predict_proba(x[test])[:, 1])
    return float(oracle), float(lr_auc), float(hgb_auc)


@pytest.mark.slow
def test_simple_model_on_observable_features_gets_close_to_the_oracle(tmp_path: Path) -> None:
    result = generate(tmp_path / "out", scale=0.2, days=DAYS, seed=0, as_of=AS_OF)
    oracle, lr_auc, hgb_auc = simple_model_aucs(observable_features(tmp_path / "out"))
    assert result.oracle_auc is not None and 0.84 <= result.oracle_auc <= 0.93
    best = max(lr_auc, hgb_auc)
    assert best >= 0.80 and best >= 0.95 * oracle, (oracle, lr_auc, hgb_auc)


def test_learnability_helpers_recover_labels(run: GenerateResult) -> None:
    f = observable_features(run.files["ground_truth"].parent)
    labels = pq.read_table(run.files["ground_truth"]).column("cancelled_within_30d").drop_null()
    assert len(f["y"]) == len(labels) and f["y"].sum() == sum(labels.to_pylist())
    assert set(f["plan"]) <= {"basic", "standard", "premium"}
    assert (f["reads30"] >= f["reads7"]).all() and (f["recency"] >= 0).all()


def test_a_product_change_drift_changes_the_churn_from_its_day_on(tmp_path: Path) -> None:
    """Before the drift day the world is the same (same random draws); from it on, other cancellations."""
    kwargs: dict[str, Any] = {"scale": 0.05, "days": 60, "seed": 2, "as_of": AS_OF}
    plain = generate(tmp_path / "plain", **kwargs)
    drifted = generate(tmp_path / "drift", drift="product-change@30", **kwargs)
    drift_day = AS_OF - datetime.timedelta(days=59) + datetime.timedelta(days=30)

    def cancels(result: GenerateResult) -> tuple[set[str], set[str]]:
        before: set[str] = set()
        after: set[str] = set()
        for line in result.files["subscription_events"].read_text().splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # the generator's deliberate dirt
                continue
            if (
                not isinstance(event, dict)
                or event.get("event_type") != "cancel"
                or not isinstance(event.get("event_timestamp"), str)
            ):
                continue
            day = datetime.date.fromisoformat(event["event_timestamp"][:10])
            (before if day < drift_day else after).add(event["subscriber_id"])
        return before, after

    (plain_before, plain_after), (drift_before, drift_after) = cancels(plain), cancels(drifted)
    assert plain_before == drift_before and plain_before
    assert plain_after != drift_after
    truth_plain = pq.read_table(plain.files["ground_truth"])["true_churn_prob_30d"].to_numpy()
    truth_drift = pq.read_table(drifted.files["ground_truth"])["true_churn_prob_30d"].to_numpy()
    assert len(truth_plain) != len(truth_drift) or not np.allclose(truth_plain, truth_drift)


@pytest.mark.parametrize("drift", ["product-change", "product-change@0", "product-change@60", "price@10"])
def test_a_bad_drift_is_refused_naming_the_rule(tmp_path: Path, drift: str) -> None:
    with pytest.raises(
        ValueError, match=r"drift must be <kind>@<day> with kind one of product-change and day in 1\.\.59"
    ):
        generate(tmp_path / "x", scale=0.02, days=60, seed=1, as_of=AS_OF, drift=drift)
