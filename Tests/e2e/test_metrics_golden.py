"""`/metrics` after a known sequence of requests, compared with the committed `golden/metrics.txt`.

The comparison keeps every `tern_*` series name and label set, counter values, histogram bucket bounds and
`_count`s, and the batch histograms' buckets (each request here is alone in its batch, so they are exact);
values that vary from run to run (durations' buckets and sums, memory, load time) are written as `_`.
`/health` series are left out: how often the harness polled it while the model loaded varies.
Regenerate after a deliberate change with `TERN_UPDATE_GOLDEN=1`.
"""

import os
import re
import time
from pathlib import Path

import raw_http
from tern_process import TernProcess

GOLDEN = Path(__file__).parent / "golden" / "metrics.txt"
# Families whose sample values vary between runs.
VARYING = (
    "tern_http_request_duration_seconds",
    "tern_tokenization_duration_seconds",
    "tern_queue_duration_seconds",
    "tern_inference_duration_seconds",
    "tern_model_load_seconds",
    "tern_process_resident_memory_bytes",
)
SAMPLE = re.compile(r"^([a-z_]+)(\{.*\})? (\S+)$")


def normalized(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        name, labels, value = match.group(1), match.group(2) or "", match.group(3)
        if not name.startswith("tern_") or 'route="/health"' in labels:
            continue
        if name.startswith(VARYING) and not name.endswith("_count"):
            value = "_"
        lines.append(f"{name}{labels} {value}")
    return "\n".join(sorted(lines)) + "\n"


def post(port: int, path: str, body: bytes, **headers: str) -> int:
    return raw_http.request(port, "POST", path, body=body, headers=headers).status


def test_metrics_after_a_known_sequence():
    # A queue of 2 inputs makes a 3-input request a deterministic 429.
    server = TernProcess("--max-queued-inputs", "2").start()
    try:
        port = server.port
        assert post(port, "/v1/embeddings", b'{"input": ["hello", "world"]}') == 200
        assert post(port, "/v1/embeddings", b'{"input": "again"}') == 200
        assert post(port, "/embed", b'{"inputs": "hello"}') == 200
        assert post(port, "/models/all-MiniLM-L6-v2/embed", b'{"inputs": ["a", "b"]}') == 200
        assert post(port, "/v1/embeddings", b'{"input": 5}') == 400
        assert post(port, "/embed", b'{"inputs": []}') == 400
        assert post(port, "/embed", b'{"inputs": ["a", "b", "c"]}') == 429
        assert raw_http.request(port, "GET", "/nowhere").status == 404
        assert raw_http.request(port, "GET", "/v1/models").status == 200
        text = raw_http.request(port, "GET", "/metrics").body.decode()
    finally:
        server.stop()

    actual = normalized(text)
    if os.environ.get("TERN_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual)
    expected = GOLDEN.read_text()
    assert actual == expected, "metrics differ from golden/metrics.txt:\n" + "\n".join(
        [f"- {line}" for line in sorted(set(expected.splitlines()) - set(actual.splitlines()))]
        + [f"+ {line}" for line in sorted(set(actual.splitlines()) - set(expected.splitlines()))]
    )
    # Every metric of the reference in docs/operations.md is exported with its HELP-less TYPE line.
    for family in (
        "tern_http_requests_total",
        "tern_http_request_duration_seconds",
        "tern_tokenization_duration_seconds",
        "tern_queue_duration_seconds",
        "tern_inference_duration_seconds",
        "tern_batch_size",
        "tern_batch_size_tokens",
        "tern_request_failures_total",
        "tern_model_load_seconds",
        "tern_process_resident_memory_bytes",
        "tern_http_requests_in_flight",
    ):
        assert f"# TYPE {family} " in text, family
    memory = re.search(r"^tern_process_resident_memory_bytes (\S+)$", text, re.M)
    assert memory and float(memory.group(1)) > 10 * 1024 * 1024


def metrics_listener_port(server: TernProcess) -> int:
    """The second listener's port, which the server prints on stderr."""
    for _ in range(100):
        match = re.search(r"tern metrics listening on http://127\.0\.0\.1:(\d+)", server.stderr_tail(200))
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    raise AssertionError(f"no metrics listening line:\n{server.stderr_tail()}")


def test_metrics_port_serves_metrics_on_a_second_listener():
    server = TernProcess("--metrics-port", "0").start()
    try:
        metrics_port = metrics_listener_port(server)
        assert metrics_port != server.port
        assert post(server.port, "/embed", b'{"inputs": "hello"}') == 200
        second = raw_http.request(metrics_port, "GET", "/metrics")
        assert second.status == 200
        assert 'tern_http_requests_total{route="/embed",model="all-MiniLM-L6-v2",status="200"} 1' in second.body.decode()
        assert raw_http.request(server.port, "GET", "/metrics").status == 200
        assert raw_http.request(metrics_port, "POST", "/embed", body=b'{"inputs": "x"}').status == 404
    finally:
        server.stop()


def test_metrics_port_honours_auth_metrics():
    server = TernProcess("--metrics-port", "0", "--api-key", "metrics-key-1", "--auth-metrics").start()
    try:
        metrics_port = metrics_listener_port(server)
        assert raw_http.request(metrics_port, "GET", "/metrics").status == 401
        wrong = raw_http.request(metrics_port, "GET", "/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401
        right = raw_http.request(metrics_port, "GET", "/metrics", headers={"Authorization": "Bearer metrics-key-1"})
        assert right.status == 200 and "tern_http_requests_in_flight" in right.body.decode()
    finally:
        server.stop()
