"""bench/actuals: joining delayed ground truth, on this machine, in one run.

1. 10,000,000 predictions of a binary classifier (5 features and a score) logged over 8 keep-alive
   connections (telltale_load), each request acknowledged once durable.
2. The prediction index on disk: bytes per prediction of its part of the store (/metrics,
   telltale_store_part_bytes{part="ids"}, after the index was flushed by a restart).
3. Actuals for 6,000,000 of those predictions, in a shuffled order, 1,000 per request over 8
   connections, in three rounds of 2,000,000 (the cost of an actual grows along a run until the
   store's flushes and compactions of joined entries are under way; the last round is the steady
   state): actuals joined per second in each round, every one checked joined (/metrics), and the
   CPU time per actual of the server and of the load generator (both share the machine's cores).
4. A 90-day daily F1 series (a second model with 90 days of hourly predictions and their labels):
   median and worst of 20 queries.
5. The peer, after telltale has stopped: the same predictions, actuals and query in SQLite
   (bench/actuals/sqlite_peer.py), and each measure as a ratio.

Usage: make bench-actuals  (or: python bench/actuals/run.py [--predictions N] [--actuals N])
"""
import argparse
import json
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from telltale_server import TOKEN, load, start_server, timed_get, timed_load  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIRST_ID = 100_000_000_000


def metric(url, name, labels=""):
    text = requests.get(url + "/metrics", timeout=30).text
    found = re.search(rf"^{re.escape(name + labels)} (\d+)", text, re.M)
    return int(found.group(1)) if found else 0


