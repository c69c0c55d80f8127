"""Times as the server reads them: RFC 3339 strings in UTC."""
from __future__ import annotations

import datetime as _dt
from typing import Any

_UTC = _dt.timezone.utc


def to_rfc3339(value: Any) -> str:
    """A datetime (naive means UTC), pandas Timestamp, numpy datetime64, Unix seconds or an RFC
    3339 string, as RFC 3339 UTC text."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _dt.datetime.fromtimestamp(value, _UTC)
    elif type(value).__name__ == "datetime64":
        import numpy as np

        seconds = value.astype("datetime64[us]").astype(np.int64) / 1e6
        value = _dt.datetime.fromtimestamp(seconds, _UTC)
    elif hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a datetime, Unix seconds or an RFC 3339 string, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    text = value.astimezone(_UTC).isoformat()
    return text.replace("+00:00", "Z")
