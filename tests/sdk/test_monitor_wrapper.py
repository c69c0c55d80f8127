"""telltale.monitor on a scikit-learn pipeline trained on a dataset bundled with scikit-learn."""
import numpy as np
import pandas as pd
import pytest
import telltale
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def trained_pipeline():
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, _ = train_test_split(data.data, data.target, test_size=0.4, random_state=0)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    return pipeline, X_train, X_test


def window(version):
    now = pd.Timestamp.now(tz="UTC")
    return now - pd.Timedelta(hours=2), now + pd.Timedelta(hours=1)


def test_predict_proba_returns_the_pipelines_answer_and_logs_inputs_and_scores(client):
    pipeline, X_train, X_test = trained_pipeline()
    score = pd.Series(pipeline.predict_proba(X_train)[:, 1], name="benign_score", index=X_train.index)
    version = client.create_model("cancer").create_version(
        "v1", schema=telltale.infer_schema(X_train, predictions=score))
    version.log_training(X_train, predictions=score)
    X_test = X_test.set_axis([f"patient-{i}" for i in X_test.index])

    monitored = telltale.monitor(pipeline, version)
    answer = monitored.predict_proba(X_test)
    np.testing.assert_array_equal(answer, pipeline.predict_proba(X_test))
    assert list(monitored.classes_) == [0, 1]  # everything else is the pipeline's
    assert client.flush(30)

    start, end = window(version)
    logged = version.metric("benign_score", "mean", start, end, granularity="day")
    assert logged["rows"].sum() == len(X_test)
    assert logged["value"].iloc[-1] == pytest.approx(answer[:, 1].mean(), rel=1e-12)
    radius = version.metric("mean radius", "mean", start, end, granularity="day")["value"].iloc[-1]
    assert radius == pytest.approx(X_test["mean radius"].mean(), rel=1e-12)
    # the DataFrame's index became the prediction ids: logging the same rows again is a duplicate
    monitored.predict_proba(X_test.head(3))
    with pytest.raises(telltale.RowsRejectedError) as rejected:
        client.flush(30)
    assert [row["id"] for row in rejected.value.rejected] == list(X_test.index[:3])
    assert {row["code"] for row in rejected.value.rejected} == {"duplicate"}
    drift = version.drift(start, end)
    assert set(drift["name"]) >= set(X_train.columns) | {"benign_score"}


def test_arrays_take_the_pipelines_feature_names_and_ids_from_id_fn(client):
    pipeline, X_train, X_test = trained_pipeline()
    version = client.create_model("cancer").create_version(
        "v2", schema=telltale.infer_schema(X_train, predictions=pd.Series([0], name="label")))
    ids = iter(range(10**6))
    monitored = telltale.monitor(pipeline, version, id_fn=lambda X: [f"req-{next(ids)}" for _ in range(len(X))])
    with pytest.warns(UserWarning, match="feature names"):
        labels = monitored.predict(X_test.to_numpy())
    np.testing.assert_array_equal(labels, pipeline.predict(X_test))
    assert client.flush(30)
    start, end = window(version)
    got = version.metric("label", "mean", start, end, granularity="day")
    assert got["rows"].sum() == len(X_test)
    assert got["value"].iloc[-1] == pytest.approx(labels.mean())
    texture = version.metric("mean texture", "mean", start, end, granularity="day")["value"].iloc[-1]
    assert texture == pytest.approx(X_test["mean texture"].mean(), rel=1e-12)


def test_a_logging_failure_never_breaks_predict(server):
    pipeline, X_train, X_test = trained_pipeline()
    client = telltale.Client(server.url, token="not-a-key")  # every request will be refused
    version = telltale.Version(telltale.Model(client, {"name": "cancer"}),
                               {"version": "v1", "schema": {"predictions": {"score": "numeric"}}})
    monitored = telltale.monitor(pipeline, version, id_fn=lambda X: 1 / 0)  # and the id_fn raises
    np.testing.assert_array_equal(monitored.predict(X_test), pipeline.predict(X_test))
    client.close(5)


def test_predict_proba_of_a_multiclass_version_logs_each_class_and_the_log_loss_follows(client):
    from sklearn.datasets import load_wine
    from sklearn.metrics import log_loss, recall_score

    data = load_wine(as_frame=True)
    names = np.array(["barolo", "grignolino", "barbera"])
    X_train, X_test, y_train, y_test = train_test_split(data.data, names[data.target], test_size=0.5, random_state=2)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=0.05)).fit(X_train, y_train)
    classes = [str(c) for c in model.classes_]
    schema = telltale.infer_schema(X_train)
    schema["predictions"] = {"cultivar": "categorical", **{f"p_{c}": "numeric" for c in classes}}
    schema["actuals"] = {"truth": "categorical"}
    schema["class_probabilities"] = {c: f"p_{c}" for c in classes}
    version = client.create_model("wine", task="multiclass_classification").create_version("v1", schema=schema)
    X_test = X_test.set_axis([f"bottle-{i}" for i in X_test.index])

    proba = telltale.monitor(model, version).predict_proba(X_test)
    np.testing.assert_array_equal(proba, model.predict_proba(X_test))
    version.model.log_actuals(X_test.index, pd.DataFrame({"truth": y_test}))
    assert client.flush(30)

    start, end = window(version)
    got = version.performance("log_loss", start, end, granularity="week")["value"].iloc[-1]
    assert got == pytest.approx(log_loss(y_test, proba, labels=classes), rel=1e-9)
    predicted = model.classes_[np.argmax(proba, axis=1)]
    recall = version.performance("recall:barolo", start, end, granularity="week")["value"].iloc[-1]
    assert recall == pytest.approx(recall_score(y_test, predicted, labels=["barolo"], average=None)[0], rel=1e-9)
