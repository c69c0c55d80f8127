"""Queries over window profiles, checked against pandas on the same rows and against `telltale check`
on the same data written to CSV: summary, metric time series (hour, and day in the model's time
zone across a daylight-saving change), drift and distributions."""
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

PATH = "/api/v1/models/m/versions/v1"
SCHEMA = {"features": {"age": "numeric", "income": "numeric", "country": "categorical", "member": "boolean"},
          "predictions": {"score": "numeric"}}
START = datetime(2026, 3, 6, 0, 0, tzinfo=timezone.utc)


def frame(rng, rows, shift=0.0, start=START, hours=1):
    times = [start + timedelta(seconds=int(s)) for s in rng.integers(0, hours * 3600, rows)]
    income = np.round(rng.lognormal(10 + shift, 0.5, rows), -3)
    income[rng.random(rows) < 0.1] = np.nan
    return pd.DataFrame({
        "id": [f"{start.timestamp()}-{shift}-{i}" for i in range(rows)],
        "time": times,
        "age": np.round(rng.normal(40 + 5 * shift, 10, rows), 1),
        "income": income,
        "country": rng.choice(["US", "DE", "FR", "JP"], rows, p=[0.4, 0.3, 0.2, 0.1] if shift == 0 else [0.1, 0.2, 0.3, 0.4]),
        "member": rng.random(rows) < 0.3,
        "score": np.round(rng.random(rows), 3),
    })


