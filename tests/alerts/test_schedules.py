"""Monitors on a cron schedule against a real server: their next tick agrees with croniter (an
independent implementation) in several time zones, and a scheduled monitor leaves newly closed
windows alone until its tick comes."""
import datetime as dt
import time
import zoneinfo

import pytest
from croniter import croniter

from alert_helpers import add_webhook, null_spike, wait_for
from traffic import avoid_hour_boundary, setup_model

EXPRESSIONS = ["*/15 * * * *", "0 9 * * mon-fri", "30 2 * * *", "0 0 1,15 * *", "0 */6 * * *",
               "45 23 * * 0", "0 0 13 * fri", "0 12 * jan,jul *", "@weekly", "@monthly", "@yearly",
               "5 4 * * sun"]
ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


def croniter_next(expression, zone, moment):
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return croniter(expression, local).get_next(dt.datetime).astimezone(dt.timezone.utc)


@pytest.mark.parametrize("zone", ZONES)
def test_next_evaluation_agrees_with_croniter(api, zone):
    api.create_model("churn", timezone=zone)
    api.create_version("churn", "v1", {"features": {"age": "numeric"}})
    for index, expression in enumerate(EXPRESSIONS):
        before = dt.datetime.now(dt.timezone.utc)
        created = api.post("/api/v1/monitors", json={"name": f"m{index}", "model": "churn",
                                                     "type": "model_activity", "schedule": expression})
        after = dt.datetime.now(dt.timezone.utc)
        assert created.status_code == 201, created.text
        monitor = created.json()
        assert monitor["schedule"] == expression
        got = dt.datetime.fromisoformat(monitor["next_evaluation"].replace("Z", "+00:00"))
        # A minute may turn between the two clocks.
        assert got in {croniter_next(expression, zone, before), croniter_next(expression, zone, after)}, \
            (expression, zone)


@pytest.mark.parametrize("schedule, words", [
    ("0 9 * *", "has 4 fields"),
    ("0 25 * * *", "hour 25 is out of range 0-23"),
    ("0 0 31 2 *", "never ticks"),
    ("0 0 * * someday", "day of week 'someday' is not a number"),
])
def test_bad_schedules_are_refused_naming_the_problem(api, schedule, words):
    api.create_model("churn")
    api.create_version("churn", "v1", {"features": {"age": "numeric"}})
    response = api.post("/api/v1/monitors", json={"name": "m", "model": "churn", "type": "model_activity",
                                                  "schedule": schedule})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "schedule" and words in problem["detail"], problem


def test_a_scheduled_monitor_waits_for_its_tick(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income", "age"], incident=null_spike)
    add_webhook(api, receiver)
    # New Year's midnight: the latest tick is months ago, so the null spike of the last hour is
    # not evaluated yet.
    definition = {"name": "nulls", "model": "churn", "type": "missing_values", "schedule": "@yearly"}
    created = api.post("/api/v1/monitors", json=definition)
    assert created.status_code == 201, created.text
    monitor_id = created.json()["id"]
    year = dt.datetime.now(dt.timezone.utc).year
    wait_for(lambda: api.get(f"/api/v1/monitors/{monitor_id}").json()["evaluated_until"])
    time.sleep(3)  # three more runs of the monitor loop
    shown = api.get(f"/api/v1/monitors/{monitor_id}").json()
    assert shown["evaluated_until"] == f"{year}-01-01T00:00:00Z"
    assert shown["next_evaluation"] == f"{year + 1}-01-01T00:00:00Z"
    assert shown["state"] == "inactive" and receiver.received("/hook") == []

    # Without the schedule the same monitor evaluates the closed hours at once and fires.
    del definition["schedule"]
    replaced = api.put(f"/api/v1/monitors/{monitor_id}", json=definition)
    assert replaced.status_code == 200, replaced.text
    assert "next_evaluation" not in replaced.json()
    body = wait_for(lambda: receiver.received("/hook"))[0]["json"]
    assert body["status"] == "firing" and [f["field"] for f in body["fields"]] == ["income"]
