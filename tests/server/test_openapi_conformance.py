"""The HTTP contract: api/openapi.yaml is a valid OpenAPI 3 document, and Schemathesis, generating
requests from it against a live server, finds no 5xx and no response that breaks the document."""
import os
import subprocess
import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate

from server_process import ADMIN_TOKEN

DOCUMENT = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_document_is_valid_openapi():
    validate(yaml.safe_load(DOCUMENT.read_text()))


def test_schemathesis_finds_no_server_errors_or_contract_violations(server, api, tmp_path):
    api.create_model("m")
    api.create_version("m", "v1", {"features": {"x": "numeric", "c": "categorical"}},
                       [{"name": "seg", "where": {"c": ["a"]}}])
    api.log("m", "v1", [{"id": f"r{i}", "features": {"x": i, "c": "ab"[i % 2]}} for i in range(50)])
    api.log("m", "v1", [{"features": {"x": i, "c": "a"}} for i in range(50)], environment="training")
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run", str(DOCUMENT), "--url", server.url,
        "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                    "response_schema_conformance",
        "--max-examples", "10", "--workers", "1", "--seed", "20261124",
        # Revoking keys would revoke the very key the run uses.
        "--exclude-path", "/api/v1/keys/{key_id}",
    ]
    # Run in a scratch directory: Schemathesis keeps a cache where it runs.
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-6000:]
    assert " passed" in result.stdout
    assert server.process.poll() is None, "the server is still running"
