"""huggingface_hub's InferenceClient, unmodified, against Tern. Given a URL as `model` (or `base_url`) the client
POSTs to that URL as it is, appending nothing:

- feature_extraction(text, normalize=, truncate=, truncation_direction="left"|"right", dimensions=)
  sends `{"inputs": text, ...options}` (options at the top level, None ones left out) and reads a list of vectors:
  TEI's /embed.
- text_classification(text, top_k=, function_to_apply=) sends `{"inputs": text, "parameters": {...}}` (an empty
  object when no option is given) and returns the FIRST element of the reply, so /predict answers a body with
  `parameters` as a list of lists (TEI's flat `[{"label", "score"}, ...]` would give the top label alone), and
  honours `top_k` and `function_to_apply`.
- sentence_similarity sends `{"inputs": {"source_sentence": s, "sentences": [...]}}`, served on /similarity, /embed
  and / (test_client_compat.py).

The first test pins that wire format with a local capture server, so a client upgrade that changes it fails here
rather than as a confusing server error."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from huggingface_hub import InferenceClient

from classifier_reference import CLASSIFIER, EMBEDDING_MODEL_ID
from embeddings_api import max_abs_diff
from reference import l2_normalize

TOLERANCE = 1e-4
TEXTS = ["The cat sat on the mat.", "Où est la gare ?"]


def _client(url: str) -> InferenceClient:
    return InferenceClient(model=url, timeout=60)


def test_client_wire_format():
    captured: list[tuple[str, dict]] = []

    class Capture(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            captured.append((self.path, json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'[[{"label": "a", "score": 1.0}]]' if "parameters" in captured[-1][1] else b"[[0.5]]")

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Capture) as capture:
        threading.Thread(target=capture.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{capture.server_address[1]}"
        _client(base).feature_extraction("hi")
        InferenceClient(base_url=f"{base}/embed").feature_extraction(
            ["a", "b"], normalize=False, truncate=True, truncation_direction="left", dimensions=8)
        _client(f"{base}/predict").text_classification("hi")
        _client(base).text_classification("hi", top_k=2)
        capture.shutdown()
    assert captured == [
        ("/", {"inputs": "hi"}),
        ("/embed", {"inputs": ["a", "b"], "normalize": False, "truncate": True, "truncation_direction": "left",
                    "dimensions": 8}),
        ("/predict", {"inputs": "hi", "parameters": {}}),
        ("/", {"inputs": "hi", "parameters": {"top_k": 2}}),
    ]


@pytest.mark.parametrize("path", ["/embed", f"/models/{EMBEDDING_MODEL_ID}/embed"])
def test_feature_extraction_on_the_multi_model_server(multi_port, reference, path):
    client = _client(f"http://127.0.0.1:{multi_port}{path}")
    single = client.feature_extraction(TEXTS[0])
    assert single.shape == (1, 384) and single.dtype == np.float32
    assert max_abs_diff(single[0], reference.embed(TEXTS[0])) <= TOLERANCE
    both = client.feature_extraction(TEXTS, normalize=False)
    assert max_abs_diff(both, reference.embed_all(TEXTS, normalize=False)) <= TOLERANCE
    short = client.feature_extraction(TEXTS[1], dimensions=16, truncate=True, truncation_direction="left")
    expected = l2_normalize(reference.embed(TEXTS[1], normalize=False)[:16].astype(np.float64))
    assert max_abs_diff(short[0], expected) <= TOLERANCE


def test_feature_extraction_at_the_root_of_an_embedding_server(port, reference):
    vectors = InferenceClient(base_url=f"http://127.0.0.1:{port}").feature_extraction(TEXTS)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) <= TOLERANCE


def test_text_classification_returns_every_label_or_the_top_k(multi_port, classifiers, start_server):
    expected = classifiers[CLASSIFIER.id].predict(TEXTS[0])
    classifier_port = start_server(models=[CLASSIFIER.directory]).port
    for url in (f"http://127.0.0.1:{multi_port}/predict", f"http://127.0.0.1:{multi_port}/models/{CLASSIFIER.id}/predict",
                f"http://127.0.0.1:{classifier_port}"):
        for options, count in (({}, len(expected)), ({"top_k": 2}, 2)):
            labels = _client(url).text_classification(TEXTS[0], **options)
            assert [item.label for item in labels] == [item["label"] for item in expected[:count]], url
            for item, reference in zip(labels, expected):
                assert abs(item.score - reference["score"]) <= TOLERANCE, url
