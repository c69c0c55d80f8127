"""Typed exceptions. Every error the server answers carries its problem details (RFC 9457)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional


class TelltaleError(Exception):
    """Base class of every error the SDK raises."""


class TransportError(TelltaleError):
    """The server could not be reached (refused, reset, timed out)."""


class ApiError(TelltaleError):
    """The server answered with an error status; `problem` holds its problem+json body."""

    def __init__(self, status: int, problem: Dict[str, Any], method: str = "", path: str = ""):
        self.status = status
        self.problem = problem
        self.title = str(problem.get("title", ""))
        self.detail = str(problem.get("detail", ""))
        self.method = method
        self.path = path
        where = f"{method} {path}: " if method else ""
        super().__init__(f"{where}{status} {self.title}: {self.detail}".rstrip(": "))


class AuthenticationError(ApiError):
    """401: the API key is missing, unknown or revoked."""


class PermissionDeniedError(ApiError):
    """403: the key's role does not allow the call (a read key logging rows, say)."""


class NotFoundError(ApiError):
    """404: no such model, version or endpoint in this key's project."""


class ConflictError(ApiError):
    """409, or a model/version that exists with a different definition."""


class ValidationError(ApiError):
    """400, 413 or 422: the request itself is wrong; the detail names the field, row or limit."""


class RateLimitedError(ApiError):
    """429: the server asked to slow down (the SDK retries these before reporting them)."""


class ServerError(ApiError):
    """5xx: the server failed or is out of disk (retried before reported)."""


class QueueFullError(TelltaleError):
    """The logging queue is at `max_queue_rows`; the rows were dropped."""


class RowsRejectedError(TelltaleError):
    """The server accepted the request but rejected some rows; `rejected` lists them as the server
    reported: index, id, code and reason."""

    def __init__(self, path: str, rejected: List[Dict[str, Any]]):
        self.path = path
        self.rejected = rejected
        first = rejected[0] if rejected else {}
        super().__init__(
            f"{path}: {len(rejected)} row(s) rejected; first: row {first.get('index')} "
            f"({first.get('code')}): {first.get('reason')}")


_BY_STATUS = {401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError,
              409: ConflictError, 400: ValidationError, 413: ValidationError, 415: ValidationError,
              422: ValidationError, 429: RateLimitedError}


def error_for(status: int, problem: Dict[str, Any], method: str = "", path: str = "") -> ApiError:
    """The exception class that fits an error status."""
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(status, problem, method, path)


def problem_of(body: bytes, reason: Optional[str] = None) -> Dict[str, Any]:
    """The problem details of an error body, or a stand-in when it is not problem+json."""
    import json

    try:
        problem = json.loads(body.decode("utf-8"))
        if isinstance(problem, dict):
            return problem
    except (ValueError, UnicodeDecodeError):
        pass
    return {"title": reason or "error", "detail": body[:500].decode("utf-8", "replace")}