def to_rows(df):
    rows = []
    for record in df.to_dict("records"):
        features = {k: (None if isinstance(record[k], float) and np.isnan(record[k]) else record[k])
                    for k in ("age", "income", "country", "member")}
        features["member"] = bool(features["member"])
        rows.append({"id": record["id"], "timestamp": record["time"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "features": features, "predictions": {"score": record["score"]}})
    return rows


def post(api, df, environment="predictions"):
    rows = to_rows(df)
    for start in range(0, len(rows), 5000):
        result = api.log("m", "v1", rows[start:start + 5000], environment=environment)
        assert result["rejected"] == []


@pytest.fixture
def data(api):
    rng = np.random.default_rng(7)
    api.create_model("m", timezone="America/New_York")
    api.create_version("m", "v1", SCHEMA, [{"name": "US", "where": {"country": ["US"]}},
                                           {"name": "older", "where": {"age": {"gte": 50}}}])
    training = frame(rng, 6000)
    post(api, training, "training")
    production = pd.concat([frame(rng, 300, start=START + timedelta(hours=h)) for h in range(96)]
                           + [frame(rng, 3000, shift=1.0, start=START + timedelta(hours=96), hours=24)])
    post(api, production)
    return api, training, production


def series(api, **params):
    params = {"from": "2026-03-06T00:00:00Z", "to": "2026-03-11T00:00:00Z", **params}
    response = api.get(PATH + "/metrics", params=params)
    assert response.status_code == 200, response.text
    return response.json()["points"]


def test_summary_counts_rows_and_segments(data):
    api, training, production = data
    params = {"from": "2026-03-06T00:00:00Z", "to": "2026-03-11T00:00:00Z"}
    summary = api.get(PATH + "/summary", params=params).json()
    assert summary["rows"] == len(production)
    assert summary["windows"] == 120
    assert summary["baselines"]["training"]["rows"] == len(training)
    assert summary["integrity"]["missing_values"]["income"] == production["income"].isna().sum()
    us = api.get(PATH + "/summary", params={**params, "segment": "US"}).json()
    assert us["rows"] == (production["country"] == "US").sum()
    older = api.get(PATH + "/summary", params={**params, "segment": "older"}).json()
    assert older["rows"] == (production["age"] >= 50).sum()
    assert api.get(PATH + "/summary", params={**params, "segment": "nope"}).status_code == 404


def test_hourly_metrics_match_pandas(data):
    api, _, production = data
    hourly = production.assign(hour=production["time"].dt.floor("h")).groupby("hour")
    expected = {
        "count": hourly.size(),
        "mean": hourly["age"].mean(),
        "std": hourly["age"].std(ddof=0),
        "min": hourly["age"].min(),
        "max": hourly["age"].max(),
        "distinct_count": hourly["age"].nunique(),
    }
    for metric, values in expected.items():
        points = series(api, field="age", metric=metric)
        assert len(points) == len(values)
        for point, (hour, value) in zip(points, values.items()):
            assert point["t"] == hour.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert point["value"] == pytest.approx(value, rel=1e-9, abs=1e-9), (metric, hour)
    missing = hourly["income"].apply(lambda s: s.isna().mean())
    for point, value in zip(series(api, field="income", metric="missing_ratio"), missing):
        assert point["value"] == pytest.approx(value, abs=1e-12)
    # Quantiles: within the KLL rank bound (exact here: each hour holds fewer values than k).
    for point, (hour, group) in zip(series(api, field="age", metric="p90"), hourly):
        rank = (group["age"] <= point["value"]).mean()
        assert abs(rank - 0.9) <= 0.0165 + 1 / len(group)


def test_daily_buckets_follow_the_model_time_zone_across_dst(data):
    api, _, production = data
    points = series(api, field="age", metric="count", granularity="day")
    local = production["time"].dt.tz_convert("America/New_York").dt.floor("D")
    expected = production.groupby(local).size()
    assert [p["t"] for p in points] == [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ") for t in expected.index]
    assert [p["value"] for p in points] == list(expected.values)
    # 2026-03-08 in New York has 23 hours: its bucket starts at 05:00Z, the next one at 04:00Z.
    starts = [p["t"] for p in points]
    assert "2026-03-08T05:00:00Z" in starts and "2026-03-09T04:00:00Z" in starts
    weekly = series(api, field="age", metric="count", granularity="week")
    assert sum(p["value"] for p in weekly) == len(production)
    assert weekly[0]["t"] == "2026-03-02T05:00:00Z"  # Monday, local midnight (EST)


def test_a_new_time_zone_moves_daily_buckets_also_after_a_restart(data, server):
    """Day rollups follow the model's zone: after a change they are rebuilt, and daily series still
    equal the rows grouped by local day (an hourly window belongs to the day of its first instant,
    so in Kolkata, +05:30, rows of 18:30-19:00Z go with the day before)."""
    api, _, production = data

    def check(api, zone):
        days = production.assign(day=production["time"].dt.floor("h").dt.tz_convert(zone).dt.floor("D"))
        for segment, rows in ((None, days), ("US", days[days["country"] == "US"])):
            by_day = rows.groupby("day")["age"]
            extra = {"segment": segment} if segment else {}
            count = series(api, field="age", metric="count", granularity="day", **extra)
            assert [p["t"] for p in count] == [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
                                               for t in by_day.size().index], zone
            assert [p["value"] for p in count] == list(by_day.size().values)
            mean = series(api, field="age", metric="mean", granularity="day", **extra)
            assert [p["value"] for p in mean] == pytest.approx(list(by_day.mean().values), rel=1e-12)
        weekly = series(api, field="age", metric="count", granularity="week")
        assert sum(p["value"] for p in weekly) == len(production)

    for zone in ("Asia/Kolkata", "America/New_York"):
        response = api.request("PATCH", "/api/v1/models/m", json={"timezone": zone})
        assert response.status_code == 200, response.text
        check(api, zone)
        server.kill()
        server.start()
        api = server.api()
        check(api, zone)


def test_baseline_comparisons(data):
    api, training, production = data
    last_day = {"from": "2026-03-10T00:00:00Z", "to": "2026-03-11T00:00:00Z"}
    current = production[production["time"] >= pd.Timestamp("2026-03-10", tz="UTC")]
    out = series(api, field="age", metric="out_of_range_ratio", granularity="day", **last_day)
    low, high = training["age"].min(), training["age"].max()
    expected = ((current["age"] < low) | (current["age"] > high)).mean()
    assert sum(p["value"] * p["rows"] for p in out) / len(current) == pytest.approx(expected, abs=1e-12)
    drift = series(api, field="country", metric="drift_score", **last_day)
    assert all(p["value"] > 0.1 for p in drift)  # Jensen-Shannon, shares moved
    early = series(api, field="country", metric="drift_score", **{"from": "2026-03-06T00:00:00Z", "to": "2026-03-06T06:00:00Z"})
    assert all(p["value"] < 0.1 for p in early)


def test_drift_matches_telltale_check(data, run, tmp_path):
    api, training, production = data
    window = {"from": "2026-03-10T00:00:00Z", "to": "2026-03-11T00:00:00Z"}
    drift = api.get(PATH + "/drift", params=window).json()
    current = production[production["time"] >= pd.Timestamp("2026-03-10", tz="UTC")]
    columns = ["age", "income", "country", "member", "score"]
    training[columns].to_csv(tmp_path / "train.csv", index=False)
    current[columns].to_csv(tmp_path / "current.csv", index=False)
    (tmp_path / "schema.yaml").write_text("columns:\n  age: numerical\n  income: numerical\n  score: numerical\n"
                                          "  country: categorical\n  member: categorical\nprediction: score\n")
    result = run("check", "--reference", tmp_path / "train.csv", "--current", tmp_path / "current.csv",
                 "--schema", tmp_path / "schema.yaml", "--format", "json")
    check = json.loads(result.stdout)
    served = {c["name"]: c for c in drift["columns"]}
    assert drift["current"]["rows"] == len(current) and drift["mode"] == "sketch"
    for column in check["columns"]:
        mine = served[column["name"]]
        assert mine["method"] == column["method"], column["name"]
        assert mine["drift_detected"] == column["drift_detected"], column["name"]
        # Every column has at most 1,000 distinct values per side, so profiles count them exactly.
        assert mine["score"] == pytest.approx(column["score"], rel=1e-9, abs=1e-12), column["name"]
    assert served["age"]["drift_detected"] and served["country"]["drift_detected"]
    assert not served["score"]["drift_detected"]


def test_distribution_on_shared_bins(data):
    api, training, production = data
    response = api.get(PATH + "/distribution", params={"field": "country", "from": "2026-03-10T00:00:00Z",
                                                       "to": "2026-03-11T00:00:00Z"}).json()
    current = production[production["time"] >= pd.Timestamp("2026-03-10", tz="UTC")]
    shares = dict(zip(response["labels"], response["current_shares"]))
    for country, share in current["country"].value_counts(normalize=True).items():
        assert shares[country] == pytest.approx(share, abs=1e-12)
    numeric = api.get(PATH + "/distribution", params={"field": "age"}).status_code
    assert numeric == 200
    hist = api.get(PATH + "/distribution", params={"field": "age", "from": "2026-03-06T00:00:00Z",
                                                   "to": "2026-03-11T00:00:00Z"}).json()
    assert len(hist["edges"]) == len(hist["baseline_shares"]) + 1
    assert sum(hist["baseline_shares"]) == pytest.approx(1.0)


def test_query_errors_name_the_parameter(data):
    api, _, _ = data
    cases = [
        ({"field": "age", "metric": "median"}, 400, "unknown metric 'median'"),
        ({"field": "nope", "metric": "mean"}, 404, "field 'nope'"),
        ({"field": "country", "metric": "mean"}, 400, "needs a numeric field"),
        ({"field": "age", "metric": "mean", "granularity": "month"}, 400, "granularity 'month'"),
        ({"field": "age", "metric": "mean", "from": "last week"}, 400, "query parameter 'from'"),
        ({"field": "age", "metric": "mean", "from": "2026-03-10T00:00:00Z", "to": "2026-03-09T00:00:00Z"}, 400, "'from' must be before 'to'"),
    ]
    for params, status, message in cases:
        response = api.get(PATH + "/metrics", params=params)
        assert response.status_code == status, (params, response.text)
        assert message in response.json()["detail"]
    bad_baseline = api.get(PATH + "/drift", params={"baseline": "validation"})
    assert bad_baseline.status_code == 404 and "no validation baseline" in bad_baseline.json()["detail"]
    assert api.get(PATH + "/drift", params={"method": "magic"}).status_code == 400
