"""bench/ingest: telltale serve's ingestion and queries, on this machine, in one run.

1. The ceiling: decoding and validating the same request bodies in-process (telltale_load
   --parse-only, 2 threads) — what ingestion would reach if HTTP, durability and profiling were free;
   and decoding them and folding the rows into window profiles (--fold), what it would reach if
   only HTTP and durability were free.
2. Sustained ingestion: batches of 1,000 rows x 25 features posted over 8 keep-alive connections
   for --seconds, each acknowledged only once durable; rows/s, the ratio to the ceiling, the CPU
   time per row of the server and of the load generator (both share the machine's cores), and the
   server's bytes written to disk per row against what the disk sustains (fsync'd sequential writes).
3. Latency at half that load (open loop): p50 / p99 / max per request.
4. Server memory (RSS) after 10M rows (and 100M with --rows-100m): bounded by open windows.
5. A drift query over 30 days of hourly windows for a version with 100 features.
6. Steps 1 and 2 again with the same rows as columnar bodies (application/vnd.telltale.columns+msgpack,
   what the Python SDK sends for DataFrames).

Usage: make bench-ingest  (or: python bench/ingest/run.py [--seconds 30] [--rows-100m])
"""
import argparse
import json
import os
import re
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from telltale_server import TOKEN, load, start_server, timed_get, timed_load  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def rss_mib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def disk_write_mb_per_s(directory, mib=1024):
    """Sequential writes of `mib` MiB made durable with fsync: what the disk under the store sustains."""
    path = Path(directory) / "disk-speed.tmp"
    block = os.urandom(1 << 20)
    began = time.perf_counter()
    with open(path, "wb") as file:
        for _ in range(mib):
            file.write(block)
        file.flush()
        os.fsync(file.fileno())
    elapsed = time.perf_counter() - began
    path.unlink()
    return mib * (1 << 20) / elapsed / 1e6


def cpu_line(report, folding):
    """Where the 2 cores' time per row goes, against what 1,000,000 rows/s would leave (2 us)."""
    return (f"  CPU per row: server {report['server_cpu_us_per_row']:.2f} us, load generator "
            f"{report['load_generator_cpu_us_per_row']:.2f} us; decoding and folding alone "
            f"{2e6 / folding['rows_per_second']:.2f} us (1,000,000 rows/s on 2 cores: 2.00 us in all); "
            f"written to disk {report['disk_bytes_per_row']:.0f} bytes per row")


def store_memory_mib(url):
    """The store's memory by use, from /metrics (memtables, table_readers, block_cache)."""
    text = requests.get(url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).text
    return {use: int(size) / 2**20 for use, size in re.findall(r'telltale_store_memory_bytes\{use="(\w+)"\} (\d+)', text)}


