"""telltale check and telltale profile as a user runs them: exit codes, messages, outputs."""
import gzip
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def write(path, text):
    path.write_text(text)
    return path


def test_bundled_example_fails_with_drift_and_integrity(run):
    result = run("check", "--reference", EXAMPLES / "reference.csv", "--current", EXAMPLES / "current.csv",
                 check_exit=1)
    assert "DATASET DRIFT" in result.stdout
    assert "new_categories  country" in result.stdout
    assert "Result: FAIL" in result.stdout


def test_identical_data_passes(run):
    result = run("check", "--reference", EXAMPLES / "reference.csv", "--current", EXAMPLES / "reference.csv",
                 check_exit=0)
    assert "Result: PASS" in result.stdout


def test_json_contract(check_json):
    code, report = check_json(EXAMPLES / "reference.csv", EXAMPLES / "current.csv")
    assert code == 1
    for key in ("dataset_drift", "drift_share", "number_of_columns", "number_of_drifted_columns", "columns",
                "integrity"):
        assert key in report
    column = report["columns"][0]
    for key in ("name", "type", "method", "score", "threshold", "drift_detected", "reference", "current"):
        assert key in column
    assert column["type"] in ("numerical", "categorical", "text")
    check = report["integrity"][0]
    assert set(check) >= {"check", "column", "passed", "value", "threshold"}


def test_html_is_self_contained(run, tmp_path):
    out = tmp_path / "report.html"
    run("check", "--reference", EXAMPLES / "reference.csv", "--current", EXAMPLES / "current.csv",
        "--format", "html", "--output", out, check_exit=1)
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "<svg" in html and "income" in html
    assert "http://" not in html and "https://" not in html


def test_column_order_may_differ_and_gzip_and_ndjson(run, tmp_path):
    write(tmp_path / "r.csv", "a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n")
    with gzip.open(tmp_path / "c.csv.gz", "wt") as f:
        f.write("b,a\nx,1\ny,2\nx,3\ny,4\nx,5\ny,6\n")
    write(tmp_path / "c.ndjson", "".join(json.dumps({"b": b, "a": a}) + "\n" for a, b in
                                          [(1, "x"), (2, "y"), (3, "x"), (4, "y"), (5, "x"), (6, "y")]))
    for current in ("c.csv.gz", "c.ndjson"):
        result = run("check", "--reference", tmp_path / "r.csv", "--current", tmp_path / current, check_exit=0)
        assert "0 of 2 columns drifted" in result.stdout


def test_input_errors_name_file_and_line(run, tmp_path):
    cases = {
        "empty.csv": ("", "empty.csv: the file is empty"),
        "header.csv": ("a,b\n", "header.csv: has a header but no data rows"),
        "ragged.csv": ("a,b\n1,2\n3\n", "ragged.csv:3: row has 1 fields, the header has 2"),
        "quote.csv": ("a,b\n1,\"open\n", "quote.csv:2: unterminated quote"),
        "utf8.csv": (b"a,b\n1,\xff\n", "utf8.csv:2: invalid UTF-8"),
    }
    good = write(tmp_path / "good.csv", "a,b\n1,2\n")
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        result = run("check", "--reference", good, "--current", path, check_exit=2)
        assert message in result.stderr, (name, result.stderr)
    result = run("check", "--reference", tmp_path / "missing.csv", "--current", good, check_exit=2)
    assert "missing.csv: no such file" in result.stderr


def test_type_error_is_counted_not_a_crash(check_json, tmp_path):
    reference = write(tmp_path / "r.csv", "x\n" + "".join(f"{i}.5\n" for i in range(100)))
    current = write(tmp_path / "c.csv", "x\n" + "".join(f"{i}.5\n" for i in range(99)) + "oops\n")
    schema = write(tmp_path / "s.yaml", "columns:\n  x: numerical\n")
    code, report = check_json(reference, current, "--schema", schema)
    assert code == 1
    errors = next(c for c in report["integrity"] if c["check"] == "type_errors")
    assert errors["passed"] is False and abs(errors["value"] - 0.01) < 1e-12


def test_usage_errors(run, tmp_path):
    good = write(tmp_path / "good.csv", "a\n1\n2\n")
    assert run("check", "--current", good).returncode == 2
    result = run("check", "--reference", good, "--current", good, "--stattest", "nope")
    assert result.returncode == 2 and "unknown drift method 'nope'" in result.stderr
    result = run("check", "--reference", good, "--current", good, "--stattest", "zz=ks")
    assert result.returncode == 2 and "column 'zz'" in result.stderr
    assert run("check", "--help").returncode == 0
    assert run("--version").returncode == 0


def test_profile_round_trip_and_reference_profile(run, tmp_path):
    profile = tmp_path / "ref.profile"
    run("profile", EXAMPLES / "reference.csv", "--output", profile, check_exit=0)
    shown = json.loads(run("profile", "--show", profile, check_exit=0).stdout)
    assert shown["rows"] == 2000
    assert shown["fields"]["income"]["inferred_type"] == "numerical"
    assert shown["fields"]["plan"]["categories"]["exact"] is True
    result = run("check", "--reference-profile", profile, "--current", EXAMPLES / "current.csv",
                 "--format", "json", check_exit=1)
    report = json.loads(result.stdout)
    assert report["mode"] == "sketch" and report["dataset_drift"] is True
    damaged = tmp_path / "damaged.profile"
    damaged.write_bytes(profile.read_bytes()[:-10])
    result = run("profile", "--show", damaged, check_exit=2)
    assert "checksum" in result.stderr or "truncated" in result.stderr


