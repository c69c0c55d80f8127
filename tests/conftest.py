"""Shared fixtures: the telltale binary, a helper that runs it, and real servers on loopback."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from server_process import ServerProcess

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def telltale_bin():
    path = os.environ.get("TELLTALE_BIN", str(REPO / "build" / "telltale"))
    if not Path(path).exists():
        pytest.fail(f"telltale binary not found at {path}; run `make build`")
    return path


@pytest.fixture
def run(telltale_bin):
    """Runs telltale with arguments; returns the CompletedProcess."""

    def _run(*args, check_exit=None):
        result = subprocess.run([telltale_bin, *map(str, args)], capture_output=True, text=True, timeout=600)
        if check_exit is not None:
            assert result.returncode == check_exit, (result.returncode, result.stdout, result.stderr)
        return result

    return _run


@pytest.fixture
def check_json(run):
    """Runs `telltale check --format json` and returns (exit code, parsed report)."""

    def _check(reference, current, *args):
        result = run("check", "--reference", reference, "--current", current, "--format", "json", *args)
        assert result.returncode in (0, 1), result.stderr
        return result.returncode, json.loads(result.stdout)

    return _check


@pytest.fixture
def start_server(telltale_bin, tmp_path):
    """Starts servers (each with its own data dir unless given one) and stops them after the test."""
    started = []

    def _start(args=(), env=None, data_dir=None, port=0):
        server = ServerProcess(telltale_bin, data_dir or tmp_path / f"data{len(started)}", args, env, port)
        started.append(server)
        return server.start()

    yield _start
    for server in started:
        if server.process and server.process.poll() is None:
            server.kill()


@pytest.fixture
def server(start_server):
    # Wide lateness so tests can log rows at fixed past times.
    return start_server(["--max-lateness", "3650d"])


@pytest.fixture
def api(server):
    return server.api()
