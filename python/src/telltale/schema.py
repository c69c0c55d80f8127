"""Describing a version: infer_schema from the frames a model was trained on, and Segment."""
from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

from .columns import ROLES, pandas, to_frame

# A string column with more distinct values than this share of its values is free text.
TEXT_DISTINCT_SHARE = 0.5


def infer_schema(features: Any, predictions: Any = None, actuals: Any = None, raw: Any = None,
                 *, feature_names: Optional[Sequence[str]] = None,
                 query_id: Optional[str] = None) -> Dict[str, Any]:
    """The schema of a version from example data: {"features": {name: type}, "predictions": ...}.

    Types follow the data's dtypes: booleans -> boolean, numbers -> numeric, datetimes ->
    timestamp, pandas categories -> categorical, lists or arrays of numbers -> embedding with
    their dimension, and strings -> categorical, or text when most values are distinct.
    `query_id` names the feature or raw field that groups a ranking model's rows into queries."""
    schema: Dict[str, Any] = {}
    for role, data in zip(ROLES, (features, predictions, actuals, raw)):
        if data is None:
            continue
        frame = to_frame(data, role, feature_names if role == "features" else None)
        schema[role] = {str(name): field_type(frame[name]) for name in frame.columns}
    if query_id is not None:
        schema["query_id"] = query_id
    return schema


def class_text(label: Any) -> str:
    """A class label as the server keeps it: true/false, numbers in their shortest form."""
    if hasattr(label, "item") and not isinstance(label, str):
        label = label.item()  # a NumPy scalar as the Python value
    if isinstance(label, bool):
        return "true" if label else "false"
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def field_type(series) -> Any:
    from .columns import series_spec

    pd = pandas()
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "categorical"
    name, kind, values, dictionary = series_spec(str(series.name), series)
    if kind == "number":
        return "numeric"
    if kind == "boolean":
        return "boolean"
    if kind == "timestamp":
        return "timestamp"
    if kind == "embedding":
        return {"type": "embedding", "dimension": int(values.shape[1])}
    present = int((values >= 0).sum())
    if present >= 20 and len(dictionary or ()) > TEXT_DISTINCT_SHARE * present:
        return "text"
    return "categorical"


class Segment:
    """A named slice of the traffic, computed by the server for every window.

    Segment("DE", country=["DE"])                      a categorical field in a set of values
    Segment("age 30-40", age={"gte": 30, "lt": 40})    a numeric field in a range (gt, gte, lt, lte)
    Segment("adults", age=slice(18, None))             the same as {"gte": 18}
    Conditions on several fields must all hold."""

    def __init__(self, name: str, **where: Any):
        if not where:
            raise ValueError(f"segment {name!r} needs at least one condition, e.g. country=['US']")
        self.name = name
        self.where: Dict[str, Any] = {}
        for field, condition in where.items():
            if isinstance(condition, slice):
                bounds = {}
                if condition.start is not None:
                    bounds["gte"] = condition.start
                if condition.stop is not None:
                    bounds["lt"] = condition.stop
                condition = bounds
            elif isinstance(condition, (str, int, float, bool)):
                condition = [condition]
            elif not isinstance(condition, dict):
                condition = list(condition)
            self.where[field] = condition

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name, "where": self.where}

    def __repr__(self) -> str:
        return f"Segment({self.name!r}, {self.where!r})"
