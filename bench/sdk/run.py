"""bench/sdk: the Python SDK on the 1,000,000-row x 25-column frame of bench/data, in one run.

1. Caller-thread overhead of version.log_predictions(ids, frame) per row (target <= 2 us), next to
   pandas' own frame.to_json(orient="records", lines=True) on the same frame, the least any
   JSON-speaking client must spend.
2. End to end into a real `telltale serve` on loopback: from the call until flush() returns, every
   row acknowledged durable (target >= 300,000 rows/s).
3. telltale.profile(frame) against whylogs' why.log(frame), same frame, same process (target >= 20x).

Usage: make bench-sdk   (or: bench/.venv/bin/python bench/sdk/run.py [--rows N])
"""
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("WHYLOGS_NO_ANALYTICS", "True")

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

import pandas as pd  # noqa: E402
import telltale  # noqa: E402
import whylogs as why  # noqa: E402

from bench_data import prepare  # noqa: E402
from telltale_server import TOKEN, start_server  # noqa: E402


def best_of(runs, work):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows, _, current = prepare(__doc__.splitlines()[0])
    frame = pd.read_csv(current)
    ids = [f"req-{i}" for i in range(rows)]
    print(f"\nsdk: {rows} rows x {frame.shape[1]} columns")

    to_json = best_of(1, lambda: frame.to_json(orient="records", lines=True))
    scratch = Path(tempfile.mkdtemp(prefix="telltale-bench-sdk-"))
    server, url = start_server(scratch / "data")
    try:
        client = telltale.Client(url, token=TOKEN, raise_errors=True)
        version = client.create_model("bench", task="regression").create_version(
            "v1", schema=telltale.infer_schema(frame))
        start = time.perf_counter()
        version.log_predictions(ids, frame)
        caller = time.perf_counter() - start
        assert client.flush(600)
        end_to_end = time.perf_counter() - start
        stats = client.stats()
        client.close()
        assert stats["accepted_rows"] == rows, stats
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(scratch, ignore_errors=True)

    ours = best_of(3, lambda: telltale.profile(frame))
    theirs = best_of(1, lambda: why.log(frame))

    print(f"{'':38}{'seconds':>10}{'per row':>12}")
    print(f"{'log_predictions, caller thread':38}{caller:10.3f}{caller / rows * 1e6:10.2f} us")
    print(f"{'pandas to_json (records, lines)':38}{to_json:10.3f}{to_json / rows * 1e6:10.2f} us")
    print(f"{'log_predictions until flush() returns':38}{end_to_end:10.3f}{end_to_end / rows * 1e6:10.2f} us")
    print(f"{'telltale.profile(frame)':38}{ours:10.3f}{ours / rows * 1e6:10.2f} us")
    print(f"{'whylogs why.log(frame)':38}{theirs:10.3f}{theirs / rows * 1e6:10.2f} us")
    print(f"caller overhead {caller / rows * 1e6:.2f} us/row, 1/{to_json / caller:.1f} of pandas to_json; "
          f"end to end {rows / end_to_end:,.0f} rows/s; "
          f"profile {theirs / ours:.1f}x faster than whylogs")


if __name__ == "__main__":
    main()
