"""The server's vectors for 200 varied sentences match the ONNX reference (1e-5 per component) and
sentence-transformers on the original weights (cosine >= 0.9999), however the sentences are batched."""

import os

import numpy as np
import pytest

from embeddings_api import embed, max_abs_diff
from reference import GROUND_TRUTH_MODEL_DIR, FETCH_HINT
from sentences import SENTENCES

TOLERANCE = 1e-5
BATCH = 50
SINGLES = SENTENCES[::10]  # 20 sentences, including long ones, each in its own request


@pytest.fixture(scope="module")
def expected(reference) -> np.ndarray:
    return reference.embed_all(SENTENCES)


@pytest.fixture(scope="module")
def served_in_batches(port) -> np.ndarray:
    parts = [embed(port, SENTENCES[start : start + BATCH])[0] for start in range(0, len(SENTENCES), BATCH)]
    return np.concatenate(parts)


@pytest.fixture(scope="module")
def ground_truth() -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not (GROUND_TRUTH_MODEL_DIR / "model.safetensors").is_file():
        pytest.fail(f"{GROUND_TRUTH_MODEL_DIR} is missing; {FETCH_HINT}", pytrace=False)
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(GROUND_TRUTH_MODEL_DIR), device="cpu")
    assert model.max_seq_length == 256
    return model.encode(SENTENCES, batch_size=32, convert_to_numpy=True, show_progress_bar=False)


def _worst(served: np.ndarray, expected: np.ndarray) -> str:
    per_sentence = np.abs(served.astype(np.float64) - expected).max(axis=1)
    worst = int(per_sentence.argmax())
    return f"worst sentence #{worst} (diff {per_sentence[worst]:.3g}): {SENTENCES[worst][:80]!r}"


def test_batches_of_50_match_reference(served_in_batches, expected, measure):
    diff = max_abs_diff(served_in_batches, expected)
    measure(f"parity, batches of {BATCH}: max abs diff vs ONNX reference = {diff:.3g} over {len(SENTENCES)} sentences")
    assert diff <= TOLERANCE, _worst(served_in_batches, expected)


def test_single_requests_match_reference(port, reference):
    served = np.concatenate([embed(port, sentence)[0] for sentence in SINGLES])
    expected = reference.embed_all(SINGLES)
    assert max_abs_diff(served, expected) <= TOLERANCE, f"max abs diff {max_abs_diff(served, expected):.3g}"


def test_one_request_with_all_sentences_reversed_keeps_order(port, expected):
    served, _ = embed(port, SENTENCES[::-1])
    diff = max_abs_diff(served[::-1], expected)
    assert diff <= TOLERANCE, f"max abs diff {diff:.3g}: data[i] must be the vector of input[i]"


def test_vectors_are_unit_length(served_in_batches):
    norms = np.linalg.norm(served_in_batches.astype(np.float64), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5), f"norms range {norms.min()}..{norms.max()}"


def test_batches_agree_with_sentence_transformers(served_in_batches, ground_truth, measure):
    served = served_in_batches.astype(np.float64)
    cosine = (served * ground_truth).sum(axis=1) / (
        np.linalg.norm(served, axis=1) * np.linalg.norm(ground_truth, axis=1)
    )
    worst = int(cosine.argmin())
    measure(f"parity vs sentence-transformers: min cosine = {cosine.min():.7f}")
    assert cosine.min() >= 0.9999, f"sentence #{worst} cosine {cosine[worst]:.6f}: {SENTENCES[worst][:80]!r}"
