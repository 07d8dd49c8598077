"""The TEI-style routes of a server of several models: which model each route picks, every option of /embed,
/rerank, /predict and /v1/rerank, /info's shape, and POST / routed by the first model's task."""

import json

import numpy as np
import pytest
from tokenizers import Tokenizer

import raw_http
from classifier_reference import CLASSIFIER, CROSS_ENCODER, EMBEDDING_MODEL_ID, MULTILABEL, TINY_MODELS
from embeddings_api import max_abs_diff, vectors_from
from error_shape import assert_error
from reference import DEFAULT_MODEL_DIR, ReferenceEmbedder, l2_normalize
from tei_api import assert_ranked_like, assert_sorted_descending, assert_tei_error, call, long_text, ok_json, post

EMBED_TOLERANCE = 1e-5
TEXTS = ["The cat sat on the mat.", "Où est la gare ?", "机器学习是人工智能的一个分支。"]
QUERY = "Which animal sat on the mat?"
DOCUMENTS = ["A cat sat on the mat.", "Stock markets fell sharply.", "The dog slept in the garden.", "Mats and cats."]
INFO_KEYS = {
    "model_id", "model_sha", "model_dtype", "model_type", "max_concurrent_requests", "max_input_length",
    "max_batch_tokens", "max_batch_requests", "max_client_batch_size", "auto_truncate", "tokenization_workers",
    "version", "weights", "engines",
}


def get(port: int, path: str):
    return raw_http.request(port, "GET", path)


@pytest.fixture(scope="module")
def left_reference() -> ReferenceEmbedder:
    """MiniLM truncated on the left: the last 254 tokens of a long text between [CLS] and [SEP]."""
    embedder = ReferenceEmbedder()
    tokenizer = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=embedder.max_length, direction="left")
    embedder.tokenizer = tokenizer
    return embedder


# /embed


@pytest.mark.parametrize("path", ["/embed", f"/models/{EMBEDDING_MODEL_ID}/embed"])
def test_embed_single_string_and_list(multi_port, reference, path):
    single = np.asarray(call(multi_port, path, {"inputs": TEXTS[0]}), dtype=np.float32)
    assert single.shape == (1, 384), "a single string still gets a list of one vector"
    assert max_abs_diff(single[0], reference.embed(TEXTS[0])) <= EMBED_TOLERANCE
    many = np.asarray(call(multi_port, path, {"inputs": TEXTS}), dtype=np.float32)
    assert max_abs_diff(many, reference.embed_all(TEXTS)) <= EMBED_TOLERANCE


def test_embed_normalize_false(multi_port, reference):
    vectors = np.asarray(call(multi_port, "/embed", {"inputs": TEXTS, "normalize": False}), dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS, normalize=False)) <= EMBED_TOLERANCE
    assert all(abs(np.linalg.norm(v) - 1.0) > 1e-2 for v in vectors), "unnormalised vectors are not unit length"


def test_embed_dimensions(multi_port, reference):
    for dimensions in (1, 64, 384):
        vectors = np.asarray(call(multi_port, "/embed", {"inputs": TEXTS[1], "dimensions": dimensions}))
        assert vectors.shape == (1, dimensions)
        expected = l2_normalize(reference.embed(TEXTS[1], normalize=False)[:dimensions].astype(np.float64))
        assert max_abs_diff(vectors[0], expected) <= EMBED_TOLERANCE, f"dimensions={dimensions}"
    raw = np.asarray(call(multi_port, "/embed", {"inputs": TEXTS[1], "dimensions": 32, "normalize": False}))
    assert max_abs_diff(raw[0], reference.embed(TEXTS[1], normalize=False)[:32]) <= EMBED_TOLERANCE


