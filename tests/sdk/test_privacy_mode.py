"""Privacy mode: profiles computed in-process by the C++ core, sent instead of rows."""
import numpy as np
import pandas as pd
import pytest
import telltale

from server_process import ADMIN_TOKEN

CANARY = "CANARY-7f3a9c-do-not-leak"
HOUR = "2026-11-20T10:00:00Z"
DAY = ("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")


def sensitive_frame(n=3000):
    rng = np.random.default_rng(5)
    notes = [f"customer note {i}: called about invoice {rng.integers(10**6)}" for i in range(n)]
    notes[1234] = f"my password is {CANARY}"
    return pd.DataFrame({
        "amount": rng.gamma(2.0, 50.0, n),
        "merchant": rng.choice(["grocer", "fuel", "travel"], n),
        "note": notes,
        "email": [f"user{i}@{CANARY.lower()}.example" if i % 97 == 0 else f"user{i}@mail.example"
                  for i in range(n)],
    })


def test_the_canary_never_appears_in_any_request_body(client, proxy):
    frame = sensitive_frame()
    schema = {"features": {"amount": "numeric", "merchant": "categorical", "note": "text",
                           "email": "text"}}
    sdk = telltale.Client(proxy.url, token=ADMIN_TOKEN, raise_errors=True)
    version = sdk.create_model("payments").create_version("v1", schema=schema)
    profile = telltale.profile(frame, schema=version.schema)
    assert version.log_profile(profile, window_start=HOUR) == len(frame)
    assert version.log_profile(telltale.profile(frame.head(1000), schema=version.schema),
                               window_start=HOUR, environment="training") == 1000
    sdk.close()

    bodies = [body for _, _, _, body in proxy.requests]
    assert len(bodies) >= 4 and any(len(body) > 1000 for body in bodies)  # the profiles did go out
    for body in bodies:
        assert CANARY.encode() not in body
        assert CANARY.lower().encode() not in body
    # ...and the server still has what monitoring needs from the text fields.
    version = client.model("payments").version("v1")
    assert version.metric("note", "count", *DAY)["value"].iloc[0] == len(frame)
    distinct = version.metric("email", "distinct_count", *DAY)["value"].iloc[0]
    assert distinct == pytest.approx(len(frame), rel=0.05)


def test_an_uploaded_profile_answers_as_the_same_rows_logged_would(client):
    """The same frame once as rows (hour 10) and once as a profile (hour 11): every statistic the
    server answers for the two hours agrees."""
    rng = np.random.default_rng(9)
    n = 20_000
    frame = pd.DataFrame({
        "amount": np.where(rng.random(n) < 0.05, np.nan, rng.lognormal(3, 1, n)),
        "merchant": pd.Categorical(rng.choice(["grocer", "fuel", "travel", "other"], n)),
        "is_online": rng.random(n) < 0.4,
        "at": pd.date_range("2026-01-01", periods=n, freq="min"),
    })
    version = client.create_model("parity").create_version("v1", schema=telltale.infer_schema(frame))
    version.log_predictions(None, frame, timestamps="2026-11-20T10:30:00Z")
    assert client.flush(30)
    version.log_profile(telltale.profile(frame, schema=version.schema), window_start="2026-11-20T11:00:00Z")

    def by_hour(field, metric):
        points = version.metric(field, metric, *DAY)
        assert list(points["t"].dt.hour) == [10, 11]
        return points["value"].tolist()

    for field in ("amount", "at"):
        for metric in ("count", "missing_ratio", "mean", "min", "max", "distinct_count"):
            rows, profile = by_hour(field, metric)
            assert profile == pytest.approx(rows, rel=1e-12), (field, metric)
        values = frame[field].astype("float64") if field == "amount" else frame[field].astype("int64") / 1e9
        for quantile in ("p05", "p50", "p95"):
            # both hours' KLL estimates sit within the sketch's rank error (1.65%) of the quantile
            for estimate in by_hour(field, quantile):
                rank = (values.dropna() < estimate).mean()
                assert abs(rank - int(quantile[1:]) / 100) < 0.0165, (field, quantile, rank)
    for field in ("merchant", "is_online"):
        for metric in ("count", "distinct_count", "missing_ratio"):
            rows, profile = by_hour(field, metric)
            assert profile == rows, (field, metric)
    drift = version.drift("2026-11-20T11:00:00Z", "2026-11-20T12:00:00Z", baseline="range",
                          baseline_from="2026-11-20T10:00:00Z", baseline_to="2026-11-20T11:00:00Z")
    assert not drift["drift_detected"].any(), drift[["name", "method", "score"]]


def test_profiles_merge_save_and_show_what_they_hold(tmp_path, run):
    frame = sensitive_frame(2000)
    first = telltale.profile(frame.iloc[:1200])
    second = telltale.profile(frame.iloc[1200:])
    whole = telltale.profile(frame)
    merged = first + second
    assert merged.rows == whole.rows == 2000
    shown = merged.to_dict()
    amount = shown["fields"]["amount"]["numbers"]
    assert amount["count"] == 2000
    assert amount["mean"] == pytest.approx(frame["amount"].mean(), rel=1e-12)
    assert shown["fields"]["note"]["inferred_type"] == "text"
    assert "categories" not in shown["fields"]["note"]  # no text value is kept
    path = tmp_path / "current.ttprofile"
    merged.save(str(path))
    assert telltale.Profile.load(str(path)).to_bytes() == merged.to_bytes()
    # The file is telltale's own profile format: the CLI reads it.
    result = run("profile", "--show", path)
    assert result.returncode == 0, result.stderr
    assert "amount" in result.stdout
