"""Model registry: models and versions, their validation, and the server's health endpoints."""
from pathlib import Path

SCHEMA = {"features": {"age": "numeric", "country": "categorical"}, "predictions": {"score": "numeric"}}


def test_health_ready_and_openapi(server, api):
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json() == {"status": "ready"}
    served = api.get("/api/v1/openapi.yaml")
    assert served.status_code == 200
    assert served.text == (Path(__file__).resolve().parents[2] / "api" / "openapi.yaml").read_text()


def test_model_lifecycle(api):
    created = api.create_model("churn", timezone="America/New_York", description="who leaves")
    assert created["name"] == "churn" and created["timezone"] == "America/New_York"
    assert api.create_model("fraud")["timezone"] == "UTC"
    assert [m["name"] for m in api.get("/api/v1/models").json()["models"]] == ["churn", "fraud"]

    again = api.post("/api/v1/models", json={"name": "churn", "task": "regression"})
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert "churn" in again.json()["detail"]

    patched = api.patch("/api/v1/models/churn", json={"description": "monthly churn"})
    assert patched.status_code == 200 and patched.json()["description"] == "monthly churn"
    assert api.get("/api/v1/models/churn").json()["description"] == "monthly churn"

    assert api.delete("/api/v1/models/fraud").status_code == 204
    missing = api.get("/api/v1/models/fraud")
    assert missing.status_code == 404 and "fraud" in missing.json()["detail"]


def test_model_validation_names_the_field(api):
    cases = [
        ({"name": "m", "task": "clustering"}, "task"),
        ({"name": "m", "task": "regression", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "bad name!", "task": "regression"}, "name"),
        ({"task": "regression"}, "name"),
    ]
    for body, field in cases:
        response = api.post("/api/v1/models", json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"].startswith(field), response.json()
    malformed = api.post("/api/v1/models", data="{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and "malformed JSON" in malformed.json()["detail"]


def test_versions_with_schema_and_segments(api):
    api.create_model("churn")
    segments = [{"name": "US", "where": {"country": ["US"]}},
                {"name": "age 30-40", "where": {"age": {"gte": 30, "lt": 40}}}]
    version = api.create_version("churn", "v1", {**SCHEMA, "features": {
        **SCHEMA["features"], "emb": {"type": "embedding", "dimension": 4}}}, segments)
    assert version["schema"]["features"]["emb"] == {"type": "embedding", "dimension": 4}
    assert version["segments"] == segments
    assert api.get("/api/v1/models/churn/versions/v1").json()["segments"] == segments
    api.create_version("churn", "v2", SCHEMA)
    assert [v["version"] for v in api.get("/api/v1/models/churn/versions").json()["versions"]] == ["v1", "v2"]
    assert api.post("/api/v1/models/churn/versions", json={"version": "v1", "schema": SCHEMA}).status_code == 409


def test_version_validation_names_the_field(api):
    api.create_model("churn")
    cases = [
        ({"features": {"age": "number"}}, None, "schema.features.age: unknown type 'number'"),
        ({"features": {"emb": "embedding"}}, None, "schema.features.emb: an embedding needs"),
        ({"features": {"x": "numeric"}, "predictions": {"x": "numeric"}}, None, "schema.predictions.x"),
        ({"inputs": {"x": "numeric"}}, None, "schema: unknown key 'inputs'"),
        (SCHEMA, [{"name": "US", "where": {"nation": ["US"]}}], "segments[0].where: the schema has no field 'nation'"),
        (SCHEMA, [{"name": "old", "where": {"country": {"gte": 3}}}], "a range needs a numeric field"),
        (SCHEMA, [{"name": "x", "where": {"age": {"above": 3}}}], "unknown bound 'above'"),
    ]
    for schema, segments, message in cases:
        body = {"version": "v9", "schema": schema}
        if segments is not None:
            body["segments"] = segments
        response = api.post("/api/v1/models/churn/versions", json=body)
        assert response.status_code == 422, (schema, response.text)
        assert message in response.json()["detail"], response.json()["detail"]


def test_registry_survives_restart(start_server, tmp_path):
    server = start_server(data_dir=tmp_path / "data")
    api = server.api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)
    assert server.stop() == 0
    server = start_server(data_dir=tmp_path / "data")
    assert server.api().get("/api/v1/models/churn/versions/v1").json()["schema"] == SCHEMA
