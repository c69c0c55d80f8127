"""A real HTTP receiver on loopback standing in for Slack, a webhook consumer, PagerDuty, Teams or
anything else that takes POSTed JSON; it records every request and can answer the first ones with
an error, or be stopped and started again on the same port."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HttpReceiver:
    def __init__(self, port=0):
        self.requests = []  # dicts: path, headers, raw body bytes, json body, arrival (monotonic)
        self.failures = []  # statuses answered (in order) before accepting
        self.retry_after = None
        self.lock = threading.Lock()
        self.server = None
        self.port = port
        self.start()

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    failure = receiver.failures.pop(0) if receiver.failures else None
                    if failure is None:
                        receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                                  "raw": raw, "json": json.loads(raw), "at": time.monotonic()})
                status = failure or 200
                self.send_response(status)
                if failure and receiver.retry_after is not None:
                    self.send_header("Retry-After", str(receiver.retry_after))
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def received(self, path=None):
        with self.lock:
            return [r for r in self.requests if path is None or r["path"] == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
