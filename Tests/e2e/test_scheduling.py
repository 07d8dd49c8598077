"""Admission control, deadlines, disconnects and graceful drain, against the real binary and model."""
import json
import signal
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import metrics
from raw_http import post_json, request
from tern_process import TernProcess, health

LONG = " ".join(["tern batches requests dynamically across every core"] * 40)
# Small batches and strict arrival order, so a long request keeps later ones queued behind it.
QUEUEING_FLAGS = ("--max-batch-requests", "2", "--grouping-window", "1")


def _block_engine(port: int, inputs: int = 40) -> threading.Thread:
    """Starts a long request in the background and returns once inputs are queued behind its first batch."""
    thread = threading.Thread(target=post_json, args=(port, {"input": [LONG] * inputs}), daemon=True)
    thread.start()
    metrics.wait_for(port, lambda p: metrics.value(p, "tern_queued_inputs") > 4, what="the queue filling")
    return thread


def _timed_post(port: int, payload) -> tuple[float, object]:
    start = time.monotonic()
    response = post_json(port, payload)
    return time.monotonic() - start, response


def test_a_burst_far_above_capacity_gets_quick_429s_and_no_other_errors(start_server):
    port = start_server("--max-concurrent-requests", "4", "--max-queued-inputs", "32").port
    payloads = [{"input": [f"burst request {i} sentence {j}" for j in range(8)]} for i in range(64)]
    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(lambda p: _timed_post(port, p), payloads))
    statuses = [response.status for _, response in results]
    assert set(statuses) <= {200, 429}, statuses
    assert statuses.count(429) > 0 and statuses.count(200) > 0
    for _, response in results:
        if response.status == 429:
            assert response.headers.get("retry-after") == "1"
            error = response.json()["error"]
            assert error["type"] == "overloaded" and error["code"] == "overloaded"
    refused = [elapsed for elapsed, r in results if r.status == 429]
    served = [elapsed for elapsed, r in results if r.status == 200]
    # Refusals do not wait for the model: they come back faster than the answers do.
    assert statistics.median(refused) < statistics.median(served)
    assert metrics.value(port, "tern_requests_rejected_total", reason="overloaded") == statuses.count(429)
    # The HTTP layer counts the same refusals as failures, and the answered requests by status.
    assert metrics.value(port, "tern_request_failures_total", reason="overloaded") == statuses.count(429)
    assert metrics.value(port, "tern_http_requests_total", route="/v1/embeddings", status="429") == statuses.count(429)
    assert health(port)[0] == 200


def test_clients_that_hang_up_while_queued_leave_no_work_behind(start_server):
    port = start_server(*QUEUEING_FLAGS).port
    cancelled_before = metrics.value(port, "tern_requests_rejected_total", reason="cancelled")
    dropped_before = metrics.value(port, "tern_queued_inputs_dropped_total")
    blocker = _block_engine(port)
    body = json.dumps({"input": ["a client that gives up", "and its second input"]}).encode()
    raw = (
        b"POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )
    quitters = 6
    for _ in range(quitters):
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(raw)
            metrics.wait_for(port, lambda p: metrics.value(p, "tern_active_requests") >= 2, what="the request queueing")
    metrics.wait_for(
        port,
        lambda p: metrics.value(p, "tern_requests_rejected_total", reason="cancelled") >= cancelled_before + quitters,
        what="every hung-up request counted as cancelled",
    )
    metrics.wait_for(
        port,
        lambda p: metrics.value(p, "tern_request_failures_total", reason="cancelled") >= quitters,
        what="every hung-up request counted as a cancelled failure",
    )
    blocker.join(timeout=120)
    assert metrics.value(port, "tern_queued_inputs_dropped_total") - dropped_before == 2 * quitters
    assert metrics.value(port, "tern_active_requests") == 0
    assert metrics.value(port, "tern_queued_inputs") == 0
    assert health(port)[0] == 200


def test_a_request_whose_deadline_passes_in_the_queue_gets_504_and_never_runs(start_server):
    port = start_server(*QUEUEING_FLAGS).port
    timeouts_before = metrics.value(port, "tern_requests_rejected_total", reason="timeout")
    blocker = _block_engine(port)
    inputs_before = metrics.value(port, "tern_batch_inputs_total")
    body = json.dumps({"input": ["too late"]}).encode()
    response = request(port, "POST", "/v1/embeddings", body, headers={"X-Request-Timeout": "0.05"})
    assert response.status == 504
    assert response.json()["error"]["type"] == "timeout"
    blocker.join(timeout=120)
    assert metrics.value(port, "tern_requests_rejected_total", reason="timeout") == timeouts_before + 1
    assert metrics.value(port, "tern_request_failures_total", reason="timeout") == 1
    assert response.headers.get("x-request-id")
    # Only the blocker's remaining inputs were computed after the timed-out request arrived.
    assert metrics.value(port, "tern_batch_inputs_total") - inputs_before <= 40
    assert metrics.value(port, "tern_queued_inputs_dropped_total") >= 1


def test_sigterm_under_load_answers_every_admitted_request_and_exits_0():
    server = TernProcess(*QUEUEING_FLAGS).start()
    port = server.port
    in_flight = 12
    results: list[object] = [None] * in_flight

    def send(i: int):
        try:
            results[i] = post_json(port, {"input": [LONG, f"request {i}"]})
        except OSError as error:  # noqa: PERF203 - recorded for the assertion below
            results[i] = error

    # A long request first keeps the engine busy, so the twelve are all admitted and queued at once however
    # slowly this machine starts their threads (without it, early ones could finish before the last arrived).
    blocker = _block_engine(port, inputs=20)
    threads = [threading.Thread(target=send, args=(i,)) for i in range(in_flight)]
    for thread in threads:
        thread.start()
    metrics.wait_for(
        port, lambda p: metrics.value(p, "tern_active_requests") == in_flight + 1, what="all requests admitted"
    )
    server.process.send_signal(signal.SIGTERM)
    # The signal is handled asynchronously: wait (bounded) for /health to turn, while admitted work drains.
    deadline = time.monotonic() + 10
    draining = health(port)
    while draining[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.01)
        draining = health(port)
    late = post_json(port, {"input": ["after SIGTERM"]})
    for thread in threads + [blocker]:
        thread.join(timeout=120)
    assert server.process.wait(timeout=60) == 0
    assert draining[0] == 503
    assert late.status == 503 and late.json()["error"]["code"] == "shutting_down"
    assert all(getattr(r, "status", None) == 200 for r in results), results
