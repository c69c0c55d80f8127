"""Ingestion: body formats, per-row validation, atomic batches, duplicates, time bounds, limits and
hostile bodies. Every failure is a 4xx problem naming what was wrong; the server keeps serving."""
import gzip
import json
import re
import socket
import time
from datetime import datetime

import pytest

from server_process import ADMIN_TOKEN

SCHEMA = {"features": {"age": "numeric", "country": "categorical", "active": "boolean",
                       "note": "text", "emb": {"type": "embedding", "dimension": 3}},
          "predictions": {"score": "numeric"}}
PATH = "/api/v1/models/churn/versions/v1"
T0 = "2026-11-20T10:15:00Z"


@pytest.fixture
def model(api):
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA, [{"name": "US", "where": {"country": ["US"]}}])
    return api


def row(i, **features):
    return {"id": f"r{i}", "timestamp": T0, "features": {"age": 30 + i, "country": "US", **features},
            "predictions": {"score": 0.5}}


def summary(api, **params):
    params = {"from": "2026-11-20T00:00:00Z", "to": "2026-11-21T00:00:00Z", **params}
    response = api.get(PATH + "/summary", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_json_rows_are_accepted_and_counted(model):
    result = model.log("churn", "v1", [row(i) for i in range(10)])
    assert result == {"accepted": 10, "rejected": []}
    s = summary(model)
    assert s["rows"] == 10 and s["windows"] == 1
    assert s["first_event"] == T0 and s["last_event"] == T0
    assert summary(model, segment="US")["rows"] == 10


def test_ndjson_and_gzip(model):
    lines = "\n".join(json.dumps(row(i)) for i in range(5)) + "\n\n"
    response = model.post(PATH + "/predictions", data=lines,
                          headers={"Content-Type": "application/x-ndjson"})
    assert response.json() == {"accepted": 5, "rejected": []}
    body = gzip.compress(json.dumps({"rows": [row(i) for i in range(5, 9)]}).encode())
    response = model.post(PATH + "/predictions", data=body,
                          headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.json() == {"accepted": 4, "rejected": []}
    assert summary(model)["rows"] == 9


def columns_body(n, ages, countries, extra=()):
    """A columnar body written with the msgpack package and numpy, independently of the server's
    and the SDK's code (layout: docs/server.md, Columnar bodies)."""
    import msgpack
    import numpy as np

    def strings(texts):
        data = [t.encode() for t in texts]
        offsets = np.cumsum([0] + [len(d) for d in data]).astype("<u4")
        return {"offsets": offsets.tobytes(), "data": b"".join(data)}

    seconds = int(datetime.fromisoformat(T0.replace("Z", "+00:00")).timestamp())
    features = [
        {"name": "age", "type": "number", "values": np.array(ages, dtype="<f8").tobytes()},
        {"name": "country", "type": "coded", "codes": np.array(countries[0], dtype="<i4").tobytes(),
         "dictionary": strings(countries[1])},
        *extra]
    return msgpack.packb({
        "rows": n,
        "ids": strings([f"c{i}" for i in range(n)]),
        "timestamps": np.full(n, seconds * 10**9, dtype="<i8").tobytes(),
        "features": features,
        "predictions": [{"name": "score", "type": "number", "values": np.full(n, 0.5).tobytes()}]})


def test_columnar_bodies_are_validated_as_rows(model):
    import numpy as np

    columns = "application/vnd.telltale.columns+msgpack"
    unknown = {"name": "zzz", "type": "number", "values": np.ones(4).tobytes()}
    body = columns_body(4, [31, np.nan, 45.5, 50], ([0, 1, 2, -1], ['"US"', '"DE"', "true"]), [unknown])
    response = model.post(PATH + "/predictions", data=gzip.compress(body),
                          headers={"Content-Type": columns, "Content-Encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 4, "rejected": []}
    s = summary(model)
    assert s["rows"] == 4 and s["first_event"] == T0
    assert s["integrity"]["unknown_fields"] == {"features.zzz": 4}
    assert summary(model, segment="US")["rows"] == 1
    # The same rejections as JSON rows: a string where a number belongs, a repeated id.
    wrong = {"name": "active", "type": "coded", "codes": np.array([0, -1], dtype="<i4").tobytes(),
             "dictionary": {"offsets": np.array([0, 5], dtype="<u4").tobytes(), "data": b'"yes"'}}
    body = columns_body(2, [1, 2], ([0, 0], ['"US"']), [wrong])
    response = model.post(PATH + "/predictions", data=body, headers={"Content-Type": columns})
    assert response.json() == {"accepted": 0, "rejected": [
        {"index": 0, "id": "c0", "code": "type_error",
         "reason": "features.active: expected true or false, got a string"},
        {"index": 1, "id": "c1", "code": "duplicate", "reason": "id 'c1' was logged before for this version"}]}
    assert_problem(model.post(PATH + "/predictions", data=body[:-5], headers={"Content-Type": columns}),
                   400, "malformed columns body")
    no_ids = model.post(PATH + "/predictions", data=b"\x81\xa4rows\x02", headers={"Content-Type": columns})
    assert no_ids.json()["rejected"] == [{"index": i, "id": None, "code": "malformed", "reason": "id is missing"}
                                         for i in range(2)]
    assert_problem(model.post(PATH + "/predictions", data=b"\x82\xa4rows\x02\xa3ids\xc0",
                              headers={"Content-Type": columns}), 400, "ids must be a map")
    assert summary(model)["rows"] == 4


def test_ndjson_malformed_line_rejects_only_that_row(model):
    lines = json.dumps(row(1)) + "\n{\"id\": \"r2\", broken\n" + json.dumps(row(3))
    response = model.post(PATH + "/predictions", data=lines,
                          headers={"Content-Type": "application/x-ndjson"})
    result = response.json()
    assert result["accepted"] == 2
    assert [r["index"] for r in result["rejected"]] == [1]
    assert result["rejected"][0]["reason"].startswith("line 2: malformed JSON")


def test_invalid_rows_are_rejected_individually_with_reasons(model):
    rows = [
        row(0),
        row(1, age="thirty"),
        {"id": "r2", "timestamp": "yesterday"},
        {"timestamp": T0, "features": {"age": 1}},
        row(4, emb=[1, 2]),
        row(5, active="yes"),
        {"id": "r6", "timestamp": T0, "feature": {"age": 1}},
        "not an object",
        row(8, unknown_thing=3),
        row(9, age=None, country=None),
    ]
    result = model.log("churn", "v1", rows)
    assert result["accepted"] == 3  # r0, r8 (unknown field counted), r9 (missing values)
    reasons = {r["index"]: (r["id"], r["code"], r["reason"]) for r in result["rejected"]}
    assert reasons[1] == ("r1", "type_error", "features.age: expected a number, got a string")
    assert reasons[2][1] == "malformed" and "RFC 3339" in reasons[2][2]
    assert reasons[3] == (None, "malformed", "id is missing")
    assert reasons[4] == ("r4", "type_error", "features.emb: expected 3 numbers, got 2")
    assert reasons[5] == ("r5", "type_error", "features.active: expected true or false, got a string")
    assert "unknown key 'feature'" in reasons[6][2]
    assert reasons[7][2] == "a row must be an object, got a string"
    s = summary(model)
    assert s["rows"] == 3
    integrity = s["integrity"]
    assert integrity["type_errors"] == {"age": 1, "emb": 1, "active": 1}
    assert integrity["unknown_fields"] == {"features.unknown_thing": 1}
    assert integrity["missing_values"]["age"] == 1 and integrity["missing_values"]["country"] == 1
    # Rows without a valid timestamp are counted in the hour they arrived.
    assert integrity["rejected_rows"] == 5
    assert model.get(PATH + "/summary").json()["integrity"]["rejected_rows"] == 2


def test_atomic_batches_are_all_or_nothing(model):
    response = model.post(PATH + "/predictions", params={"atomic": "true"},
                          json={"rows": [row(0), row(1, age="x"), row(2, active=3)]})
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["Content-Type"] == "application/problem+json"
    assert [r["index"] for r in problem["rejected"]] == [1, 2]
    assert summary(model)["rows"] == 0
    # Nothing was claimed either: the same ids go through afterwards.
    assert model.log("churn", "v1", [row(0), row(1)], atomic="true")["accepted"] == 2


def test_duplicate_ids_are_counted_once(model):
    model.log("churn", "v1", [row(0), row(1)])
    result = model.log("churn", "v1", [row(1), row(2), row(2)])
    assert result["accepted"] == 1
    assert [(r["index"], r["code"]) for r in result["rejected"]] == [(0, "duplicate"), (2, "duplicate")]
    s = summary(model)
    assert s["rows"] == 3 and s["integrity"]["duplicate_ids"] == 2


def test_late_and_future_events_are_rejected_and_counted(start_server):
    api = start_server(["--max-lateness", "2h", "--max-future", "10m"]).api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)
    result = api.log("churn", "v1", [
        {"id": "old", "timestamp": "2001-01-01T00:00:00Z"},
        {"id": "future", "timestamp": "2999-01-01T00:00:00Z"},
        {"id": "now"},
    ])
    assert result["accepted"] == 1
    codes = [r["code"] for r in result["rejected"]]
    assert codes == ["too_late", "in_future"]
    assert "older than the allowed lateness of 7200 s" in result["rejected"][0]["reason"]
    metrics = api.get("/metrics").text
    assert 'telltale_rows_rejected_total{reason="too_late"} 1' in metrics
    assert 'telltale_rows_rejected_total{reason="in_future"} 1' in metrics
    assert "telltale_rows_ingested_total 1" in metrics


def part_bytes(api):
    found = re.findall(r'telltale_store_part_bytes\{part="(\w+)"\} (\d+)', api.get("/metrics").text)
    return {part: int(size) for part, size in found}


def memory_bytes(api):
    found = re.findall(r'telltale_store_memory_bytes\{use="(\w+)"\} (\d+)', api.get("/metrics").text)
    return {use: int(size) for use, size in found}


def test_metrics_show_the_files_of_each_part_of_the_store_and_its_memory(start_server, tmp_path):
    server = start_server(data_dir=tmp_path / "data")
    api = server.api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)
    before = part_bytes(api)
    assert set(before) == {"log", "windows", "ids", "joined", "pending"}
    memory_before = memory_bytes(api)
    assert set(memory_before) == {"memtables", "table_readers", "block_cache", "joined_filter"}
    # The filter of joined keys, built on a thread of its own: room for a million at 10 bits each.
    deadline = time.monotonic() + 10
    while memory_bytes(api)["joined_filter"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert memory_bytes(api)["joined_filter"] == 19532 * 64
    api.log("churn", "v1", [{"id": f"row-{i}"} for i in range(2000)])
    # The rows and their 2,000 index entries are in the memtables until flushed.
    assert memory_bytes(api)["memtables"] > memory_before["memtables"] + 2000 * 10
    assert server.stop() == 0
    # Reopened, the store has written what it recovered from its write-ahead log into files.
    after = part_bytes(start_server(data_dir=tmp_path / "data").api())
    # 2,000 ids in the prediction index take room: some dozens of bytes each, not hundreds.
    assert 2000 * 10 < after["ids"] - before["ids"] < 2000 * 200, (before, after)
    assert after["pending"] == before["pending"]


def assert_problem(response, status, *words):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail


def test_limits(start_server):
    api = start_server(["--max-body-bytes", "64KiB", "--max-rows", "100", "--max-depth", "8",
                        "--max-string-bytes", "16", "--max-lateness", "3650d"]).api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)
    post = lambda data, **headers: api.post(PATH + "/predictions", data=data,
                                             headers={"Content-Type": "application/json", **headers})
    assert_problem(post(b"{\"rows\": [" + b" " * 70000 + b"]}"), 413, "limit")
    bomb = gzip.compress(b"{\"rows\": [" + b" " * 50_000_000 + b"]}")
    assert len(bomb) < 64 * 1024
    assert_problem(post(bomb, **{"Content-Encoding": "gzip"}), 413, "65536 bytes", "decompression")
    assert_problem(post(json.dumps({"rows": [row(i) for i in range(101)]})), 413, "100 rows")
    assert_problem(post("{\"rows\": [" + "[" * 100_000 + "]" * 100_000 + "]}"), 413, "limit")
    deep = post(json.dumps({"rows": [{"id": "d", "raw": {"a": {"b": {"c": {"d": {"e": {"f": {}}}}}}}}]}))
    assert_problem(deep, 413, "8 levels")
    long_string = api.log("churn", "v1", [row(1, country="x" * 17)])
    assert long_string["rejected"][0]["code"] == "limit"
    assert "16 bytes" in long_string["rejected"][0]["reason"]
    assert api.get("/healthz").status_code == 200


def test_a_wide_schema_takes_fewer_rows_per_request(start_server):
    """Rows are held whole until their request is done: max_values bounds rows x fields."""
    api = start_server(["--max-values", "120", "--max-lateness", "3650d"]).api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)  # 6 fields: 20 rows per request
    assert api.log("churn", "v1", [row(i) for i in range(20)])["accepted"] == 20
    assert_problem(api.post(PATH + "/predictions", data=json.dumps({"rows": [row(i) for i in range(20, 41)]}),
                            headers={"Content-Type": "application/json"}),
                   413, "more than 20 rows of 6 fields", "120 values per request", "max_values")
    assert summary(api)["rows"] == 20


@pytest.mark.parametrize("body, status, words", [
    (b"{\"rows\": [{\"id\": \"a\"", 400, ["malformed JSON"]),
    (b"{\"rows\": [{\"id\": \"\xff\xfe\"}]}", 400, ["malformed JSON"]),
    (b"{\"rows\": [{\"id\": \"a\", \"features\": {\"age\": 1e400}}]}", 400, ["malformed JSON"]),
    (b"[1, 2, 3]", 400, ["{\"rows\": [...]}"]),
    (b"{\"data\": []}", 400, ["\"rows\""]),
    (b"", 400, []),
])
def test_malformed_bodies(model, body, status, words):
    response = model.post(PATH + "/predictions", data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, status, *words)
    assert model.log("churn", "v1", [row(1)])["accepted"] == 1


def test_wrong_content_type_and_unknown_model(model):
    assert_problem(model.post(PATH + "/predictions", data="id,age\n1,2", headers={"Content-Type": "text/plain"}),
                   415, "text/plain")
    assert_problem(model.post("/api/v1/models/nope/versions/v1/predictions", json={"rows": []}), 404, "nope")
    assert_problem(model.post("/api/v1/models/churn/versions/v9/predictions", json={"rows": []}), 404, "v9")
    assert_problem(model.post("/api/v1/models/churn/versions/v1/predictions", data=b"\x1f\x8b garbage",
                              headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}),
                   400)


