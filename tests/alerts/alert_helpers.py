"""Helpers the alert tests share: waiting for a condition, the null-spike incident, a signed webhook
channel, and the settings of a server whose monitors run every second."""
import time

# Monitors look for closed windows every second and evaluate them at once; receivers on loopback
# are allowed explicitly (they are refused by default).
MONITORED = {"TELLTALE_MONITOR_INTERVAL": "1s", "TELLTALE_EVALUATION_DELAY": "0",
             "TELLTALE_NOTIFY_ALLOW_NETWORKS": "127.0.0.0/8",
             "TELLTALE_PUBLIC_URL": "http://telltale.example"}


def wait_for(condition, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def null_spike(columns, rng):
    columns["income"][: len(columns["income"]) // 20] = float("nan")  # 5% missing


def add_webhook(api, receiver, **extra):
    response = api.post("/api/v1/channels", json={"name": "hook", "type": "webhook",
                                                   "url": receiver.url + "/hook", "secret": "s3cret", **extra})
    assert response.status_code == 201, response.text
    return response.json()
