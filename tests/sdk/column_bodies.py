"""An independent reading of the columnar bodies the SDK sends
(application/vnd.telltale.columns+msgpack, described in src/ingest/column_decoder.h): MessagePack
read with the msgpack package, the arrays with numpy, each row given back in the shape of a JSON
row — {"id", "timestamp", "features": {...}, ...} — with every value as the JSON row would hold it
(timestamps as RFC 3339 strings; missing values, and numbers JSON cannot hold, left out)."""
import json

import msgpack
import numpy as np

COLUMNS = "application/vnd.telltale.columns+msgpack"
NO_TIME = np.iinfo(np.int64).min


def _strings(part):
    offsets = np.frombuffer(part["offsets"], dtype="<u4")
    data = part["data"]
    return [data[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]


def _rfc3339(nanoseconds):
    """As the SDK writes times in JSON rows: whole seconds, or microseconds when there are some."""
    unit = "s" if int(nanoseconds) % 10**9 == 0 else "us"
    return np.datetime_as_string(np.datetime64(int(nanoseconds), "ns"), unit=unit) + "Z"


def _values(column, rows):
    kind = column["type"]
    if kind in ("number", "boolean"):
        values = np.frombuffer(column["values"], dtype="<f8")
        return [None if not np.isfinite(v) else (bool(v) if kind == "boolean" else
                                          (int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)))
                for v in values]
    if kind == "timestamp":
        return [None if v == NO_TIME else _rfc3339(v)
                for v in np.frombuffer(column["values"], dtype="<i8")]
    if kind == "embedding":
        values = np.frombuffer(column["values"], dtype="<f8").reshape(rows, column["dimension"])
        return [None if np.isnan(row[0]) else [float(v) for v in row] for row in values]
    if kind == "coded":
        dictionary = [json.loads(literal) for literal in _strings(column["dictionary"])]
        assert len(dictionary) <= rows, "a dictionary has at most one entry per row"
        return [None if code < 0 else dictionary[code]
                for code in np.frombuffer(column["codes"], dtype="<i4")]
    raise ValueError(f"unknown column type {kind!r}")


def rows_of(body):
    """The rows of one columnar body, as JSON rows."""
    batch = msgpack.unpackb(body, raw=False)
    rows = [{} for _ in range(batch["rows"])]
    if "ids" in batch:
        for row, id_ in zip(rows, _strings(batch["ids"])):
            row["id"] = id_
    if "timestamps" in batch:
        for row, time in zip(rows, np.frombuffer(batch["timestamps"], dtype="<i8")):
            if time != NO_TIME:
                row["timestamp"] = _rfc3339(time)
    for role in ("features", "predictions", "actuals", "raw"):
        for column in batch.get(role, []):
            for row, value in zip(rows, _values(column, len(rows))):
                if value is not None:
                    row.setdefault(role, {})[column["name"]] = value
    return rows
