"""Performance estimated before labels (binary): it tracks the realized metric under covariate
shift, and — as documented — it cannot see a change of concept. The mean absolute errors are
printed (pytest -s) for the record."""
import datetime as dt
import zlib

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

DAYS = 4
PER_DAY = 3000
WEIGHTS = np.array([1.2, -0.8, 0.5])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def day_start(d):
    today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=DAYS - d)


def stamp(time):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ")


def overconfident(model, X):
    """The model's scores made overconfident, so that calibration has work to do."""
    return sigmoid(2.0 * model.decision_function(X))


def run_scenario(api, name, shift_inputs, change_concept):
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # the same data on every run
    X_train = rng.normal(0, 1, (8000, 3))
    y_train = rng.random(8000) < sigmoid(X_train @ WEIGHTS)
    model = LogisticRegression().fit(X_train, y_train)
    api.create_model(name, task="binary_classification")
    api.create_version(name, "v1", {"features": {"a": "numeric", "b": "numeric", "c": "numeric"},
                                    "predictions": {"score": "numeric"}, "actuals": {"label": "boolean"}})
    X_val = rng.normal(0, 1, (5000, 3))
    y_val = rng.random(5000) < sigmoid(X_val @ WEIGHTS)
    api.log(name, "v1", [{"features": dict(zip("abc", map(float, x))), "predictions": {"score": float(s)},
                          "actuals": {"label": bool(y)}} for x, s, y in zip(X_val, overconfident(model, X_val), y_val)],
            environment="validation")
    realized_truth = []
    for d in range(DAYS):
        mean = np.array([0.5 * d, -0.4 * d, 0.0]) if shift_inputs else np.zeros(3)
        X = rng.normal(mean, 1, (PER_DAY, 3))
        weights = WEIGHTS * np.array([-1 if change_concept and d > 0 else 1, 1, 1])
        y = rng.random(PER_DAY) < sigmoid(X @ weights)
        scores = overconfident(model, X)
        ids = [f"{name}-{d}-{i}" for i in range(PER_DAY)]
        time = stamp(day_start(d) + dt.timedelta(hours=12))
        rows = [{"id": i, "timestamp": time, "features": dict(zip("abc", map(float, x))),
                 "predictions": {"score": float(s)}} for i, x, s in zip(ids, X, scores)]
        assert api.log(name, "v1", rows)["accepted"] == PER_DAY
        realized_truth.append((ids, y))
    return realized_truth


def series(api, name, metric):
    response = api.get(f"/api/v1/models/{name}/versions/v1/performance",
                       params={"metric": metric, "granularity": "day", "from": stamp(day_start(0)),
                               "to": stamp(day_start(DAYS))})
    assert response.status_code == 200, response.text
    return response.json()["points"]


def send_all_actuals(api, name, truth):
    for ids, y in truth:
        response = api.post(f"/api/v1/models/{name}/actuals",
                            json={"rows": [{"id": i, "actuals": {"label": bool(v)}} for i, v in zip(ids, y)]})
        assert response.status_code == 200 and response.json()["joined"] == len(ids), response.text


def mean_absolute_error(points):
    return float(np.mean([abs(p["value"] - p["realized"]) for p in points]))


def test_estimates_track_realized_performance_under_covariate_shift(api):
    truth = run_scenario(api, "shifted", shift_inputs=True, change_concept=False)
    # Before any label: estimates exist, realized values do not.
    before = series(api, "shifted", "estimated_f1")
    assert len(before) == DAYS and all(p["value"] is not None and p["realized"] is None for p in before)
    send_all_actuals(api, "shifted", truth)
    errors = {}
    for metric in ("estimated_accuracy", "estimated_f1", "estimated_roc_auc", "estimated_precision",
                   "estimated_recall"):
        points = series(api, "shifted", metric)
        assert all(p["lower"] <= p["value"] <= p["upper"] for p in points)
        errors[metric] = mean_absolute_error(points)
    print(f"covariate shift, mean absolute error of the estimates over {DAYS} days: {errors}")
    for metric, error in errors.items():
        assert error < 0.03, (metric, error)
    # The shift itself moved the realized accuracy (what the estimate had to follow).
    accuracy = [p["realized"] for p in series(api, "shifted", "estimated_accuracy")]
    assert max(accuracy) - min(accuracy) > 0.03


def test_estimates_cannot_see_a_change_of_concept(api):
    truth = run_scenario(api, "concept", shift_inputs=False, change_concept=True)
    send_all_actuals(api, "concept", truth)
    points = series(api, "concept", "estimated_accuracy")
    error_after = np.mean([abs(p["value"] - p["realized"]) for p in points[1:]])
    print(f"concept change, mean absolute error of estimated accuracy after the change: {error_after:.4f}")
    assert abs(points[0]["value"] - points[0]["realized"]) < 0.03  # before the change: right
    assert error_after > 0.1  # after it: the scores look as confident as ever, and are wrong


def test_estimation_without_a_labelled_baseline_is_refused_with_the_reason(api):
    api.create_model("bare", task="binary_classification")
    api.create_version("bare", "v1", {"features": {"a": "numeric"}, "predictions": {"score": "numeric"}})
    response = api.get("/api/v1/models/bare/versions/v1/performance", params={"metric": "estimated_f1"})
    assert response.status_code == 422 and "validation" in response.json()["detail"]
