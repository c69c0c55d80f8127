"""`telltale serve` as an operator runs it: --help, settings from a YAML file, the environment and
flags (later wins), errors that name where a bad setting came from, and a clean SIGTERM."""
import os
import re
import signal
import socket
import subprocess
import time

from server_process import ADMIN_TOKEN, ServerProcess


def serve(telltale_bin, tmp_path, args=(), env=None, timeout=20):
    """Starts `telltale serve` and returns (process, first line of stderr)."""
    process = subprocess.Popen([telltale_bin, "serve", "--data-dir", str(tmp_path / "data"), *args],
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TELLTALE_ADMIN_TOKEN": ADMIN_TOKEN,
                                    "TELLTALE_MIN_FREE_BYTES": "8MiB", **(env or {})})
    return process, process.stderr.readline()


def test_help_lists_every_setting(run):
    result = run("serve", "--help", check_exit=0)
    for flag in ("--host", "--port", "--data-dir", "--config", "--max-body-bytes", "--max-rows",
                 "--max-lateness", "--checkpoint-interval", "--min-free-bytes"):
        assert flag in result.stdout, flag
    assert "--admin-token" not in result.stdout  # secrets stay out of the process list


def test_file_then_environment_then_flags(telltale_bin, tmp_path):
    config = tmp_path / "telltale.yaml"
    config.write_text("port: 0\nhost: 127.0.0.1\nmax_rows: 5\n")
    process, line = serve(telltale_bin, tmp_path, ["--config", str(config)],
                          env={"TELLTALE_MAX_ROWS": "3"})
    try:
        url = re.search(r"listening on (http://\S+)", line).group(1)
        server = ServerProcess.__new__(ServerProcess)
        server.url = url
        api = server.api()
        api.create_model("m")
        api.create_version("m", "v1", {"features": {"x": "numeric"}})
        too_many = api.post("/api/v1/models/m/versions/v1/predictions",
                            json={"rows": [{"id": str(i)} for i in range(4)]})
        assert too_many.status_code == 413 and "more than 3 rows" in too_many.json()["detail"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    process, line = serve(telltale_bin, tmp_path, ["--config", str(config), "--max-rows", "10"],
                          env={"TELLTALE_MAX_ROWS": "3"})
    try:
        server.url = re.search(r"listening on (http://\S+)", line).group(1)
        ok = server.api().post("/api/v1/models/m/versions/v1/predictions",
                               json={"rows": [{"id": str(i)} for i in range(4)]})
        assert ok.status_code == 200, ok.text
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_bad_settings_name_their_source(telltale_bin, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("port: 0\nmax_body: 5\n")
    cases = [
        (["--config", str(config)], {}, f"{config}:2: unknown setting 'max_body'"),
        (["--port", "0"], {"TELLTALE_MAX_LATENESS": "soon"}, "TELLTALE_MAX_LATENESS: max_lateness = 'soon' is not a duration"),
        (["--port", "0", "--max-body-bytes", "lots"], {}, "--max-body-bytes: max_body_bytes = 'lots' is not a size"),
        (["--config", str(tmp_path / "missing.yaml")], {}, "cannot read the config file"),
    ]
    for args, env, message in cases:
        process, line = serve(telltale_bin, tmp_path, args, env)
        assert process.wait(timeout=20) == 2, line
        assert message in line, line
    config.write_text("port: [1, 2\n")
    process, line = serve(telltale_bin, tmp_path, ["--config", str(config)])
    assert process.wait(timeout=20) == 2 and f"{config}:" in line


def test_port_in_use_is_a_clear_error(start_server, telltale_bin, tmp_path):
    first = start_server()
    port = first.url.rsplit(":", 1)[1]
    process, line = serve(telltale_bin, tmp_path, ["--port", port])
    assert process.wait(timeout=20) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in line


def serve_with_rows(start_server, data_dir, rows):
    """A server on data_dir whose model m, version v1, has `rows` rows logged on 2026-11-20."""
    server = start_server(["--max-lateness", "3650d"], data_dir=data_dir)
    api = server.api()
    api.create_model("m")
    api.create_version("m", "v1", {"features": {"x": "numeric"}})
    api.log("m", "v1", [{"id": str(i), "timestamp": "2026-11-20T10:00:00Z", "features": {"x": i}}
                        for i in range(rows)])
    return server


def test_a_data_dir_in_use_is_a_clear_error_and_stays_intact(start_server, telltale_bin, tmp_path):
    api = serve_with_rows(start_server, tmp_path / "data", 10).api()
    process, line = serve(telltale_bin, tmp_path, ["--port", "0"])
    assert process.wait(timeout=20) == 2, line  # an error exit, not a crash
    assert "is a telltale server already running on this data directory?" in line, line
    summary = api.get("/api/v1/models/m/versions/v1/summary",
                      params={"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"})
    assert summary.json()["rows"] == 10


def test_a_small_data_dir_takes_little_disk_even_after_a_crash(start_server, tmp_path):
    serve_with_rows(start_server, tmp_path / "data", 100).kill()
    on_disk = sum(path.stat().st_blocks * 512 for path in (tmp_path / "data").rglob("*"))
    assert on_disk < 16 << 20, f"{on_disk >> 20} MiB on disk for 100 rows"


def test_sigterm_mid_ingestion_loses_nothing_acknowledged(start_server, tmp_path):
    server = start_server(["--max-lateness", "3650d", "--checkpoint-interval", "1h"], data_dir=tmp_path / "d")
    api = server.api()
    api.create_model("m")
    api.create_version("m", "v1", {"features": {"x": "numeric"}})
    for batch in range(5):
        api.log("m", "v1", [{"id": f"{batch}-{i}", "timestamp": "2026-11-20T10:00:00Z",
                             "features": {"x": i}} for i in range(100)])
    assert server.stop() == 0
    assert any("stopping" in line for line in server.log)
    server = start_server(data_dir=tmp_path / "d")
    summary = server.api().get("/api/v1/models/m/versions/v1/summary",
                               params={"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"})
    assert summary.json()["rows"] == 500


def test_idle_keep_alive_connections_do_not_keep_other_clients_waiting(start_server):
    """Each open connection holds a worker thread: clients that keep every thread's connection open
    and idle must lose it after `keep_alive`, so a new client is answered soon after."""
    server = start_server(["--threads", "3", "--keep-alive", "2s"])
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    idle = []
    for _ in range(3):
        connection = socket.create_connection((host, int(port)), timeout=10)
        connection.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert b"200" in connection.recv(4096).split(b"\r\n")[0]
        idle.append(connection)  # answered, kept open, says nothing more
    started = time.monotonic()
    response = server.api().get("/healthz", timeout=30)
    waited = time.monotonic() - started
    assert response.status_code == 200
    assert 1.0 < waited < 6, waited  # it waited for an idle connection to be closed, not 30 s
    for connection in idle:
        connection.settimeout(10)
        while connection.recv(4096):  # the rest of the answer, then the end: closed by the server
            pass
        connection.close()


def test_the_server_allocates_with_jemalloc(telltale_bin):
    # The build links jemalloc into the server (CMakeLists.txt): asked to, it reports itself.
    result = subprocess.run([telltale_bin, "--version"], capture_output=True, text=True,
                            env={**os.environ, "MALLOC_CONF": "stats_print:true"}, timeout=20)
    assert result.returncode == 0
    assert "Begin jemalloc statistics" in result.stderr


def test_a_burst_of_connections_waits_in_the_listen_queue(server):
    """Clients that connect while the server is busy wait in the kernel's listen queue. A queue of
    five (the HTTP library's default) drops the SYNs of the rest, and each dropped client retries
    only after a second: a deploy of many SDK clients would see its first requests take 1 s, 3 s."""
    host, port = server.url.removeprefix("http://").split(":")
    os.kill(server.process.pid, signal.SIGSTOP)  # accepts nothing until continued
    clients = []
    try:
        for _ in range(64):
            client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            client.setblocking(False)
            client.connect_ex((host, int(port)))
            clients.append(client)
        deadline = time.monotonic() + 0.5
        connected = set()
        while time.monotonic() < deadline and len(connected) < len(clients):
            for i, client in enumerate(clients):
                if i not in connected and client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 \
                        and _handshake_done(client):
                    connected.add(i)
            time.sleep(0.01)
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    assert len(connected) == len(clients), f"{len(connected)} of {len(clients)} connections completed"
    for client in clients:  # and each is served once the server runs again
        client.setblocking(True)
        client.settimeout(10)
        client.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert client.recv(64).startswith(b"HTTP/1.1 200")
        client.close()


def _handshake_done(client):
    """Whether a non-blocking connect has completed (the socket has a peer)."""
    try:
        client.getpeername()
        return True
    except OSError:
        return False
