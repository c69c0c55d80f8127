"""A `telltale serve` for the benchmarks: on a free loopback port, over a fresh data directory, with
a known admin key; `telltale_load`, the load generator that posts to it; and timed queries."""
import json
import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "tt_bench_admin"


def start_server(data_dir, *args, keep=False):
    """Returns (process, url) once the server listens; `args` are extra `serve` options. The data
    directory starts empty unless `keep`."""
    if not keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    process = subprocess.Popen(
        [str(REPO / "build" / "telltale"), "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "TELLTALE_ADMIN_TOKEN": TOKEN})
    for line in process.stderr:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("the server did not start")


def load(url, *args):
    """Runs telltale_load (bench/ingest/load_generator.cc) against `url`; returns its JSON report."""
    result = subprocess.run([str(REPO / "build" / "telltale_load"), "--url", url, "--token", TOKEN, *args],
                            capture_output=True, text=True, check=False)
    if not result.stdout.strip():
        raise SystemExit(result.stderr)
    return json.loads(result.stdout)


def timed_get(session, url, params, samples=20):
    """GETs `url` `samples` times; returns the last response and the median and worst milliseconds."""
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        response = session.get(url, params=params)
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    return response, statistics.median(times) * 1000, max(times) * 1000
