"""Ground truth: actuals joined to predictions by id, per window and segment, checked against
scikit-learn on the same rows (models trained on datasets bundled with scikit-learn)."""
import datetime as dt
import random

import numpy as np
import pytest
from sklearn import metrics
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DAYS = 3


def day_starts():
    today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return [today - dt.timedelta(days=DAYS - d) for d in range(DAYS)]


def stamp(time):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ")


def spread_over_days(n):
    """An event time for each of n rows, over the last DAYS whole days, and each row's day."""
    starts = day_starts()
    rng = np.random.default_rng(0)
    days = rng.integers(0, DAYS, n)
    seconds = rng.integers(0, 86400, n)
    return [stamp(starts[d] + dt.timedelta(seconds=int(s))) for d, s in zip(days, seconds)], days


def send_actuals(api, model, rows, expect_pending=None):
    response = api.post(f"/api/v1/models/{model}/actuals", json={"rows": rows})
    assert response.status_code == 200, response.text
    answer = response.json()
    if expect_pending is not None:
        assert answer["pending"] == expect_pending, answer
    return answer


def performance(api, model, metric, granularity="day", **params):
    start, end = day_starts()[0], day_starts()[-1] + dt.timedelta(days=1)
    response = api.get(f"/api/v1/models/{model}/versions/v1/performance",
                       params={"metric": metric, "granularity": granularity, "from": stamp(start),
                               "to": stamp(end), **params})
    assert response.status_code == 200, response.text
    return [point["value"] for point in response.json()["points"]]


def nan_for_null(values):
    """The server answers null where a metric is undefined, scikit-learn NaN (with a warning)."""
    return [np.nan if value is None else value for value in values]


def per_day(days, mask, compute):
    return [compute(np.flatnonzero((days == d) & mask)) for d in range(DAYS)]