def test_thresholds_are_configurable(run):
    """Loosened integrity thresholds and drift share turn the example's FAIL into a PASS."""
    args = ["check", "--reference", EXAMPLES / "reference.csv", "--current", EXAMPLES / "current.csv"]
    run(*args, "--max-new-categories", "0.2", "--max-missing-increase", "0.1", check_exit=1)
    result = run(*args, "--max-new-categories", "0.2", "--max-missing-increase", "0.1", "--drift-share", "0.9",
                 check_exit=0)
    assert "Integrity: 0 of" in result.stdout and "no dataset drift" in result.stdout
    result = run(*args, "--threshold", "income=0.9", "--stattest", "country=psi", "--format", "json", check_exit=1)
    columns = {c["name"]: c for c in json.loads(result.stdout)["columns"]}
    assert columns["income"]["threshold"] == 0.9 and not columns["income"]["drift_detected"]
    assert columns["country"]["method"] == "psi"


def test_failed_write_reports_and_leaves_no_partial_file(run, tmp_path):
    """A failed write is reported, and the previous file survives; /dev/full fails like a full disk."""
    import os
    import shutil
    import stat

    target = tmp_path / "ref.profile"
    run("profile", EXAMPLES / "reference.csv", "--output", target, check_exit=0)
    before = target.read_bytes()
    # A directory in the way of the temporary file makes the write fail; the old profile survives.
    (tmp_path / "ref.profile.tmp").mkdir()
    result = run("profile", EXAMPLES / "current.csv", "--output", target, check_exit=2)
    assert "ref.profile: cannot open for writing" in result.stderr
    assert target.read_bytes() == before
    shutil.rmtree(tmp_path / "ref.profile.tmp")
    if os.path.exists("/dev/full"):
        # A device is written in place (never replaced), and its write error is reported.
        result = run("check", "--reference", EXAMPLES / "reference.csv", "--current", EXAMPLES / "current.csv",
                     "--output", "/dev/full")
        assert result.returncode == 2 and "/dev/full: write failed" in result.stderr
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_progress_bar_on_a_terminal_only(tmp_path, telltale_bin, run):
    import os
    import pty
    import subprocess

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(size=(450_000, 5)), columns=list("abcde"))
    frame.to_csv(tmp_path / "big.csv", index=False)  # a little over the 16 MiB threshold
    assert (tmp_path / "big.csv").stat().st_size > 16 << 20
    args = ["check", "--reference", tmp_path / "big.csv", "--current", tmp_path / "big.csv",
            "--format", "json", "--output", tmp_path / "report.json"]

    primary, secondary = pty.openpty()
    process = subprocess.Popen([telltale_bin, *map(str, args)], stderr=secondary, stdout=subprocess.DEVNULL)
    os.close(secondary)
    drawn = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        drawn += chunk
    assert process.wait() == 0
    os.close(primary)
    text = drawn.decode()
    assert "reading [" in text and "MiB" in text, text
    assert text.endswith("\r\x1b[K"), text  # the line is cleared before the report

    piped = run(*args, check_exit=0)
    assert "reading [" not in piped.stderr


def test_exact_mode_summaries_match_pandas(check_json, tmp_path):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(11)
    reference = pd.DataFrame({"x": rng.lognormal(0, 1, 5001), "n": rng.integers(0, 1000, 5001)})
    current = pd.DataFrame({"x": rng.lognormal(0.1, 1, 3000), "n": rng.integers(0, 900, 3000)})
    reference.to_csv(tmp_path / "r.csv", index=False)
    current.to_csv(tmp_path / "c.csv", index=False)
    _, report = check_json(tmp_path / "r.csv", tmp_path / "c.csv")
    for column in report["columns"]:
        for side, frame in (("reference", pd.read_csv(tmp_path / "r.csv")), ("current", pd.read_csv(tmp_path / "c.csv"))):
            values = frame[column["name"]]
            summary = column[side]
            for key, q in (("p25", 0.25), ("p50", 0.5), ("p75", 0.75)):
                assert summary[key] == pytest.approx(values.quantile(q), rel=1e-12), (column["name"], side, key)
            assert summary["mean"] == pytest.approx(values.mean(), rel=1e-12)
            assert summary["std"] == pytest.approx(values.std(ddof=0), rel=1e-9)


def test_read_errors_name_the_failing_input_when_both_are_read_at_once(run, tmp_path):
    ragged = write(tmp_path / "ragged.csv", "a,b\n1,2\n3\n")
    missing = tmp_path / "missing.csv"
    # Current fails, reference is fine: the current error, not the stopped reference read.
    result = run("check", "--reference", EXAMPLES / "reference.csv", "--current", missing)
    assert result.returncode == 2
    assert result.stderr.strip() == f"telltale: {missing}: no such file"
    # Both fail: whichever failed first stops the other, and its own error is reported.
    result = run("check", "--reference", ragged, "--current", missing)
    assert result.returncode == 2
    assert result.stderr.strip() in (f"telltale: {ragged}:3: row has 1 fields, the header has 2",
                                     f"telltale: {missing}: no such file")
    assert "reading stopped" not in result.stderr
    result = run("check", "--reference-profile", missing, "--current", ragged)
    assert result.returncode == 2
    assert result.stderr.strip() == f"telltale: {missing}: no such file"
