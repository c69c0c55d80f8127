"""The peer of bench/actuals: delayed labels joined by id in SQLite, the store a team would reach for
first. Run by run.py as a process of its own, on the same machine in the same run.

The same work as telltale is given, as far as SQLite can do it: the same number of predictions (the
same 12-digit ids, an event time and a score each) in a table keyed by id (`WITHOUT ROWID`, so a
lookup is one B-tree search), then actuals for the same ids in the same shuffled order of each
round, one transaction of 1,000 `UPDATE ... WHERE id = ?` per request, each committed durably
(`journal_mode=WAL`, `synchronous=FULL`: telltale also acknowledges a request once it is fsync'd);
a page cache as large as telltale's block cache (256 MiB). SQLite does less than telltale does
with each actual: it keeps no per-window or per-segment counts, and reads nothing to know whether
the label replaces an earlier one.

Then the daily F1 series over 90 days of hourly labelled predictions (40 an hour, as run.py logs
them to telltale), computed by one query over a table with an index on the event time.

Prints one JSON object: load time, table bytes per prediction, actuals per second per round, the
F1 query's median and worst time.
"""
import argparse
import json
import os
import random
import sqlite3
import statistics
import time

ID_DIGITS = 12


def shuffled_ids(first, count):
    """The ids telltale_load posts actuals for, in a shuffled order of the same kind."""
    ids = list(range(first, first + count))
    random.Random(42).shuffle(ids)
    return [str(i).zfill(ID_DIGITS) for i in ids]


F1_BY_DAY = """
SELECT event_time / 86400 AS day,
       2.0 * SUM(score >= 0.5 AND label) /
       NULLIF(2 * SUM(score >= 0.5 AND label) + SUM(score >= 0.5 AND NOT label)
              + SUM(score < 0.5 AND label), 0) AS f1
FROM labelled WHERE event_time >= ? AND event_time < ? GROUP BY day ORDER BY day"""


def f1_series_query(db, days=90, rows_per_hour=40, samples=20):
    """Median and worst milliseconds of the daily F1 series over `days` of hourly rows."""
    db.execute("CREATE TABLE labelled (event_time INTEGER NOT NULL, score REAL NOT NULL, label INTEGER NOT NULL)")
    db.execute("CREATE INDEX labelled_by_time ON labelled (event_time)")
    rng = random.Random(2)
    end = int(time.time()) // 3600 * 3600
    start = end - days * 86400
    rows = []
    for hour in range(days * 24):
        for _ in range(rows_per_hour):
            score = rng.random()
            rows.append((start + hour * 3600 + 1800, score, int(rng.random() < score)))
    db.execute("BEGIN")
    db.executemany("INSERT INTO labelled VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        points = db.execute(F1_BY_DAY, (start, end)).fetchall()
        times.append(time.perf_counter() - began)
    if len(points) < days:
        raise SystemExit(f"sqlite: {len(points)} daily F1 points for {days} days")
    return {"days": days, "rows": len(rows), "points": len(points),
            "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="the database file (replaced)")
    parser.add_argument("--predictions", type=int, default=10_000_000)
    parser.add_argument("--actuals", type=int, default=6_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--first-id", type=int, default=100_000_000_000)
    parser.add_argument("--rows", type=int, default=1000, help="actuals per transaction")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA cache_size=-262144")
    db.execute("CREATE TABLE predictions (id TEXT PRIMARY KEY, event_time INTEGER NOT NULL, "
               "score REAL NOT NULL, label INTEGER, labelled_at INTEGER) WITHOUT ROWID")

    began = time.perf_counter()
    now = int(time.time())
    rng = random.Random(1)
    batch = 100_000
    for start in range(0, args.predictions, batch):
        db.execute("BEGIN")
        db.executemany("INSERT INTO predictions (id, event_time, score) VALUES (?, ?, ?)",
                       ((str(args.first_id + i).zfill(ID_DIGITS), now - rng.randrange(7200), rng.random())
                        for i in range(start, min(start + batch, args.predictions))))
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    load_seconds = time.perf_counter() - began
    table_bytes = os.path.getsize(args.db)

    per_round = args.actuals // args.rounds
    rounds = []
    for n in range(args.rounds):
        ids = shuffled_ids(args.first_id + n * per_round, per_round)
        began = time.perf_counter()
        joined = 0
        for start in range(0, len(ids), args.rows):
            db.execute("BEGIN")
            cursor = db.executemany("UPDATE predictions SET label = ?, labelled_at = ? WHERE id = ?",
                                    ((i & 1, now, id_) for i, id_ in enumerate(ids[start:start + args.rows])))
            joined += cursor.rowcount
            db.execute("COMMIT")
        seconds = time.perf_counter() - began
        if joined != len(ids):
            raise SystemExit(f"sqlite: {len(ids):,} actuals sent, {joined:,} joined")
        rounds.append({"rows": joined, "seconds": seconds, "rows_per_second": joined / seconds})
    query = f1_series_query(db)
    db.close()
    print(json.dumps({"predictions": args.predictions, "load_seconds": load_seconds,
                      "table_bytes": table_bytes, "table_bytes_per_prediction": table_bytes / args.predictions,
                      "actuals_rounds": rounds,
                      "actuals_per_second": sum(r["rows"] for r in rounds) / sum(r["seconds"] for r in rounds),
                      "f1_query": query}))


if __name__ == "__main__":
    main()