def test_training_rows_need_no_id_or_time(model):
    result = model.log("churn", "v1", [{"features": {"age": i, "country": "DE"}} for i in range(20)],
                       environment="training")
    assert result["accepted"] == 20
    s = summary(model)
    assert s["baselines"]["training"]["rows"] == 20 and s["rows"] == 0


def test_csv_rows_for_the_training_baseline(model):
    csv = ("age,country,active,score,extra\n"
           "31,US,True,0.5,x\n"
           "44,DE,False,0.7,y\n"
           "thirty,FR,True,0.1,z\n"
           ",,,,\n")
    response = model.post(PATH + "/training", data=csv, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] == 3
    assert result["rejected"] == [{"index": 2, "id": None, "code": "type_error",
                                   "reason": "line 4: age: expected a number, got 'thirty'"}]
    assert summary(model)["baselines"]["training"]["rows"] == 3
    with_ids = "id,timestamp,age\np1,2026-11-20T10:00:00Z,5\np2,2026-11-20T10:05:00Z,6\n"
    response = model.post(PATH + "/predictions", data=with_ids, headers={"Content-Type": "text/csv"})
    assert response.json() == {"accepted": 2, "rejected": []}
    assert summary(model)["rows"] == 2
    malformed = model.post(PATH + "/training", data="a,b\n\"unterminated,1\n", headers={"Content-Type": "text/csv"})
    assert malformed.status_code == 400


