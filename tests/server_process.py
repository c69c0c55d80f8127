"""A real `telltale serve` process on a free loopback port, with its own data directory, and a small
client for its REST API; used by the server and SDK tests (fixtures in conftest.py)."""
import os
import re
import signal
import subprocess
import threading
import time

import requests

ADMIN_TOKEN = "tt_test_admin_token"


class ServerProcess:
    """One `telltale serve`, started and stopped (politely or with kill -9) by the test."""

    def __init__(self, binary, data_dir, args=(), env=None, port=0):
        self.binary = binary
        self.port = port
        self.data_dir = data_dir
        self.args = list(args)
        self.env = dict(env or {})
        self.process = None
        self.url = None
        self.log = []

    def start(self, timeout=30):
        # A small disk reserve, so the suite also runs on a machine with little free space.
        env = {**os.environ, "TELLTALE_ADMIN_TOKEN": ADMIN_TOKEN, "TELLTALE_MIN_FREE_BYTES": "8MiB",
               **self.env}
        command = [self.binary, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir), *self.args]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        text=True, env=env)
        self.log = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError(f"telltale serve exited ({self.process.wait()}): {''.join(self.log)}")
            self.log.append(line)
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                self.url = found.group(1)
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("telltale serve did not start: " + "".join(self.log))

    def _drain(self):
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self, timeout=30):
        """SIGTERM; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def api(self, token=ADMIN_TOKEN):
        return Api(self.url, token)


class Api:
    """requests with the base URL and bearer token filled in."""

    def __init__(self, url, token):
        self.url = url
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, self.url + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def create_model(self, name, task="binary_classification", **fields):
        response = self.post("/api/v1/models", json={"name": name, "task": task, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def create_version(self, model, version, schema, segments=None):
        body = {"version": version, "schema": schema}
        if segments is not None:
            body["segments"] = segments
        response = self.post(f"/api/v1/models/{model}/versions", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def log(self, model, version, rows, environment="predictions", **params):
        response = self.post(f"/api/v1/models/{model}/versions/{version}/{environment}",
                             json={"rows": rows}, params=params)
        assert response.status_code == 200, response.text
        return response.json()
