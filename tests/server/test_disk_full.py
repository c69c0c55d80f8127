"""A full disk: ingestion answers 507 with Retry-After, nothing acknowledged is lost, reads keep
working, and ingestion recovers by itself when space returns. The data directory is a small tmpfs
mounted for the test (as root, or in a user namespace)."""
import os
import subprocess

import pytest


SCHEMA = {"features": {"x": "numeric", "s": "text"}}
PATH = "/api/v1/models/m/versions/v1"


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.fail("mounting a tmpfs needs root (the test machines run the suite as root)")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(path):
    """Writes until the file system is full; returns the file."""
    filler = path / "filler"
    with open(filler, "wb", buffering=0) as out:
        block = b"\0" * (1 << 20)
        try:
            while True:
                out.write(block)
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def rows(start, count, padding=0):
    return [{"id": f"r{i}", "timestamp": "2026-11-20T10:00:00Z", "features": {"x": i, "s": "p" * padding}}
            for i in range(start, start + count)]


def test_full_disk_refuses_then_recovers(small_disk, start_server):  # servers stop before the unmount
    args = ["--max-lateness", "3650d", "--checkpoint-interval", "1s", "--min-free-bytes", "16MiB"]
    server = start_server(args, data_dir=small_disk / "data")
    api = server.api()
    api.create_model("m")
    api.create_version("m", "v1", SCHEMA)
    acknowledged = api.log("m", "v1", rows(0, 100))["accepted"]

    filler = fill(small_disk)
    statuses = []
    for attempt in range(5):
        response = api.post(PATH + "/predictions", json={"rows": rows(1000 + attempt * 100, 100, padding=4000)})
        statuses.append(response.status_code)
        if response.status_code == 200:
            acknowledged += response.json()["accepted"]
        else:
            assert response.status_code == 507, response.text
            assert response.headers["Content-Type"] == "application/problem+json"
            assert "disk is full" in response.json()["detail"]
            assert response.headers.get("Retry-After")
    assert 507 in statuses
    assert api.get("/healthz").status_code == 200
    params = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"}
    assert api.get(PATH + "/summary", params=params).json()["rows"] == acknowledged

    filler.unlink()
    recovered = api.post(PATH + "/predictions", json={"rows": rows(5000, 100)})
    assert recovered.status_code == 200, recovered.text
    acknowledged += recovered.json()["accepted"]

    server.kill()
    server = start_server(args, data_dir=small_disk / "data")
    assert server.api().get(PATH + "/summary", params=params).json()["rows"] == acknowledged
    assert server.stop() == 0
