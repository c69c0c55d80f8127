"""Client, Model and Version: the SDK's entry points.

    client = telltale.Client("http://localhost:8080", token="...")
    model = client.create_model("churn", task="binary_classification")
    version = model.create_version("v1", schema=telltale.infer_schema(X_train, predictions=...))
    version.log_predictions(ids, X, predictions)      # returns at once; sent in the background
"""
from __future__ import annotations

import atexit
import gzip
import json
import os
import uuid
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from . import errors
from .columns import ROLES, frame_specs, plain_value, id_strings, is_tabular, pandas, timestamp_nanoseconds, to_frame
from .schema import Segment, class_text
from .sender import Piece, Sender
from .timestamps import to_rfc3339
from .transport import Transport, quote

DEFAULT_URL = "http://localhost:8080"
# Rows of a large frame converted and queued at a time (rounded up to whole batches).
_CHUNK_ROWS = 100_000
TASKS = ("binary_classification", "multiclass_classification", "regression", "ranking")


class Client:
    """A connection to one telltale server, with the background sender its logging uses.

    url, token: the server and an API key (default TELLTALE_URL, TELLTALE_TOKEN).
    raise_errors: False (default) logs and counts every logging error (see stats()); True raises
        them as typed exceptions at the next logging call or flush().
    batch_rows, flush_interval: rows go out in batches of up to batch_rows, and single rows at
        least every flush_interval seconds.
    max_queue_rows: rows that may wait in memory; logging more drops them (counted).
    retry_timeout: how long one batch is retried (429, 5xx, network errors) before it is dropped.
    exit_timeout: how long the interpreter's exit waits for pending rows.
    connections: requests in flight at once (each on its own keep-alive connection).
    compress: gzip request bodies; by default on, except to a server on this machine (loopback),
        where compressing costs more time than it saves.
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, *,
                 timeout: float = 30.0, raise_errors: bool = False, batch_rows: int = 10_000,
                 flush_interval: float = 1.0, max_queue_rows: int = 1_000_000,
                 retry_timeout: float = 300.0, exit_timeout: float = 10.0, connections: int = 2,
                 compress: Optional[bool] = None):
        self.url = (url or os.environ.get("TELLTALE_URL") or DEFAULT_URL).rstrip("/")
        token = token if token is not None else os.environ.get("TELLTALE_TOKEN")
        self.raise_errors = raise_errors
        self._transport = Transport(self.url, token, timeout)
        self._sender = Sender(Transport(self.url, token, timeout), batch_rows=batch_rows,
                              flush_interval=flush_interval, max_queue_rows=max_queue_rows,
                              retry_timeout=retry_timeout, raise_errors=raise_errors,
                              connections=connections,
                              compress=compress if compress is not None else not self._transport.loopback)
        self._exit_timeout = exit_timeout
        self._closed = False
        atexit.register(self._at_exit)

    # --- registry ------------------------------------------------------------------------------

    def create_model(self, name: str, task: str = "binary_classification", *,
                     timezone: str = "UTC", description: Optional[str] = None) -> "Model":
        """Registers a model, or returns the one of that name when its task is the same."""
        if task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}; got {task!r}")
        body = {"name": name, "task": task, "timezone": timezone}
        if description is not None:
            body["description"] = description
        try:
            return Model(self, self._transport.call("POST", "/api/v1/models", json_body=body))
        except errors.ConflictError:
            model = self.model(name)
            if model.task != task:
                raise errors.ConflictError(409, {"title": "Conflict", "detail": (
                    f"model '{name}' exists with task '{model.task}', not '{task}'")}) from None
            return model

    def model(self, name: str) -> "Model":
        return Model(self, self._transport.call("GET", f"/api/v1/models/{quote(name)}"))

    def models(self) -> List["Model"]:
        return [Model(self, info) for info in self._transport.call("GET", "/api/v1/models")["models"]]

    # --- the sender ----------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Blocks until every row logged so far is delivered (or given up); False on timeout."""
        return self._sender.flush(timeout)

    def stats(self) -> Dict[str, Any]:
        """Counters of the sender: queued, sent, accepted, rejected (by code), dropped and pending
        rows, retries, failed requests, errors and the last error."""
        return self._sender.stats()

    def close(self, timeout: Optional[float] = None) -> bool:
        """Delivers pending rows (waiting at most `timeout` seconds) and closes the connections."""
        if self._closed:
            return True
        self._closed = True
        atexit.unregister(self._at_exit)
        delivered = self._sender.close(timeout)
        self._transport.close()
        self._sender.raise_pending()
        return delivered

    def _at_exit(self) -> None:
        if not self._closed:
            self._closed = True
            if not self._sender.close(self._exit_timeout):
                pending = self._sender.stats()["pending_rows"]
                errors_logger().error("telltale: %d row(s) not delivered at exit", pending)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # --- shared by models and versions ---------------------------------------------------------

    def _submit_frames(self, path: str, rows: int, ids: Optional[List[str]], timestamps: Any,
                       frames: List[Tuple[str, Any]], columnar: bool = True) -> None:
        """Queues rows given as one frame per role, sent as columnar bodies (or NDJSON rows, for
        endpoints that take only those). A large frame is converted and queued a chunk at a time,
        so that its first rows are encoded and sent while the rest are converted."""
        batch_rows = self._sender.batch_rows
        step = -(-_CHUNK_ROWS // batch_rows) * batch_rows
        if not self._sender.has_room(rows):
            step = max(rows, 1)  # the whole call is dropped (and counted) as one, not in part
        for start in range(0, rows, step):
            end = min(rows, start + step)
            groups = [(role, _snapshot(frame_specs(frame if end - start == rows else frame.iloc[start:end])))
                      for role, frame in frames]
            self._sender.submit(path, end - start, _pieces(
                end - start, ids[start:end] if ids is not None else None,
                timestamps[start:end] if timestamps is not None else None, groups, columnar))

    def _submit_row(self, path: str, row: Dict[str, Any]) -> None:
        self._sender.submit_row(path, row)


def errors_logger():
    import logging

    return logging.getLogger("telltale")


class Model:
    def __init__(self, client: Client, info: Dict[str, Any]):
        self.client = client
        self.info = info
        self.name: str = info["name"]
        self.task: str = info.get("task", "")
        self.timezone: str = info.get("timezone", "UTC")
        self._path = f"/api/v1/models/{quote(self.name)}"

    def create_version(self, version: str, schema: Mapping[str, Any],
                       segments: Sequence[Any] = ()) -> "Version":
        """Registers a version, or returns the existing one when its schema is the same (a
        version's schema never changes: log a changed model as a new version). A ranking model's
        schema names the field that groups rows into queries: {"query_id": "session", ...}; a
        binary classifier's may set {"decision_threshold": 0.7, "positive_class": "fraud"}."""
        body: Dict[str, Any] = {"version": version, "schema": {
            r: dict(f) if isinstance(f, Mapping) else f for r, f in schema.items()}}
        if segments:
            body["segments"] = [s.to_json() if isinstance(s, Segment) else s for s in segments]
        try:
            info = self.client._transport.call("POST", f"{self._path}/versions", json_body=body)
            return Version(self, info)
        except errors.ConflictError:
            existing = self.version(version)
            if _fields(existing.schema) != _fields(body["schema"]):
                raise errors.ConflictError(409, {"title": "Conflict", "detail": (
                    f"version '{version}' of model '{self.name}' exists with a different schema; "
                    f"register the changed schema as a new version")}) from None
            return existing

    def version(self, version: str = "latest") -> "Version":
        return Version(self, self.client._transport.call(
            "GET", f"{self._path}/versions/{quote(version)}"))

    def versions(self) -> List["Version"]:
        answer = self.client._transport.call("GET", f"{self._path}/versions")
        return [Version(self, info) for info in answer["versions"]]

    def log_actuals(self, ids: Any, actuals: Any, timestamps: Any = None) -> None:
        """Queues ground truth for earlier predictions, joined by id on the server."""
        frame = to_frame(actuals, "actuals")
        rows = len(frame)
        times = timestamp_nanoseconds(timestamps, rows) if timestamps is not None else None
        # The actuals endpoint reads JSON rows only.
        self.client._submit_frames(f"{self._path}/actuals", rows, id_strings(ids, rows), times,
                                   [("actuals", frame)], columnar=False)

    def __repr__(self) -> str:
        return f"Model({self.name!r}, task={self.task!r}, timezone={self.timezone!r})"


class Version:
    def __init__(self, model: Model, info: Dict[str, Any]):
        self.model = model
        self.info = info
        self.name: str = info["version"]
        self.schema: Dict[str, Any] = info.get("schema", {})
        self._path = f"{model._path}/versions/{quote(self.name)}"
        self._client = model.client

    # --- logging -------------------------------------------------------------------------------

    def log_predictions(self, ids: Any, features: Any, predictions: Any = None,
                        timestamps: Any = None, *, actuals: Any = None, raw: Any = None,
                        feature_names: Optional[Sequence[str]] = None) -> None:
        """Queues predictions: `features` a DataFrame, dict of arrays, 2-D array (with
        feature_names) or list of row dicts; `predictions` likewise, or a 1-D array for a single
        prediction field. ids=None makes unique ids; timestamps=None stamps the rows now."""
        if not is_tabular(features):
            self._log_row_dicts(ids, features, predictions, timestamps)
            return
        frames = self._frames(features, predictions, actuals, raw, feature_names)
        rows = _row_count(frames)
        import time

        times = timestamp_nanoseconds(timestamps if timestamps is not None else time.time_ns() / 1e9, rows)
        id_list = id_strings(ids, rows) if ids is not None else _new_ids(rows)
        self._client._submit_frames(f"{self._path}/predictions", rows, id_list, times, frames)

    def log_prediction(self, id: Optional[str] = None, features: Optional[Mapping[str, Any]] = None,
                       predictions: Optional[Mapping[str, Any]] = None, timestamp: Any = None, *,
                       actuals: Optional[Mapping[str, Any]] = None,
                       raw: Optional[Mapping[str, Any]] = None) -> None:
        """Queues one prediction given as dicts of field -> value."""
        import time

        row: Dict[str, Any] = {"id": str(id) if id is not None else uuid.uuid4().hex,
                               "timestamp": to_rfc3339(timestamp if timestamp is not None else time.time())}
        for role, values in zip(ROLES, (features, predictions, actuals, raw)):
            if values is not None:
                row[role] = {name: plain_value(value) for name, value in values.items()}
        self._client._submit_row(f"{self._path}/predictions", row)

    def log_training(self, features: Any, predictions: Any = None, actuals: Any = None, *,
                     raw: Any = None, feature_names: Optional[Sequence[str]] = None,
                     replace: bool = True) -> int:
        """Sends the training set as the version's baseline (replacing an earlier one unless
        replace=False) and returns the rows accepted. Synchronous: errors raise."""
        return self._log_baseline("training", features, predictions, actuals, raw, feature_names, replace)

    def log_validation(self, features: Any, predictions: Any = None, actuals: Any = None, *,
                       raw: Any = None, feature_names: Optional[Sequence[str]] = None,
                       replace: bool = True) -> int:
        """As log_training, for the validation set."""
        return self._log_baseline("validation", features, predictions, actuals, raw, feature_names, replace)

    def log_profile(self, profile: Any, window_start: Any, *, environment: str = "production",
                    segment: Optional[str] = None) -> int:
        """Sends a profile made by telltale.profile() — statistics only, no rows — into the hour
        of `window_start` (or a baseline with environment='training'|'validation'). Returns the
        rows it summarizes."""
        params = {"window_start": to_rfc3339(window_start), "environment": environment,
                  "segment": segment}
        answer = self._client._transport.request(
            "POST", f"{self._path}/profiles", params=params, body=profile.to_bytes(),
            headers={"Content-Type": "application/octet-stream"})
        return _answer(answer, "POST", f"{self._path}/profiles")["accepted_rows"]

    def flush(self, timeout: Optional[float] = None) -> bool:
        return self._client.flush(timeout)

    # --- queries -------------------------------------------------------------------------------

    def drift(self, start: Any, end: Any, *, baseline: str = "training", method: Optional[str] = None,
              threshold: Optional[float] = None, segment: Optional[str] = None,
              baseline_from: Any = None, baseline_to: Any = None):
        """Drift of every field between the baseline and [start, end), one row per field."""
        answer = self._query("drift", start=start, end=end, baseline=baseline, method=method,
                             threshold=threshold, segment=segment, baseline_from=baseline_from,
                             baseline_to=baseline_to)
        pd = pandas()
        columns = ["name", "type", "role", "method", "score", "threshold", "drift_detected"]
        frame = pd.DataFrame(answer.get("columns", []))
        return frame.reindex(columns=columns + [c for c in frame.columns if c not in columns])

    def metric(self, field: str, metric: str, start: Any, end: Any, *, granularity: str = "hour",
               segment: Optional[str] = None):
        """A metric of one field over time: a DataFrame of t (in UTC), value and rows."""
        answer = self._query("metrics", start=start, end=end, field=field, metric=metric,
                             granularity=granularity, segment=segment)
        return _points(answer)

    def performance(self, metric: str, start: Any, end: Any, *, granularity: str = "day",
                    segment: Optional[str] = None):
        """A performance metric over time, from the actuals joined so far: a DataFrame of t, value
        (NaN where undefined), rows (predictions) and labeled (those with an actual). Metrics
        named estimated_* (estimated_f1, ...) are estimated from the scores before labels come,
        with lower, upper (a 95% band) and realized columns."""
        answer = self._query("performance", start=start, end=end, metric=metric,
                             granularity=granularity, segment=segment)
        extra = ("labeled", "lower", "upper", "realized") if metric.startswith("estimated_") else ("labeled",)
        frame = _points(answer, extra=extra)
        for column in extra[1:]:
            frame[column] = frame[column].astype("float64")
        return frame

    def confusion_matrix(self, start: Any, end: Any, *, segment: Optional[str] = None):
        """Counts of [actual][predicted] over the range, as a DataFrame."""
        answer = self._query("confusion_matrix", start=start, end=end, segment=segment)
        pd = pandas()
        frame = pd.DataFrame(answer["matrix"], index=answer["labels"], columns=answer["labels"])
        frame.index.name, frame.columns.name = "actual", "predicted"
        return frame

    def distribution(self, field: str, start: Any, end: Any, *, baseline: str = "training",
                     segment: Optional[str] = None) -> Dict[str, Any]:
        return self._query("distribution", start=start, end=end, field=field, baseline=baseline,
                           segment=segment)

    def summary(self, start: Any = None, end: Any = None, *, segment: Optional[str] = None) -> Dict[str, Any]:
        """Rows, windows, first and last event, integrity counters and baseline sizes."""
        return self._query("summary", start=start, end=end, segment=segment)

    def __repr__(self) -> str:
        return f"Version({self.model.name!r}, {self.name!r})"

    # --- internals -----------------------------------------------------------------------------

    def _query(self, what: str, start: Any, end: Any, **params: Any) -> Any:
        params["from"] = start
        params["to"] = end
        return self._client._transport.call("GET", f"{self._path}/{what}", params=params)

    def _frames(self, features, predictions, actuals, raw, feature_names):
        frames = []
        for role, data in zip(ROLES, (features, predictions, actuals, raw)):
            if data is None:
                continue
            names = feature_names if role == "features" else list(self.schema.get(role, {}))
            frames.append((role, to_frame(data, role, names)))
        return frames

    def _log_row_dicts(self, ids, features, predictions, timestamps) -> None:
        rows = list(features)
        n = len(rows)
        ids = list(ids) if ids is not None else [None] * n
        predictions = list(predictions) if predictions is not None else [None] * n
        timestamps = list(timestamps) if isinstance(timestamps, (list, tuple)) else [timestamps] * n
        if not len(ids) == len(predictions) == len(timestamps) == n:
            raise ValueError(f"expected {n} ids, predictions and timestamps (one per row)")
        for row_id, row, prediction, time in zip(ids, rows, predictions, timestamps):
            if prediction is not None and not isinstance(prediction, Mapping):
                names = list(self.schema.get("predictions", {})) or ["prediction"]
                prediction = {names[0]: prediction}
            self.log_prediction(row_id, row, prediction, time)

    def _log_baseline(self, environment, features, predictions, actuals, raw, feature_names, replace) -> int:
        frames = self._frames(features, predictions, actuals, raw, feature_names)
        rows = _row_count(frames)
        groups = [(role, frame_specs(frame)) for role, frame in frames]
        path = f"{self._path}/{environment}"
        accepted = 0
        first_row = 0
        rejected: List[Dict[str, Any]] = []
        for piece in _pieces(rows, None, None, groups, columnar=True)(50_000):
            params = {"replace": "true"} if replace and first_row == 0 else None
            response = self._client._transport.request(
                "POST", path, params=params, body=gzip.compress(piece.body, compresslevel=1),
                headers={"Content-Type": piece.content_type, "Content-Encoding": "gzip"})
            answer = _answer(response, "POST", path)
            accepted += answer.get("accepted", 0)
            rejected += [{**row, "index": row.get("index", 0) + first_row}
                         for row in answer.get("rejected", [])]
            first_row += piece.rows
        if rejected:
            error = errors.RowsRejectedError(path, rejected)
            if self._client.raise_errors:
                raise error
            errors_logger().warning("telltale: %s", error)
        return accepted


def _pieces(rows: int, ids: Optional[List[str]], timestamps: Any, groups: List[Tuple[str, list]],
            columnar: bool):
    """Request bodies of up to batch_rows rows — columnar, or NDJSON rows — encoded by the native
    module on demand."""

    def pieces(batch_rows: int) -> Iterator[Piece]:
        from . import _native

        batch = _native.RowBatch(rows, ids, timestamps, groups, columnar)
        for start in range(0, rows, batch_rows):
            yield _piece(batch, start, min(rows, start + batch_rows))

    return pieces


def _piece(batch, start: int, end: int) -> Piece:
    def halves() -> Tuple[Piece, Piece]:
        middle = (start + end) // 2
        return _piece(batch, start, middle), _piece(batch, middle, end)

    return Piece(end - start, batch.encode(start, end), batch.content_type, halves)


def _snapshot(specs: list) -> list:
    """Specs whose arrays are the SDK's own, so the caller may change its data after logging."""
    import numpy as np

    return [(name, kind, np.array(values, copy=True) if kind != "string" else values, dictionary)
            for name, kind, values, dictionary in specs]


def _row_count(frames) -> int:
    counts = {role: len(frame) for role, frame in frames}
    if len(set(counts.values())) > 1:
        raise ValueError("features, predictions, actuals and raw need the same number of rows; got "
                         + ", ".join(f"{role}: {count}" for role, count in counts.items()))
    return next(iter(counts.values()), 0)


def _new_ids(rows: int) -> List[str]:
    pd = pandas()
    prefix = uuid.uuid4().hex[:16] + "-"
    return (prefix + pd.RangeIndex(rows).astype(str)).tolist()


def _fields(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """A schema with type names and embeddings written one way, for comparing two schemas."""
    out: Dict[str, Any] = {}
    for role, fields in schema.items():
        if isinstance(fields, Mapping):
            if fields:
                out[role] = {name: json.dumps(kind, sort_keys=True) for name, kind in fields.items()}
        elif role == "positive_class":
            out[role] = class_text(fields)
        else:
            out[role] = fields  # query_id, decision_threshold
    return out



def _points(answer: Dict[str, Any], extra: Sequence[str] = ()):
    """A time series answer as a DataFrame of t (UTC), value (NaN where undefined), rows and
    `extra` columns."""
    pd = pandas()
    frame = pd.DataFrame(answer.get("points", []), columns=["t", "value", "rows", *extra])
    frame["t"] = pd.to_datetime(frame["t"], utc=True)
    frame["value"] = frame["value"].astype("float64")
    return frame


def _answer(response, method: str, path: str) -> Dict[str, Any]:
    if response.status >= 400:
        raise errors.error_for(response.status, errors.problem_of(response.body, response.reason),
                               method, path)
    return response.json() or {}
