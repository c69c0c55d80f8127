"""The quickstart of python/README.md, run as written against a real server."""
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from server_process import ADMIN_TOKEN

README = Path(__file__).resolve().parents[2] / "python" / "README.md"


def quickstart_code():
    blocks = re.findall(r"<!-- quickstart -->\s*```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == 1, "python/README.md must mark exactly one quickstart block"
    return blocks[0]


def test_the_readme_quickstart_runs_and_its_rows_arrive(server, tmp_path):
    script = tmp_path / "quickstart.py"
    script.write_text(quickstart_code())
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                            env={"TELLTALE_URL": server.url, "TELLTALE_TOKEN": ADMIN_TOKEN,
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    api = server.api()
    versions = api.get("/api/v1/models/churn/versions").json()["versions"]
    assert [v["version"] for v in versions] == ["v1"]
    summary = api.get("/api/v1/models/churn/versions/v1/summary").json()
    assert summary["rows"] == 1001, summary
    assert summary["baselines"]["training"]["rows"] == 5000, summary
    # What the quickstart printed: a drift table naming every feature, and an hourly metric.
    for field in ("tenure_months", "monthly_charges", "contract", "paperless"):
        assert field in result.stdout
    assert "missing_ratio" in result.stdout or "value" in result.stdout
    # The 500 actuals were joined: the f1 series printed labeled counts.
    now = dt.datetime.now(dt.timezone.utc)
    performance = api.get("/api/v1/models/churn/versions/v1/performance",
                          params={"metric": "labeled", "granularity": "day",
                                  "from": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  "to": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}).json()
    assert sum(point["value"] for point in performance["points"]) == 500
