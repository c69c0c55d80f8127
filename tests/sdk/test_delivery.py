"""Delivery: a server that is down, refuses with 429, rejects rows, or is gone at exit."""
import socket
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import telltale

from server_process import ADMIN_TOKEN

DAY = ("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
SCHEMA = {"features": {"x": "numeric", "kind": "categorical"}, "predictions": {"score": "numeric"}}


def frame(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(0, 1, n), "kind": rng.choice(["a", "b"], n)}), rng.random(n)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def count_rows(version):
    points = version.metric("x", "count", *DAY)
    return int(points["rows"].sum())


def test_rows_logged_while_the_server_is_down_arrive_once_it_is_up(start_server, tmp_path):
    port = free_port()
    first = start_server(["--max-lateness", "3650d"], data_dir=tmp_path / "data", port=port)
    setup = telltale.Client(first.url, token=ADMIN_TOKEN)
    setup.create_model("m").create_version("v1", schema=SCHEMA)
    assert first.stop() == 0

    client = telltale.Client(first.url, token=ADMIN_TOKEN, retry_timeout=120)
    version = telltale.Version(telltale.Model(client, {"name": "m"}), {"version": "v1", "schema": SCHEMA})
    features, scores = frame(25_000)
    started = time.monotonic()
    version.log_predictions([f"p{i}" for i in range(25_000)], features, scores, timestamps="2026-11-20T10:00:00Z")
    version.log_prediction("single", {"x": 1.0, "kind": "a"}, {"score": 0.5}, timestamp="2026-11-20T10:00:00Z")
    assert time.monotonic() - started < 1.0  # logging does not wait for the server
    assert not client.flush(timeout=1.5)     # nothing can be delivered yet
    assert client.stats()["retries"] >= 1 and client.stats()["pending_rows"] == 25_001

    second = start_server(["--max-lateness", "3650d"], data_dir=tmp_path / "data", port=port)
    try:
        assert client.flush(timeout=60)
        stats = client.stats()
        assert stats["accepted_rows"] == 25_001 and stats["dropped_rows"] == 0, stats
        assert count_rows(version) == 25_001
    finally:
        client.close(5)
        second.stop()


def test_a_batch_over_the_servers_body_limit_is_sent_again_in_halves(start_server):
    """413 for a 10,000-row columnar body: the SDK encodes each half anew until they fit."""
    from recording_proxy import RecordingProxy

    server = start_server(["--max-lateness", "3650d", "--max-body-bytes", "64KiB"])
    proxy = RecordingProxy(server.url)
    client = telltale.Client(proxy.url, token=ADMIN_TOKEN, raise_errors=True)
    version = client.create_model("m").create_version("v1", schema=SCHEMA)
    features, scores = frame(10_000)
    version.log_predictions([f"p{i}" for i in range(10_000)], features, scores,
                            timestamps="2026-11-20T10:00:00Z")
    assert client.flush(timeout=60)
    stats = client.stats()
    assert stats["accepted_rows"] == 10_000 and stats["dropped_rows"] == 0, stats
    assert count_rows(version) == 10_000
    bodies = proxy.bodies("/predictions")
    assert max(len(body) for body in bodies) > 64 * 1024  # refused (413), then halved
    assert len(proxy.rows("/predictions")) > 10_000      # every row went, some twice
    client.close(5)
    proxy.close()


def test_429_is_retried_after_the_servers_retry_after(client, proxy):
    client.create_model("m").create_version("v1", schema=SCHEMA)
    proxy.refusals = [429, 429]
    proxy.retry_after = 1
    sdk = telltale.Client(proxy.url, token=ADMIN_TOKEN)
    version = sdk.model("m").version("v1")
    features, scores = frame(100)
    version.log_predictions(None, features, scores, timestamps="2026-11-20T10:00:00Z")
    assert sdk.flush(timeout=30)
    stats = sdk.stats()
    sdk.close()
    assert stats["retries"] == 2 and stats["accepted_rows"] == 100, stats
    # Retry-After: 1 was honoured between the refusals and after the second one.
    gaps = np.diff(proxy.refused_at)
    assert gaps[0] >= 0.95
    assert count_rows(version) == 100


def test_a_retried_request_the_server_had_taken_is_not_counted_twice(client, proxy):
    version = client.create_model("m").create_version("v1", schema=SCHEMA)
    features, scores = frame(50)
    ids = [f"d{i}" for i in range(50)]
    version.log_predictions(ids, features, scores, timestamps="2026-11-20T10:00:00Z")
    assert client.flush(10)
    # The same rows again, as after a lost answer: on a retry, duplicates of ourselves are fine.
    sdk = telltale.Client(proxy.url, token=ADMIN_TOKEN)
    proxy.refusals = [503]
    sdk.model("m").version("v1").log_predictions(ids, features, scores, timestamps="2026-11-20T10:00:00Z")
    assert sdk.flush(30)
    stats = sdk.stats()
    sdk.close()
    assert stats["rejected_rows"] == 0 and stats["retries"] == 1
    assert count_rows(version) == 50


