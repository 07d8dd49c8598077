"""Every bad request to the TEI-style routes gets TEI's error shape `{"error", "error_type"}` with the contract's
status: 422 Validation for malformed bodies, 400 Empty, 413 Validation for too much, 424 Backend for a route the
model can't serve, 404 for an unknown model, 429 Overloaded and 503 Unhealthy; the server stays healthy."""

import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import metrics
import raw_http
from classifier_reference import CLASSIFIER, CROSS_ENCODER, EMBEDDING_MODEL_ID, SERVED_MODEL_DIRS
from tei_api import assert_tei_error, long_text, post
from tern_process import TernProcess, health

DEFAULT_BODY_LIMIT = 2 * 1024 * 1024
EMBED, RERANK, PREDICT = "/embed", "/rerank", "/predict"

MALFORMED = [  # (path, body bytes): each must be 422 Validation
    (EMBED, b"this is not json"),
    (EMBED, b'{"inputs": "abc"'),
    (EMBED, b""),
    (EMBED, b"{}"),
    (EMBED, b'{"inputs": 5}'),
    (EMBED, b'{"inputs": [1.5]}'),
    (EMBED, b'{"inputs": "hi", "normalize": "no"}'),
    (EMBED, b'{"inputs": "hi", "truncate": 1}'),
    (EMBED, b'{"inputs": "hi", "truncation_direction": "middle"}'),
    (EMBED, b'{"inputs": "hi", "dimensions": "x"}'),
    (RERANK, b"not json"),
    (RERANK, b'{"query": "q"}'),
    (RERANK, b'{"texts": ["a"]}'),
    (RERANK, b'{"query": 5, "texts": ["a"]}'),
    (RERANK, b'{"query": "q", "texts": "a"}'),
    (RERANK, b'{"query": "q", "texts": ["a", 3]}'),
    (RERANK, b'{"query": "q", "texts": ["a"], "raw_scores": "yes"}'),
    (RERANK, b'{"query": "q", "texts": ["a"], "return_text": null, "truncation_direction": 1}'),
    (PREDICT, b"[}"),
    (PREDICT, b"{}"),
    (PREDICT, b'{"inputs": 5}'),
    (PREDICT, b'{"inputs": {"text": "a"}}'),
    (PREDICT, b'{"inputs": [["a", "b", "c"]]}'),
    (PREDICT, b'{"inputs": "a", "raw_scores": 2}'),
    ("/", b"not json"),
]

EMPTY = [  # (path, payload): each must be 400 Empty
    (EMBED, {"inputs": ""}),
    (EMBED, {"inputs": []}),
    (EMBED, {"inputs": ["ok", ""]}),
    (RERANK, {"query": "q", "texts": []}),
    (PREDICT, {"inputs": ""}),
    (PREDICT, {"inputs": []}),
]

WRONG_TASK = [  # (model id, route): each must be 424 Backend
    (EMBEDDING_MODEL_ID, "rerank"),
    (EMBEDDING_MODEL_ID, "predict"),
    (CLASSIFIER.id, "rerank"),
    (CLASSIFIER.id, "embed"),
    (CROSS_ENCODER.id, "embed"),
]

PAYLOADS = {"embed": {"inputs": "hi"}, "rerank": {"query": "q", "texts": ["a"]}, "predict": {"inputs": "hi"}}


@pytest.mark.parametrize(("path", "body"), MALFORMED, ids=[f"{p} {b[:40]!r}" for p, b in MALFORMED])
def test_malformed_body_is_422(multi_port, path, body):
    assert_tei_error(raw_http.post_raw(multi_port, body, path=path), 422, "Validation")


@pytest.mark.parametrize(("path", "payload"), EMPTY, ids=[f"{p} {v}" for p, v in EMPTY])
def test_empty_input_is_400(multi_port, path, payload):
    assert_tei_error(post(multi_port, path, payload), 400, "Empty")


