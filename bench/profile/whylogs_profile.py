"""whylogs' side of bench/profile: read the CSV with pandas and profile it with why.log(df).

Usage: python whylogs_profile.py DATA.csv   (prints the seconds spent in why.log alone)
"""
import os
import sys
import time

os.environ.setdefault("WHYLOGS_NO_ANALYTICS", "True")

import pandas as pd  # noqa: E402
import whylogs as why  # noqa: E402


def main() -> None:
    frame = pd.read_csv(sys.argv[1])
    start = time.perf_counter()
    results = why.log(frame)
    seconds = time.perf_counter() - start
    assert len(results.view().get_columns()) == frame.shape[1]
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    main()
