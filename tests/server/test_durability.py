"""Durability: a 2xx means the rows survive kill -9. Several clients ingest, and others query,
while the server is killed at random moments 20 times; clients retry what was not acknowledged
(ids make retries safe). No query answers 5xx. Afterwards every row is counted exactly once, per
window, and the window sketches agree with the rows."""
import random
import socket
import threading
import time

import requests

from server_process import ADMIN_TOKEN

SCHEMA = {"features": {"x": "numeric", "c": "categorical"}}
PATH = "/api/v1/models/m/versions/v1"
HOURS = 6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_batch(client, batch, size=50):
    rows = []
    for i in range(size):
        n = (client * 100003 + batch * 101 + i)
        hour = n % HOURS
        rows.append({"id": f"c{client}-b{batch}-r{i}", "timestamp": f"2026-11-20T{hour:02d}:{n % 60:02d}:00Z",
                     "features": {"x": n % 997 / 7.0, "c": f"k{n % 13}"}})
    return rows


def client_loop(client, url_of, stop, sent):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    batch = 0
    while not stop.is_set():
        rows = make_batch(client, batch)
        while True:  # until acknowledged
            try:
                response = session.post(url_of() + PATH + "/predictions", json={"rows": rows}, timeout=10)
            except requests.RequestException:
                time.sleep(0.05)
                continue
            if response.status_code == 200:
                result = response.json()
                duplicates = sum(r["code"] == "duplicate" for r in result["rejected"])
                assert result["accepted"] + duplicates == len(rows), result
                assert len(result["rejected"]) == duplicates, result
                break
            time.sleep(0.05)
        sent.extend(rows)
        batch += 1


def reader_loop(url_of, stop, failures):
    """Queries while others write; the server must never answer 5xx."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    params = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"}
    queries = [("/summary", {}), ("/metrics", {"metric": "mean", "field": "x"}),
               ("/drift", {"baseline": "range", "baseline_from": "2026-11-20T00:00:00Z",
                           "baseline_to": "2026-11-20T03:00:00Z"}),
               ("/distribution", {"field": "c", "baseline": "range", "baseline_from": "2026-11-20T00:00:00Z",
                                  "baseline_to": "2026-11-20T03:00:00Z"})]
    n = 0
    while not stop.is_set():
        path, extra = queries[n % len(queries)]
        n += 1
        try:
            response = session.get(url_of() + PATH + path, params={**params, **extra}, timeout=10)
        except requests.RequestException:
            time.sleep(0.05)
            continue
        if response.status_code >= 500:
            failures.append((path, response.status_code, response.text))


def test_acknowledged_rows_survive_kill_9(start_server, tmp_path):
    port = free_port()
    args = ["--max-lateness", "3650d", "--checkpoint-interval", "1s"]
    data_dir = tmp_path / "data"

    current = {"server": None}

    def launch():  # every server started is killed when the test ends, whatever happens
        current["server"] = start_server(args, data_dir=data_dir, port=port)
        return current["server"]

    server = launch()
    api = server.api()
    api.create_model("m")
    api.create_version("m", "v1", SCHEMA)

    stop = threading.Event()
    sent = [[] for _ in range(3)]
    url = f"http://127.0.0.1:{port}"
    failures = []
    clients = [threading.Thread(target=client_loop, args=(c, lambda: url, stop, sent[c])) for c in range(3)]
    clients += [threading.Thread(target=reader_loop, args=(lambda: url, stop, failures)) for _ in range(2)]
    for thread in clients:
        thread.start()
    rng = random.Random(11)
    kills = 0
    try:
        while kills < 20:
            time.sleep(rng.uniform(0.05, 0.5))
            current["server"].kill()
            kills += 1
            launch()
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
    assert failures == []
    rows = [row for client_rows in sent for row in client_rows]
    assert len(rows) > 1000, "the clients made progress"
    print(f"{len(rows)} rows acknowledged across {kills} kills")
    assert len({row["id"] for row in rows}) == len(rows)

    # Once more without warning, then read back.
    current["server"].kill()
    server = launch()
    api = server.api()
    params = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"}
    summary = api.get(PATH + "/summary", params=params).json()
    assert summary["rows"] == len(rows)
    assert summary["integrity"]["rejected_rows"] == 0
    expected = {}
    for row in rows:
        hour = row["timestamp"][:13] + ":00:00Z"
        expected.setdefault(hour, []).append(row["features"]["x"])
    counts = api.get(PATH + "/metrics", params={**params, "metric": "count"}).json()["points"]
    assert {p["t"]: p["value"] for p in counts} == {h: len(v) for h, v in expected.items()}
    means = api.get(PATH + "/metrics", params={**params, "metric": "mean", "field": "x"}).json()["points"]
    for point in means:
        values = expected[point["t"]]
        assert abs(point["value"] - sum(values) / len(values)) < 1e-9
    distinct = api.get(PATH + "/metrics", params={**params, "metric": "distinct_count", "field": "c"}).json()
    assert all(p["value"] == 13 for p in distinct["points"])
    assert server.stop() == 0


def test_acknowledged_actuals_survive_kill_9_once_each(start_server, tmp_path):
    """Actuals (each id first wrong, then corrected) sent while the server is killed 10 times:
    every acknowledged actual counts once, and only the latest value of each id."""
    port = free_port()
    args = ["--max-lateness", "3650d", "--checkpoint-interval", "1s"]
    current = {}

    def launch():
        current["server"] = start_server(args, data_dir=tmp_path / "data", port=port)
        return current["server"]

    api = launch().api()
    api.create_model("m", task="regression")
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"y": "numeric"},
                                   "actuals": {"y_true": "numeric"}})
    n = 3000
    for start in range(0, n, 1000):
        api.log("m", "v1", [{"id": f"a{i}", "timestamp": f"2026-11-20T{i % HOURS:02d}:30:00Z",
                             "features": {"x": i}, "predictions": {"y": float(i % 100)}}
                            for i in range(start, start + 1000)])
    batches = []
    for start in range(0, n, 10):
        ids = range(start, start + 10)
        batches.append([{"id": f"a{i}", "actuals": {"y_true": -1.0}} for i in ids])
        batches.append([{"id": f"a{i}", "actuals": {"y_true": float(i % 97)}} for i in ids])
    url = f"http://127.0.0.1:{port}"
    done = threading.Event()

    def send_all():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        for batch in batches:
            while True:
                try:
                    response = session.post(url + "/api/v1/models/m/actuals", json={"rows": batch}, timeout=10)
                    if response.status_code == 200:
                        assert response.json()["joined"] == len(batch), response.text
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.05)
        done.set()

    sender = threading.Thread(target=send_all)
    sender.start()
    rng = random.Random(5)
    kills = 0
    while not done.is_set() and kills < 10:
        time.sleep(rng.uniform(0.01, 0.05))
        current["server"].kill()
        kills += 1
        launch()
    sender.join(timeout=300)
    assert done.is_set() and kills >= 5, kills
    current["server"].kill()
    api = launch().api()
    params = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z", "granularity": "day"}
    def value(metric):
        return api.get(PATH + "/performance", params={**params, "metric": metric}).json()["points"][0]["value"]
    errors = [float(i % 100) - float(i % 97) for i in range(n)]
    assert value("labeled") == n
    assert abs(value("mae") - sum(abs(e) for e in errors) / n) < 1e-9
    assert abs(value("mean_error") - sum(errors) / n) < 1e-9
    print(f"{len(batches)} actual batches acknowledged across {kills} kills")