@pytest.mark.parametrize(("model", "route"), WRONG_TASK, ids=[f"{m}-{r}" for m, r in WRONG_TASK])
def test_route_the_model_cannot_serve_is_424(multi_port, model, route):
    assert_tei_error(post(multi_port, f"/models/{model}/{route}", PAYLOADS[route]), 424, "Backend")


@pytest.mark.parametrize("route", ["embed", "rerank", "predict", "info"])
def test_unknown_model_is_404(multi_port, route):
    if route == "info":
        response = raw_http.request(multi_port, "GET", "/models/no-such-model/info")
    else:
        response = post(multi_port, f"/models/no-such-model/{route}", PAYLOADS[route])
    assert_tei_error(response, 404, None)


def test_too_long_without_truncation_is_413(multi_port):
    text = long_text(1)
    for path, payload in [
        (EMBED, {"inputs": text, "truncate": False}),
        (RERANK, {"query": "q", "texts": ["short", text], "truncate": False}),
        (PREDICT, {"inputs": text, "truncate": False}),
        (PREDICT, {"inputs": [["short"], ["q", text]], "truncate": False}),
        (f"/models/{CLASSIFIER.id}/predict", {"inputs": [text, "b"], "truncate": False}),
    ]:
        assert_tei_error(post(multi_port, path, payload), 413, "Validation")


def test_more_than_512_inputs_is_413_and_512_pass(multi_port):
    items = [f"item {i}" for i in range(513)]
    assert_tei_error(post(multi_port, EMBED, {"inputs": items}), 413, "Validation")
    assert_tei_error(post(multi_port, RERANK, {"query": "q", "texts": items}), 413, "Validation")
    assert_tei_error(post(multi_port, PREDICT, {"inputs": [[item] for item in items]}), 413, "Validation")
    assert post(multi_port, RERANK, {"query": "q", "texts": items[:512]}).status == 200


def test_body_over_the_limit_is_413(multi_port):
    padding = "x" * (DEFAULT_BODY_LIMIT + 1)
    for path in (EMBED, RERANK, PREDICT):
        body = f'{{"query": "q", "texts": ["{padding}"], "inputs": "{padding}"}}'.encode()
        assert_tei_error(raw_http.post_raw(multi_port, body, path=path), 413, "Validation")


def test_server_is_healthy_after_the_errors(multi_port):
    assert health(multi_port) == (200, {"status": "ok"})


def test_overload_is_429_overloaded(start_server):
    port = start_server("--max-concurrent-requests", "2", "--max-queued-inputs", "16", models=SERVED_MODEL_DIRS).port
    heavy = {"inputs": [long_text(i) for i in range(8)]}
    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(lambda _: post(port, EMBED, heavy), range(32)))
    statuses = [response.status for response in responses]
    assert set(statuses) <= {200, 429} and 429 in statuses and 200 in statuses, statuses
    for response in responses:
        if response.status == 429:
            assert_tei_error(response, 429, "Overloaded")
    assert health(port)[0] == 200


def test_draining_server_answers_503_unhealthy():
    server = TernProcess("--max-batch-requests", "2", "--grouping-window", "1", models=SERVED_MODEL_DIRS).start()
    port = server.port
    blocker = threading.Thread(target=post, args=(port, EMBED, {"inputs": [long_text(i) for i in range(40)]}))
    blocker.start()
    metrics.wait_for(port, lambda p: metrics.value(p, "tern_queued_inputs") > 4, what="the queue filling")
    server.process.send_signal(signal.SIGTERM)
    metrics.wait_for(port, lambda p: health(p)[0] == 503, what="/health reporting the drain")
    late = [post(port, path, payload) for path, payload in
            [(RERANK, PAYLOADS["rerank"]), (PREDICT, PAYLOADS["predict"]), (EMBED, PAYLOADS["embed"])]]
    blocker.join(timeout=120)
    assert server.process.wait(timeout=60) == 0
    for response in late:
        assert_tei_error(response, 503, "Unhealthy")