def test_binary_metrics_per_day_and_segment_equal_scikit_learn(api):
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.5, random_state=1)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    scores = model.predict_proba(X_test)[:, 1]
    truth = y_test.to_numpy().astype(bool)
    n = len(truth)
    ids = [f"p{i}" for i in range(n)]
    times, days = spread_over_days(n)
    radius = X_test["mean radius"].to_numpy()
    api.create_model("cancer", task="binary_classification")
    api.create_version("cancer", "v1", {
        "features": {"mean radius": "numeric"}, "predictions": {"benign_score": "numeric"},
        "actuals": {"benign": "boolean"}}, segments=[{"name": "large", "where": {"mean radius": {"gte": 15}}}])

    # Ten actuals arrive before their predictions; they wait, then join.
    early = list(range(10))
    send_actuals(api, "cancer", [{"id": ids[i], "actuals": {"benign": bool(truth[i])}} for i in early], expect_pending=10)
    rows = [{"id": ids[i], "timestamp": times[i], "features": {"mean radius": float(radius[i])},
             "predictions": {"benign_score": float(scores[i])}} for i in range(n)]
    assert api.log("cancer", "v1", rows)["accepted"] == n

    # The rest in shuffled order; 25 first with the wrong label, corrected later; 5 unknown ids.
    rng = random.Random(4)
    rest = list(range(10, n))
    rng.shuffle(rest)
    wrong = rest[:25]
    send_actuals(api, "cancer", [{"id": ids[i], "actuals": {"benign": not truth[i]}} for i in wrong])
    first = send_actuals(api, "cancer", [{"id": ids[i], "actuals": {"benign": bool(truth[i])}} for i in rest[25:]]
                         + [{"id": f"ghost-{k}", "actuals": {"benign": True}} for k in range(5)], expect_pending=5)
    assert first["joined"] == n - 35
    corrected = send_actuals(api, "cancer", [{"id": ids[i], "actuals": {"benign": bool(truth[i])}} for i in wrong])
    assert corrected["corrected"] == 25 and corrected["joined"] == 25

    predicted = scores >= 0.5
    everyone = np.ones(n, bool)
    exact = {
        "accuracy": lambda rows: metrics.accuracy_score(truth[rows], predicted[rows]),
        # undefined ratios (no predicted positives, say) are null, as scikit-learn's NaN
        "precision": lambda rows: metrics.precision_score(truth[rows], predicted[rows], zero_division=np.nan),
        "recall": lambda rows: metrics.recall_score(truth[rows], predicted[rows], zero_division=np.nan),
        "f1": lambda rows: metrics.f1_score(truth[rows], predicted[rows], zero_division=np.nan),
        "specificity": lambda rows: metrics.recall_score(truth[rows], predicted[rows], pos_label=False,
                                                         zero_division=np.nan),
        "log_loss": lambda rows: metrics.log_loss(truth[rows], scores[rows], labels=[False, True]),
        "brier": lambda rows: metrics.brier_score_loss(truth[rows], scores[rows]),
        "tp": lambda rows: int((truth[rows] & predicted[rows]).sum()),
        "fn": lambda rows: int((truth[rows] & ~predicted[rows]).sum()),
    }
    for segment, mask in ((None, everyone), ("large", radius >= 15)):
        params = {"segment": segment} if segment else {}
        for name, compute in exact.items():
            got = performance(api, "cancer", name, **params)
            want = per_day(days, mask, compute)
            assert nan_for_null(got) == pytest.approx(want, rel=1e-9, abs=1e-12, nan_ok=True), (segment, name)
        for name, compute in (("roc_auc", metrics.roc_auc_score), ("pr_auc", metrics.average_precision_score)):
            got = performance(api, "cancer", name, **params)
            # without positives average precision is undefined (scikit-learn says 0, warning)
            want = per_day(days, mask, lambda rows: compute(truth[rows], scores[rows])
                           if truth[rows].any() else np.nan)
            assert nan_for_null(got) == pytest.approx(want, abs=0.002, nan_ok=True), (segment, name)
        assert performance(api, "cancer", "label_coverage", **params) == [1.0] * DAYS

    start, end = day_starts()[0], day_starts()[-1] + dt.timedelta(days=1)
    matrix = api.get("/api/v1/models/cancer/versions/v1/confusion_matrix",
                     params={"from": stamp(start), "to": stamp(end)}).json()
    assert matrix["labels"] == ["negative", "positive"]
    assert matrix["matrix"] == metrics.confusion_matrix(truth, predicted).tolist()
    assert matrix["labeled"] == n


def test_regression_metrics_per_day_equal_scikit_learn(api):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=2)
    predicted = LinearRegression().fit(X_train, y_train).predict(X_test)
    n = len(y_test)
    times, days = spread_over_days(n)
    api.create_model("diabetes", task="regression")
    api.create_version("diabetes", "v1", {"features": {"bmi": "numeric"}, "predictions": {"progression": "numeric"},
                                          "actuals": {"measured": "numeric"}})
    # The validation set, logged with its actuals: the reference line of every series.
    fitted = LinearRegression().fit(X_train, y_train).predict(X_train)
    api.log("diabetes", "v1", [{"features": {"bmi": float(X_train[i, 2])}, "predictions": {"progression": float(fitted[i])},
                                "actuals": {"measured": float(y_train[i])}} for i in range(len(y_train))],
            environment="validation")
    api.log("diabetes", "v1", [{"id": f"r{i}", "timestamp": times[i], "features": {"bmi": float(X_test[i, 2])},
                                "predictions": {"progression": float(predicted[i])}} for i in range(n)])
    order = list(range(n))
    random.Random(5).shuffle(order)
    send_actuals(api, "diabetes", [{"id": f"r{i}", "actuals": {"measured": float(y_test[i]) + 50}} for i in order[:30]])
    send_actuals(api, "diabetes", [{"id": f"r{i}", "actuals": {"measured": float(y_test[i])}} for i in order])
    everyone = np.ones(n, bool)
    cases = {
        "mae": lambda rows: metrics.mean_absolute_error(y_test[rows], predicted[rows]),
        "mse": lambda rows: metrics.mean_squared_error(y_test[rows], predicted[rows]),
        "rmse": lambda rows: np.sqrt(metrics.mean_squared_error(y_test[rows], predicted[rows])),
        "mape": lambda rows: metrics.mean_absolute_percentage_error(y_test[rows], predicted[rows]),
        "wape": lambda rows: np.abs(y_test[rows] - predicted[rows]).sum() / np.abs(y_test[rows]).sum(),
        "r2": lambda rows: metrics.r2_score(y_test[rows], predicted[rows]),
        "mean_error": lambda rows: (predicted[rows] - y_test[rows]).mean(),
    }
    for name, compute in cases.items():
        got = performance(api, "diabetes", name)
        assert got == pytest.approx(per_day(days, everyone, compute), rel=1e-9), name
        reference = api.get("/api/v1/models/diabetes/versions/v1/performance", params={"metric": name}).json()["reference"]
        assert reference["baseline"] == "validation" and reference["labeled"] == len(y_train)
        assert reference["value"] == pytest.approx(
            {"mae": metrics.mean_absolute_error, "mse": metrics.mean_squared_error, "r2": metrics.r2_score}
            .get(name, lambda a, b: reference["value"])(y_train, fitted), rel=1e-9), name
    # max |error| keeps the largest error ever seen, the replaced actuals' included
    got = performance(api, "diabetes", "max_abs_error")
    latest = per_day(days, everyone, lambda rows: np.abs(y_test[rows] - predicted[rows]).max())
    assert all(g >= w - 1e-9 for g, w in zip(got, latest))