def test_embed_truncation(multi_port, reference, left_reference):
    text = long_text(8)
    untruncated = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    untruncated.no_truncation()
    assert len(reference.tokenizer.encode(text).ids) == 256 < len(untruncated.encode(text).ids)
    default = np.asarray(call(multi_port, "/embed", {"inputs": text}))
    assert max_abs_diff(default[0], reference.embed(text)) <= EMBED_TOLERANCE, "truncate defaults to true, Right"
    right = np.asarray(call(multi_port, "/embed", {"inputs": text, "truncate": True, "truncation_direction": "Right"}))
    assert max_abs_diff(right[0], reference.embed(text)) <= EMBED_TOLERANCE
    for direction in ("Left", "left", "LEFT"):
        left = np.asarray(call(multi_port, "/embed", {"inputs": text, "truncate": True,
                                                      "truncation_direction": direction}))
        assert max_abs_diff(left[0], left_reference.embed(text)) <= EMBED_TOLERANCE, direction
    assert max_abs_diff(left[0], right[0]) > 1e-3, "the two sides must keep different tokens"
    refused = post(multi_port, "/embed", {"inputs": text, "truncate": False})
    assert_tei_error(refused, 413, "Validation")


# /rerank


def test_rerank_return_text_and_raw_scores(multi_port, classifiers):
    reference = classifiers[CROSS_ENCODER.id]
    with_text = call(multi_port, "/rerank", {"query": QUERY, "texts": DOCUMENTS, "return_text": True})
    assert all(set(item) == {"index", "score", "text"} for item in with_text), with_text
    assert all(item["text"] == DOCUMENTS[item["index"]] for item in with_text)
    assert_ranked_like(with_text, reference.rerank(QUERY, DOCUMENTS), "index")
    without = call(multi_port, "/rerank", {"query": QUERY, "texts": DOCUMENTS, "return_text": False})
    assert all("text" not in item for item in without)
    raw = call(multi_port, "/rerank", {"query": QUERY, "texts": DOCUMENTS, "raw_scores": True, "return_text": True})
    assert_ranked_like(raw, reference.rerank(QUERY, DOCUMENTS, raw=True), "index")
    assert all(item["text"] == DOCUMENTS[item["index"]] for item in raw)


def test_rerank_truncate_false_refuses_a_long_pair_but_not_a_short_one(multi_port):
    assert len(call(multi_port, "/rerank", {"query": QUERY, "texts": DOCUMENTS, "truncate": False})) == 4
    assert_tei_error(post(multi_port, "/rerank", {"query": QUERY, "texts": ["ok", long_text(0)], "truncate": False}),
                     413, "Validation")


# /v1/rerank


def test_v1_rerank_envelope_top_n_and_documents(multi_port, classifiers):
    reference = classifiers[CROSS_ENCODER.id]
    documents = [DOCUMENTS[0], {"text": DOCUMENTS[1]}, DOCUMENTS[2], {"text": DOCUMENTS[3]}]
    expected = reference.rerank(QUERY, DOCUMENTS)
    body = call(multi_port, "/v1/rerank", {"query": QUERY, "documents": documents})
    assert set(body) == {"id", "model", "results", "meta", "usage"}, body
    assert body["model"] == CROSS_ENCODER.id, "without a model field the first reranker answers"
    assert all(set(item) == {"index", "relevance_score"} for item in body["results"]), body["results"]
    assert_ranked_like(body["results"], expected, "index", score_key="relevance_score")
    pair_tokens = sum(len(reference.encode(QUERY, text)["input_ids"]) for text in DOCUMENTS)
    assert body["usage"] == {"prompt_tokens": pair_tokens, "total_tokens": pair_tokens}

    top = call(multi_port, "/v1/rerank", {"model": CROSS_ENCODER.id, "query": QUERY, "documents": documents,
                                          "top_n": 2, "return_documents": True})
    assert [item["index"] for item in top["results"]] == [item["index"] for item in expected[:2]]
    assert all(item["document"] == {"text": DOCUMENTS[item["index"]]} for item in top["results"])
    assert_sorted_descending(top["results"], "relevance_score")


# /predict routing and /v1/embeddings model selection


