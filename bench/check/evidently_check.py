"""Evidently's side of bench/check: DataDriftPreset on the two CSV files, as a user would run it.

Usage: python evidently_check.py REFERENCE.csv CURRENT.csv OUT.json
Writes {"columns": {name: [method, score, threshold]}, "drifted_count": n}.
"""
import json
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")

from evidently import Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402


def main() -> None:
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    snapshot = Report([DataDriftPreset()]).run(current, reference)
    columns = {}
    drifted_count = None
    for metric in snapshot.dict()["metrics"]:
        config = metric["config"]
        if config.get("type") == "evidently:metric_v2:ValueDrift":
            columns[config["column"]] = [config["method"], metric["value"], config["threshold"]]
        elif "DriftedColumnsCount" in metric["metric_name"]:
            drifted_count = int(metric["value"]["count"])
    with open(sys.argv[3], "w") as out:
        json.dump({"columns": columns, "drifted_count": drifted_count}, out)


if __name__ == "__main__":
    main()
