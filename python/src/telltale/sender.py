"""The background sender: a bounded queue of rows and one thread that batches, compresses and
delivers them, retrying what the server could not take yet.

The caller's thread only converts its data to columns and appends to the queue; encoding (in C++,
without the GIL), gzip and HTTP all happen on the sender thread. Nothing raises in the caller's
thread unless the client was made with raise_errors=True, and then only at the next call into the
SDK or at flush().
"""
from __future__ import annotations

import collections
import gzip
import json
import logging
import queue
import random
import threading
import time
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Tuple

from . import errors
from .transport import Transport

logger = logging.getLogger("telltale")

# Statuses worth another try: the server is overloaded, restarting, or out of disk.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507})


# Endpoints where a later row replaces an earlier one with the same id: their batches go out one
# at a time, in the order they were logged, so a corrected actual is never overtaken by the one
# it corrects. Other batches share the delivery threads freely.
def _is_ordered(path: str) -> bool:
    return path.endswith("/actuals")


# What stats() counts, in rows unless named otherwise.
STAT_COUNTERS = ("queued_rows", "sent_rows", "accepted_rows", "rejected_rows", "dropped_rows",
                 "retries", "failed_requests", "errors")


NDJSON = "application/x-ndjson"


class Piece:
    """One request body: `rows` rows encoded as `content_type`. `halves()` gives the same rows as
    two bodies, for a body the server finds too large; NDJSON splits between lines, other formats
    pass a function that encodes each half anew."""

    def __init__(self, rows: int, body: bytes, content_type: str = NDJSON,
                 halves: Optional[Callable[[], Tuple["Piece", "Piece"]]] = None):
        self.rows = rows
        self.body = body
        self.content_type = content_type
        self._halves = halves

    def halves(self) -> Tuple["Piece", "Piece"]:
        if self._halves is not None:
            return self._halves()
        lines = self.body.rstrip(b"\n").split(b"\n")
        middle = len(lines) // 2
        first, second = lines[:middle], lines[middle:]
        return (Piece(len(first), b"\n".join(first) + b"\n"),
                Piece(len(second), b"\n".join(second) + b"\n"))


class _Work:
    """Rows bound for one endpoint, produced as pieces of at most `batch_rows` rows."""

    def __init__(self, path: str, rows: int, pieces: Callable[[int], Iterator[Piece]]):
        self.path = path
        self.rows = rows
        self.pieces = pieces


