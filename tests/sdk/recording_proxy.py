"""A real HTTP proxy on loopback between the SDK and a telltale server: it records every request
body (decompressed) and can answer the first ingest requests with an error instead of forwarding
them, as an overloaded or restarting server would."""
import gzip
import json
import http.client
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import column_bodies


class RecordingProxy:
    def __init__(self, upstream_url):
        self.upstream = urllib.parse.urlsplit(upstream_url)
        self.requests = []  # (method, path, headers, body bytes after gzip)
        self.refusals = []  # statuses answered instead of forwarding, in order
        self.retry_after = None
        self.lock = threading.Lock()
        self.refused_at = []  # monotonic times of refused requests
        self.holds = {}  # path suffix -> seconds the next POST to it waits before it is forwarded
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                plain = gzip.decompress(body) if self.headers.get("Content-Encoding") == "gzip" else body
                with proxy.lock:
                    proxy.requests.append((self.command, self.path, dict(self.headers), plain))
                    refuse = proxy.refusals.pop(0) if proxy.refusals and self.command == "POST" else None
                    if refuse:
                        proxy.refused_at.append(time.monotonic())
                    suffix = next((s for s in proxy.holds if self.path.split("?")[0].endswith(s)), None)
                    hold = proxy.holds.pop(suffix) if suffix and self.command == "POST" else 0
                time.sleep(hold)
                if refuse:
                    payload = b'{"title": "Too Many Requests", "status": %d, "detail": "slow down"}' % refuse
                    self.send_response(refuse)
                    self.send_header("Content-Type", "application/problem+json")
                    if proxy.retry_after is not None:
                        self.send_header("Retry-After", str(proxy.retry_after))
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body or None, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, suffix):
        """Bodies of the POST requests whose path ends with `suffix` (before any query)."""
        with self.lock:
            return [body for method, path, _, body in self.requests
                    if method == "POST" and path.split("?")[0].endswith(suffix)]

    def rows(self, suffix):
        """The rows of the POST requests whose path ends with `suffix`, as JSON rows, whether they
        went as NDJSON or as columnar bodies."""
        with self.lock:
            posts = [(headers, body) for method, path, headers, body in self.requests
                     if method == "POST" and path.split("?")[0].endswith(suffix)]
        rows = []
        for headers, body in posts:
            if headers.get("Content-Type", "").startswith(column_bodies.COLUMNS):
                rows += column_bodies.rows_of(body)
            else:
                rows += [json.loads(line) for line in body.splitlines() if line.strip()]
        return rows

    def close(self):
        self.server.shutdown()
        self.server.server_close()
