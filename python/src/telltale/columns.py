"""Turning what users log — DataFrames, Series, numpy arrays, dicts of arrays — into columns the
native encoder and profiler read: (name, kind, values, dictionary) with values a numpy array.

Everything here is vectorized (pandas and numpy do the per-value work); the only Python loops run
over columns or over distinct values, never over rows.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

ColumnSpec = Tuple[str, str, Any, Optional[List[str]]]

# How a row's group of fields is named in the server's row format.
ROLES = ("features", "predictions", "actuals", "raw")
# Default names for a single unnamed column in each role.
DEFAULT_NAMES = {"features": "feature", "predictions": "prediction", "actuals": "actual", "raw": "raw"}


def pandas():
    try:
        import pandas as pd
    except ImportError as error:  # pragma: no cover - exercised only without pandas
        raise ImportError("logging DataFrames and arrays needs pandas and numpy: "
                          "pip install 'telltale[pandas]'") from error
    return pd


def is_tabular(data: Any) -> bool:
    """True for inputs that take the columnar path (anything but a list of row dicts)."""
    if data is None:
        return False
    if isinstance(data, Mapping):
        return True
    if isinstance(data, (list, tuple)):
        return not data or not isinstance(data[0], Mapping)
    return True


def to_frame(data: Any, role: str, names: Optional[Sequence[str]] = None):
    """`data` as a DataFrame with named columns. A Series keeps its name; an unnamed 1-D input takes
    the only name in `names` or the role's default; a 2-D array needs `names` (one per column)."""
    pd = pandas()
    import numpy as np

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else _single_name(role, names)
        return data.rename(name).to_frame()
    if isinstance(data, Mapping):
        return pd.DataFrame({str(k): _as_column(v) for k, v in data.items()})
    array = np.asarray(data) if not isinstance(data, np.ndarray) else data
    if array.ndim == 1:
        return pd.DataFrame({_single_name(role, names): array})
    if array.ndim == 2:
        if names is None or len(names) != array.shape[1]:
            raise ValueError(
                f"{role}: a 2-D array of {array.shape[1]} columns needs names; pass a DataFrame "
                f"or feature_names= with {array.shape[1]} names")
        return pd.DataFrame(array, columns=list(names))
    raise ValueError(f"{role}: expected a DataFrame, Series, dict of arrays or an array of 1 or 2 "
                     f"dimensions, got {array.ndim} dimensions")


def _as_column(values: Any):
    import numpy as np

    if isinstance(values, np.ndarray) and values.ndim == 2:
        return list(values)  # an embedding given as rows x dimension
    return values


def _single_name(role: str, names: Optional[Sequence[str]]) -> str:
    if names is not None and len(names) == 1:
        return names[0]
    return DEFAULT_NAMES[role]


def series_spec(name: str, series) -> ColumnSpec:
    """One column: booleans, numbers, timestamps (UTC nanoseconds), embeddings (rows x dimension)
    or strings (pandas.factorize codes and the distinct values)."""
    pd = pandas()
    import numpy as np
    from pandas.api import types

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if types.is_numeric_dtype(dtype.categories.dtype):
            series = series.astype(dtype.categories.dtype if not types.is_integer_dtype(
                dtype.categories.dtype) else "float64")
            dtype = series.dtype
        else:
            codes = series.cat.codes.to_numpy(dtype=np.int64)
            return name, "string", codes, [str(value) for value in dtype.categories]
    if types.is_bool_dtype(dtype):
        return name, "boolean", series.to_numpy(dtype=np.float64, na_value=np.nan), None
    if types.is_datetime64_any_dtype(dtype):
        return name, "timestamp", _nanoseconds(series), None
    if types.is_timedelta64_dtype(dtype):
        return name, "number", series.dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan), None
    if types.is_numeric_dtype(dtype):
        return name, "number", series.to_numpy(dtype=np.float64, na_value=np.nan), None
    inferred = types.infer_dtype(series, skipna=True)
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        return name, "number", pd.to_numeric(series).to_numpy(dtype=np.float64, na_value=np.nan), None
    if inferred == "boolean":
        return name, "boolean", series.astype("boolean").to_numpy(dtype=np.float64, na_value=np.nan), None
    if inferred in ("datetime", "datetime64", "date"):
        return name, "timestamp", _nanoseconds(pd.to_datetime(series, utc=True)), None
    if inferred == "mixed":
        embedding = _embedding(series)
        if embedding is not None:
            return name, "embedding", embedding, None
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    if inferred.startswith("mixed"):
        # Numbers and strings in one column (often an upstream bug): each value keeps its own
        # JSON type, so the server sees which cells are wrong, not that all of them are.
        return name, "json", codes, [json.dumps(plain_value(value)) for value in uniques]
    return name, "string", codes, [_text(value) for value in uniques]


