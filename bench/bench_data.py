"""The data files bench/check and bench/profile run on: parses their --rows/--data options and
generates the pair (generate_data.py) the first time a size is asked for."""
import argparse
import sys
from pathlib import Path

from measure import measure

BENCH = Path(__file__).resolve().parent


def prepare(description: str) -> tuple[int, Path, Path]:
    """Returns (rows, reference.csv, current.csv) for the command line's --rows and --data."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    args = parser.parse_args()
    data = args.data / str(args.rows)
    reference, current = data / "reference.csv", data / "current.csv"
    if not (reference.exists() and current.exists()):
        print(f"generating {args.rows} rows x 25 columns in {data} ...", flush=True)
        measure([sys.executable, str(BENCH / "generate_data.py"), str(data), str(args.rows)])
    # Read once so that every tool measured starts with the files in the page cache.
    for path in (reference, current):
        with open(path, "rb") as file:
            while file.read(1 << 24):
                pass
    return args.rows, reference, current
