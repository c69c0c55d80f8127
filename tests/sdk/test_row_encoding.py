"""The native encoders on the edges — escaping, times around the epoch, empty groups — with the
columnar body of every batch read back to the same rows as its NDJSON."""
import json

import numpy as np
import pandas as pd
from column_bodies import COLUMNS, rows_of
from telltale import _native

NAT = np.iinfo(np.int64).min


def encode(rows, ids, timestamps, groups):
    """The rows as NDJSON, after checking that the columnar body of the same batch holds the same."""
    ndjson = [json.loads(line) for line in _native.RowBatch(rows, ids, timestamps, groups).encode(0, rows).splitlines()]
    columnar = _native.RowBatch(rows, ids, timestamps, groups, columnar=True)
    assert columnar.content_type == COLUMNS
    assert rows_of(columnar.encode(0, rows)) == ndjson
    return ndjson


def test_strings_and_names_are_escaped_as_json():
    texts = ['quote " and backslash \\', "tab\tnew\nline\x01", "naïve ünïcode ✓", ""]
    codes = np.array([0, 1, 2, 3], dtype=np.int64)
    rows = encode(4, ['id "1"', "id\n2", "ид3", "4"], None,
                  [("features", [('we"ird\nname', "string", codes, texts)])])
    assert [row["id"] for row in rows] == ['id "1"', "id\n2", "ид3", "4"]
    assert [row["features"]['we"ird\nname'] for row in rows] == texts


def test_times_are_rfc3339_utc_with_microseconds_when_they_have_them():
    stamps = pd.to_datetime(["1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.000001Z",
                             "2262-04-11T23:47:16Z", "1677-09-21T00:12:44Z"], utc=True, format="ISO8601")
    ns = stamps.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64).copy()
    rows = encode(5, None, ns, [("features", [("at", "timestamp", ns, None)])])
    assert [row["timestamp"] for row in rows] == [
        "1969-12-31T23:59:59.500000Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.000001Z",
        "2262-04-11T23:47:16Z", "1677-09-21T00:12:44Z"]
    assert [pd.Timestamp(row["features"]["at"]) for row in rows] == list(stamps)


def test_missing_cells_are_left_out_and_an_empty_group_with_them():
    numbers = np.array([1.5, np.nan, np.inf])
    flags = np.array([np.nan, 1.0, 0.0])
    embedding = np.array([[1.0, 2.0], [np.nan, np.nan], [0.5, -0.5]])
    stamps = np.array([NAT, 0, NAT], dtype=np.int64)
    rows = encode(3, ["a", "b", "c"], stamps, [
        ("features", [("x", "number", numbers, None), ("flag", "boolean", flags, None)]),
        ("predictions", [("vec", "embedding", embedding, None)]),
    ])
    assert rows[0] == {"id": "a", "features": {"x": 1.5}, "predictions": {"vec": [1.0, 2.0]}}
    assert rows[1] == {"id": "b", "timestamp": "1970-01-01T00:00:00Z", "features": {"flag": True}}
    assert rows[2] == {"id": "c", "features": {"flag": False}, "predictions": {"vec": [0.5, -0.5]}}


def test_numbers_keep_every_digit():
    values = np.array([0.1, 1 / 3, 1e-310, 5e-324, 2.0**53 + 2, -0.0, 123456789.125, 1e21, 1e-7, -2.5e-5,
                       1.7976931348623157e308, 12345678901234567890.0])
    rows = encode(len(values), None, None, [("features", [("x", "number", values, None)])])
    assert [row["features"]["x"] for row in rows] == list(values)


def test_every_double_reads_back_bit_for_bit():
    rng = np.random.default_rng(5)
    bits = rng.integers(0, 2**63, size=200_000, dtype=np.int64).view(np.float64)
    short = rng.integers(-10**9, 10**9, size=100_000) / 10.0 ** rng.integers(0, 20, size=100_000)
    scaled = np.ldexp(rng.integers(1, 1000, size=50_000).astype(float), rng.integers(-60, 60, size=50_000))
    values = np.concatenate([bits, -bits, short, scaled])
    values = values[np.isfinite(values) & (values != 0)]
    rows = encode(len(values), None, None, [("features", [("x", "number", values, None)])])
    decoded = np.array([float(row["features"]["x"]) for row in rows])
    assert decoded.view(np.int64).tolist() == values.view(np.int64).tolist()


def test_bad_specs_fail_with_the_column_named():
    import pytest

    with pytest.raises(ValueError, match="column 'x': expected 3 rows"):
        _native.RowBatch(3, None, None, [("features", [("x", "number", np.zeros(2), None)])])
    with pytest.raises(ValueError, match="column 'c': a code is outside the dictionary"):
        _native.RowBatch(1, None, None, [("features", [("c", "string", np.array([5]), ["a"])])])
    with pytest.raises(ValueError, match="unknown column kind 'blob'"):
        _native.RowBatch(1, None, None, [("features", [("c", "blob", np.zeros(1), None)])])


def test_a_large_frame_is_queued_in_chunks_that_keep_each_row_whole(monkeypatch):
    import telltale
    from telltale import client as client_module

    monkeypatch.setattr(client_module, "_CHUNK_ROWS", 7)  # with batches of 3 rows: chunks of 9
    client = telltale.Client("http://127.0.0.1:9", batch_rows=3)
    queued = []
    monkeypatch.setattr(client._sender, "submit",
                        lambda path, rows, pieces: queued.append((path, rows, list(pieces(3)))))
    version = telltale.Version(telltale.Model(client, {"name": "m"}), {"version": "v1", "schema": {}})
    rows = 40
    frame = pd.DataFrame({"x": np.arange(rows, dtype=float),
                          "city": [f"city-{i}" for i in range(rows)],  # a dictionary per chunk
                          "kind": pd.Categorical(["a", "b"] * (rows // 2)),
                          "at": pd.date_range("2026-11-20", periods=rows, freq="min", tz="UTC")})
    stamps = pd.date_range("2026-11-21", periods=rows, freq="s", tz="UTC")
    version.log_predictions([f"id-{i}" for i in range(rows)], frame, np.linspace(0, 1, rows),
                            timestamps=stamps)
    model = telltale.Model(client, {"name": "m"})
    model.log_actuals([f"id-{i}" for i in range(rows)], pd.DataFrame({"label": np.arange(rows) % 2 == 0}))
    client.close(timeout=0)

    predictions = [(rows, pieces) for path, rows, pieces in queued if path.endswith("/predictions")]
    assert [rows for rows, _ in predictions] == [9, 9, 9, 9, 4]
    assert all(piece.content_type == COLUMNS for _, pieces in predictions for piece in pieces)
    lines = [row for _, pieces in predictions for piece in pieces for row in rows_of(piece.body)]
    assert [line["id"] for line in lines] == [f"id-{i}" for i in range(rows)]
    for i, line in enumerate(lines):
        assert pd.Timestamp(line["timestamp"]) == stamps[i]
        assert line["features"] == {"x": i, "city": f"city-{i}", "kind": "ab"[i % 2],
                                    "at": frame["at"][i].strftime("%Y-%m-%dT%H:%M:%SZ")}
        assert line["predictions"]["prediction"] == np.linspace(0, 1, rows)[i]
    actuals = [json.loads(line) for path, _, pieces in queued if path.endswith("/actuals")
               for piece in pieces for line in piece.body.splitlines()]
    assert actuals == [{"id": f"id-{i}", "actuals": {"label": i % 2 == 0}} for i in range(rows)]
