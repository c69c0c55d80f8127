"""Notification grouping against a real server and HTTP receiver: a channel's grouping settings are
kept, and a monitor whose alert keeps firing is repeated every repeat_interval, never sooner."""
import pytest

from alert_helpers import add_webhook, null_spike, wait_for
from traffic import avoid_hour_boundary, setup_model


def test_a_firing_alert_is_repeated_every_repeat_interval(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income", "age"], incident=null_spike)
    channel = add_webhook(api, receiver, group_wait="1s", group_interval="2s", repeat_interval="3s")
    assert (channel["group_wait"], channel["group_interval"], channel["repeat_interval"]) == ("1s", "2s", "3s")
    created = api.post("/api/v1/monitors", json={"name": "nulls", "model": "churn", "type": "missing_values"})
    assert created.status_code == 201, created.text

    first = wait_for(lambda: receiver.received("/hook"))[0]
    assert first["json"]["status"] == "firing" and "repeat" not in first["json"]
    wait_for(lambda: len(receiver.received("/hook")) >= 3, timeout=30)
    repeats = receiver.received("/hook")[1:3]
    for request in repeats:
        body = request["json"]
        assert body["repeat"] is True and body["status"] == "firing"
        assert body["summary"].startswith("still firing: nulls firing")
        assert [field["field"] for field in body["fields"]] == ["income"]
        assert request["headers"]["Idempotency-Key"] == body["id"] != first["json"]["id"]
    # Three ticks of the server's clock (whole seconds) between one firing notification and the next.
    arrivals = [request["at"] for request in receiver.received("/hook")[:3]]
    assert all(later - earlier >= 2 for earlier, later in zip(arrivals, arrivals[1:])), arrivals


@pytest.mark.parametrize("setting, value, words", [
    ("group_wait", "soon", "must be a duration"),
    ("group_interval", -5, "must be a duration"),
    ("repeat_interval", "9223372036854775807s", "must be at most 30d"),
])
def test_grouping_settings_are_validated(api, setting, value, words):
    response = api.post("/api/v1/channels", json={"name": "hook", "type": "webhook",
                                                  "url": "https://hooks.example.com/x", setting: value})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == setting and words in response.json()["detail"], response.text
