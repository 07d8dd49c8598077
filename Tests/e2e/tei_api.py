"""Helpers for the TEI-style routes (/embed, /rerank, /predict, /info, /v1/rerank): calls over raw HTTP and
checks of TEI's error shape `{"error": "...", "error_type": "..."}` and of ranked score lists."""

import raw_http
from classifier_reference import min_gap
from raw_http import Response

TOLERANCE = 1e-4  # scores against PyTorch; the ONNX export alone is within 1e-5
# Long enough to need truncation at 512 tokens, with distinct words at each end so Left and Right differ.
_WORDS = " ".join(f"alpha{i} beta{i * 7 % 13} gamma" for i in range(300))


def long_text(seed: int = 0) -> str:
    """About 1,500 tokens of text whose beginning and end differ from each other and between seeds."""
    return f"variant {seed} " + _WORDS[seed * 40 :] + f" closing {seed}"


def post(port: int, path: str, payload, timeout: float = 60.0) -> Response:
    return raw_http.post_json(port, payload, path=path, timeout=timeout)


def ok_json(response: Response):
    assert response.status == 200, f"status {response.status}: {response.body[:500]!r}"
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    return response.json()


def call(port: int, path: str, payload):
    """POSTs `payload` and returns the parsed body, asserting 200."""
    return ok_json(post(port, path, payload))


def assert_tei_error(response: Response, status: int, error_type: str | None) -> dict:
    """`response` has `status` and exactly TEI's error keys, with `error_type` (None: any string)."""
    assert response.status == status, f"expected {status}, got {response.status}: {response.body[:300]!r}"
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error", "error_type"}, f"error body {body!r}"
    assert isinstance(body["error"], str) and body["error"], "error must be a non-empty message"
    if error_type is not None:
        assert body["error_type"] == error_type, f"error_type {body['error_type']!r}, expected {error_type!r}"
    return body


def assert_sorted_descending(items: list[dict], key: str) -> None:
    scores = [item[key] for item in items]
    assert scores == sorted(scores, reverse=True), f"not sorted by {key} descending: {scores}"


def assert_ranked_like(actual: list[dict], expected: list[dict], id_key: str, score_key: str = "score",
                       expected_score_key: str = "score") -> None:
    """Same ids with scores within TOLERANCE, sorted descending, in the reference's order wherever the
    reference's scores are further apart than the tolerance allows to tell."""
    assert sorted(item[id_key] for item in actual) == sorted(item[id_key] for item in expected), actual
    reference = {item[id_key]: item[expected_score_key] for item in expected}
    for item in actual:
        gap = abs(item[score_key] - reference[item[id_key]])
        assert gap <= TOLERANCE, f"{id_key}={item[id_key]!r}: tern {item[score_key]!r}, reference " \
                                 f"{reference[item[id_key]]!r} (off by {gap:.3g})"
    assert_sorted_descending(actual, score_key)
    if min_gap(list(reference.values())) > 2 * TOLERANCE:
        assert [item[id_key] for item in actual] == [item[id_key] for item in expected]
