"""Every drift method, forced with --stattest, against Evidently's implementation of it (which
computes with scipy) on the same data, to 1e-9 relative."""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

warnings.filterwarnings("ignore")

from evidently.legacy.calculations import stattests  # noqa: E402
from evidently.legacy.core import ColumnType  # noqa: E402

NUMERICAL = ["ks", "wasserstein", "jensenshannon", "psi", "kl_div", "hellinger", "ed", "t_test", "mannw",
             "chisquare", "z", "cramer_von_mises", "anderson"]
CATEGORICAL = ["chisquare", "jensenshannon", "psi", "kl_div", "hellinger", "z"]
EVIDENTLY = {
    "ks": stattests.ks_stat_test, "wasserstein": stattests.wasserstein_stat_test,
    "jensenshannon": stattests.jensenshannon_stat_test, "psi": stattests.psi_stat_test,
    "kl_div": stattests.kl_div_stat_test, "hellinger": stattests.hellinger_stat_test,
    "ed": stattests.energy_dist_test, "t_test": stattests.t_test, "mannw": stattests.mann_whitney_u_stat_test,
    "chisquare": stattests.chi_stat_test, "z": stattests.z_stat_test, "g_test": stattests.g_test,
    "cramer_von_mises": stattests.cramer_von_mises, "anderson": stattests.anderson_darling_test,
    "fisher_exact": stattests.fisher_exact_test,
}


def numeric_pairs():
    rng = np.random.default_rng(7)
    yield "normal_shift", rng.normal(0, 1, 800), rng.normal(0.2, 1, 600)
    yield "uniform_same", rng.uniform(0, 10, 500), rng.uniform(0, 10, 500)
    yield "lognormal_big", rng.lognormal(0, 1, 3000), rng.lognormal(0.1, 1, 2500)
    yield "integers", rng.integers(0, 100, 700).astype(float), rng.integers(10, 110, 900).astype(float)
    yield "small_no_ties", rng.normal(0, 1, 7), rng.normal(1, 1, 6)
    yield "equal_sizes", rng.normal(0, 1, 400), rng.normal(0, 1.3, 400)
    yield "heavy_ties", rng.choice([1.0, 2.0, 3.0, 4.0], 600), rng.choice([1.0, 2.0, 3.0, 5.0], 500)
    # Up to 20 values per side: Cramer-von Mises takes its exact distribution.
    yield "tiny_unequal", rng.normal(0, 1, 12), rng.normal(0.8, 1, 17)
    yield "tiny_ties", rng.integers(0, 6, 15).astype(float), rng.integers(1, 7, 20).astype(float)
    # Anderson-Darling p-values are interpolated between 0.001 and 0.25; this pair lands inside.
    yield "moderate_shift", rng.normal(0, 1, 300), rng.normal(0.2, 1, 250)
    # More than 10,000 current values: the KS p-value comes from the finite-n distribution (kstwo),
    # at n = 849 (Durbin or Pelz-Good; Smirnov's sum when drifted) and n = 99 (Pomeranz).
    yield "large_current", rng.normal(0, 1, 900), rng.normal(0, 1, 15000)
    yield "large_current_shift", rng.normal(0, 1, 900), rng.normal(0.15, 1, 15000)
    yield "small_reference_large_current", rng.normal(0, 1, 100), rng.normal(0.1, 1, 11000)


def categorical_pairs():
    rng = np.random.default_rng(8)
    yield "colors", rng.choice(list("abcd"), 900, p=[0.4, 0.3, 0.2, 0.1]), rng.choice(list("abce"), 700)
    yield "binary", rng.choice(["x", "y"], 300), rng.choice(["x", "y"], 280, p=[0.7, 0.3])
    yield "same", rng.choice(list("pqrs"), 2000), rng.choice(list("pqrs"), 2000)
    # Numbers as categories: Evidently orders them as numbers (8 < 10), not as text ("10" < "8").
    yield "numeric_codes", rng.choice([8, 9, 10, 11], 600, p=[0.1, 0.2, 0.3, 0.4]), rng.choice([8, 9, 10, 11], 500)


