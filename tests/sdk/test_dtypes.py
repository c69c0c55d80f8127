"""The dtype matrix: every kind of column a user logs, checked twice — the NDJSON the SDK sends,
cell by cell, against an independent reading of the DataFrame, and the server's statistics against
pandas'."""
import json

import numpy as np
import pandas as pd
import pytest
import telltale
from column_bodies import COLUMNS

from server_process import ADMIN_TOKEN

N = 600
START = "2026-11-20T10:00:00Z"


def dtype_frame():
    rng = np.random.default_rng(11)
    missing = np.arange(N) % 7 == 3
    floats = rng.normal(5, 2, N)
    frame = pd.DataFrame({
        "i8": rng.integers(-100, 100, N).astype(np.int8),
        "i16": rng.integers(-1000, 1000, N).astype(np.int16),
        "i32": rng.integers(-10**6, 10**6, N).astype(np.int32),
        "i64": rng.integers(-10**12, 10**12, N),
        "u8": rng.integers(0, 255, N).astype(np.uint8),
        "u64": rng.integers(0, 2**40, N).astype(np.uint64),
        "f32": floats.astype(np.float32),
        "f64": np.where(missing, np.nan, floats),
        "nullable_int": pd.array(np.where(missing, None, rng.integers(0, 50, N)), dtype="Int64"),
        "nullable_float": pd.array(np.where(missing, None, floats), dtype="Float64"),
        "nullable_bool": pd.array(np.where(missing, None, rng.random(N) < 0.3), dtype="boolean"),
        "flag": rng.random(N) < 0.5,
        "category": pd.Categorical(np.where(missing, None, rng.choice(["a", "b", "é \"q\"", "d\n"], N))),
        "int_category": pd.Categorical(rng.choice([1, 2, 3], N)),
        "text_object": pd.Series(np.where(missing, None, rng.choice(["x", "y", "z"], N)), dtype=object),
        "string_dtype": pd.array(np.where(missing, None, rng.choice(["p", "q"], N)), dtype="string"),
        "naive_time": pd.Series(pd.date_range("2026-01-01", periods=N, freq="37min")).where(~missing),
        "zoned_time": pd.date_range("2026-03-29 00:00", periods=N, freq="7min", tz="Europe/Berlin"),
        "embedding": [None if m else rng.normal(0, 1, 4) for m in missing],
        "embedding_list": [list(rng.normal(0, 1, 3)) for _ in range(N)],
    })
    return frame


EXPECTED_TYPES = {
    "i8": "numeric", "i16": "numeric", "i32": "numeric", "i64": "numeric", "u8": "numeric",
    "u64": "numeric", "f32": "numeric", "f64": "numeric", "nullable_int": "numeric",
    "nullable_float": "numeric", "nullable_bool": "boolean", "flag": "boolean",
    "category": "categorical", "int_category": "categorical", "text_object": "categorical",
    "string_dtype": "categorical", "naive_time": "timestamp", "zoned_time": "timestamp",
    "embedding": {"type": "embedding", "dimension": 4},
    "embedding_list": {"type": "embedding", "dimension": 3},
}


