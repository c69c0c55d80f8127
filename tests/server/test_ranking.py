"""Ranking models: items grouped into queries by a query id field, their relevance arriving later as
actuals. NDCG@k equals scikit-learn's ndcg_score and MAP its average_precision_score, per query and
averaged per day; MRR, precision@k, recall@k and MAP@k follow their textbook definitions, written
out here in numpy. The lists survive kill -9 of the server."""
import random

import numpy as np
import pytest
from sklearn import metrics
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

from test_actuals import DAYS, day_starts, nan_for_null, performance, send_actuals, stamp

K = 5


def ranked(scores, relevance):
    """Relevances in the order the model ranked them (scores are distinct here)."""
    return relevance[np.argsort(-scores)]


def mean_over_queries(queries, day, value):
    """The mean of value(scores, relevance) over the day's queries with a relevant item."""
    values = [value(s, r) for d, s, r in queries if d == day and (r > 0).any()]
    return float(np.mean(values)) if values else np.nan


def reciprocal_rank(scores, relevance, k=None):
    hits = np.flatnonzero(ranked(scores, relevance)[:k] > 0)
    return 1.0 / (hits[0] + 1) if len(hits) else 0.0


def average_precision_at(scores, relevance, k):
    hits = ranked(scores, relevance)[:k] > 0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / min(k, (relevance > 0).sum()))


REFERENCES = {
    f"ndcg@{K}": lambda s, r: metrics.ndcg_score([r], [s], k=K),
    "ndcg": lambda s, r: metrics.ndcg_score([r], [s]),
    "map": lambda s, r: metrics.average_precision_score(r > 0, s),
    f"map@{K}": lambda s, r: average_precision_at(s, r, K),
    "mrr": reciprocal_rank,
    f"mrr@{K}": lambda s, r: reciprocal_rank(s, r, K),
    f"precision@{K}": lambda s, r: (ranked(s, r)[:K] > 0).sum() / K,
    f"recall@{K}": lambda s, r: (ranked(s, r)[:K] > 0).sum() / (r > 0).sum(),
}


def diabetes_queries():
    """scikit-learn's diabetes data as a ranking task: patients in groups of 6 to 14 (a query each),
    ranked by a ridge model's predicted progression; relevance is the true progression's quartile
    (0 to 3). Returns (day, query id, item ids, features, scores, relevance) per query."""
    data = load_diabetes()
    X, y = data.data, data.target
    rng = np.random.default_rng(3)
    order = rng.permutation(len(y))
    train, test = order[:150], order[150:]
    scores = Ridge(alpha=0.1).fit(X[train], y[train]).predict(X[test])
    relevance = np.digitize(y[test], np.quantile(y, [0.25, 0.5, 0.75]))
    queries, start, q = [], 0, 0
    while start < len(test):
        size = int(rng.integers(6, 15))
        items = np.arange(start, min(start + size, len(test)))
        queries.append((q % DAYS, f"q{q}", [f"i{test[i]}" for i in items], X[test[items], 2],
                        scores[items], relevance[items].astype(float)))
        start += size
        q += 1
    return queries