def test_multiclass_metrics_and_confusion_matrix_equal_scikit_learn(api):
    X, y = load_wine(return_X_y=True)
    names = np.array(["barolo", "grignolino", "barbera"])
    X_train, X_test, y_train, y_test = train_test_split(X, names[y], test_size=0.6, random_state=3)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=0.02)).fit(X_train, y_train)
    predicted, proba = model.predict(X_test), model.predict_proba(X_test)
    classes = list(model.classes_)
    n = len(y_test)
    times, days = spread_over_days(n)
    api.create_model("wine", task="multiclass_classification")
    api.create_version("wine", "v1", {
        "features": {"alcohol": "numeric"},
        "predictions": {"cultivar": "categorical", **{f"p_{c}": "numeric" for c in classes}},
        "actuals": {"cultivar_true": "categorical"},
        "class_probabilities": {c: f"p_{c}" for c in classes}})
    api.log("wine", "v1", [{"id": f"w{i}", "timestamp": times[i], "features": {"alcohol": float(X_test[i, 0])},
                            "predictions": {"cultivar": predicted[i],
                                            **{f"p_{c}": float(proba[i, k]) for k, c in enumerate(classes)}}}
                           for i in range(n)])
    # The first ten arrive with a wrong class first and are corrected: only the latest counts.
    wrong = {i: classes[(classes.index(y_test[i]) + 1) % 3] for i in range(10)}
    send_actuals(api, "wine", [{"id": f"w{i}", "actuals": {"cultivar_true": wrong[i]}} for i in range(10)])
    answer = send_actuals(api, "wine", [{"id": f"w{i}", "actuals": {"cultivar_true": y_test[i]}} for i in range(n)])
    assert answer["corrected"] == 10 and answer["joined"] == n
    everyone = np.ones(n, bool)
    for name in ("accuracy", "macro_precision", "macro_recall", "macro_f1", "weighted_precision",
                 "weighted_recall", "weighted_f1", "micro_f1"):
        def compute(rows, name=name):
            if name == "accuracy":
                return metrics.accuracy_score(y_test[rows], predicted[rows])
            average, base = name.split("_")
            scorer = {"precision": metrics.precision_score, "recall": metrics.recall_score, "f1": metrics.f1_score}[base]
            return scorer(y_test[rows], predicted[rows], average=average, zero_division=0)
        assert performance(api, "wine", name) == pytest.approx(per_day(days, everyone, compute), rel=1e-9), name
    # Each class against the rest, and the log loss from the logged class probabilities.
    for c in classes:
        for base, scorer in (("precision", metrics.precision_score), ("recall", metrics.recall_score),
                             ("f1", metrics.f1_score)):
            want = per_day(days, everyone, lambda rows: scorer(y_test[rows], predicted[rows], labels=[c],
                                                               average=None, zero_division=np.nan)[0])
            got = performance(api, "wine", f"{base}:{c}")
            assert nan_for_null(got) == pytest.approx(want, rel=1e-9, nan_ok=True), (base, c)
        assert performance(api, "wine", f"support:{c}") == per_day(days, everyone, lambda rows: float((y_test[rows] == c).sum()))
    want = per_day(days, everyone, lambda rows: metrics.log_loss(y_test[rows], proba[rows], labels=classes))
    assert performance(api, "wine", "log_loss") == pytest.approx(want, rel=1e-9)
    start, end = day_starts()[0], day_starts()[-1] + dt.timedelta(days=1)
    matrix = api.get("/api/v1/models/wine/versions/v1/confusion_matrix",
                     params={"from": stamp(start), "to": stamp(end)}).json()
    labels = sorted(set(y_test) | set(predicted))
    assert matrix["labels"] == labels
    assert matrix["matrix"] == metrics.confusion_matrix(y_test, predicted, labels=labels).tolist()
    for schema, message in [
        ({"predictions": {"c": "categorical", "p": "numeric"}, "class_probabilities": {"a": "p"}}, "at least two"),
        ({"predictions": {"c": "categorical", "p": "numeric"}, "class_probabilities": {"a": "p", "b": "c"}},
         "class_probabilities.b: 'c' is not a numeric prediction"),
        ({"predictions": {"c": "categorical", "p": "numeric"}, "class_probabilities": {"a": "p", "b": "p"}},
         "the probability of another class"),
    ]:
        response = api.post("/api/v1/models/wine/versions", json={"version": "v9", "schema": schema})
        assert response.status_code == 422 and message in response.json()["detail"], response.text