def test_models_route_selects_the_named_classifier(multi_port, classifiers):
    labels = {model.id: {item["label"] for item in call(multi_port, f"/models/{model.id}/predict", {"inputs": "hi"})}
              for model in (CLASSIFIER, MULTILABEL)}
    assert labels == {CLASSIFIER.id: set(CLASSIFIER.labels), MULTILABEL.id: set(MULTILABEL.labels)}


def test_v1_embeddings_selects_by_model(multi_port, reference):
    for payload in ({"model": EMBEDDING_MODEL_ID, "input": TEXTS}, {"input": TEXTS}):
        body = ok_json(post(multi_port, "/v1/embeddings", {**payload, "encoding_format": "float"}))
        assert max_abs_diff(vectors_from(body, 3), reference.embed_all(TEXTS)) <= EMBED_TOLERANCE
    # One embedding model among four: an unknown name goes to it and says so (ambiguous names: test_client_compat).
    routed = post(multi_port, "/v1/embeddings", {"model": "no-such-model", "input": "hi"})
    assert routed.status == 200 and routed.headers["x-tern-routed-model"] == EMBEDDING_MODEL_ID


# /info


def _info_limits(info: dict) -> None:
    assert set(info) == INFO_KEYS, sorted(info)
    assert info["model_sha"] is None and info["model_dtype"] == "float32"
    assert info["auto_truncate"] is True
    assert (info["max_concurrent_requests"], info["max_batch_tokens"], info["max_batch_requests"],
            info["max_client_batch_size"]) == (512, 1024, 64, 512)
    assert isinstance(info["tokenization_workers"], int) and info["tokenization_workers"] >= 1
    # Tern's extension: these directories have an ONNX file, which --weights auto prefers.
    assert info["weights"]["format"] == "onnx" and info["weights"]["file"].endswith(".onnx")
    assert isinstance(info["version"], str) and info["version"]


def _label_maps(model) -> dict:
    config = json.loads((model.directory / "config.json").read_text())
    return {"id2label": config["id2label"], "label2id": config["label2id"]}


def test_info_of_each_model(multi_port):
    default = ok_json(get(multi_port, "/info"))
    assert default == ok_json(get(multi_port, f"/models/{CROSS_ENCODER.id}/info")), "/info is the first model's"
    for model in TINY_MODELS:
        info = ok_json(get(multi_port, f"/models/{model.id}/info"))
        _info_limits(info)
        kind = "reranker" if model is CROSS_ENCODER else "classifier"
        assert info["model_id"] == model.id
        assert info["model_type"] == {kind: _label_maps(model)}
        assert info["max_input_length"] == 512
    embedding = ok_json(get(multi_port, f"/models/{EMBEDDING_MODEL_ID}/info"))
    _info_limits(embedding)
    assert embedding["model_id"] == EMBEDDING_MODEL_ID
    assert embedding["model_type"] == {"embedding": {"pooling": "mean"}}
    assert embedding["max_input_length"] == 256


# POST /


def test_root_follows_the_first_models_task(multi_port, classifiers, port, reference, start_server):
    """Rerank on the multi-model server (a cross-encoder comes first), embed on the MiniLM-only server,
    predict on a classifier-only server."""
    reranked = call(multi_port, "/", {"query": QUERY, "texts": DOCUMENTS})
    assert_ranked_like(reranked, classifiers[CROSS_ENCODER.id].rerank(QUERY, DOCUMENTS), "index")
    embedded = np.asarray(call(port, "/", {"inputs": TEXTS[0]}), dtype=np.float32)
    assert max_abs_diff(embedded[0], reference.embed(TEXTS[0])) <= EMBED_TOLERANCE
    classifier_port = start_server(models=[CLASSIFIER.directory]).port
    predicted = call(classifier_port, "/", {"inputs": TEXTS[1]})
    assert_ranked_like(predicted, classifiers[CLASSIFIER.id].predict(TEXTS[1]), "label")
