"""A `telltale serve` for the benchmarks: on a free loopback port, over a fresh data directory, with
a known admin key."""
import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "tt_bench_admin"


def start_server(data_dir, *args):
    """Returns (process, url) once the server listens; `args` are extra `serve` options."""
    shutil.rmtree(data_dir, ignore_errors=True)
    process = subprocess.Popen(
        [str(REPO / "build" / "telltale"), "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "TELLTALE_ADMIN_TOKEN": TOKEN})
    for line in process.stderr:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("the server did not start")