def test_a_named_positive_class_and_a_decision_threshold_equal_scikit_learns_pos_label(api):
    rng = np.random.default_rng(7)
    n = 400
    scores = rng.random(n)
    truth = np.where(rng.random(n) < scores, "fraud", "legit")  # scores roughly calibrated
    ids = [f"t{i}" for i in range(n)]
    times, days = spread_over_days(n)
    api.create_model("cards", task="binary_classification")
    created = api.create_version("cards", "v1", {
        "features": {"amount": "numeric"}, "predictions": {"fraud_score": "numeric"},
        "actuals": {"outcome": "categorical"}, "decision_threshold": 0.7, "positive_class": "fraud"})
    assert created["schema"]["decision_threshold"] == 0.7 and created["schema"]["positive_class"] == "fraud"
    api.log("cards", "v1", [{"id": ids[i], "timestamp": times[i], "features": {"amount": 1.0},
                             "predictions": {"fraud_score": float(scores[i])}} for i in range(n)])
    answer = send_actuals(api, "cards", [{"id": ids[i], "actuals": {"outcome": str(truth[i])}} for i in range(n)])
    assert answer["joined"] == n and answer["rejected"] == []

    predicted = np.where(scores >= 0.7, "fraud", "legit")
    everyone = np.ones(n, bool)
    for name, compute in {
        "precision": lambda rows: metrics.precision_score(truth[rows], predicted[rows], pos_label="fraud"),
        "recall": lambda rows: metrics.recall_score(truth[rows], predicted[rows], pos_label="fraud"),
        "f1": lambda rows: metrics.f1_score(truth[rows], predicted[rows], pos_label="fraud"),
        "accuracy": lambda rows: metrics.accuracy_score(truth[rows], predicted[rows]),
    }.items():
        assert performance(api, "cards", name) == pytest.approx(per_day(days, everyone, compute), rel=1e-9), name
    roc = per_day(days, everyone, lambda rows: metrics.roc_auc_score(truth[rows] == "fraud", scores[rows]))
    assert performance(api, "cards", "roc_auc") == pytest.approx(roc, abs=0.002)
    start, end = day_starts()[0], day_starts()[-1] + dt.timedelta(days=1)
    matrix = api.get("/api/v1/models/cards/versions/v1/confusion_matrix",
                     params={"from": stamp(start), "to": stamp(end)}).json()
    assert matrix["matrix"] == metrics.confusion_matrix(truth, predicted, labels=["legit", "fraud"]).tolist()


