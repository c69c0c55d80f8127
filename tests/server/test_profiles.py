"""Profiles computed elsewhere (the agent, the SDK's privacy mode): `telltale profile` output posted
to .../profiles lands in its window, merges with rows, serves as a baseline, and a retried upload
with the same id is not counted twice."""
import numpy as np
import pandas as pd
import pytest

PATH = "/api/v1/models/m/versions/v1"
RANGE = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z"}


@pytest.fixture
def setup(api, run, tmp_path):
    api.create_model("m")
    api.create_version("m", "v1", {"features": {"age": "numeric", "plan": "categorical"}},
                       [{"name": "pro", "where": {"plan": ["pro"]}}])
    rng = np.random.default_rng(3)

    def profile(name, rows, shift=0):
        frame = pd.DataFrame({"age": np.round(rng.normal(40 + shift, 8, rows), 1),
                              "plan": rng.choice(["free", "pro"], rows)})
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        run("profile", tmp_path / f"{name}.csv", "--output", tmp_path / f"{name}.profile", check_exit=0)
        return frame, (tmp_path / f"{name}.profile").read_bytes()

    return api, profile


def upload(api, body, **params):
    return api.post(PATH + "/profiles", data=body, params=params,
                    headers={"Content-Type": "application/octet-stream"})


def test_uploaded_profile_lands_in_its_window_and_merges_with_rows(setup):
    api, profile = setup
    frame, body = profile("hour10", 2000)
    response = upload(api, body, window_start="2026-11-20T10:00:00Z", upload_id="agent-1-h10")
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted_rows": 2000}
    api.log("m", "v1", [{"id": "r1", "timestamp": "2026-11-20T10:30:00Z", "features": {"age": 100, "plan": "pro"}}])
    summary = api.get(PATH + "/summary", params=RANGE).json()
    assert summary["rows"] == 2001 and summary["windows"] == 1
    mean = api.get(PATH + "/metrics", params={**RANGE, "field": "age", "metric": "mean"}).json()["points"]
    assert mean[0]["t"] == "2026-11-20T10:00:00Z"
    assert mean[0]["value"] == pytest.approx((frame["age"].sum() + 100) / 2001, rel=1e-12)
    again = upload(api, body, window_start="2026-11-20T10:00:00Z", upload_id="agent-1-h10")
    assert again.status_code == 409 and "agent-1-h10" in again.json()["detail"]
    assert api.get(PATH + "/summary", params=RANGE).json()["rows"] == 2001
    # /metrics counts the uploads and the row request as ingestion, the reads as queries.
    metrics = api.get("/metrics").text
    assert 'telltale_http_request_duration_seconds_count{route="ingest"} 3' in metrics
    assert 'telltale_http_request_duration_seconds_count{route="query"} 3' in metrics


def test_profiles_as_baseline_and_per_segment(setup):
    api, profile = setup
    _, train = profile("train", 5000)
    assert upload(api, train, environment="training").status_code == 200
    current, body = profile("current", 3000, shift=10)
    assert upload(api, body, window_start="2026-11-20T12:00:00Z").status_code == 200
    drift = api.get(PATH + "/drift", params=RANGE).json()
    columns = {c["name"]: c for c in drift["columns"]}
    assert drift["reference"]["rows"] == 5000 and drift["current"]["rows"] == 3000
    assert columns["age"]["drift_detected"] and not columns["plan"]["drift_detected"]
    # An agent computes each segment's profile itself and posts it with the segment's name.
    _, segment_body = profile("segment", 700)
    assert upload(api, segment_body, window_start="2026-11-20T12:00:00Z", segment="pro").status_code == 200
    assert api.get(PATH + "/summary", params={**RANGE, "segment": "pro"}).json()["rows"] == 700
    assert api.get(PATH + "/summary", params=RANGE).json()["rows"] == 3000


def test_bad_uploads_are_refused_with_a_reason(setup, tmp_path, run):
    api, profile = setup
    _, body = profile("ok", 10)
    assert upload(api, b"not a profile", window_start="2026-11-20T10:00:00Z").status_code == 422
    assert upload(api, body).status_code == 400  # production needs window_start
    late = upload(api, body, window_start="1999-01-01T00:00:00Z")
    assert late.status_code == 422
    assert late.json()["detail"] == ("window_start 1999-01-01T00:00:00Z: the window's end 1999-01-01T00:59:59Z "
                                     "is older than the allowed lateness of 315360000 s")
    assert upload(api, body, window_start="2026-11-20T10:00:00Z", segment="nope").status_code == 404
    pd.DataFrame({"age": [1, 2], "income": [3, 4]}).to_csv(tmp_path / "other.csv", index=False)
    run("profile", tmp_path / "other.csv", "--output", tmp_path / "other.profile", check_exit=0)
    unknown = upload(api, (tmp_path / "other.profile").read_bytes(), window_start="2026-11-20T10:00:00Z")
    assert unknown.status_code == 422 and "'income'" in unknown.json()["detail"]
    assert api.get(PATH + "/summary", params=RANGE).json()["rows"] == 0
