"""Every bad request gets a 4xx with the OpenAI error shape and the contract's code; none gets a 5xx or hangs,
and the server is healthy afterwards."""

import http.client
import json

import numpy as np
import pytest

import raw_http
from embeddings_api import embed, max_abs_diff
from error_shape import assert_error
from tern_process import health

DEFAULT_BODY_LIMIT = 2 * 1024 * 1024
VOCAB_SIZE = 30522

# (name, request body, expected code or set of acceptable codes where the contract allows either)
BAD_REQUESTS = [
    ("not json", b"this is not json", "invalid_json"),
    ("truncated json", b'{"input": "abc"', "invalid_json"),
    ("empty body", b"", "invalid_json"),
    ("invalid utf-8", b'{"input": "\xff\xfe"}', "invalid_json"),
    ("top-level array", b'["hello"]', "invalid_type"),
    ("top-level string", b'"hello"', "invalid_type"),
    ("missing input", b"{}", "missing_field"),
    ("only model", b'{"model": "all-MiniLM-L6-v2"}', "missing_field"),
    ("input null", b'{"input": null}', {"missing_field", "invalid_type"}),
    ("input number", b'{"input": 5}', "invalid_type"),
    ("input bool", b'{"input": true}', "invalid_type"),
    ("input object", b'{"input": {"text": "hi"}}', "invalid_type"),
    ("float in list", b'{"input": [1.5]}', "invalid_type"),
    ("bool in list", b'{"input": [true]}', "invalid_type"),
    ("null in list", b'{"input": ["a", null]}', "invalid_type"),
    ("string then int", b'{"input": ["a", 1]}', "invalid_type"),
    ("int then string", b'{"input": [1, "a"]}', "invalid_type"),
    ("int then list", b'{"input": [1, [2]]}', "invalid_type"),
    ("list then string", b'{"input": [[101, 102], "a"]}', "invalid_type"),
    ("string inside id list", b'{"input": [[101, "a"]]}', "invalid_type"),
    ("three levels", b'{"input": [[[101]]]}', "invalid_type"),
    ("empty string", b'{"input": ""}', "empty_input"),
    ("empty list", b'{"input": []}', "empty_input"),
    ("empty id list", b'{"input": [[]]}', "empty_input"),
    ("empty string in list", b'{"input": [""]}', "empty_input"),
    ("second string empty", b'{"input": ["ok", ""]}', "empty_input"),
    ("second id list empty", b'{"input": [[101, 102], []]}', "empty_input"),
    ("token id = vocab size", b'{"input": [101, 30522, 102]}', "invalid_token_id"),
    ("negative token id", b'{"input": [-1]}', "invalid_token_id"),
    ("id out of range in list of lists", b'{"input": [[101, 102], [101, 99999, 102]]}', "invalid_token_id"),
    ("token id past int64", b'{"input": [100000000000000000000]}', {"invalid_token_id", "invalid_type"}),
    ("dimensions 0", b'{"input": "hi", "dimensions": 0}', "invalid_dimensions"),
    ("dimensions negative", b'{"input": "hi", "dimensions": -3}', "invalid_dimensions"),
    ("dimensions 385", b'{"input": "hi", "dimensions": 385}', "invalid_dimensions"),
    ("dimensions string", b'{"input": "hi", "dimensions": "x"}', {"invalid_type", "invalid_dimensions"}),
    ("dimensions float", b'{"input": "hi", "dimensions": 1.5}', {"invalid_type", "invalid_dimensions"}),
    ("encoding int8", b'{"input": "hi", "encoding_format": "int8"}', "invalid_encoding_format"),
    ("encoding empty", b'{"input": "hi", "encoding_format": ""}', "invalid_encoding_format"),
    ("encoding number", b'{"input": "hi", "encoding_format": 1}', {"invalid_type", "invalid_encoding_format"}),
    ("model number", b'{"input": "hi", "model": 5}', "invalid_type"),
    # A recursive parser must not overflow its stack on deep nesting (a crash would be a 5xx or a reset).
    ("nested 100000 deep", b'{"input": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {"invalid_json", "invalid_type"}),
]


@pytest.mark.parametrize("body, code", [case[1:] for case in BAD_REQUESTS], ids=[case[0] for case in BAD_REQUESTS])
def test_bad_request_is_400_with_code(port, body, code):
    assert_error(raw_http.post_raw(port, body, timeout=30), 400, code)


def test_largest_valid_token_id_is_accepted(port, reference):
    ids = [101, VOCAB_SIZE - 1, 102]
    vectors, _ = embed(port, ids)
    assert max_abs_diff(vectors[0], reference.embed_ids(ids)) <= 1e-5


def test_lone_surrogate_escape_is_not_a_server_error(port):
    response = raw_http.post_raw(port, b'{"input": "bad \\ud800 surrogate"}', timeout=30)
    assert response.status in (200, 400), f"{response.status}: {response.body[:300]!r}"
    if response.status == 400:
        assert_error(response, 400, None)


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/v1/nope"), ("POST", "/v1/embedding"), ("GET", "/nope"), ("POST", "/embedding"), ("GET", "/v2/models")],
)
def test_unknown_route_is_404_with_error_shape(port, method, path):
    body = b'{"input": "hi"}' if method == "POST" else None
    assert_error(raw_http.request(port, method, path, body), 404, None, error_type=None)