def test_without_raise_errors_nothing_raises_and_everything_is_counted(server):
    client = telltale.Client(server.url, token=ADMIN_TOKEN)  # raise_errors=False is the default
    version = client.create_model("m").create_version("v1", schema=SCHEMA)
    version.log_predictions(["a", "b"], pd.DataFrame({"x": ["not a number", 1.0]}), [0.1, 0.2],
                            timestamps="2026-11-20T10:00:00Z")
    version.log_predictions(["b"], pd.DataFrame({"x": [2.0]}), [0.3], timestamps="2026-11-20T10:00:00Z")
    gone = telltale.Version(version.model, {"version": "no-such-version", "schema": SCHEMA})
    gone.log_prediction("z", {"x": 1.0}, {"score": 0.1})
    assert client.flush(10)
    stats = client.stats()
    # a string among the numbers rejects its own row only; "b" again is a duplicate
    assert stats["rejected_by_code"] == {"type_error": 1, "duplicate": 1}
    assert stats["accepted_rows"] == 1
    # the unknown version: its row dropped, its request failed (requests run concurrently, so the
    # last error may be any of them)
    assert stats["dropped_rows"] == 1 and stats["failed_requests"] == 1
    assert stats["errors"] >= 2 and stats["last_error"]
    client.close()


def test_with_raise_errors_each_error_raises_typed_with_the_problem_details(server):
    client = telltale.Client(server.url, token=ADMIN_TOKEN, raise_errors=True)
    version = client.create_model("m").create_version("v1", schema=SCHEMA)
    version.log_predictions(["a", "a"], pd.DataFrame({"x": [1.0, 2.0]}), [0.1, 0.2],
                            timestamps="2026-11-20T10:00:00Z")
    with pytest.raises(telltale.RowsRejectedError) as rejected:
        client.flush(10)
    assert rejected.value.rejected[0]["code"] == "duplicate"
    assert rejected.value.rejected[0]["id"] == "a"

    gone = telltale.Version(version.model, {"version": "no-such-version", "schema": SCHEMA})
    gone.log_prediction("z", {"x": 1.0}, {"score": 0.1})
    with pytest.raises(telltale.NotFoundError) as missing:
        client.flush(10)
    assert missing.value.status == 404 and "no-such-version" in missing.value.detail

    reader_key = client._transport.call("POST", "/api/v1/keys", json_body={"role": "read", "name": "r"})["secret"]
    reader = telltale.Client(server.url, token=reader_key, raise_errors=True)
    reader.model("m").version("v1").log_prediction("r1", {"x": 1.0}, {"score": 0.1})
    with pytest.raises(telltale.PermissionDeniedError):
        reader.flush(10)
    reader.close()
    with pytest.raises(telltale.AuthenticationError):
        telltale.Client(server.url, token="wrong").models()
    with pytest.raises(telltale.ConflictError, match="different schema"):
        client.model("m").create_version("v1", schema={"features": {"x": "categorical"}})
    binary = client.create_model("b", task="binary_classification")
    settings = {**SCHEMA, "actuals": {"y": "boolean"}, "decision_threshold": 0.7, "positive_class": True}
    first = binary.create_version("v1", schema=settings)
    assert first.schema["positive_class"] == "true"
    assert binary.create_version("v1", schema=settings).schema == first.schema  # the same, again
    with pytest.raises(telltale.ConflictError, match="different schema"):
        binary.create_version("v1", schema={**settings, "decision_threshold": 0.6})
    client.close()


def test_a_full_queue_drops_and_counts_instead_of_blocking(server):
    client = telltale.Client("http://127.0.0.1:%d" % free_port(), token=ADMIN_TOKEN,
                             max_queue_rows=1000, retry_timeout=0.5)
    version = telltale.Version(telltale.Model(client, {"name": "m"}), {"version": "v1", "schema": SCHEMA})
    features, scores = frame(800)
    version.log_predictions(None, features, scores)
    started = time.monotonic()
    version.log_predictions(None, features, scores)  # 1,600 > 1,000: dropped at once
    assert time.monotonic() - started < 0.5
    assert client.stats()["dropped_rows"] >= 800
    client.close(timeout=5)
    assert client.stats()["dropped_rows"] == 1600  # the first batch too, once its retries ran out


def test_rows_pending_at_interpreter_exit_are_delivered(server, tmp_path):
    script = tmp_path / "log_and_exit.py"
    script.write_text(f"""
import numpy as np, pandas as pd, telltale
client = telltale.Client({server.url!r}, token={ADMIN_TOKEN!r}, flush_interval=60)
version = client.create_model("m").create_version("v1", schema={SCHEMA!r})
version.log_predictions(None, pd.DataFrame({{"x": np.arange(5000.0)}}), np.zeros(5000),
                        timestamps="2026-11-20T10:00:00Z")
version.log_prediction("last", {{"x": 1.0}}, {{"score": 0.5}}, timestamp="2026-11-20T10:00:00Z")
# no flush, no close: the interpreter exits with the rows still queued
""")
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    version = telltale.Client(server.url, token=ADMIN_TOKEN).model("m").version("v1")
    assert count_rows(version) == 5001
