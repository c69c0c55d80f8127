"""bench/check: `telltale check` (exact mode) against Evidently's DataDriftPreset on the same pair of
1,000,000-row CSV files. Reports wall time and peak memory of each, their ratios, and whether the
per-column drift verdicts are identical.

Usage: python bench/check/run.py [--rows N] [--data DIR]   (run by `make bench-check`)
"""
import json
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from bench_data import prepare  # noqa: E402
from measure import measure, report  # noqa: E402

REPO = BENCH.parent
TELLTALE = REPO / "build" / "telltale"
# Evidently reports the score; the verdict follows its rule for the method.
P_VALUE_METHODS = {"K-S p_value", "chi-square p_value", "Z-test p_value"}


def evidently_verdict(method: str, score: float, threshold: float) -> bool:
    if method == "K-S p_value":
        return score <= threshold
    if method in P_VALUE_METHODS:
        return score < threshold
    return score >= threshold


def main() -> None:
    rows, reference, current = prepare(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as scratch:
        ours_path, theirs_path = Path(scratch) / "telltale.json", Path(scratch) / "evidently.json"
        with open(ours_path, "w") as out:
            ours_run = measure([str(TELLTALE), "check", "--reference", str(reference), "--current", str(current),
                                "--format", "json"], stdout=out)
        theirs_run = measure([sys.executable, str(BENCH / "check" / "evidently_check.py"), str(reference),
                              str(current), str(theirs_path)])
        ours = {c["name"]: c for c in json.loads(ours_path.read_text())["columns"]}
        theirs = json.loads(theirs_path.read_text())

    print(f"\ncheck: {rows} rows x 25 columns, reference and current ({reference.stat().st_size >> 20} MiB each)")
    report([("telltale check", ours_run), ("Evidently DataDriftPreset", theirs_run)])
    print(f"speed-up {theirs_run.seconds / ours_run.seconds:.1f}x, "
          f"memory {ours_run.peak_mib / theirs_run.peak_mib:.3f} of Evidently's "
          f"(1/{theirs_run.peak_mib / ours_run.peak_mib:.1f})")
    differing = [name for name, (method, score, threshold) in theirs["columns"].items()
                 if ours[name]["drift_detected"] != evidently_verdict(method, score, threshold)]
    drifted = sum(c["drift_detected"] for c in ours.values())
    print(f"verdicts: {len(theirs['columns'])} columns, {drifted} drifted by telltale, "
          f"{theirs['drifted_count']} by Evidently; differing: {differing or 'none'}")
    if differing or drifted != theirs["drifted_count"]:
        raise SystemExit("drift verdicts differ")


if __name__ == "__main__":
    main()
