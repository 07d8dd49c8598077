"""One structured log line per request: its id, route, model, status, sizes and times; never its body."""

import json
import re

import raw_http
from tern_process import TernProcess

SECRET_TEXT = "confidential-sentence-that-must-not-be-logged"


def request_lines(server: TernProcess) -> list[str]:
    return [line for line in server.stderr_tail(10_000).splitlines() if "request" in line]


def test_json_log_line_per_request():
    server = TernProcess("--log-format", "json").start()
    try:
        ok = raw_http.request(
            server.port,
            "POST",
            "/v1/embeddings",
            body=json.dumps({"input": [SECRET_TEXT, "two"]}).encode(),
            headers={"X-Request-Id": "log-test-42"},
        )
        assert ok.status == 200 and ok.headers.get("x-request-id") == "log-test-42"
        bad = raw_http.request(server.port, "POST", "/embed", body=b'{"inputs": []}')
        assert bad.status == 400
        generated_id = bad.headers["x-request-id"]
    finally:
        server.stop()

    objects = []
    for line in server.stderr_tail(10_000).splitlines():
        if line.startswith("{"):
            objects.append(json.loads(line))  # every JSON line parses on its own
    requests = {entry.get("request_id"): entry for entry in objects if entry["message"] == "request"}

    entry = requests["log-test-42"]
    assert entry["level"] == "info" and entry["label"] == "tern"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["timestamp"])
    assert entry["method"] == "POST"
    assert entry["route"] == "/v1/embeddings"
    assert entry["model"] == "all-MiniLM-L6-v2"
    assert entry["status"] == 200
    assert entry["inputs"] == 2
    assert entry["tokens"] > 2
    assert entry["client"] == "127.0.0.1"
    for field in ("total_ms", "tokenization_ms", "queue_ms", "inference_ms"):
        assert float(entry[field]) >= 0, field
    assert float(entry["total_ms"]) >= float(entry["inference_ms"])

    failed = requests[generated_id]
    assert failed["route"] == "/embed" and failed["status"] == 400

    assert SECRET_TEXT not in server.stderr_tail(10_000)


def test_text_log_line_carries_the_request_id():
    server = TernProcess().start()
    try:
        response = raw_http.request(
            server.port, "POST", "/embed", body=b'{"inputs": "hello"}', headers={"X-Request-Id": "text-log-7"}
        )
        assert response.status == 200
    finally:
        server.stop()
    lines = [line for line in request_lines(server) if "request_id=text-log-7" in line]
    assert len(lines) == 1, server.stderr_tail()
    line = lines[0]
    for part in ("info", "route=/embed", "status=200", "model=all-MiniLM-L6-v2", "inputs=1", "tokens=3", "queue_ms="):
        assert part in line, (part, line)
    assert "hb.request.id" not in line, "one request id per line: the client-visible one"