def test_a_label_of_neither_class_is_refused_not_counted_as_negative(api):
    api.create_model("m", task="binary_classification")
    api.create_version("m", "v1", {"features": {"x": "numeric"},
                                   "predictions": {"score": "numeric", "decision": "categorical"},
                                   "actuals": {"outcome": "categorical"}})
    api.log("m", "v1", [{"id": "a", "features": {"x": 1}, "predictions": {"score": 0.9, "decision": "Yes"}},
                        {"id": "b", "features": {"x": 1}, "predictions": {"score": 0.2, "decision": "fraud"}},
                        {"id": "c", "features": {"x": 1}, "predictions": {"score": 0.2, "decision": "NO"}}])
    answer = send_actuals(api, "m", [{"id": "a", "actuals": {"outcome": "fraud"}},
                                     {"id": "b", "actuals": {"outcome": "1"}},
                                     {"id": "c", "actuals": {"outcome": "Negative"}}])
    assert answer["joined"] == 1  # c: "NO" and "Negative" are the negative class
    reasons = {row["index"]: (row["code"], row["reason"]) for row in answer["rejected"]}
    assert reasons[0][0] == "type_error" and "actuals.outcome: 'fraud' is neither class" in reasons[0][1]
    assert "the predicted label 'fraud' is neither class" in reasons[1][1]
    assert "positive_class" in reasons[0][1]
    # Waiting for its prediction, such an actual would be dropped when it came: refused at once.
    early = send_actuals(api, "m", [{"id": "later-1", "actuals": {"outcome": "fraud"}},
                                    {"id": "later-2", "actuals": {"outcome": "no"}}])
    assert early["pending"] == 1 and early["rejected"][0]["index"] == 0, early
    assert early["rejected"][0]["code"] == "type_error" and "'fraud' is neither class" in early["rejected"][0]["reason"]
    # Logged with the prediction, or in a baseline, such an actual refuses its row the same way.
    for environment in ("predictions", "validation"):
        answer = api.post(f"/api/v1/models/m/versions/v1/{environment}", json={"rows": [
            {"id": f"{environment}-1", "features": {"x": 1}, "predictions": {"score": 0.9}, "actuals": {"outcome": "fraud"}},
            {"id": f"{environment}-2", "features": {"x": 1}, "predictions": {"score": 0.9}, "actuals": {"outcome": "yes"}}]}).json()
        assert answer["accepted"] == 1, answer
        assert answer["rejected"][0]["code"] == "type_error" and "'fraud' is neither class" in answer["rejected"][0]["reason"]
    # The settings belong to binary models, and are checked when the version is created.
    api.create_model("r", task="regression")
    for model, schema, message in [
        ("r", {"predictions": {"y": "numeric"}, "decision_threshold": 0.5}, "only binary classification"),
        ("m", {"predictions": {"s": "numeric", "t": "numeric"}, "class_probabilities": {"a": "s", "b": "t"}},
         "only multiclass classification"),
        ("m", {"predictions": {"s": "numeric"}, "decision_threshold": "high"}, "schema.decision_threshold: expected a number"),
        ("m", {"predictions": {"s": "numeric"}, "positive_class": ["a"]}, "schema.positive_class: expected"),
        ("m", {"predictions": {"s": "numeric"}, "actuals": {"t": "boolean"}, "positive_class": "fraud"}, "true or false"),
        ("m", {"predictions": {"s": "numeric"}, "actuals": {"t": "numeric"}, "positive_class": "1.0"}, "not '1.0'"),
    ]:
        response = api.post(f"/api/v1/models/{model}/versions", json={"version": "v9", "schema": schema})
        assert response.status_code == 422 and message in response.json()["detail"], response.text


