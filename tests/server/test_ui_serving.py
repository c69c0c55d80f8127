"""The web UI's files served at /: hashed assets cached for good, the page revalidated, a content
security policy, gzip (never brotli, which the HTTP library compresses at its slowest quality), and a
page that says how to build the UI when it is missing."""
import gzip
import socket

import pytest


@pytest.fixture
def ui_dir(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><script src=/assets/app-1a2b.js></script>")
    (root / "assets" / "app-1a2b.js").write_text("console.log('telltale');\n" * 4000)
    return root


def raw_get(url, path, accept_encoding):
    """GET with exactly the Accept-Encoding a browser sends (requests would add its own)."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: {accept_encoding}\r\n"
                            "Connection: close\r\n\r\n").encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
    return {k.lower(): v for k, v in headers.items()}, body


def test_the_ui_files_are_served_with_cache_rules_and_gzip(start_server, ui_dir):
    server = start_server(["--ui-dir", str(ui_dir)])
    page = server.api().get("/")
    assert page.status_code == 200 and "app-1a2b.js" in page.text
    assert page.headers["Cache-Control"] == "no-cache"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    headers, body = raw_get(server.url, "/assets/app-1a2b.js", "gzip, deflate, br, zstd")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (ui_dir / "assets" / "app-1a2b.js").read_bytes()
    headers, body = raw_get(server.url, "/api/v1/openapi.yaml", "br")
    assert "content-encoding" not in headers and body.startswith(b"openapi:")


def test_without_a_build_the_page_says_how_to_make_one(start_server, tmp_path):
    server = start_server(["--ui-dir", str(tmp_path / "nothing")])
    page = server.api().get("/")
    assert page.status_code == 200 and "make build" in page.text