def plain_value(value: Any) -> Any:
    """A single value as JSON can hold it: numpy scalars as Python numbers, NaN, NaT and NA as
    None, datetimes as RFC 3339, arrays as lists."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:
        pass
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return plain_value(value.tolist())
    if hasattr(value, "isoformat"):
        from .timestamps import to_rfc3339

        return to_rfc3339(value)
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _nanoseconds(series):
    import numpy as np

    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _embedding(series):
    """Rows x dimension float64 for a column of equal-length lists or arrays (NaN rows for missing
    cells), or None when the column holds something else."""
    import numpy as np

    present = series.notna().to_numpy() if series.dtype != object else \
        np.fromiter((v is not None and not (isinstance(v, float) and v != v) for v in series),
                    dtype=bool, count=len(series))
    values = series.to_numpy()[present]
    if len(values) == 0 or not isinstance(values[0], (list, tuple, np.ndarray)):
        return None
    try:
        stacked = np.stack([np.asarray(v, dtype=np.float64) for v in values])
    except (ValueError, TypeError):
        return None
    if stacked.ndim != 2:
        return None
    out = np.full((len(series), stacked.shape[1]), np.nan)
    out[present] = stacked
    return out


def frame_specs(frame) -> List[ColumnSpec]:
    return [series_spec(str(name), frame[name]) for name in frame.columns]


def id_strings(ids: Any, rows: int) -> List[str]:
    """Ids as strings, one per row."""
    pd = pandas()
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids) if not hasattr(ids, "__len__") else ids)
    if len(series) != rows:
        raise ValueError(f"expected {rows} ids (one per row), got {len(series)}")
    if series.isna().any():
        raise ValueError(f"ids: row {int(series.isna().to_numpy().argmax())} has no id")
    return series.astype(str).tolist()


def timestamp_nanoseconds(timestamps: Any, rows: int):
    """Event times as UTC nanoseconds since the epoch: one per row, or one for every row. Numbers
    are Unix seconds; naive times are UTC."""
    pd = pandas()
    import datetime
    import numpy as np

    if isinstance(timestamps, (str, int, float, datetime.datetime, np.datetime64)):
        if isinstance(timestamps, (int, float)):
            time = pd.Timestamp(timestamps, unit="s")
        else:
            time = pd.Timestamp(timestamps)
        if time.tz is None:
            time = time.tz_localize("UTC")
        return np.full(rows, time.value, dtype=np.int64)
    series = timestamps if isinstance(timestamps, pd.Series) else pd.Series(timestamps)
    if len(series) != rows:
        raise ValueError(f"expected {rows} timestamps (one per row), got {len(series)}")
    if types_is_numeric(series):
        times = pd.to_datetime(series, unit="s", utc=True)
    else:
        times = pd.to_datetime(series, utc=True, format="mixed")
    return np.ascontiguousarray(_nanoseconds(times.reset_index(drop=True)))


def types_is_numeric(series) -> bool:
    from pandas.api import types

    return types.is_numeric_dtype(series.dtype) and not types.is_bool_dtype(series.dtype)