def test_an_actual_that_waited_for_a_version_unable_to_compare_it_is_counted_as_refused(api, server):
    api.create_model("early", task="binary_classification")
    # No version yet: nothing to judge the actual by, so it waits.
    assert send_actuals(api, "early", [{"id": "e1", "actuals": {"outcome": "fraud"}},
                                       {"id": "e2", "actuals": {"outcome": "yes"}}])["pending"] == 2
    api.create_version("early", "v1", {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                       "actuals": {"outcome": "categorical"}})
    api.log("early", "v1", [{"id": "e1", "features": {"x": 1}, "predictions": {"score": 0.9}},
                            {"id": "e2", "features": {"x": 1}, "predictions": {"score": 0.9}}])
    metrics_text = api.get("/metrics").text
    assert 'telltale_actuals_total{outcome="refused"} 1' in metrics_text
    assert 'telltale_actuals_total{outcome="joined"} 1' in metrics_text


def test_bad_actuals_are_rejected_row_by_row_with_the_reason(api):
    api.create_model("m", task="binary_classification")
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                   "actuals": {"label": "boolean"}})
    api.log("m", "v1", [{"id": "a", "features": {"x": 1}, "predictions": {"score": 0.9}},
                        {"id": "b", "features": {"x": 1}, "predictions": {"score": 0.1}}])
    answer = send_actuals(api, "m", [
        {"id": "a", "actuals": {"label": "maybe"}},
        {"actuals": {"label": True}},
        {"id": "b", "actuals": {"label": [1, 2]}},
        {"id": "b", "actuals": {"label": False}, "extra": 1},
        {"id": "b", "actuals": {"label": False}},
        {"id": "a", "actuals": {"lable": True}},
    ])
    assert answer["joined"] == 1
    reasons = {row["index"]: (row["code"], row["reason"]) for row in answer["rejected"]}
    assert reasons[0][0] == "type_error" and "actuals.label" in reasons[0][1]
    assert reasons[1][0] == "malformed" and "id" in reasons[1][1]
    assert "actuals.label" in reasons[2][1]
    assert "unknown key 'extra'" in reasons[3][1]
    assert reasons[5] == ("type_error", "actuals.label is missing (the row has actuals.lable)")
    assert api.post("/api/v1/models/m/actuals", data="{nope", headers={"Content-Type": "application/json"}).status_code == 400
    assert api.post("/api/v1/models/nope/actuals", json={"rows": []}).status_code == 404
    bad_metric = api.get("/api/v1/models/m/versions/v1/performance", params={"metric": "bogus"})
    assert bad_metric.status_code == 400 and "bogus" in bad_metric.json()["detail"]


def test_an_id_logged_by_two_versions_takes_its_actual_in_the_newest(api):
    """docs/performance.md: the newest version that logged the id takes the actual."""
    api.create_model("shadow", task="binary_classification")
    for version in ["v1", "v2"]:
        api.create_version("shadow", version, {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                               "actuals": {"label": "boolean"}})
    api.log("shadow", "v1", [{"id": i, "features": {"x": 1}, "predictions": {"score": 0.9}} for i in ["both", "old"]])
    api.log("shadow", "v2", [{"id": "both", "features": {"x": 1}, "predictions": {"score": 0.2}}])
    answer = send_actuals(api, "shadow", [{"id": "both", "actuals": {"label": True}},
                                          {"id": "old", "actuals": {"label": False}}])
    assert (answer["joined"], answer["pending"]) == (2, 0)

    def matrix(version):
        return api.get(f"/api/v1/models/shadow/versions/{version}/confusion_matrix").json()["matrix"]

    assert matrix("v2") == [[0, 0], [1, 0]]  # "both": actual positive, v2 predicted negative
    assert matrix("v1") == [[0, 1], [0, 0]]  # only "old": actual negative, v1 predicted positive


