"""A server of repository models only (raw tensors, no text model): the text routes answer 404 in their own
API's shape, naming the problem, instead of failing inside."""

import raw_http
from error_shape import assert_error
from tei_api import assert_tei_error


def test_tei_routes_without_a_text_model(v2_server):
    for path, payload in [("/embed", {"inputs": "hi"}), ("/tokenize", {"inputs": "hi"}), ("/", {"inputs": "hi"})]:
        body = assert_tei_error(raw_http.post_json(v2_server.port, payload, path=path), 404, "Validation")
        assert "no text model" in body["error"], body


def test_openai_routes_without_a_text_model(v2_server):
    response = raw_http.post_json(v2_server.port, {"input": "hi"}, path="/v1/embeddings")
    assert_error(response, 404, "model_not_found")
    body = response.json()
    assert "no text model" in body["error"]["message"], body
