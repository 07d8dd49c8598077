"""Command-line options and the plain routes: --model-id, --no-normalize, --max-length, --threads, /health,
/v1/models, and a clean exit on SIGINT."""

import signal

import numpy as np
import pytest

import raw_http
from embeddings_api import embed, max_abs_diff
from tern_process import TernProcess, TernStartupError, health

TEXT = "Options change what the server does, so they are tested on real processes."
LONG_TEXT = " ".join(["token"] * 100)


def test_health_is_ok(port):
    assert health(port) == (200, {"status": "ok"})


def test_models_route_shape(port):
    response = raw_http.request(port, "GET", "/v1/models")
    assert response.status == 200
    body = response.json()
    assert body["object"] == "list"
    assert [set(item) for item in body["data"]] == [{"id", "object", "created", "owned_by"}]
    assert body["data"][0]["id"] == "all-MiniLM-L6-v2"


def test_model_defaults_to_the_model_id_when_omitted(port):
    response = raw_http.post_json(port, {"input": "no model field"})
    assert response.status == 200, response.body[:300]
    assert response.json()["model"] == "all-MiniLM-L6-v2"


def test_usage_fields_are_equal(port, reference):
    _, body = embed(port, ["one", "two words"])
    expected = len(reference.token_ids("one")) + len(reference.token_ids("two words"))
    assert body["usage"] == {"prompt_tokens": expected, "total_tokens": expected}


class TestCustomServer:
    """A server with --model-id custom-mini --no-normalize --max-length 32 --threads 1."""

    FLAGS = ("--model-id", "custom-mini", "--no-normalize", "--max-length", "32", "--threads", "1")

    @pytest.fixture(scope="class")
    def custom(self, start_server):
        return start_server(*self.FLAGS).port

    @pytest.fixture(scope="class")
    def short_reference(self):
        from reference import ReferenceEmbedder

        return ReferenceEmbedder(max_length=32)

    def test_model_id_is_listed(self, custom):
        assert [item["id"] for item in raw_http.request(custom, "GET", "/v1/models").json()["data"]] == ["custom-mini"]

    def test_vectors_are_not_normalised(self, custom, short_reference):
        vectors, _ = embed(custom, TEXT)
        expected = short_reference.embed(TEXT, normalize=False)
        assert abs(np.linalg.norm(expected) - 1.0) > 0.01, "the test text must have a non-unit mean-pooled norm"
        assert max_abs_diff(vectors[0], expected) <= 1e-5

    def test_max_length_truncates_text_and_usage(self, custom, short_reference):
        vectors, body = embed(custom, LONG_TEXT)
        assert body["usage"]["prompt_tokens"] == 32
        assert max_abs_diff(vectors[0], short_reference.embed(LONG_TEXT, normalize=False)) <= 1e-5

    def test_max_length_truncates_token_ids(self, custom, short_reference):
        ids = [101] + [2742] * 60 + [102]
        vectors, body = embed(custom, ids)
        assert body["usage"]["prompt_tokens"] == 32
        assert max_abs_diff(vectors[0], short_reference.embed_ids(ids[:32], normalize=False)) <= 1e-5


def test_sigint_stops_the_server_with_exit_0():
    try:
        process = TernProcess().start()
    except TernStartupError as error:
        pytest.fail(str(error), pytrace=False)
    assert embed(process.port, "before the signal")[0].shape == (1, 384)
    status = process.stop(signal.SIGINT)
    assert status == 0, f"exit status {status} after SIGINT\n{process.stderr_tail()}"
    assert process.remaining_stdout() == b""
