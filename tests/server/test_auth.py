"""API keys: bootstrap, roles, revocation, project isolation, and the full matrix of endpoints x
{no key, bad key, read, write, admin, another project's admin}."""
import os
import stat

import pytest

from server_process import ADMIN_TOKEN

SCHEMA = {"features": {"x": "numeric"}}
V = "/api/v1/models/m/versions/v1"

# (method, path, body, the role it needs)
ENDPOINTS = [
    ("GET", "/api/v1/models", None, "read"),
    ("POST", "/api/v1/models", {"name": "other", "task": "regression"}, "admin"),
    ("GET", "/api/v1/models/m", None, "read"),
    ("PATCH", "/api/v1/models/m", {"description": "d"}, "admin"),
    ("GET", "/api/v1/models/m/versions", None, "read"),
    ("POST", "/api/v1/models/m/versions", {"version": "v2", "schema": SCHEMA}, "admin"),
    ("GET", V, None, "read"),
    ("POST", V + "/predictions", {"rows": [{"id": "a"}]}, "write"),
    ("POST", V + "/training", {"rows": [{"features": {"x": 1}}]}, "write"),
    ("POST", V + "/validation", {"rows": [{"features": {"x": 1}}]}, "write"),
    ("POST", V + "/profiles?environment=training", None, "write"),
    ("GET", V + "/summary", None, "read"),
    ("GET", V + "/drift?baseline=range&baseline_from=2026-01-01T00:00:00Z&baseline_to=2026-01-02T00:00:00Z", None, "read"),
    ("GET", V + "/metrics?metric=count", None, "read"),
    ("GET", V + "/distribution?field=x&baseline=range&baseline_from=2026-01-01T00:00:00Z&baseline_to=2026-01-02T00:00:00Z", None, "read"),
    ("GET", "/api/v1/keys", None, "admin"),
    ("POST", "/api/v1/keys", {"name": "k", "role": "read"}, "admin"),
    ("DELETE", "/api/v1/models/m", None, "admin"),
]


def test_first_start_creates_an_admin_key_file(start_server, tmp_path):
    server = start_server(env={"TELLTALE_ADMIN_TOKEN": ""}, data_dir=tmp_path / "fresh")
    key_file = tmp_path / "fresh" / "admin.key"
    secret = key_file.read_text().strip()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert secret.startswith("tt_") and len(secret) == 46
    assert any(secret in line for line in server.log), "the key is printed once at first start"
    assert server.api(secret).get("/api/v1/models").status_code == 200
    assert server.stop() == 0
    again = start_server(env={"TELLTALE_ADMIN_TOKEN": ""}, data_dir=tmp_path / "fresh")
    assert not any("tt_" in line for line in again.log), "not printed again"
    assert again.api(secret).get("/api/v1/models").status_code == 200


@pytest.fixture
def keys(server, api):
    def make(client, role):
        response = client.post("/api/v1/keys", json={"name": role, "role": role})
        assert response.status_code == 201, response.text
        return response.json()

    other = api.post("/api/v1/projects", json={"name": "other"})
    assert other.status_code == 201, other.text
    return {"admin": ADMIN_TOKEN, "read": make(api, "read")["secret"], "write": make(api, "write")["secret"],
            "other": other.json()["admin_key"]["secret"], "bad": "tt_not_a_key", "none": None}


def setup_model(api):
    api.create_model("m")
    api.create_version("m", "v1", SCHEMA)


@pytest.mark.parametrize("method, path, body, needs", ENDPOINTS, ids=[f"{m} {p.split('?')[0]}" for m, p, _, _ in ENDPOINTS])
def test_auth_matrix(server, api, keys, method, path, body, needs):
    for who, token in keys.items():
        api.delete("/api/v1/models/m")
        setup_model(api)
        response = server.api(token).request(method, path, json=body)
        if who in ("none", "bad"):
            expected = 401
        elif who == "other":
            # Another project's key sees nothing here: not found, never forbidden.
            expected = 404 if "/models/m" in path else None
        elif who == "admin" or who == needs:
            expected = None
        else:
            expected = 403
        if expected is None and path.startswith(V + "/profiles"):
            # Authorized; the empty body is then refused as not a profile.
            assert response.status_code == 422, (who, response.status_code, response.text)
        elif expected is None:
            assert response.status_code < 400, (who, response.status_code, response.text)
        else:
            assert response.status_code == expected, (who, response.status_code, response.text)
            assert response.headers["Content-Type"] == "application/problem+json"


def test_projects_are_isolated(server, api, keys):
    setup_model(api)
    other = server.api(keys["other"])
    assert other.get("/api/v1/models").json() == {"models": []}
    other.create_model("m")  # the same name in another project
    assert other.get("/api/v1/models/m").status_code == 200
    assert len(api.get("/api/v1/models").json()["models"]) == 1
    assert [p["name"] for p in other.get("/api/v1/projects").json()["projects"]] == ["other"]
    assert other.post("/api/v1/projects", json={"name": "third"}).status_code == 403


def test_keys_are_listed_without_secrets_and_can_be_revoked(server, api, keys):
    listed = api.get("/api/v1/keys").json()["keys"]
    assert {k["role"] for k in listed} == {"admin", "read", "write"}
    assert all("secret" not in k and len(k["prefix"]) == 10 for k in listed)
    read_key = next(k for k in listed if k["role"] == "read")
    assert server.api(keys["read"]).get("/api/v1/models").status_code == 200
    assert api.delete(f"/api/v1/keys/{read_key['id']}").status_code == 204
    revoked = server.api(keys["read"]).get("/api/v1/models")
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
    assert api.delete("/api/v1/keys/99999").status_code == 404
    bad_role = api.post("/api/v1/keys", json={"name": "x", "role": "owner"})
    assert bad_role.status_code == 422 and "role" in bad_role.json()["detail"]
