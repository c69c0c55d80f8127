"""HTTP to the server over keep-alive connections (one per thread), standard library only."""
from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from typing import Any, Dict, Mapping, Optional, Tuple

from . import errors

USER_AGENT = "telltale-python/0.1.0"


class Response:
    def __init__(self, status: int, reason: str, headers: Mapping[str, str], body: bytes):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    @property
    def retry_after(self) -> Optional[float]:
        """Seconds from a Retry-After header given in seconds; None otherwise."""
        value = self.headers.get("retry-after")
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None


class Transport:
    def __init__(self, url: str, token: Optional[str], timeout: float):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"server URL must be http(s)://host[:port], got {url!r}")
        self.url = url.rstrip("/")
        self._scheme = parsed.scheme
        self._host = parsed.hostname
        self._port = parsed.port
        self._base_path = parsed.path.rstrip("/")
        self.loopback = _is_loopback(parsed.hostname)
        self._headers = {"User-Agent": USER_AGENT}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            connection = cls(self._host, self._port, timeout=self.timeout)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
                body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None) -> Response:
        """One request; raises errors.TransportError when the server cannot be reached. A request
        on a keep-alive connection the server closed meanwhile is sent again once, on a new one."""
        target = self._base_path + path
        if params:
            query = {k: _param(v) for k, v in params.items() if v is not None}
            if query:
                target += "?" + urllib.parse.urlencode(query)
        all_headers = {**self._headers, **(headers or {})}
        for attempt in (0, 1):
            connection = self._connection()
            reused = getattr(connection, "sock", None) is not None
            try:
                connection.request(method, target, body=body, headers=all_headers)
                raw = connection.getresponse()
                data = raw.read()
                response = Response(raw.status, raw.reason,
                                    {k.lower(): v for k, v in raw.getheaders()}, data)
                if raw.will_close:
                    self.close()
                return response
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
                self.close()
                if attempt == 0 and reused:
                    continue
                raise errors.TransportError(f"{method} {self.url}{path}: {error}") from error
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise errors.TransportError(f"{method} {self.url}{path}: {error}") from error
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
             json_body: Any = None) -> Any:
        """A JSON request whose error statuses raise the matching errors.ApiError."""
        body = None
        headers = {}
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        response = self.request(method, path, params=params, body=body, headers=headers)
        if response.status >= 400:
            raise errors.error_for(response.status, errors.problem_of(response.body, response.reason),
                                   method, path)
        return response.json()


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _param(value: Any) -> str:
    """Query parameter text: datetimes as RFC 3339, booleans lower-case."""
    from .timestamps import to_rfc3339

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return to_rfc3339(value)


def quote(segment: str) -> str:
    """A path segment (model or version name) escaped for a URL."""
    return urllib.parse.quote(segment, safe="")
