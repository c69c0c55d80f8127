"""Writes the benchmark pair: reference.csv and current.csv, ROWS rows x 20 numerical + 5 categorical
columns each; in current.csv 6 numerical and 2 categorical columns drifted.

Usage: python bench/generate_data.py DIRECTORY [ROWS]   (ROWS defaults to 1,000,000)
"""
import sys
from pathlib import Path

import numpy as np
import pandas as pd

NUMERICAL = 20
CATEGORICAL = 5
DRIFTED_NUMERICAL = 6
DRIFTED_CATEGORICAL = 2


def frame(rng: np.random.Generator, rows: int, drifted: bool) -> pd.DataFrame:
    columns = {}
    for i in range(NUMERICAL):
        shift = 0.5 if drifted and i < DRIFTED_NUMERICAL else 0.0
        kind = i % 4
        if kind == 0:
            values = rng.normal(shift, 1, rows)
        elif kind == 1:
            values = rng.lognormal(shift, 0.7, rows)
        elif kind == 2:
            values = rng.uniform(shift, 10 + shift, rows)
        else:
            values = rng.exponential(1 + shift, rows)
        columns[f"num_{i:02d}"] = values
    for i in range(CATEGORICAL):
        cardinality = (5, 12, 30, 50, 8)[i]
        weights = np.linspace(1, 3, cardinality)
        if drifted and i < DRIFTED_CATEGORICAL:
            weights = weights[::-1]
        columns[f"cat_{i}"] = rng.choice([f"{chr(97 + i)}{k}" for k in range(cardinality)], rows,
                                         p=weights / weights.sum())
    return pd.DataFrame(columns)


def main() -> None:
    directory = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261124)
    for name, drifted in (("reference.csv", False), ("current.csv", True)):
        frame(rng, rows, drifted).to_csv(directory / name, index=False, float_format="%.7g")


if __name__ == "__main__":
    main()
