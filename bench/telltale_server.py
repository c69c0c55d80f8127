"""A `telltale serve` for the benchmarks: on a free loopback port, over a fresh data directory, with
a known admin key; `telltale_load`, the load generator that posts to it, with what each side spent;
and timed queries."""
import json
import os
import re
import resource
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


def cpu_seconds(pid):
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def disk_bytes_written(pid):
    """Bytes the process has caused to be written to storage so far (/proc/PID/io)."""
    return int(re.search(r"^write_bytes: (\d+)", Path(f"/proc/{pid}/io").read_text(), re.M).group(1))


def timed_load(server, url, *args):
    """`load`, with the CPU time per row of the server and of the load generator, and the server's
    bytes written to disk per row, added to its report."""
    server_before = cpu_seconds(server.pid)
    written_before = disk_bytes_written(server.pid)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = load(url, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = max(report["rows"], 1)
    report["server_cpu_us_per_row"] = (cpu_seconds(server.pid) - server_before) / rows * 1e6
    report["disk_bytes_per_row"] = (disk_bytes_written(server.pid) - written_before) / rows
    report["load_generator_cpu_us_per_row"] = (
        (after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime) / rows * 1e6)
    return report
