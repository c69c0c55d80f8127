"""The sketch-mode agreement corpus: column pairs (reference, current), real and synthetic, with and
without drift, in groups that share row counts so each group is one pair of CSV files.

Synthetic: 8 numerical distributions x 5 shift sizes and 4 category cardinalities (one above the
1,000-category cap of the profiles) x 3 drift sizes, at three sizes. Real: every column of
scikit-learn's breast cancer, wine and diabetes sets, split at random (no drift) and by target
(drift), as they are (small: sketches stay exact) and resampled with 1% jitter to 20,000 / 15,000
rows (sketches leave exact mode).
"""
import numpy as np
import pandas as pd
from sklearn import datasets

SHIFTS = {"none": 0.0, "tiny": 0.02, "small": 0.1, "medium": 0.3, "large": 1.0}
CATEGORY_DRIFTS = {"none": 0.0, "small": 0.05, "large": 0.4}
CARDINALITIES = (3, 25, 400, 3000)
SIZES = ((4000, 3000), (30000, 20000), (120000, 80000))


def numerical_generators(rng):
    return {
        "normal": lambda n, s: rng.normal(s, 1, n),
        "lognormal": lambda n, s: rng.lognormal(s, 0.8, n),
        "uniform": lambda n, s: rng.uniform(s, 10 + s, n),
        "exponential": lambda n, s: rng.exponential(1 + s, n),
        "bimodal": lambda n, s: np.where(rng.random(n) < 0.3 + s / 4, rng.normal(-2, 0.5, n), rng.normal(3, 1, n)),
        "student_t3": lambda n, s: rng.standard_t(3, n) + s,
        "wide_ints": lambda n, s: rng.integers(0, 100000, n) + int(s * 30000),
        "rounded": lambda n, s: np.round(rng.normal(50 + s * 10, 10, n), 1),
    }


def synthetic_groups(rng):
    for n_ref, n_cur in SIZES:
        reference, current = {}, {}
        for distribution, generate in numerical_generators(rng).items():
            for shift_name, shift in SHIFTS.items():
                reference[f"{distribution}_{shift_name}"] = generate(n_ref, 0.0)
                current[f"{distribution}_{shift_name}"] = generate(n_cur, shift)
        for cardinality in CARDINALITIES:
            categories = np.array([f"c{i}" for i in range(cardinality)])
            weights = rng.dirichlet(np.ones(cardinality))
            for drift_name, mix in CATEGORY_DRIFTS.items():
                other = rng.dirichlet(np.ones(cardinality))
                name = f"cat{cardinality}_{drift_name}"
                reference[name] = rng.choice(categories, n_ref, p=weights)
                current[name] = rng.choice(categories, n_cur, p=(1 - mix) * weights + mix * other)
        yield f"synthetic_{n_ref}", pd.DataFrame(reference), pd.DataFrame(current)


def real_groups(rng):
    for loader in (datasets.load_breast_cancer, datasets.load_wine, datasets.load_diabetes):
        data = loader(as_frame=True)
        frame = data.frame.drop(columns=["target"])
        name = loader.__name__.removeprefix("load_")
        half = len(frame) // 2
        shuffled = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)
        by_target = frame.iloc[np.argsort(data.target.to_numpy(), kind="stable")].reset_index(drop=True)
        for split, ordered in (("random", shuffled), ("target", by_target)):
            reference, current = ordered.iloc[:half], ordered.iloc[half:]
            yield f"{name}_{split}", reference.add_suffix(f"_{split}"), current.add_suffix(f"_{split}")

            def grow(part, n):
                values = part.to_numpy()[rng.integers(0, len(part), n)]
                return values + rng.normal(0, 0.01, values.shape) * part.std().to_numpy()

            yield (f"{name}_{split}_resampled",
                   pd.DataFrame(grow(reference, 20000), columns=reference.columns).add_suffix(f"_{split}_big"),
                   pd.DataFrame(grow(current, 15000), columns=current.columns).add_suffix(f"_{split}_big"))


def groups():
    """Yields (group name, reference DataFrame, current DataFrame)."""
    rng = np.random.default_rng(2026)
    yield from synthetic_groups(rng)
    yield from real_groups(rng)
