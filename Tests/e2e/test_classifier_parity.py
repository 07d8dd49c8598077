"""Rerank and classify scores from Tern equal transformers' PyTorch outputs on the tiny test classifiers
(scripts/make-test-models): sigmoid, softmax and raw logits; single texts, pairs and batches; and inputs past
512 tokens truncated longest-first on either side."""

import pytest

from classifier_reference import CLASSIFIER, CROSS_ENCODER, MULTILABEL
from tei_api import TOLERANCE, assert_ranked_like, call, long_text

QUERY = "What is the capital of France?"
PASSAGES = [
    "Paris is the capital and largest city of France.",
    "Berlin is the capital of Germany.",
    "The Eiffel Tower was finished in 1889.",
    "Bananas are rich in potassium.",
    "France is a country in Western Europe, bordered by Spain, Italy and Germany.",
    "¿Dónde está la estación de tren?",
]
TEXTS = ["I love this film, it is wonderful!", "The service was slow and the food was cold.", "It is Tuesday."]
PAIRS = [["The match ended in a draw.", "Both teams scored twice."], ["A new vaccine was approved.", "by regulators"]]
DIRECTIONS = ["Right", "Left"]


@pytest.mark.parametrize("raw", [False, True], ids=["sigmoid", "raw"])
@pytest.mark.parametrize("path", ["/rerank", f"/models/{CROSS_ENCODER.id}/rerank"])
def test_rerank_equals_pytorch(multi_port, classifiers, path, raw):
    reference = classifiers[CROSS_ENCODER.id]
    body = call(multi_port, path, {"query": QUERY, "texts": PASSAGES, "raw_scores": raw})
    assert all(set(item) == {"index", "score"} for item in body), body
    assert_ranked_like(body, reference.rerank(QUERY, PASSAGES, raw=raw), "index")
    if not raw:
        assert all(0.0 < item["score"] < 1.0 for item in body)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_rerank_truncates_long_pairs_longest_first(multi_port, classifiers, direction):
    reference = classifiers[CROSS_ENCODER.id]
    # A short query with long passages, and a long query with a long passage (both halves get cut).
    cases = [("which alpha?", [long_text(0), long_text(1), "short passage"]), (long_text(2), [long_text(3)])]
    for query, texts in cases:
        assert any(reference.untruncated_length(query, text) > 512 for text in texts)
        for raw in (False, True):
            body = call(multi_port, "/rerank", {"query": query, "texts": texts, "raw_scores": raw,
                                                "truncate": True, "truncation_direction": direction})
            expected = reference.rerank(query, texts, raw=raw, direction=direction)
            assert_ranked_like(body, expected, "index")
    # The two sides really keep different tokens here, so a server that ignored the direction would fail.
    right, left = (reference.rerank_score(long_text(2), long_text(3), direction=d) for d in ("right", "left"))
    assert abs(right - left) > 10 * TOLERANCE


def test_v1_rerank_relevance_scores_equal_pytorch(multi_port, classifiers):
    reference = classifiers[CROSS_ENCODER.id].rerank(QUERY, PASSAGES)
    body = call(multi_port, "/v1/rerank", {"model": CROSS_ENCODER.id, "query": QUERY, "documents": PASSAGES})
    assert_ranked_like(body["results"], reference, "index", score_key="relevance_score")


@pytest.mark.parametrize("raw", [False, True], ids=["probabilities", "raw"])
@pytest.mark.parametrize("model", [CLASSIFIER, MULTILABEL], ids=["softmax", "sigmoid"])
def test_predict_single_text_and_pair(multi_port, classifiers, model, raw):
    reference = classifiers[model.id]
    for inputs in (TEXTS[0], PAIRS[0]):
        body = call(multi_port, f"/models/{model.id}/predict", {"inputs": inputs, "raw_scores": raw})
        assert isinstance(body, list) and all(set(item) == {"score", "label"} for item in body), body
        assert_ranked_like(body, reference.predict(inputs, raw=raw), "label")
    if not raw and not model.multi_label:
        assert abs(sum(item["score"] for item in body) - 1.0) <= 1e-5, "softmax scores must sum to 1"


def test_pair_is_not_the_concatenated_text(multi_port, classifiers):
    """A pair gets token type 1 on its second half; joining the two strings gives different logits."""
    reference = classifiers[CLASSIFIER.id]
    pair = call(multi_port, f"/models/{CLASSIFIER.id}/predict", {"inputs": PAIRS[0], "raw_scores": True})
    joined = reference.predict(" ".join(PAIRS[0]), raw=True)
    scores = {item["label"]: item["score"] for item in pair}
    assert max(abs(scores[item["label"]] - item["score"]) for item in joined) > 10 * TOLERANCE


@pytest.mark.parametrize("raw", [False, True], ids=["probabilities", "raw"])
@pytest.mark.parametrize("model", [CLASSIFIER, MULTILABEL], ids=["softmax", "sigmoid"])
def test_predict_batch_of_texts_and_pairs(multi_port, classifiers, model, raw):
    reference = classifiers[model.id]
    batch = [[TEXTS[0]], PAIRS[0], [TEXTS[1]], PAIRS[1], [TEXTS[2]]]
    body = call(multi_port, f"/models/{model.id}/predict", {"inputs": batch, "raw_scores": raw})
    assert isinstance(body, list) and len(body) == len(batch), body
    for inputs, predictions in zip(batch, body):
        assert_ranked_like(predictions, reference.predict(inputs, raw=raw), "label")


def test_unprefixed_predict_uses_the_first_classifier(multi_port, classifiers):
    body = call(multi_port, "/predict", {"inputs": TEXTS[1]})
    assert_ranked_like(body, classifiers[CLASSIFIER.id].predict(TEXTS[1]), "label")


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("model", [CLASSIFIER, MULTILABEL], ids=["softmax", "sigmoid"])
def test_predict_truncates_long_inputs(multi_port, classifiers, model, direction):
    reference = classifiers[model.id]
    batch = [[long_text(4)], [long_text(5), long_text(6)], ["short", long_text(7)]]
    for raw in (False, True):
        body = call(multi_port, f"/models/{model.id}/predict",
                    {"inputs": batch, "raw_scores": raw, "truncate": True, "truncation_direction": direction})
        for inputs, predictions in zip(batch, body, strict=True):
            assert_ranked_like(predictions, reference.predict(inputs, raw=raw, direction=direction), "label")
