"""The Python reference for Tern's rerank and classify routes: transformers' PyTorch model on the tiny test
classifiers (scripts/make-test-models), the same weights Tern serves as model.onnx.

Every text or pair is run alone, unpadded, so the reference has no padding effects. Pairs are encoded the way
a cross-encoder is: `[CLS] first [SEP] second [SEP]` with token type 1 on the second part, truncated
`longest_first` to the model's 512 tokens on the requested side.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reference import DEFAULT_MODEL_DIR, MODELS_DIR

MAKE_HINT = "run scripts/make-test-models from the repository root (after scripts/setup-python and scripts/fetch-models)"
MAX_LENGTH = 512


@dataclass(frozen=True)
class TinyModel:
    id: str
    labels: tuple[str, ...]
    multi_label: bool

    @property
    def directory(self) -> Path:
        return MODELS_DIR / self.id


CROSS_ENCODER = TinyModel("tiny-cross-encoder", ("LABEL_0",), multi_label=False)
CLASSIFIER = TinyModel("tiny-classifier", ("negative", "neutral", "positive"), multi_label=False)
MULTILABEL = TinyModel("tiny-multilabel", ("sports", "politics", "science", "art"), multi_label=True)
TINY_MODELS = (CROSS_ENCODER, CLASSIFIER, MULTILABEL)
EMBEDDING_MODEL_ID = DEFAULT_MODEL_DIR.name
# The order of the shared multi-model server's --model flags: unprefixed routes pick the first model that fits.
SERVED_MODEL_DIRS = (CROSS_ENCODER.directory, CLASSIFIER.directory, MULTILABEL.directory, DEFAULT_MODEL_DIR)


def check_tiny_models() -> None:
    """Raises with the command to run when a tiny model is missing or incomplete."""
    for model in TINY_MODELS:
        for name in ("config.json", "model.onnx", "model.safetensors", "tokenizer.json", ".complete"):
            if not (model.directory / name).is_file():
                raise FileNotFoundError(f"{model.directory / name} is missing: {MAKE_HINT}")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def softmax(x):
    shifted = np.asarray(x, dtype=np.float64) - np.max(x)
    return np.exp(shifted) / np.exp(shifted).sum()


class ReferenceClassifier:
    """One tiny model in PyTorch, CPU, eval mode."""

    def __init__(self, model: TinyModel):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        check_tiny_models()
        self.spec = model
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(model.directory)
        self.model = AutoModelForSequenceClassification.from_pretrained(model.directory).eval()
        config = json.loads((model.directory / "config.json").read_text())
        self.id2label = {int(index): label for index, label in config["id2label"].items()}
        assert tuple(self.id2label[i] for i in range(len(self.id2label))) == model.labels, self.id2label

    def encode(self, first: str, second: str | None = None, direction: str = "right") -> dict[str, list[int]]:
        """Token ids, type ids and mask for a text or a pair, truncated to 512 on `direction`'s side."""
        self.tokenizer.truncation_side = direction.lower()
        encoded = self.tokenizer(first, second, truncation="longest_first", max_length=MAX_LENGTH)
        return {name: list(encoded[name]) for name in ("input_ids", "token_type_ids", "attention_mask")}

    def untruncated_length(self, first: str, second: str | None = None) -> int:
        return len(self.tokenizer(first, second, truncation=False, verbose=False)["input_ids"])

    def logits(self, first: str, second: str | None = None, direction: str = "right") -> np.ndarray:
        """[num_labels] float64 logits for one text or pair."""
        encoded = self.encode(first, second, direction)
        tensors = {name: self.torch.tensor([values]) for name, values in encoded.items()}
        with self.torch.no_grad():
            return self.model(**tensors).logits[0].double().numpy()

    def rerank_score(self, query: str, text: str, raw: bool = False, direction: str = "right") -> float:
        """sigmoid(logit) of the (query, text) pair, or the logit itself."""
        logit = float(self.logits(query, text, direction)[0])
        return logit if raw else float(sigmoid(logit))

    def rerank(self, query: str, texts: list[str], raw: bool = False, direction: str = "right") -> list[dict]:
        """What /rerank answers: every text's index and score, highest score first."""
        scores = [self.rerank_score(query, text, raw, direction) for text in texts]
        return sorted(({"index": i, "score": s} for i, s in enumerate(scores)), key=lambda item: -item["score"])

    def predict(self, text: str | list[str], raw: bool = False, direction: str = "right") -> list[dict]:
        """What /predict answers for one input (a text or a [text, text] pair): every label, best first."""
        first, second = (text, None) if isinstance(text, str) else (text[0], text[1] if len(text) > 1 else None)
        logits = self.logits(first, second, direction)
        if raw:
            scores = logits
        elif self.spec.multi_label:
            scores = sigmoid(logits)
        else:
            scores = softmax(logits)
        predictions = [{"label": self.id2label[i], "score": float(s)} for i, s in enumerate(scores)]
        return sorted(predictions, key=lambda item: -item["score"])


def min_gap(scores: list[float]) -> float:
    """Smallest distance between two scores: the margin within which an order comparison is meaningful."""
    ordered = sorted(scores)
    return min((b - a for a, b in zip(ordered, ordered[1:])), default=math.inf)