def drift_query(url, samples=20):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    features = {f"x{i}": "numeric" for i in range(100)}
    session.post(url + "/api/v1/models", json={"name": "wide", "task": "regression"}).raise_for_status()
    session.post(url + "/api/v1/models/wide/versions",
                 json={"version": "v1", "schema": {"features": features}}).raise_for_status()
    path = url + "/api/v1/models/wide/versions/v1"
    rows = [{"features": {f"x{i}": (j * 7 + i) % 101 / 3 for i in range(100)}} for j in range(5000)]
    session.post(path + "/training", json={"rows": rows}).raise_for_status()
    end = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=30)
    batch, n = [], 0
    for hour in range(30 * 24):
        t = (start + timedelta(hours=hour, minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for j in range(20):
            n += 1
            batch.append({"id": f"w{n}", "timestamp": t,
                          "features": {f"x{i}": (n * 13 + i * 5) % 97 / 3 for i in range(100)}})
        if len(batch) >= 4000:
            session.post(path + "/predictions", json={"rows": batch}).raise_for_status()
            batch = []
    if batch:
        session.post(path + "/predictions", json={"rows": batch}).raise_for_status()
    time.sleep(6)  # let a checkpoint write the windows, as a month-old series would be stored
    params = {"from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    response, median_ms, max_ms = timed_get(session, path + "/drift", params, samples)
    columns = len(response.json()["columns"])
    return {"columns": columns, "windows": 30 * 24, "rows": n, "median_ms": median_ms, "max_ms": max_ms}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rows-100m", action="store_true", help="also ingest up to 100M rows for the RSS figure")
    args = parser.parse_args()
    data_dir = REPO / "bench" / "data" / "ingest-store"

    ceiling = load("http://unused", "--parse-only", "--seconds", "10", "--threads", "2")
    print(f"ceiling (decode + validate, 2 threads): {ceiling['rows_per_second']:,.0f} rows/s")
    columnar_ceiling = load("http://unused", "--parse-only", "--columns", "--seconds", "10", "--threads", "2")
    print(f"ceiling, columnar bodies: {columnar_ceiling['rows_per_second']:,.0f} rows/s")
    folding = load("http://unused", "--parse-only", "--fold", "--seconds", "10", "--threads", "2")
    print(f"decode + validate + fold into window profiles, 2 threads: {folding['rows_per_second']:,.0f} rows/s")
    columnar_folding = load("http://unused", "--parse-only", "--fold", "--columns", "--seconds", "10",
                            "--threads", "2")
    print(f"the same, columnar bodies: {columnar_folding['rows_per_second']:,.0f} rows/s")

    data_dir.mkdir(parents=True, exist_ok=True)
    disk = disk_write_mb_per_s(data_dir.parent)
    print(f"the disk under the store: {disk:,.0f} MB/s of sequential writes made durable with fsync")

    server, url = start_server(data_dir, "--max-lateness", "40d")
    try:
        full = timed_load(server, url, "--setup", "--connections", "8", "--seconds", str(args.seconds))
        ratio = full["rows_per_second"] / ceiling["rows_per_second"]
        print(f"sustained, durable: {full['rows_per_second']:,.0f} rows/s "
              f"({ratio:.1%} of the ceiling); p99 {full['latency_p99_ms']:.1f} ms at full load")
        print(cpu_line(full, folding))
        columnar = timed_load(server, url, "--connections", "8", "--seconds", str(args.seconds), "--columns")
        columnar_ratio = columnar["rows_per_second"] / columnar_ceiling["rows_per_second"]
        print(f"sustained, durable, columnar bodies: {columnar['rows_per_second']:,.0f} rows/s "
              f"({columnar_ratio:.1%} of their ceiling); p99 {columnar['latency_p99_ms']:.1f} ms")
        print(cpu_line(columnar, columnar_folding))
        half = load(url, "--connections", "8", "--seconds", str(args.seconds),
                     "--rate", str(full["rows_per_second"] / 2))
        print(f"at half load ({half['rows_per_second']:,.0f} rows/s): p50 {half['latency_p50_ms']:.1f} ms, "
              f"p99 {half['latency_p99_ms']:.1f} ms, max {half['latency_max_ms']:.1f} ms")
        ingested = full["rows"] + columnar["rows"] + half["rows"]
        memory = {}
        for target in [10_000_000] + ([100_000_000] if args.rows_100m else []):
            if ingested < target:
                more = load(url, "--connections", "8", "--seconds", "100000", "--max-rows", str(target - ingested))
                ingested += more["rows"]
            memory[target] = rss_mib(server.pid)
            parts = ", ".join(f"{use} {mib:.0f}" for use, mib in store_memory_mib(url).items())
            print(f"server RSS after {ingested:,} rows: {memory[target]:.0f} MiB (store, MiB: {parts})")
        query = drift_query(url)
        print(f"drift query, {query['columns']} fields over {query['windows']} hourly windows: "
              f"median {query['median_ms']:.1f} ms, max {query['max_ms']:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=60)
    summary = {"disk_mb_per_s": disk, "ceiling": ceiling, "folding": folding, "full_load": full, "half_load": half,
               "columnar": {"ceiling": columnar_ceiling, "folding": columnar_folding, "full_load": columnar},
               "rss_mib": {str(k): v for k, v in memory.items()}, "drift_query": query}
    (REPO / "bench" / "data").mkdir(exist_ok=True)
    (REPO / "bench" / "data" / "ingest.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    sys.exit(main())