def compare(tmp_path, check_json, method, reference, current, column_type):
    pd.DataFrame({"v": reference}).to_csv(tmp_path / "r.csv", index=False)
    pd.DataFrame({"v": current}).to_csv(tmp_path / "c.csv", index=False)
    schema = tmp_path / "schema.yaml"
    schema.write_text(f"columns:\n  v: {column_type}\n")
    _, ours = check_json(tmp_path / "r.csv", tmp_path / "c.csv", "--stattest", method, "--schema", schema)
    column = ours["columns"][0]
    frame_r = pd.read_csv(tmp_path / "r.csv")["v"]
    frame_c = pd.read_csv(tmp_path / "c.csv")["v"]
    feature_type = ColumnType.Numerical if column_type == "numerical" else ColumnType.Categorical
    if method == "cramer_von_mises" and max(len(frame_r), len(frame_c)) <= 20:
        # Evidently's copy of the exact distribution fails under numpy 2 (integer casting), so the
        # exact path is checked against scipy's original, with Evidently's threshold and rule.
        score = stats.cramervonmises_2samp(frame_r, frame_c, method="auto").pvalue
        expected = (score, score <= 0.1, 0.1)
    else:
        theirs = EVIDENTLY[method](frame_r, frame_c, feature_type, None)
        expected = (theirs.drift_score, bool(theirs.drifted), theirs.actual_threshold)
    assert column["method"] == method
    assert math.isclose(column["score"], expected[0], rel_tol=1e-9, abs_tol=1e-14), (
        method, column["score"], expected[0])
    assert column["drift_detected"] == expected[1]
    assert column["threshold"] == expected[2]


NUMERIC_CASES = [(m, *pair) for pair in numeric_pairs() for m in NUMERICAL]
CATEGORICAL_CASES = [(m, *pair) for pair in categorical_pairs() for m in CATEGORICAL]


@pytest.mark.parametrize("method,name,reference,current", NUMERIC_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in NUMERIC_CASES])
def test_numerical_method(tmp_path, check_json, method, name, reference, current):
    compare(tmp_path, check_json, method, reference, current, "numerical")


@pytest.mark.parametrize("method,name,reference,current", CATEGORICAL_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CATEGORICAL_CASES])
def test_categorical_method(tmp_path, check_json, method, name, reference, current):
    compare(tmp_path, check_json, method, reference, current, "categorical")


def test_g_test_equal_sizes(tmp_path, check_json):
    rng = np.random.default_rng(9)
    compare(tmp_path, check_json, "g_test", rng.choice(list("abc"), 500), rng.choice(list("abc"), 500), "categorical")


@pytest.mark.parametrize("name,reference,current", [
    ("shifted", np.random.default_rng(10).choice(["yes", "no"], 400, p=[0.5, 0.5]),
     np.random.default_rng(11).choice(["yes", "no"], 400, p=[0.6, 0.4])),
    ("same", np.random.default_rng(12).choice(["yes", "no"], 250), np.random.default_rng(13).choice(["yes", "no"], 250)),
    ("one_value_missing", np.array(["a"] * 30 + ["b"] * 10), np.array(["a"] * 40)),
])
def test_fisher_exact(tmp_path, check_json, name, reference, current):
    compare(tmp_path, check_json, "fisher_exact", reference, current, "categorical")


def test_fisher_exact_refuses_more_than_two_values(tmp_path, run):
    pd.DataFrame({"v": list("abc") * 10}).to_csv(tmp_path / "r.csv", index=False)
    pd.DataFrame({"v": list("abc") * 10}).to_csv(tmp_path / "c.csv", index=False)
    result = run("check", "--reference", tmp_path / "r.csv", "--current", tmp_path / "c.csv",
                 "--stattest", "fisher_exact", "--format", "json")
    assert result.returncode == 2
    assert "fisher_exact needs a binary column (found 3 values)" in result.stderr
