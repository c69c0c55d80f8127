"""bench/profile: `telltale profile` against whylogs' why.log(df) on the same 1,000,000-row CSV file.

whylogs needs the file in a DataFrame first, so its time is reported twice: why.log alone, and
pandas.read_csv plus why.log (what telltale's single command does). Peak memory is per process.

Usage: python bench/profile/run.py [--rows N] [--data DIR]   (run by `make bench-profile`)
"""
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from bench_data import prepare  # noqa: E402
from measure import Measurement, measure, report  # noqa: E402

REPO = BENCH.parent
TELLTALE = REPO / "build" / "telltale"


def main() -> None:
    rows, source, _ = prepare(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as scratch:
        ours = measure([str(TELLTALE), "profile", str(source), "--output", str(Path(scratch) / "p.ttprofile")])
        with open(Path(scratch) / "whylogs.txt", "w") as out:
            theirs = measure([sys.executable, str(BENCH / "profile" / "whylogs_profile.py"), str(source)], stdout=out)
        log_only = Measurement(float((Path(scratch) / "whylogs.txt").read_text()), theirs.peak_mib)
    print(f"\nprofile: {rows} rows x 25 columns ({source.stat().st_size >> 20} MiB)")
    report([("telltale profile", ours), ("whylogs read_csv + log", theirs), ("whylogs why.log only", log_only)])
    print(f"speed-up {theirs.seconds / ours.seconds:.1f}x end to end, "
          f"{log_only.seconds / ours.seconds:.1f}x against why.log alone; "
          f"memory 1/{theirs.peak_mib / ours.peak_mib:.1f} of whylogs'")


if __name__ == "__main__":
    main()