class Sender:
    def __init__(self, transport: Transport, *, batch_rows: int = 10_000,
                 max_batch_bytes: int = 8 << 20, flush_interval: float = 1.0,
                 max_queue_rows: int = 1_000_000, retry_timeout: float = 300.0,
                 max_backoff: float = 30.0, raise_errors: bool = False, connections: int = 2,
                 compress: bool = True):
        if batch_rows < 1 or max_queue_rows < 1 or connections < 1:
            raise ValueError("batch_rows, max_queue_rows and connections must be at least 1")
        self._transport = transport
        self.batch_rows = batch_rows  # read by the client, which queues large frames in whole batches
        self._max_batch_bytes = max_batch_bytes
        self._flush_interval = flush_interval
        self._max_queue_rows = max_queue_rows
        self._retry_timeout = retry_timeout
        self._max_backoff = max_backoff
        self._raise_errors = raise_errors
        self._compress = compress
        self._cond = threading.Condition()
        self._queue: Deque[_Work] = collections.deque()
        self._buffers: Dict[str, List[bytes]] = {}  # single rows per endpoint, as NDJSON lines
        self._buffer_started: Optional[float] = None
        self._unsettled_rows = 0  # queued, buffered or in flight
        self._in_flight_ordered: Dict[str, int] = collections.Counter()  # batches, by path
        self._flushing = 0
        self._closing = False
        self._give_up_at: Optional[float] = None
        self._errors: List[errors.TelltaleError] = []
        self._stats: Dict[str, Any] = dict.fromkeys(STAT_COUNTERS, 0)
        self._stats["rejected_by_code"] = collections.Counter()
        self._stats["last_error"] = None
        # Encoded batches wait here for one of `connections` delivery threads, each with its own
        # keep-alive connection, so that encoding and several requests overlap.
        self._ready: "queue.Queue[Tuple[str, bytes, int]]" = queue.Queue(maxsize=connections)
        self._thread = threading.Thread(target=self._run, name="telltale-sender", daemon=True)
        self._thread.start()
        for index in range(connections):
            threading.Thread(target=self._deliver_ready, name=f"telltale-delivery-{index}",
                             daemon=True).start()

    # --- the caller's side -------------------------------------------------------------------

    def submit(self, path: str, rows: int, pieces: Callable[[int], Iterator[Piece]]) -> None:
        """Queues `rows` rows, which `pieces(batch_rows)` yields as request bodies."""
        self.raise_pending()
        with self._cond:
            if self._closing:
                raise errors.TelltaleError("the client is closed")
            if self._unsettled_rows + rows > self._max_queue_rows:
                self._stats["dropped_rows"] += rows
                self._fail(errors.QueueFullError(
                    f"{rows} row(s) for {path} dropped: {self._unsettled_rows} rows already wait "
                    f"(max_queue_rows={self._max_queue_rows})"))
                raise_now = self._raise_errors
            else:
                raise_now = False
                buffered = self._take_buffer(path)  # single rows logged earlier go first
                if buffered is not None:
                    self._queue.append(buffered)
                self._queue.append(_Work(path, rows, pieces))
                self._unsettled_rows += rows
                self._stats["queued_rows"] += rows
                self._cond.notify_all()
        if raise_now:
            self.raise_pending()

    def has_room(self, rows: int) -> bool:
        """Whether `rows` more rows fit in the queue now."""
        with self._cond:
            return self._unsettled_rows + rows <= self._max_queue_rows

    def submit_row(self, path: str, row: Dict[str, Any]) -> None:
        """Buffers one row; buffered rows go out every flush_interval or batch_rows rows."""
        self.raise_pending()
        line = json.dumps(row, separators=(",", ":"), allow_nan=False).encode("utf-8")
        with self._cond:
            if self._closing:
                raise errors.TelltaleError("the client is closed")
            if self._unsettled_rows + 1 > self._max_queue_rows:
                self._stats["dropped_rows"] += 1
                self._fail(errors.QueueFullError(f"a row for {path} was dropped: the queue is full"))
                return
            buffer = self._buffers.setdefault(path, [])
            buffer.append(line)
            if self._buffer_started is None:
                self._buffer_started = time.monotonic()
            self._unsettled_rows += 1
            self._stats["queued_rows"] += 1
            if len(buffer) >= self.batch_rows:
                self._cond.notify_all()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Blocks until every row submitted so far is delivered or given up; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._unsettled_rows > 0:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining)
            finally:
                self._flushing -= 1
        self.raise_pending()
        return True

    def close(self, timeout: Optional[float] = None) -> bool:
        """Delivers what is pending (giving up after `timeout` seconds) and stops the thread."""
        with self._cond:
            if self._closing:
                return self._unsettled_rows == 0
            self._closing = True
            if timeout is not None:
                self._give_up_at = time.monotonic() + timeout
            self._cond.notify_all()
        self._thread.join(None if timeout is None else timeout + 5)
        self._transport.close()
        return self._unsettled_rows == 0

    def stats(self) -> Dict[str, Any]:
        with self._cond:
            out = dict(self._stats)
            out["rejected_by_code"] = dict(self._stats["rejected_by_code"])
            out["pending_rows"] = self._unsettled_rows
            return out

    def raise_pending(self) -> None:
        """With raise_errors=True, raises the first error the sender met since the last call."""
        if not self._raise_errors:
            return
        with self._cond:
            if not self._errors:
                return
            error = self._errors.pop(0)
        raise error

    # --- the sender thread -------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                work = self._next_work()
                while work is None:
                    if self._closing and self._unsettled_rows == 0:
                        return
                    self._cond.wait(self._wait_time())
                    work = self._next_work()
            handed_over = 0
            try:
                for piece in work.pieces(self.batch_rows):
                    if _is_ordered(work.path):
                        self._wait_for_earlier_batches(work.path)
                    self._ready.put((work.path, piece))
                    handed_over += piece.rows
            except Exception as error:  # a conversion bug must not kill the thread
                logger.exception("telltale: could not encode rows for %s", work.path)
                with self._cond:
                    self._stats["dropped_rows"] += work.rows - handed_over
                    self._fail(errors.TelltaleError(f"{work.path}: {error}"))
                self._settle(work.rows - handed_over)

    def _deliver_ready(self) -> None:
        while True:
            path, piece = self._ready.get()
            rows = piece.rows
            try:
                self._deliver(path, piece, retried=False)
            except Exception as error:
                logger.exception("telltale: could not send rows to %s", path)
                with self._cond:
                    self._stats["dropped_rows"] += rows
                    self._fail(errors.TelltaleError(f"{path}: {error}"))
            self._settle(rows, path)

    def _wait_for_earlier_batches(self, path: str) -> None:
        with self._cond:
            while self._in_flight_ordered[path] > 0:
                self._cond.wait()
            self._in_flight_ordered[path] += 1

    def _settle(self, rows: int, path: Optional[str] = None) -> None:
        with self._cond:
            self._unsettled_rows -= rows
            if path is not None and self._in_flight_ordered.get(path):
                self._in_flight_ordered[path] -= 1
            self._cond.notify_all()

    def _next_work(self) -> Optional[_Work]:
        if self._queue:
            return self._queue.popleft()
        if not self._buffers:
            return None
        due = (self._flushing > 0 or self._closing
               or any(len(lines) >= self.batch_rows for lines in self._buffers.values())
               or time.monotonic() - (self._buffer_started or 0) >= self._flush_interval)
        if not due:
            return None
        return self._take_buffer(next(iter(self._buffers)))

    def _take_buffer(self, path: str) -> Optional[_Work]:
        """The rows buffered for `path` as one piece of work, or None when there are none."""
        lines = self._buffers.pop(path, None)
        if not self._buffers:
            self._buffer_started = None
        if lines is None:
            return None

        def pieces(batch_rows: int) -> Iterator[Piece]:
            for start in range(0, len(lines), batch_rows):
                part = lines[start:start + batch_rows]
                yield Piece(len(part), b"\n".join(part) + b"\n")

        return _Work(path, len(lines), pieces)

    def _wait_time(self) -> Optional[float]:
        if self._buffer_started is None:
            return None
        return max(0.0, self._buffer_started + self._flush_interval - time.monotonic())

    def _deliver(self, path: str, piece: Piece, retried: bool) -> None:
        """Sends one body, retrying retryable failures with backoff until retry_timeout."""
        rows = piece.rows
        if len(piece.body) > self._max_batch_bytes and rows > 1:
            self._deliver_halves(path, piece, retried)
            return
        body = piece.body
        headers = {"Content-Type": piece.content_type}
        if self._compress:
            body = gzip.compress(body, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
        started = time.monotonic()
        backoff = 0.25
        attempt = 0
        while True:
            retry_after = None
            try:
                response = self._transport.request("POST", path, body=body, headers=headers)
            except errors.TransportError as error:
                failure: errors.TelltaleError = error
            else:
                if response.status == 200:
                    self._record_answer(path, rows, response.json() or {}, retried or attempt > 0)
                    return
                failure = errors.error_for(response.status,
                                           errors.problem_of(response.body, response.reason),
                                           "POST", path)
                if response.status == 413 and rows > 1:
                    self._deliver_halves(path, piece, retried or attempt > 0)
                    return
                if response.status not in RETRYABLE_STATUSES:
                    self._give_up(path, rows, failure)
                    return
                retry_after = response.retry_after
            now = time.monotonic()
            give_up_at = min(started + self._retry_timeout,
                             self._give_up_at if self._give_up_at is not None else float("inf"))
            if now >= give_up_at:
                self._give_up(path, rows, failure)
                return
            attempt += 1
            with self._cond:
                self._stats["retries"] += 1
                self._stats["last_error"] = str(failure)
            if attempt == 1 or attempt % 10 == 0:
                logger.warning("telltale: %s (retrying %d rows, attempt %d)", failure, rows, attempt)
            pause = retry_after if retry_after is not None else backoff * (0.5 + random.random())
            backoff = min(backoff * 2, self._max_backoff)
            with self._cond:
                # close() shortens the wait so that shutdown is bounded by its timeout
                self._cond.wait_for(lambda: self._give_up_at is not None and
                                    time.monotonic() >= self._give_up_at,
                                    timeout=max(0.0, min(pause, give_up_at - time.monotonic())))

    def _deliver_halves(self, path: str, piece: Piece, retried: bool) -> None:
        for half in piece.halves():
            self._deliver(path, half, retried)

    def _record_answer(self, path: str, rows: int, answer: Dict[str, Any], retried: bool) -> None:
        rejected = answer.get("rejected") or []
        if retried:
            # A retry of a request the server had taken before the connection broke: its rows
            # come back as duplicates of themselves, and were delivered.
            rejected = [row for row in rejected if row.get("code") != "duplicate"]
        with self._cond:
            self._stats["sent_rows"] += rows
            self._stats["accepted_rows"] += rows - len(rejected)
            self._stats["rejected_rows"] += len(rejected)
            for row in rejected:
                self._stats["rejected_by_code"][row.get("code", "unknown")] += 1
            if rejected:
                self._fail(errors.RowsRejectedError(path, rejected))

    def _give_up(self, path: str, rows: int, failure: errors.TelltaleError) -> None:
        with self._cond:
            self._stats["dropped_rows"] += rows
            self._stats["failed_requests"] += 1
            self._fail(failure)

    def _fail(self, error: errors.TelltaleError) -> None:
        """Records an error (the lock is held): logged, counted, and kept for raise_errors."""
        self._stats["errors"] += 1
        self._stats["last_error"] = str(error)
        if isinstance(error, errors.RowsRejectedError):
            logger.warning("telltale: %s", error)
        else:
            logger.error("telltale: %s", error)
        if self._raise_errors:
            self._errors.append(error)
