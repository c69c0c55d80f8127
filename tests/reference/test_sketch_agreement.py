"""Sketch mode (--sketch: drift from profiles) against exact mode on the agreement corpus.

For every column pair of tests/reference/sketch_corpus.py: the verdict of the default method, and
of each method sketch mode supports when forced, must agree with exact mode as often as
docs/drift.md states, and every score must stay within that document's error bound.
"""
import json
import subprocess
from collections import defaultdict

import pytest

from sketch_corpus import groups

# Methods computed from sketches and the columns they apply to.
SKETCH_METHODS = {"ks": "numerical", "wasserstein": "numerical", "psi": "both", "jensenshannon": "both",
                  "hellinger": "both"}
# docs/drift.md, "Sketch mode": verdict agreement floors (the default method's verdict, then each
# method forced on every column it applies to) and score error bounds.
AGREEMENT = {"default": 0.98, "ks": 0.97, "wasserstein": 0.99, "jensenshannon": 0.98, "hellinger": 0.97,
             "psi": 0.93}
KLL_DOUBLE_SIDED_ERROR = 0.0165
# Binned distances for numerical columns and categorical columns within the profiles' category cap;
# above the cap the sketches compare the categories both still track plus one "(other)" bin.
SCORE_ERROR = {"jensenshannon": lambda exact: 0.07, "hellinger": lambda exact: 0.08,
               "psi": lambda exact: 2.5 * (0.1 + exact)}
ABOVE_CATEGORY_CAP = "cat3000"


def check(telltale_bin, reference, current, *args):
    result = subprocess.run([telltale_bin, "check", "--reference", reference, "--current", current,
                             "--format", "json", *map(str, args)], capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr
    return {column["name"]: column for column in json.loads(result.stdout)["columns"]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, telltale_bin):
    """Rows of (group, column, method or "default", exact column report, sketch column report)."""
    directory = tmp_path_factory.mktemp("sketch_corpus")
    rows = []
    for name, reference, current in groups():
        reference_path, current_path = directory / f"{name}_r.csv", directory / f"{name}_c.csv"
        reference.to_csv(reference_path, index=False)
        current.to_csv(current_path, index=False)
        numerical = [c for c in reference.columns if reference[c].dtype.kind == "f" or
                     (reference[c].dtype.kind == "i" and reference[c].nunique() > 10)]
        runs = {"default": ()}
        for method, applies in SKETCH_METHODS.items():
            columns = numerical if applies == "numerical" else list(reference.columns)
            if columns:
                runs[method] = ("--stattest", method, "--columns", ",".join(columns))
        for method, args in runs.items():
            exact = check(telltale_bin, reference_path, current_path, *args)
            sketch = check(telltale_bin, reference_path, current_path, "--sketch", *args)
            for column, report in exact.items():
                if report.get("method"):
                    rows.append((name, column, method, report, sketch[column]))
    return rows


def agreement(rows):
    return sum(exact["drift_detected"] == sketch["drift_detected"] for _, _, _, exact, sketch in rows) / len(rows)


def test_corpus_covers_real_and_synthetic_pairs_with_and_without_drift(corpus):
    defaults = [row for row in corpus if row[2] == "default"]
    assert len(defaults) >= 200
    assert any(row[0].startswith("synthetic") for row in defaults)
    assert sum(not row[0].startswith("synthetic") for row in defaults) >= 100
    drifted = sum(row[3]["drift_detected"] for row in defaults)
    assert 0.2 * len(defaults) < drifted < 0.8 * len(defaults)


def test_default_method_is_the_same_in_both_modes(corpus):
    for _, _, method, exact, sketch in corpus:
        if method == "default":
            assert exact["method"] == sketch["method"]


def test_verdicts_agree(corpus):
    by_method = defaultdict(list)
    for row in corpus:
        by_method[row[2]].append(row)
    print("\nsketch vs exact   pairs  agreement  |error| p50 / p95 / max")
    for method, rows in by_method.items():
        errors = sorted(abs(sketch["score"] - exact["score"]) for _, _, _, exact, sketch in rows)
        print(f"{method:15s} {len(rows):6d} {agreement(rows):10.4f}  "
              f"{errors[len(errors) // 2]:.4g} / {errors[int(len(errors) * 0.95)]:.4g} / {errors[-1]:.4g}")
    for method, rows in by_method.items():
        assert agreement(rows) >= AGREEMENT[method], method


def test_wasserstein_error_within_rank_error_bound(corpus):
    # W1 is the integral of |F_ref - F_cur|; each CDF is off by at most the KLL rank error, so the
    # normed distance moves by at most 2 * error * (max - min) / std of the reference.
    for group, column, method, exact, sketch in corpus:
        if exact["method"] != "wasserstein":
            continue
        low = min(exact["reference"]["min"], exact["current"]["min"])
        high = max(exact["reference"]["max"], exact["current"]["max"])
        bound = 2 * KLL_DOUBLE_SIDED_ERROR * (high - low) / max(exact["reference"]["std"], 0.001)
        assert abs(sketch["score"] - exact["score"]) <= bound, (group, column)


def test_binned_method_errors_within_documented_bound(corpus):
    for group, column, method, exact, sketch in corpus:
        if exact["method"] in SCORE_ERROR and not column.startswith(ABOVE_CATEGORY_CAP):
            bound = SCORE_ERROR[exact["method"]](exact["score"])
            assert abs(sketch["score"] - exact["score"]) <= bound, (group, column, method)