def test_ranking_metrics_per_day_equal_scikit_learn_and_survive_a_crash(start_server, tmp_path):
    server = start_server(["--max-lateness", "3650d"], data_dir=tmp_path / "ranking")
    api = server.api()
    api.create_model("search", task="ranking")
    api.create_version("search", "v1", {
        "features": {"bmi": "numeric"}, "raw": {"query": "categorical"},
        "predictions": {"score": "numeric"}, "actuals": {"relevance": "numeric"}, "query_id": "query"})
    assert api.get("/api/v1/models/search/versions/v1").json()["schema"]["query_id"] == "query"
    queries = diabetes_queries()
    starts = day_starts()
    rows, truth = [], {}
    for day, query, items, bmi, scores, relevance in queries:
        at = stamp(starts[day].replace(hour=10 + int(query[1:]) % 12))
        for item, x, score, rel in zip(items, bmi, scores, relevance):
            rows.append({"id": item, "timestamp": at, "features": {"bmi": float(x)}, "raw": {"query": query},
                         "predictions": {"score": float(score)}})
            truth[item] = rel
    assert api.log("search", "v1", rows)["accepted"] == len(rows)

    # Relevance arrives later, shuffled; 20 judgements first wrong, then corrected; 3 unknown ids.
    ids = list(truth)
    random.Random(5).shuffle(ids)
    wrong = ids[:20]
    send_actuals(api, "search", [{"id": i, "actuals": {"relevance": 3 - truth[i]}} for i in wrong])
    answer = send_actuals(api, "search", [{"id": i, "actuals": {"relevance": truth[i]}} for i in ids[20:]]
                          + [{"id": f"ghost{k}", "actuals": {"relevance": 1}} for k in range(3)], expect_pending=3)
    assert answer["joined"] == len(ids) - 20
    corrected = send_actuals(api, "search", [{"id": i, "actuals": {"relevance": truth[i]}} for i in wrong])
    assert corrected["corrected"] == 20
    negative = send_actuals(api, "search", [{"id": ids[0], "actuals": {"relevance": -1}}])
    assert negative["joined"] == 0 and "a relevance is a number >= 0" in negative["rejected"][0]["reason"]

    by_day = [(day, scores, relevance) for day, _, _, _, scores, relevance in queries]
    expected = {name: [mean_over_queries(by_day, d, value) for d in range(DAYS)] for name, value in REFERENCES.items()}
    for name, want in expected.items():
        assert nan_for_null(performance(api, "search", name)) == pytest.approx(want, rel=1e-9, abs=1e-12), name
    queries_per_day = [sum(1 for q in queries if q[0] == d) for d in range(DAYS)]
    assert performance(api, "search", "queries") == queries_per_day

    # kill -9 and restart: the lists are rebuilt from the store and the log, nothing counted twice.
    server.kill()
    api = start_server(["--max-lateness", "3650d"], data_dir=tmp_path / "ranking").api()
    for name, want in expected.items():
        assert nan_for_null(performance(api, "search", name)) == pytest.approx(want, rel=1e-9, abs=1e-12), name


def test_a_ranking_version_needs_a_query_field_and_relevance_is_checked(api):
    api.create_model("search", task="ranking")
    refused = api.post("/api/v1/models/search/versions", json={"version": "v1", "schema": {
        "features": {"x": "numeric"}, "predictions": {"score": "numeric"}, "actuals": {"relevant": "boolean"}}})
    assert refused.status_code == 422 and "schema.query_id" in refused.json()["detail"]
    not_a_field = api.post("/api/v1/models/search/versions", json={"version": "v1", "schema": {
        "features": {"x": "numeric"}, "predictions": {"score": "numeric"}, "query_id": "session"}})
    assert not_a_field.status_code == 422 and "no field 'session'" in not_a_field.json()["detail"]
    # a relevance that is a category could never be joined: refused when the version is created
    categorical = api.post("/api/v1/models/search/versions", json={"version": "v1", "schema": {
        "features": {"x": "numeric"}, "raw": {"session": "text"}, "predictions": {"score": "numeric"},
        "actuals": {"grade": "categorical"}, "query_id": "session"}})
    assert categorical.status_code == 422, categorical.text
    assert "schema.actuals" in categorical.json()["detail"] and "relevance" in categorical.json()["detail"]
    api.create_version("search", "v1", {"features": {"x": "numeric"}, "raw": {"session": "text"},
                                        "predictions": {"score": "numeric"}, "actuals": {"relevant": "boolean"},
                                        "query_id": "session"})
    at = stamp(day_starts()[-1])
    api.log("search", "v1", [
        {"id": "a", "timestamp": at, "features": {"x": 1}, "raw": {"session": "s1"}, "predictions": {"score": 0.9}},
        {"id": "b", "timestamp": at, "features": {"x": 2}, "raw": {"session": "s1"}, "predictions": {"score": 0.4}},
        {"id": "c", "timestamp": at, "features": {"x": 3}, "predictions": {"score": 0.7}}])
    answer = send_actuals(api, "search", [{"id": "a", "actuals": {"relevant": False}},
                                          {"id": "b", "actuals": {"relevant": True}},
                                          {"id": "c", "actuals": {"relevant": True}}])
    assert answer["joined"] == 2
    assert "no query id" in answer["rejected"][0]["reason"]
    # boolean relevance: the relevant item ranked second of two
    assert performance(api, "search", "mrr")[-1] == 0.5
    assert performance(api, "search", "ndcg")[-1] == pytest.approx(1 / np.log2(3))
    bad = api.get("/api/v1/models/search/versions/v1/performance", params={"metric": "ndcg@0"})
    assert bad.status_code == 400 and "ndcg@0" in bad.json()["detail"]