def reference_cell(value):
    """What one cell must become in the JSON row, read independently of the SDK: None = absent."""
    if isinstance(value, (list, np.ndarray)):
        return [float(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value if value.tzinfo else value.tz_localize("UTC")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return str(value)


def test_infer_schema_maps_each_dtype_to_its_field_type():
    assert telltale.infer_schema(dtype_frame())["features"] == EXPECTED_TYPES


def test_every_dtype_is_sent_cell_by_cell_as_the_data_says(client, proxy):
    frame = dtype_frame()
    sdk = telltale.Client(proxy.url, token=ADMIN_TOKEN, raise_errors=True)
    model = sdk.create_model("dtypes", task="regression")
    version = model.create_version("v1", schema=telltale.infer_schema(frame, predictions=pd.Series(np.zeros(N), name="y")))
    ids = [f"r{i}" for i in range(N)]
    version.log_predictions(ids, frame, np.linspace(0, 1, N), timestamps=START)
    assert sdk.flush(30)
    sdk.close()

    assert all(headers["Content-Type"] == COLUMNS for method, path, headers, _ in proxy.requests
               if method == "POST" and path.endswith("/predictions"))
    lines = proxy.rows("/predictions")
    assert [row["id"] for row in lines] == ids
    for i, row in enumerate(lines):
        assert row["timestamp"] == START
        assert row["predictions"]["y"] == pytest.approx(i / (N - 1))
        for name in frame.columns:
            want = reference_cell(frame[name].iloc[i])
            got = row["features"].get(name)
            if want is None:
                assert got is None, (name, i, got)
            elif isinstance(want, pd.Timestamp):
                assert pd.Timestamp(got) == want, (name, i, got)
            elif isinstance(want, float):
                assert got == pytest.approx(want, rel=1e-15), (name, i)
            else:
                assert got == want, (name, i, got)

    # The server took every row, found no type error, and its statistics are pandas'.
    api = client._transport
    summary = api.call("GET", "/api/v1/models/dtypes/versions/v1/summary",
                       params={"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"})
    assert summary["rows"] == N
    assert summary["integrity"]["type_errors"] == {}
    v = telltale.Client(client.url, token=ADMIN_TOKEN).model("dtypes").version("v1")
    for name in ("i8", "i64", "u64", "f32", "f64", "nullable_int", "nullable_float"):
        mean = v.metric(name, "mean", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")["value"].iloc[0]
        assert mean == pytest.approx(frame[name].astype("float64").mean(), rel=1e-9), name
    for name in ("f64", "nullable_bool", "category", "string_dtype", "naive_time", "embedding"):
        ratio = v.metric(name, "missing_ratio", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")["value"].iloc[0]
        assert ratio == pytest.approx(frame[name].isna().mean()), name
    norms = frame["embedding_list"].map(np.linalg.norm)
    mean_norm = v.metric("embedding_list", "mean", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")["value"].iloc[0]
    assert mean_norm == pytest.approx(norms.mean(), rel=1e-9)


@pytest.mark.parametrize("shape", ["dict_of_arrays", "list_of_dicts", "ndarray_with_names"])
def test_other_input_shapes_log_the_same_rows(client, shape):
    model = client.create_model("shapes", task="regression")
    version = model.create_version("v1", schema={"features": {"a": "numeric", "b": "categorical"},
                                                 "predictions": {"y": "numeric"}})
    a = np.array([1.5, 2.5, np.nan, 4.0])
    b = ["u", "v", "u", None]
    y = np.array([0.1, 0.2, 0.3, 0.4])
    ids = [f"{shape}-{i}" for i in range(4)]
    if shape == "dict_of_arrays":
        version.log_predictions(ids, {"a": a, "b": b}, y, timestamps=START)
    elif shape == "list_of_dicts":
        rows = [{"a": None if np.isnan(x) else x, "b": c} for x, c in zip(a, b)]
        version.log_predictions(ids, rows, list(y), timestamps=START)
    else:
        version.log_predictions(ids, np.column_stack([a, [0, 1, 0, 1]]), y, timestamps=START,
                                feature_names=["a", "c"])
    assert client.flush(30)
    stats = client.stats()
    assert stats["accepted_rows"] == 4 and stats["rejected_rows"] == 0
    got = version.metric("a", "mean", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
    assert got["value"].iloc[0] == pytest.approx(np.nanmean(a))
    assert got["rows"].iloc[0] == 4


def test_a_two_dimensional_array_without_names_is_refused_in_the_callers_thread(client):
    version = client.create_model("noname").create_version("v1", schema={"features": {"a": "numeric"}})
    with pytest.raises(ValueError, match="needs names"):
        version.log_predictions(None, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="same number of rows"):
        version.log_predictions(None, pd.DataFrame({"a": [1, 2]}), np.zeros(3))