def test_a_metric_or_matrix_the_models_task_does_not_define_is_refused_with_its_metrics(api):
    api.create_model("price", task="regression")
    api.create_version("price", "v1", {"features": {"x": "numeric"}, "predictions": {"y": "numeric"},
                                       "actuals": {"y_true": "numeric"}})
    path = "/api/v1/models/price/versions/v1"
    for metric in ["f1", "estimated_f1", "macro_f1", "ndcg@5"]:
        refused = api.get(path + "/performance", params={"metric": metric})
        assert refused.status_code == 400, metric
        assert refused.json()["detail"] == (
            f"performance metric '{metric}' is not defined for a regression model; its metrics: "
            "mae, mse, rmse, mape, wape, r2, mean_error, max_abs_error")
    for metric in ["mae", "label_coverage", "label_delay_p50"]:
        assert api.get(path + "/performance", params={"metric": metric}).status_code == 200, metric
    matrix = api.get(path + "/confusion_matrix")
    assert matrix.status_code == 400
    assert matrix.json()["detail"] == "a confusion matrix is for classification models; 'price' is a regression model"


def test_retention_limits_expire_old_predictions_and_stale_pending_actuals(start_server):
    server = start_server(["--max-lateness", "3650d", "--actuals-retention", "2d", "--pending-actuals", "1s"])
    api = server.api()
    api.create_model("m", task="regression")
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"y": "numeric"},
                                   "actuals": {"y_true": "numeric"}})
    old = stamp(day_starts()[0] - dt.timedelta(days=1))
    api.log("m", "v1", [{"id": "old", "timestamp": old, "features": {"x": 1}, "predictions": {"y": 1.0}},
                        {"id": "new", "features": {"x": 1}, "predictions": {"y": 1.0}}])
    answer = send_actuals(api, "m", [{"id": "old", "actuals": {"y_true": 2.0}},
                                     {"id": "new", "actuals": {"y_true": 3.0}},
                                     {"id": "late-prediction", "actuals": {"y_true": 4.0}}])
    assert answer["joined"] == 1 and answer["pending"] == 1
    assert answer["rejected"][0]["code"] == "expired" and "older than the actuals retention (2 days)" in answer["rejected"][0]["reason"]
    import time

    time.sleep(2.1)  # past pending_actuals: the waiting actual is no longer joined
    api.log("m", "v1", [{"id": "late-prediction", "features": {"x": 1}, "predictions": {"y": 1.0}}])
    metrics_text = api.get("/metrics").text
    assert 'telltale_actuals_total{outcome="joined"} 1' in metrics_text
    assert 'telltale_actuals_total{outcome="pending"} 1' in metrics_text
    assert 'telltale_actuals_total{outcome="unmatched"} 1' in metrics_text
    assert 'telltale_rows_rejected_total{reason="expired"} 1' in metrics_text
    now = dt.datetime.now(dt.timezone.utc)
    labeled = api.get("/api/v1/models/m/versions/v1/performance",
                      params={"metric": "labeled", "granularity": "day", "from": stamp(now - dt.timedelta(days=1)),
                              "to": stamp(now + dt.timedelta(hours=1))}).json()["points"]
    assert sum(point["value"] for point in labeled) == 1


def test_a_prediction_logged_with_its_actual_counts_at_once_and_can_be_corrected(api):
    api.create_model("m", task="binary_classification")
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                   "actuals": {"label": "boolean"}})
    yesterday = stamp(day_starts()[-1] + dt.timedelta(hours=1))
    api.log("m", "v1", [{"id": "a", "timestamp": yesterday, "features": {"x": 1}, "predictions": {"score": 0.9},
                         "actuals": {"label": False}}])
    assert performance(api, "m", "fp")[-1] == 1
    answer = send_actuals(api, "m", [{"id": "a", "actuals": {"label": True}}])
    assert answer["corrected"] == 1
    assert performance(api, "m", "fp")[-1] == 0 and performance(api, "m", "tp")[-1] == 1
    assert performance(api, "m", "labeled")[-1] == 1