def f1_series_query(url, days=90, rows_per_hour=40, samples=20):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    session.post(url + "/api/v1/models", json={"name": "churn", "task": "binary_classification"}).raise_for_status()
    session.post(url + "/api/v1/models/churn/versions", json={"version": "v1", "schema": {
        "features": {"x": "numeric"}, "predictions": {"score": "numeric"},
        "actuals": {"label": "boolean"}}}).raise_for_status()
    path = url + "/api/v1/models/churn/versions/v1"
    rng = np.random.default_rng(1)
    end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    batch, n = [], 0
    for hour in range(days * 24):
        t = (start + timedelta(hours=hour, minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        scores = rng.random(rows_per_hour)
        labels = rng.random(rows_per_hour) < scores
        for score, label in zip(scores, labels):
            n += 1
            batch.append({"id": f"c{n}", "timestamp": t, "features": {"x": float(score)},
                          "predictions": {"score": float(score)}, "actuals": {"label": bool(label)}})
        if len(batch) >= 5000:
            session.post(path + "/predictions", json={"rows": batch}).raise_for_status()
            batch = []
    if batch:
        session.post(path + "/predictions", json={"rows": batch}).raise_for_status()
    time.sleep(6)  # a checkpoint writes the windows, as a 90-day-old series would be stored
    params = {"metric": "f1", "granularity": "day", "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    response, median_ms, max_ms = timed_get(session, path + "/performance", params, samples)
    points = [p for p in response.json()["points"] if p["value"] is not None]
    return {"days": days, "rows": n, "points": len(points), "median_ms": median_ms, "max_ms": max_ms}


def sqlite_peer(args):
    """The same work in SQLite, as a process of its own (bench/actuals/sqlite_peer.py)."""
    database = REPO / "bench" / "data" / "actuals-peer.sqlite3"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sqlite_peer.py")), "--db", str(database),
         "--predictions", str(args.predictions), "--actuals", str(args.actuals), "--rounds", str(args.rounds),
         "--first-id", str(FIRST_ID)], capture_output=True, text=True, check=False)
    for suffix in ("", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    if result.returncode != 0:
        raise SystemExit(f"the SQLite peer failed: {result.stderr}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--predictions", type=int, default=10_000_000)
    parser.add_argument("--actuals", type=int, default=6_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data_dir = REPO / "bench" / "data" / "actuals-store"
    options = ("--max-lateness", "100d")

    server, url = start_server(data_dir, *options)
    try:
        logged = load(url, "--setup", "--task", "binary_classification", "--model", "fraud", "--features", "5",
                      "--first-id", str(FIRST_ID), "--max-rows", str(args.predictions), "--seconds", "100000")
        rejected = sum(int(n) for n in re.findall(r"^telltale_rows_rejected_total\{[^}]*\} (\d+)",
                                                 requests.get(url + "/metrics", timeout=30).text, re.M))
        if rejected or logged["errors"]:
            raise SystemExit(f"{rejected:,} predictions rejected, {logged['errors']} requests failed")
        print(f"logged {logged['rows']:,} predictions: {logged['rows_per_second']:,.0f} rows/s")
    finally:
        server.terminate()  # a clean stop flushes the index to its files
        server.wait(timeout=120)

    server, url = start_server(data_dir, *options, keep=True)
    try:
        index = metric(url, "telltale_store_part_bytes", '{part="ids"}')
        print(f"prediction index: {index / 2**20:,.0f} MiB, {index / logged['rows']:.1f} bytes per prediction")
        per_round = args.actuals // args.rounds
        rounds = []
        for n in range(args.rounds):
            joined_before = metric(url, "telltale_actuals_total", '{outcome="joined"}')
            joining = timed_load(server, url, "--model", "fraud", "--actuals", str(per_round),
                                 "--first-id", str(FIRST_ID + n * per_round), "--seconds", "100000")
            joined = metric(url, "telltale_actuals_total", '{outcome="joined"}') - joined_before
            if joined != joining["rows"]:
                raise SystemExit(f"{joining['rows']:,} actuals sent, {joined:,} joined")
            rounds.append(joining)
            print(f"round {n + 1}: joined {joined:,} actuals (shuffled ids, {logged['rows']:,} predictions "
                  f"indexed): {joining['rows_per_second']:,.0f} actuals/s, "
                  f"p99 {joining['latency_p99_ms']:.1f} ms per 1,000")
            print(f"  CPU per actual: server {joining['server_cpu_us_per_row']:.2f} us, load generator "
                  f"{joining['load_generator_cpu_us_per_row']:.2f} us (500,000 actuals/s on 2 cores: "
                  f"4.00 us in all); written to disk {joining['disk_bytes_per_row']:.0f} bytes per actual")
        seconds = sum(r["seconds"] for r in rounds)
        total = sum(r["rows"] for r in rounds)
        print(f"all rounds: {total:,} actuals, {total / seconds:,.0f} actuals/s")
        joined_bytes = metric(url, "telltale_store_part_bytes", '{part="joined"}')
        print(f"joined entries in table files so far: {joined_bytes / 2**20:,.0f} MiB")
        query = f1_series_query(url)
        print(f"daily F1 over {query['days']} days ({query['rows']:,} labelled predictions): "
              f"median {query['median_ms']:.1f} ms, max {query['max_ms']:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=120)
    peer = sqlite_peer(args)
    print(f"sqlite: {peer['actuals_per_second']:,.0f} actuals/s (rounds "
          + " / ".join(f"{r['rows_per_second']:,.0f}" for r in peer["actuals_rounds"])
          + f"), table {peer['table_bytes_per_prediction']:.1f} bytes per prediction, daily F1 median "
          f"{peer['f1_query']['median_ms']:.1f} ms")
    print(f"ratios: actuals {total / seconds / peer['actuals_per_second']:.1f}x the rate of SQLite's, "
          f"{index / logged['rows'] / peer['table_bytes_per_prediction']:.2f} of its bytes per prediction, "
          f"F1 series in {query['median_ms'] / peer['f1_query']['median_ms']:.2f} of its time")
    summary = {"predictions": logged, "index_bytes": index, "index_bytes_per_prediction": index / logged["rows"],
               "actuals_rounds": rounds, "actuals_per_second": total / seconds,
               "joined_bytes_in_files": joined_bytes, "f1_query": query, "sqlite": peer}
    (REPO / "bench" / "data").mkdir(exist_ok=True)
    (REPO / "bench" / "data" / "actuals.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    sys.exit(main())