def test_replace_resets_a_baseline_and_survives_a_crash(start_server, tmp_path):
    server = start_server(["--checkpoint-interval", "1h"], data_dir=tmp_path / "d")
    api = server.api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA, [{"name": "US", "where": {"country": ["US"]}}])
    old = [{"features": {"age": 20, "country": "US"}} for _ in range(30)]
    new = [{"features": {"age": 60, "country": "DE"}} for _ in range(7)]
    api.log("churn", "v1", old, environment="training")
    api.log("churn", "v1", new, environment="training", replace="true")
    more = api.log("churn", "v1", new[:3], environment="training")
    assert more["accepted"] == 3
    server.kill()  # before any checkpoint: the log alone must replay the replacement
    api = start_server(data_dir=tmp_path / "d").api()
    assert summary(api)["baselines"]["training"]["rows"] == 10
    drift = api.get(PATH + "/drift", params={"segment": "US", "baseline": "training"})
    assert drift.status_code == 404  # the US segment's baseline was emptied too
    refused = api.post(PATH + "/predictions", params={"replace": "true"}, json={"rows": []})
    assert refused.status_code == 400 and "baselines" in refused.json()["detail"]


def raw_exchange(url, request, timeout=5):
    """Sends raw bytes on one connection; returns (the first answer's status line and headers,
    lower-cased, and the answer to a GET /healthz then sent on it, empty if it was closed)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading early; the answer is still there
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, body = data.split(b"\r\n\r\n", 1)
        length = int(next(l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")).split(b":")[1])
        while len(body) < length:
            body += sock.recv(65536)
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            following = sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            following = b""
        return head.decode().lower(), following


@pytest.mark.parametrize("case", ["no key", "unknown version", "over the limit"])
def test_a_body_left_unread_never_becomes_the_next_request(start_server, case):
    server = start_server(["--max-body-bytes", "1MiB"])
    api = server.api()
    api.create_model("churn")
    api.create_version("churn", "v1", SCHEMA)
    auth = b"" if case == "no key" else b"Authorization: Bearer " + ADMIN_TOKEN.encode() + b"\r\n"
    path = (PATH.replace("/versions/v1", "/versions/v9") if case == "unknown version" else PATH).encode()
    body = b'{"rows": [' + b" " * 800_000 + b"]}"
    if case == "over the limit":
        chunk = b" " * 65536
        payload = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(40)) + b"0\r\n\r\n"
        headers = b"Transfer-Encoding: chunked\r\n"
    else:
        payload, headers = body, b"Content-Length: %d\r\n" % len(body)
    request = (b"POST " + path + b"/predictions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
               + auth + headers + b"\r\n" + payload)
    head, following = raw_exchange(server.url, request)
    expected = {"no key": "401", "unknown version": "404", "over the limit": "413"}[case]
    assert head.startswith("http/1.1 " + expected)
    # The answer tells the client not to reuse the connection: a client that sent its next request
    # on it before seeing it closed would find that request dropped unanswered.
    assert "\r\nconnection: close" in head
    # Either the server closed the connection, or it answered the GET itself — never a response
    # to the leftover body bytes parsed as a request.
    assert following == b"" or following.startswith(b"HTTP/1.1 200"), following[:80]
    assert api.get("/healthz").status_code == 200
