"""`telltale apply`: the documented example file creates its monitors and channels, applying it
again changes nothing, a changed monitor is updated, and errors name the file, line and field."""
import subprocess
from pathlib import Path

from server_process import ADMIN_TOKEN

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "monitors.yaml"


def apply(telltale_bin, server, path, *extra):
    return subprocess.run([telltale_bin, "apply", str(path), "--url", server.url, *extra],
                          capture_output=True, text=True, timeout=60,
                          env={"TELLTALE_TOKEN": ADMIN_TOKEN, "PATH": "/usr/bin:/bin"})


def churn_model(api):
    api.create_model("churn")
    api.create_version("churn", "v1", {"features": {"income": "numeric", "country": "categorical"},
                                       "predictions": {"score": "numeric"}, "actuals": {"churned": "boolean"}},
                       [{"name": "DE", "where": {"country": ["DE"]}}])


def test_the_example_file_applies_and_applying_it_again_changes_nothing(telltale_bin, server, api, tmp_path):
    churn_model(api)
    first = apply(telltale_bin, server, EXAMPLE)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count(": created") == 10
    monitors = {m["name"]: m for m in api.get("/api/v1/monitors").json()["monitors"]}
    assert monitors["churn f1 in Germany"]["segment"] == "DE"
    assert monitors["churn accuracy"]["schedule"] == "30 8 * * mon-fri" and monitors["churn accuracy"]["next_evaluation"]
    assert monitors["income p99"]["detector"] == {"kind": "change", "baseline": "week_ago",
                                                  "max_percent": 30, "direction": "both"}
    assert [c["name"] for c in api.get("/api/v1/channels").json()["channels"]] == ["ml-alerts", "on-call"]

    again = apply(telltale_bin, server, EXAMPLE)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count(": unchanged") == 8 and "created" not in again.stdout

    changed = tmp_path / "monitors.yaml"
    changed.write_text(EXAMPLE.read_text().replace("max_percent: 30", "max_percent: 50"))
    third = apply(telltale_bin, server, changed)
    assert "monitor income p99: updated" in third.stdout and third.stdout.count(": unchanged") == 7
    assert {m["name"]: m for m in api.get("/api/v1/monitors").json()["monitors"]}[
        "income p99"]["detector"]["max_percent"] == 50


def test_invalid_files_name_the_line_and_field_before_anything_is_sent(telltale_bin, server, api, tmp_path):
    churn_model(api)
    bad = tmp_path / "bad.yaml"
    bad.write_text("monitors:\n"
                   "  - name: fine\n"
                   "    model: churn\n"
                   "    type: missing_values\n"
                   "  - name: typo\n"
                   "    model: churn\n"
                   "    type: model_activity\n"
                   "    detector:\n"
                   "      kind: threshold\n"
                   "      above: lots\n")
    result = apply(telltale_bin, server, bad)
    assert result.returncode == 2
    assert f"{bad}:10: monitors[1].detector.above: must be a number" in result.stderr
    assert api.get("/api/v1/monitors").json()["monitors"] == []  # nothing applied

    bad.write_text("monitors:\n  - {name: x, model: churn, type: missing_values}\n  oops: [\n")
    result = apply(telltale_bin, server, bad)
    assert result.returncode == 2 and f"{bad}:" in result.stderr

    dry = apply(telltale_bin, server, EXAMPLE, "--dry-run")
    assert dry.returncode == 0 and "8 monitor(s) and 2 channel(s), all valid" in dry.stdout


def test_what_the_server_refuses_is_reported_at_the_monitors_line(telltale_bin, server, api, tmp_path):
    churn_model(api)
    path = tmp_path / "monitors.yaml"
    path.write_text("name: unknown field\n"
                    "model: churn\n"
                    "type: metric_change\n"
                    "metric: mean\n"
                    "fields: [incme]\n"
                    "detector: {kind: anomaly}\n"
                    "---\n"
                    "name: volume\n"
                    "model: churn\n"
                    "type: model_activity\n")
    result = apply(telltale_bin, server, path)
    assert result.returncode == 2
    assert f"{path}:1: field 'incme' is not in version v1 of model churn" in result.stderr
    assert "monitor volume: created" in result.stdout
