"""Privacy mode: profiles computed in-process by telltale's C++ core, so that only statistics —
counts, moments, quantile and distinct-count sketches, capped category counts — leave the network.

    profile = telltale.profile(df)                     # no rows in it, only sketches
    version.log_profile(profile, window_start=hour)    # what the server would have built from df
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

from .columns import _text, frame_specs, to_frame
from .schema import field_type

# The drift treatment of each schema type, as the server applies it when it folds rows.
_DRIFT_TYPES = {"numeric": "numerical", "timestamp": "numerical", "embedding": "numerical",
                "categorical": "categorical", "boolean": "categorical", "text": "text"}


class Profile:
    """A serialized dataset profile (the format `telltale profile` writes and the server takes)."""

    def __init__(self, data: bytes):
        self._data = bytes(data)

    @classmethod
    def load(cls, path: str) -> "Profile":
        with open(path, "rb") as file:
            return cls(file.read())

    def to_bytes(self) -> bytes:
        return self._data

    def save(self, path: str) -> None:
        """Writes the profile to a file `telltale check` reads as a reference or current side."""
        with open(path, "wb") as file:
            file.write(self._data)

    def to_dict(self) -> Dict[str, Any]:
        """Rows and per-field statistics, as `telltale profile --show` prints them."""
        from . import _native

        return json.loads(_native.profile_json(self._data))

    @property
    def rows(self) -> int:
        return int(self.to_dict()["rows"])

    def merge(self, other: "Profile") -> "Profile":
        """The profile of both datasets together (profiles of hours make a day, and so on)."""
        from . import _native

        return Profile(_native.merge_profiles(self._data, other._data))

    def __add__(self, other: "Profile") -> "Profile":
        return self.merge(other)


def profile(data: Any, *, schema: Optional[Mapping[str, Mapping[str, Any]]] = None,
            feature_names: Optional[Sequence[str]] = None, threads: int = 1, kll_k: int = 200,
            hll_lg_k: int = 12, category_cap: int = 1000) -> Profile:
    """Profiles a DataFrame (or dict of arrays, or 2-D array with feature_names) in C++.

    schema: the version's schema ({"features": {...}, "predictions": {...}}, e.g. version.schema);
        each field is then treated as the server treats it. Without it, infer_schema's rules
        decide from the dtypes.
    What the profile keeps of values: counts, moments, quantile sketches and distinct-count
    registers; the values of categorical and boolean fields with their counts (up to
    category_cap, then the frequent ones); of text fields no value at all.
    threads: columns profiled in parallel."""
    frame = to_frame(data, "features", feature_names)
    if schema is None:
        schema = {"features": {str(name): field_type(frame[name]) for name in frame.columns}}
    declared = _declared_types(schema)
    columns: List[tuple] = []
    for name, kind, values, dictionary in frame_specs(frame):
        if kind == "json":  # a mixed column: profiled as the server folds it, value by value as text
            kind, dictionary = "string", [_text(json.loads(value)) for value in dictionary]
        columns.append((name, kind, values, dictionary, declared.get(name)))
    from . import _native

    return Profile(_native.profile_columns(columns, len(frame), threads=threads, kll_k=kll_k,
                                           hll_lg_k=hll_lg_k, category_cap=category_cap))


def _declared_types(schema: Mapping[str, Mapping[str, Any]]) -> Dict[str, str]:
    out = {}
    for fields in schema.values():
        for name, kind in fields.items():
            type_name = kind.get("type") if isinstance(kind, Mapping) else kind
            out[name] = _DRIFT_TYPES.get(str(type_name), "numerical")
    return out
