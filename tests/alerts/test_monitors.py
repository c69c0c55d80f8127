"""Monitors end to end against a real server: an incident in the last closed hour fires, exactly
one notification reaches a real HTTP receiver (signed), alerts and their history are queryable,
backtests tell when a definition would have fired, and definitions are validated field by field."""
import datetime as dt
import hashlib
import hmac
import time

import pytest

from alert_helpers import add_webhook, null_spike, wait_for
from traffic import avoid_hour_boundary, iso, setup_model


def test_a_null_spike_fires_one_signed_webhook_and_shows_as_a_firing_alert(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    last = setup_model(api, ["income", "age"], incident=null_spike)
    add_webhook(api, receiver)
    created = api.post("/api/v1/monitors", json={"name": "nulls", "model": "churn", "type": "missing_values",
                                                 "severity": "critical", "labels": {"team": "risk"}})
    assert created.status_code == 201, created.text
    monitor = created.json()
    assert monitor["fields"] == "all_features" and monitor["detector"]["kind"] == "anomaly"

    request = wait_for(lambda: receiver.received("/hook"))[0]
    body = request["json"]
    assert body["status"] == "firing" and body["severity"] == "critical"
    assert body["model"] == "churn" and body["version"] == "v1" and body["labels"] == {"team": "risk"}
    assert body["window"]["from"] == iso(last)
    assert [field["field"] for field in body["fields"]] == ["income"]
    assert body["fields"][0]["value"] == pytest.approx(0.05)
    assert body["url"] == f"http://telltale.example/#/models/churn/alerts?monitor={monitor['id']}"
    # The signature covers the timestamp and the exact body.
    headers = request["headers"]
    signed = headers["X-Telltale-Timestamp"].encode() + b"." + request["raw"]
    expected = hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    assert headers["X-Telltale-Signature"] == "sha256=" + expected
    assert headers["Idempotency-Key"] == body["id"]

    alerts = api.get("/api/v1/alerts").json()["alerts"]
    assert [(a["field"], a["state"], a["monitor"]["name"]) for a in alerts] == [("income", "firing", "nulls")]
    shown = api.get(f"/api/v1/monitors/{monitor['id']}").json()
    assert shown["state"] == "firing" and shown["evaluated_until"] is not None
    states = {alert["field"]: alert["state"] for alert in shown["alerts"]}
    assert states == {"income": "firing", "age": "inactive"}
    history = api.get("/api/v1/alerts/history", params={"monitor": monitor["id"]}).json()["events"]
    assert [(e["field"], e["from"], e["to"]) for e in history] == [("income", "inactive", "firing")]
    time.sleep(2.5)  # further evaluations of the same window send nothing more
    assert len(receiver.received("/hook")) == 1


def test_twelve_features_drifting_from_one_upstream_change_make_one_notification(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    fields = [f"f{i}" for i in range(12)]

    def upstream_change(columns, rng):
        for name in fields:
            columns[name] = columns[name] * 3 + 100  # a unit change upstream

    setup_model(api, fields + ["stable"], incident=upstream_change, rows=150)
    add_webhook(api, receiver)
    # The change is in the last closed hour only: fire on that one window.
    response = api.post("/api/v1/monitors", json={"name": "drift", "model": "churn", "type": "data_drift",
                                                  "hold_for": 0})
    assert response.status_code == 201, response.text
    assert response.json()["detector"] == {"kind": "anomaly", "direction": "up", "min_delta": 0.1,
                                           "sensitivity": "medium"}
    body = wait_for(lambda: receiver.received("/hook"))[0]["json"]
    assert sorted(field["field"] for field in body["fields"]) == sorted(fields)
    assert all(field["value"] > 0.1 for field in body["fields"])
    time.sleep(2.5)
    assert len(receiver.received("/hook")) == 1


def test_backtest_tells_when_a_definition_would_have_fired(monitored):
    avoid_hour_boundary()
    api = monitored.api()
    last = setup_model(api, ["income"], incident=null_spike, hours=30)
    definition = {"name": "nulls", "model": "churn", "type": "missing_values", "fields": ["income"]}
    params = {"from": iso(last - dt.timedelta(hours=30)), "to": iso(last + dt.timedelta(hours=1))}
    unsaved = api.post("/api/v1/monitors/backtest", params=params, json=definition)
    assert unsaved.status_code == 200, unsaved.text
    result = unsaved.json()
    assert result["fired"] == 1
    assert [(t["field"], t["to"], t["at"]) for t in result["transitions"]] == [
        ("income", "firing", iso(last + dt.timedelta(hours=1)))]
    points = result["series"][0]["points"]
    assert len(points) == 31 and points[-1]["breached"] and not any(p["breached"] for p in points[:-1])
    assert points[-1]["value"] == pytest.approx(0.05) and points[-1]["upper"] == pytest.approx(0.01)

    # A threshold that tolerates 6% missing would not have fired; the saved monitor agrees.
    definition["detector"] = {"kind": "threshold", "above": 0.06}
    saved = api.post("/api/v1/monitors", json=definition).json()
    replay = api.post(f"/api/v1/monitors/{saved['id']}/backtest", params=params).json()
    assert replay["fired"] == 0 and len(replay["series"][0]["points"]) == 31


@pytest.mark.parametrize("definition, field, words", [
    ({"type": "missing_values", "detector": {"kind": "threshold", "above": "high"}}, "detector.above", "number"),
    ({"type": "vibes"}, "type", "model_activity"),
    ({"type": "missing_values", "hold_for": "soon"}, "hold_for", "duration"),
    ({"type": "model_activity", "fields": ["age"]}, "fields", "as a whole"),
    ({"type": "metric_change", "metric": "p99", "fields": ["nope"],
      "detector": {"kind": "anomaly"}}, "", "field 'nope' is not in version v1"),
    ({"type": "performance_degradation", "metric": "f2", "detector": {"kind": "anomaly"}}, "metric", "not a performance"),
    ({"type": "performance_degradation", "metric": "mae", "detector": {"kind": "anomaly"}}, "",
     "'mae' is not defined for a binary_classification model; its metrics: accuracy"),
    ({"type": "missing_values", "detector": {"kind": "change", "max_percent": 5, "baseline": "range"}},
     "detector.from", "from"),
])
def test_invalid_definitions_are_refused_naming_the_field(api, definition, field, words):
    api.create_model("churn")
    api.create_version("churn", "v1", {"features": {"age": "numeric"}})
    response = api.post("/api/v1/monitors", json={"name": "m", "model": "churn", **definition})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert words in problem["detail"]
    if field:
        assert problem["field"] == field and problem["detail"].startswith(field + ":")


def test_monitors_are_listed_replaced_and_deleted_and_names_are_unique(api):
    api.create_model("churn")
    api.create_version("churn", "v1", {"features": {"age": "numeric"}})
    first = api.post("/api/v1/monitors", json={"name": "volume", "model": "churn", "type": "model_activity"})
    assert first.status_code == 201
    assert api.post("/api/v1/monitors", json={"name": "volume", "model": "churn",
                                              "type": "model_activity"}).status_code == 409
    monitor_id = first.json()["id"]
    replaced = api.put(f"/api/v1/monitors/{monitor_id}", json={
        "name": "volume", "model": "churn", "type": "model_activity", "granularity": "day",
        "detector": {"kind": "change", "baseline": "week_ago", "max_percent": 30}, "hold_for": "2h"})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["granularity"] == "day" and replaced.json()["hold_for"] == "2h"
    listed = api.get("/api/v1/monitors").json()["monitors"]
    assert [(m["name"], m["detector"]["baseline"]) for m in listed] == [("volume", "week_ago")]
    assert api.delete(f"/api/v1/monitors/{monitor_id}").status_code == 204
    assert api.get(f"/api/v1/monitors/{monitor_id}").status_code == 404
    assert api.get("/api/v1/monitors").json()["monitors"] == []
