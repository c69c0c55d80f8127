"""Delivery of notifications: each channel's payload as its receiver expects it, routing by
severity and model, retries until a receiver that was down comes back (once, not twice), an
outbox that survives a restart, and receivers in private networks refused unless allowed."""
import socket
import time

import pytest

from alert_helpers import MONITORED, add_webhook, null_spike, wait_for
from http_receiver import HttpReceiver
from traffic import avoid_hour_boundary, iso, setup_model


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_channel(api, **definition):
    response = api.post("/api/v1/channels", json=definition)
    assert response.status_code == 201, response.text
    return response.json()


def fire_null_monitor(api, severity="warning"):
    response = api.post("/api/v1/monitors", json={"name": "income nulls", "model": "churn",
                                                  "type": "missing_values", "severity": severity})
    assert response.status_code == 201, response.text
    return response.json()


def outbox(api, channel):
    return api.get(f"/api/v1/channels/{channel['id']}/notifications").json()["notifications"]


def test_each_channel_gets_the_payload_its_receiver_expects(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    last = setup_model(api, ["income", "age"], incident=null_spike)
    add_channel(api, name="slack", type="slack", url=receiver.url + "/slack")
    add_channel(api, name="teams", type="teams", url=receiver.url + "/teams")
    add_channel(api, name="pd", type="pagerduty", url=receiver.url + "/pd", routing_key="R0UT1NG")
    add_channel(api, name="am", type="alertmanager", url=receiver.url + "/")
    monitor = fire_null_monitor(api, severity="critical")
    wait_for(lambda: len(receiver.received()) == 4)

    slack = receiver.received("/slack")[0]["json"]
    assert "[FIRING] income nulls" in slack["text"] and "income: 0.05" in slack["text"]
    assert slack["blocks"][1]["elements"][0]["url"].endswith(f"monitor={monitor['id']}")

    teams = receiver.received("/teams")[0]["json"]
    assert teams["@type"] == "MessageCard" and teams["themeColor"] == "D13438"
    assert teams["sections"][0]["facts"][0]["name"] == "income"

    pagerduty = receiver.received("/pd")[0]["json"]
    assert pagerduty["routing_key"] == "R0UT1NG" and pagerduty["event_action"] == "trigger"
    assert pagerduty["dedup_key"] == f"telltale-monitor-{monitor['id']}-churn"
    assert pagerduty["payload"]["severity"] == "critical" and pagerduty["payload"]["source"] == "telltale/churn"

    alerts = receiver.received("/api/v2/alerts")[0]["json"]
    assert len(alerts) == 1
    assert alerts[0]["labels"] == {"alertname": "income nulls", "model": "churn", "version": "v1",
                                   "severity": "critical", "monitor_id": str(monitor["id"]),
                                   "source": "telltale", "field": "income"}
    assert alerts[0]["startsAt"] == iso(last) and "endsAt" not in alerts[0]


def test_routing_by_severity_and_model(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income"], incident=null_spike)
    add_channel(api, name="pager", type="webhook", url=receiver.url + "/critical", min_severity="critical")
    add_channel(api, name="other", type="webhook", url=receiver.url + "/other", models=["fraud"])
    add_channel(api, name="all", type="webhook", url=receiver.url + "/all")
    fire_null_monitor(api, severity="warning")
    wait_for(lambda: receiver.received("/all"))
    time.sleep(2)
    assert receiver.received("/critical") == [] and receiver.received("/other") == []


def test_a_receiver_that_is_down_gets_the_notification_once_it_is_back(monitored):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income"], incident=null_spike)
    port = free_port()
    channel = add_channel(api, name="hook", type="webhook", url=f"http://127.0.0.1:{port}/hook")
    fire_null_monitor(api)
    entry = wait_for(lambda: [e for e in outbox(api, channel) if e["attempts"] >= 1])[0]
    assert entry["state"] == "pending" and "cannot reach" in entry["last_error"]
    # Ingestion is not held up meanwhile.
    started = time.monotonic()
    api.log("churn", "v1", [{"features": {"income": 1.0}, "predictions": {"score": 0.5}}])
    assert time.monotonic() - started < 1

    receiver = HttpReceiver(port)
    try:
        wait_for(lambda: outbox(api, channel)[0]["state"] == "delivered", timeout=60)
        time.sleep(2)
        assert len(receiver.received("/hook")) == 1
        assert outbox(api, channel)[0]["attempts"] >= 2
    finally:
        receiver.stop()


def test_429_is_retried_after_the_receivers_retry_after(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income"], incident=null_spike)
    receiver.failures = [429]
    receiver.retry_after = 7
    channel = add_webhook(api, receiver)
    fire_null_monitor(api)
    first = wait_for(lambda: [e for e in outbox(api, channel) if e["attempts"] == 1])[0]
    assert "429" in first["last_error"]
    refused_at = time.monotonic()
    wait_for(lambda: receiver.received("/hook"), timeout=30)
    assert time.monotonic() - refused_at >= 5.5  # waited for Retry-After (7 s), not the 5 s backoff
    assert outbox(api, channel)[0]["state"] == "delivered"


def test_pending_notifications_and_alert_states_survive_a_restart(start_server, tmp_path):
    avoid_hour_boundary()
    first = start_server(["--max-lateness", "3650d"], env=MONITORED, data_dir=tmp_path / "data")
    api = first.api()
    setup_model(api, ["income"], incident=null_spike)
    port = free_port()
    channel = add_channel(api, name="hook", type="webhook", url=f"http://127.0.0.1:{port}/hook")
    monitor = fire_null_monitor(api)
    wait_for(lambda: [e for e in outbox(api, channel) if e["attempts"] >= 1])
    assert first.stop() == 0

    receiver = HttpReceiver(port)
    try:
        second = start_server(["--max-lateness", "3650d"], env=MONITORED, data_dir=tmp_path / "data")
        api = second.api()
        shown = api.get(f"/api/v1/monitors/{monitor['id']}").json()
        assert shown["state"] == "firing"
        wait_for(lambda: receiver.received("/hook"), timeout=60)
        time.sleep(2.5)  # the restarted server does not evaluate the same window again
        assert len(receiver.received("/hook")) == 1
        history = api.get("/api/v1/alerts/history").json()["events"]
        assert [(e["field"], e["to"]) for e in history] == [("income", "firing")]
    finally:
        receiver.stop()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]:9/hook", "http://10.1.2.3/hook", "http://localhost:9/"])
def test_receivers_in_private_networks_are_refused_unless_allowed(api, url):
    response = api.post("/api/v1/channels", json={"name": "inside", "type": "webhook", "url": url})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "url" and "notify_allow_networks" in response.json()["detail"]


def test_a_silence_holds_back_notifications_but_not_the_alert(monitored, receiver):
    avoid_hour_boundary()
    api = monitored.api()
    setup_model(api, ["income", "age"], incident=null_spike)
    channel = add_webhook(api, receiver)
    silence = api.post("/api/v1/silences", json={"model": "churn", "field": "income", "duration": "2h",
                                                 "comment": "known upstream outage"})
    assert silence.status_code == 201, silence.text
    assert silence.json()["active"] and silence.json()["kind"] == "silence"
    monitor = fire_null_monitor(api)
    wait_for(lambda: api.get(f"/api/v1/monitors/{monitor['id']}").json()["state"] == "firing")
    time.sleep(2.5)
    assert receiver.received() == [] and outbox(api, channel) == []
    listed = api.get("/api/v1/silences").json()["silences"]
    assert [s["comment"] for s in listed] == ["known upstream outage"]
    assert api.delete(f"/api/v1/silences/{silence.json()['id']}").status_code == 204
    assert api.get("/api/v1/silences").json()["silences"] == []
    assert api.get("/api/v1/silences", params={"all": "true"}).json()["silences"][0]["active"] is False


@pytest.mark.parametrize("definition, field", [
    ({"duration": "2h"}, ""),
    ({"model": "churn"}, "duration"),
    ({"model": "churn", "duration": "2h", "severity": "loud"}, "severity"),
    ({"model": "churn", "starts_at": "2026-11-20T10:00:00Z", "ends_at": "2026-11-20T09:00:00Z"}, "ends_at"),
    ({"model": "churn", "duration": "2h", "kind": "nap"}, "kind"),
])
def test_invalid_silences_are_refused_naming_the_field(api, definition, field):
    response = api.post("/api/v1/silences", json=definition)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_an_email_reaches_a_real_smtp_server(monitored):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        avoid_hour_boundary()
        api = monitored.api()
        setup_model(api, ["income"], incident=null_spike)
        add_channel(api, name="mail", type="email", url=f"smtp://127.0.0.1:{smtp.port}",
                    **{"from": "telltale@example.com", "to": ["ml-team@example.com", "oncall@example.com"]})
        monitor = fire_null_monitor(api)
        envelope = wait_for(lambda: inbox.messages)[0]
        assert envelope.mail_from == "telltale@example.com"
        assert envelope.rcpt_tos == ["ml-team@example.com", "oncall@example.com"]
        text = envelope.content.decode()
        assert "Subject: [FIRING] income nulls" in text and "income: 0.05" in text
        assert f"monitor={monitor['id']}" in text
    finally:
        smtp.stop()


def test_a_real_alertmanager_receives_the_alert(monitored, tmp_path):
    import requests
    import subprocess

    port = free_port()
    config = tmp_path / "alertmanager.yml"
    config.write_text("route:\n  receiver: none\nreceivers:\n  - name: none\n")
    alertmanager = subprocess.Popen(
        ["prometheus-alertmanager", f"--config.file={config}", f"--storage.path={tmp_path / 'am'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"

        def ready():
            try:
                return requests.get(base + "/-/ready", timeout=1).status_code == 200
            except requests.ConnectionError:
                return False

        wait_for(ready, timeout=30)
        avoid_hour_boundary()
        api = monitored.api()
        setup_model(api, ["income"], incident=null_spike)
        add_channel(api, name="am", type="alertmanager", url=base)
        fire_null_monitor(api, severity="critical")
        alerts = wait_for(lambda: requests.get(base + "/api/v2/alerts", timeout=5).json())
        assert len(alerts) == 1
        assert alerts[0]["labels"]["alertname"] == "income nulls"
        assert alerts[0]["labels"]["field"] == "income" and alerts[0]["labels"]["severity"] == "critical"
        assert alerts[0]["status"]["state"] == "active"
    finally:
        alertmanager.terminate()
        alertmanager.wait(timeout=10)