@pytest.mark.parametrize(
    "method, path, allow",
    [("GET", "/v1/embeddings", "POST"), ("PUT", "/v1/embeddings", "POST"), ("DELETE", "/v1/models", "GET"),
     ("GET", "/v2/rerank", "POST")],
)
def test_wrong_method_is_405_with_allow(port, method, path, allow):
    response = raw_http.request(port, method, path)
    assert response.status == 405, f"{response.status}: {response.body[:300]!r}"
    assert response.headers.get("allow") == allow
    assert_error(response, 405, None, error_type=None)


def _json_of_size(size: int) -> bytes:
    """A valid request of exactly `size` bytes: a short input padded with JSON whitespace."""
    head, tail = b'{"input": "size check"', b"}"
    return head + b" " * (size - len(head) - len(tail)) + tail


def test_body_at_default_limit_is_accepted(port):
    response = raw_http.post_raw(port, _json_of_size(DEFAULT_BODY_LIMIT))
    assert response.status == 200, f"{response.status}: {response.body[:300]!r}"


def test_body_over_default_limit_is_413(port):
    assert_error(raw_http.post_raw(port, _json_of_size(DEFAULT_BODY_LIMIT + 1)), 413, "body_too_large")


def test_body_far_over_default_limit_is_413(port):
    assert_error(raw_http.post_raw(port, _json_of_size(8 * DEFAULT_BODY_LIMIT)), 413, "body_too_large")


def test_512_inputs_pass_and_513_are_413(port):
    response = raw_http.post_json(port, {"input": [f"item {i}" for i in range(512)], "encoding_format": "base64"})
    assert response.status == 200, f"{response.status}: {response.body[:300]!r}"
    assert len(response.json()["data"]) == 512
    assert_error(raw_http.post_json(port, {"input": [f"item {i}" for i in range(513)]}), 413, "too_many_inputs")
    assert_error(raw_http.post_json(port, {"input": [[101, 102]] * 513}), 413, "too_many_inputs")


class TestSmallLimitsServer:
    """A server with --max-body-size 4096 --max-inputs 4 --no-truncate."""

    FLAGS = ("--max-body-size", "4096", "--max-inputs", "4", "--no-truncate")

    @pytest.fixture(scope="class")
    def small(self, start_server):
        return start_server(*self.FLAGS).port

    def test_body_at_limit_is_accepted(self, small):
        assert raw_http.post_raw(small, _json_of_size(4096)).status == 200

    def test_body_over_limit_is_413(self, small):
        assert_error(raw_http.post_raw(small, _json_of_size(4097)), 413, "body_too_large")

    def test_chunked_body_over_limit_is_413(self, small):
        assert_error(raw_http.post_raw(small, _json_of_size(10_000), chunked=True), 413, "body_too_large")

    def test_chunked_body_under_limit_is_accepted(self, small):
        response = raw_http.post_raw(small, _json_of_size(2000), chunked=True)
        assert response.status == 200, f"{response.status}: {response.body[:300]!r}"

    def test_more_inputs_than_max_inputs_is_413(self, small):
        assert raw_http.post_json(small, {"input": ["a", "b", "c", "d"]}).status == 200
        assert_error(raw_http.post_json(small, {"input": ["a", "b", "c", "d", "e"]}), 413, "too_many_inputs")

    def test_text_at_max_length_is_accepted(self, small, reference):
        text = " ".join(["token"] * 254)
        assert len(reference.token_ids(text)) == 256
        response = raw_http.post_json(small, {"input": text})
        assert response.status == 200, f"{response.status}: {response.body[:300]!r}"
        assert response.json()["usage"]["prompt_tokens"] == 256

    def test_text_over_max_length_is_413(self, small):
        assert_error(raw_http.post_json(small, {"input": " ".join(["token"] * 255)}), 413, "input_too_long")

    def test_token_ids_over_max_length_are_413(self, small):
        assert raw_http.post_json(small, {"input": [2742] * 256}).status == 200
        assert_error(raw_http.post_json(small, {"input": [2742] * 257}), 413, "input_too_long")

    def test_one_long_input_in_a_batch_is_413(self, small):
        assert_error(raw_http.post_json(small, {"input": ["short", " ".join(["token"] * 300)]}), 413, "input_too_long")


def test_malformed_requests_do_not_leak_into_later_ones(port):
    # A bad request then a good one on the same keep-alive connection: the good one must succeed.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/v1/embeddings", body=b"{not json", headers={"Content-Type": "application/json"})
        first = connection.getresponse()
        assert first.status == 400
        first.read()
        connection.request("POST", "/v1/embeddings", body=json.dumps({"input": "hello"}).encode(),
                           headers={"Content-Type": "application/json"})
        second = connection.getresponse()
        assert second.status == 200, second.read()[:300]
        assert len(json.loads(second.read())["data"][0]["embedding"]) == 384
    finally:
        connection.close()


def test_server_is_still_healthy_and_correct_afterwards(port, reference):
    assert health(port) == (200, {"status": "ok"})
    vectors, _ = embed(port, ["still alive", "après les erreurs"])
    assert max_abs_diff(vectors, np.stack([reference.embed(t) for t in ["still alive", "après les erreurs"]])) <= 1e-5