def test_joined_actuals_held_until_a_checkpoint_survive_kill_9_and_then_reach_the_index(start_server, tmp_path):
    """A joined actual rewrites its prediction's index entry in memory until the next checkpoint;
    a later correction must find it there, after a crash, and after the checkpoint."""
    args, data = ["--max-lateness", "3650d", "--checkpoint-interval", "1h"], tmp_path / "held"
    server = start_server(args, data_dir=data)
    api = server.api()
    api.create_model("m", task="binary_classification")
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                   "actuals": {"label": "boolean"}})
    yesterday = stamp(day_starts()[-1] + dt.timedelta(hours=1))
    api.log("m", "v1", [{"id": i, "timestamp": yesterday, "features": {"x": 1}, "predictions": {"score": 0.9}}
                        for i in "abc"])

    def held(api):
        return [line for line in api.get("/metrics").text.splitlines()
                if line.startswith("telltale_held_index_entries ")][0].split()[1]

    assert send_actuals(api, "m", [{"id": "a", "actuals": {"label": True}},
                                   {"id": "b", "actuals": {"label": False}}])["joined"] == 2
    assert send_actuals(api, "m", [{"id": "a", "actuals": {"label": False}}])["corrected"] == 1
    assert held(api) == "2"

    server.kill()
    server = start_server(args, data_dir=data)
    api = server.api()
    # Read back from the log, and written into the index by the checkpoint that follows the replay.
    assert held(api) == "0"
    assert performance(api, "m", "fp")[-1] == 2 and performance(api, "m", "tp")[-1] == 0
    assert send_actuals(api, "m", [{"id": "b", "actuals": {"label": True}}])["corrected"] == 1
    assert held(api) == "1"

    assert server.stop() == 0  # the last checkpoint writes the held entries into the index
    api = start_server(args, data_dir=data).api()
    assert held(api) == "0"
    assert performance(api, "m", "fp")[-1] == 1 and performance(api, "m", "tp")[-1] == 1
    answer = send_actuals(api, "m", [{"id": "a", "actuals": {"label": True}}, {"id": "c", "actuals": {"label": True}}])
    assert answer["joined"] == 2 and answer["corrected"] == 1
    assert performance(api, "m", "fp")[-1] == 0 and performance(api, "m", "tp")[-1] == 3


def test_a_model_created_in_place_of_a_deleted_one_inherits_none_of_its_actuals(api):
    """Its data is keyed by the model's and versions' ids, which are never given out again."""
    yesterday = stamp(day_starts()[-1] + dt.timedelta(hours=1))

    def create():
        api.create_model("m", task="binary_classification")
        api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                       "actuals": {"label": "boolean"}})

    def log(ids):
        api.log("m", "v1", [{"id": i, "timestamp": yesterday, "features": {"x": 1}, "predictions": {"score": 0.9}}
                            for i in ids])

    create()
    send_actuals(api, "m", [{"id": "early", "actuals": {"label": True}}], expect_pending=1)
    log(["a"])
    assert send_actuals(api, "m", [{"id": "a", "actuals": {"label": True}}])["joined"] == 1
    assert performance(api, "m", "labeled")[-1] == 1
    assert api.delete("/api/v1/models/m").status_code == 204

    create()
    log(["early", "a"])  # the deleted model's actual waiting for "early" is gone with it
    assert performance(api, "m", "labeled")[-1] == 0
    answer = send_actuals(api, "m", [{"id": "a", "actuals": {"label": False}}])
    assert (answer["joined"], answer["corrected"]) == (1, 0)
    assert performance(api, "m", "fp")[-1] == 1 and performance(api, "m", "tp")[-1] == 0


def test_a_models_task_cannot_change_once_it_has_versions(api):
    api.create_model("m", task="binary_classification")
    assert api.patch("/api/v1/models/m", json={"task": "regression"}).status_code == 200  # no versions yet
    api.create_version("m", "v1", {"features": {"x": "numeric"}, "predictions": {"y": "numeric"}})
    refused = api.patch("/api/v1/models/m", json={"task": "binary_classification"})
    assert refused.status_code == 409 and "cannot change once it has versions" in refused.json()["detail"]
    assert api.patch("/api/v1/models/m", json={"task": "regression"}).status_code == 200  # unchanged is fine
