"""Actuals through the SDK: log_actuals joins by id, corrections replace, performance() and
confusion_matrix() come back as DataFrames equal to scikit-learn's on the same rows."""
import numpy as np
import pandas as pd
import pytest
import telltale
from server_process import ADMIN_TOKEN
from sklearn import metrics


def test_actuals_logged_later_give_scikit_learns_metrics(client):
    rng = np.random.default_rng(3)
    n = 1500
    X = pd.DataFrame({"amount": rng.lognormal(3, 1, n)})
    score = pd.Series(rng.random(n), name="fraud_score")
    truth = rng.random(n) < score.to_numpy()
    model = client.create_model("fraud", task="binary_classification")
    version = model.create_version("v1", schema=telltale.infer_schema(
        X, predictions=score, actuals=pd.Series(truth, name="is_fraud")))
    ids = [f"tx-{i}" for i in range(n)]
    now = pd.Timestamp.now(tz="UTC").floor("h")
    version.log_predictions(ids, X, score, timestamps=now - pd.Timedelta(hours=2))
    assert client.flush(30)
    # A wrong label first for 100 ids, then every label right (ids in any order).
    model.log_actuals(ids[:100], pd.DataFrame({"is_fraud": ~truth[:100]}))
    order = rng.permutation(n)
    model.log_actuals([ids[i] for i in order], pd.DataFrame({"is_fraud": truth[order]}))
    assert client.flush(30)
    assert client.stats()["rejected_rows"] == 0

    start, end = now - pd.Timedelta(days=1), now + pd.Timedelta(hours=1)
    predicted = score.to_numpy() >= 0.5
    for name, want in (("accuracy", metrics.accuracy_score(truth, predicted)),
                       ("f1", metrics.f1_score(truth, predicted)),
                       ("log_loss", metrics.log_loss(truth, score)),
                       ("label_coverage", 1.0)):
        got = version.performance(name, start, end, granularity="day")
        got = got[got["labeled"] > 0]
        assert got["labeled"].tolist() == [n]
        assert got["value"].iloc[0] == pytest.approx(want, rel=1e-9), name
    auc = version.performance("roc_auc", start, end)["value"].iloc[-1]
    assert auc == pytest.approx(metrics.roc_auc_score(truth, score), abs=0.002)
    matrix = version.confusion_matrix(start, end)
    assert list(matrix.index) == ["negative", "positive"]
    assert matrix.to_numpy().tolist() == metrics.confusion_matrix(truth, predicted).tolist()


def test_a_correction_is_never_overtaken_by_the_actual_it_corrects(client, proxy):
    # The first actuals request is held back in the proxy; with four connections the correction
    # logged after it must still wait for it, or the wrong labels would win.
    n = 400
    rng = np.random.default_rng(5)
    score = pd.Series(rng.random(n), name="score")
    truth = rng.random(n) < score.to_numpy()
    model = client.create_model("orders", task="binary_classification")
    version = model.create_version("v1", schema={"features": {"x": "numeric"}, "predictions": {"score": "numeric"},
                                                 "actuals": {"label": "boolean"}})
    ids = [f"o{i}" for i in range(n)]
    now = pd.Timestamp.now(tz="UTC").floor("h")
    version.log_predictions(ids, pd.DataFrame({"x": rng.random(n)}), score, timestamps=now - pd.Timedelta(hours=1))
    assert client.flush(30)

    sdk = telltale.Client(proxy.url, token=ADMIN_TOKEN, connections=4, raise_errors=True)
    proxy.holds["/actuals"] = 1.0
    sdk.model("orders").log_actuals(ids, pd.DataFrame({"label": ~truth}))
    sdk.model("orders").log_actuals(ids, pd.DataFrame({"label": truth}))
    assert sdk.flush(30)
    sdk.close()
    assert len(proxy.bodies("/actuals")) == 2

    got = version.performance("accuracy", now - pd.Timedelta(days=1), now + pd.Timedelta(hours=1))
    got = got[got["labeled"] > 0]
    assert got["value"].sum() == pytest.approx(metrics.accuracy_score(truth, score >= 0.5), rel=1e-9)


def test_a_ranking_model_through_the_sdk(client):
    # Ten queries of eight items; relevance 0-2 arrives later; NDCG@5 per query as scikit-learn's.
    rng = np.random.default_rng(8)
    n = 80
    frame = pd.DataFrame({"query": [f"q{i // 8}" for i in range(n)], "price": rng.random(n)})
    score = pd.Series(rng.random(n), name="score")
    relevance = pd.DataFrame({"relevance": rng.integers(0, 3, n)})
    schema = telltale.infer_schema(frame, predictions=score, actuals=relevance, query_id="query")
    model = client.create_model("search", task="ranking")
    version = model.create_version("v1", schema=schema)
    assert model.create_version("v1", schema=schema).name == version.name  # idempotent
    assert version.schema["query_id"] == "query"
    ids = [f"item-{i}" for i in range(n)]
    now = pd.Timestamp.now(tz="UTC").floor("h")
    version.log_predictions(ids, frame, score, timestamps=now - pd.Timedelta(hours=1))
    assert client.flush(30)
    model.log_actuals(ids, relevance)
    assert client.flush(30)
    assert client.stats()["rejected_rows"] == 0
    per_query = [metrics.ndcg_score([relevance["relevance"][i:i + 8]], [score[i:i + 8]], k=5)
                 for i in range(0, n, 8) if relevance["relevance"][i:i + 8].any()]
    got = version.performance("ndcg@5", now - pd.Timedelta(days=1), now + pd.Timedelta(hours=1), granularity="day")
    got = got[got["labeled"] > 0]
    assert got["value"].iloc[0] == pytest.approx(np.mean(per_query), rel=1e-9)
