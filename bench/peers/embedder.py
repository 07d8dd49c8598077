"""The model side every Python peer shares: tokenizers + onnxruntime on the ONNX file Tern serves, mean pooling
and L2 normalisation, and the OpenAI `/v1/embeddings` request and response shapes.

Configured by environment, as a deployed app would be:
  PEER_MODEL    model directory (onnx/model.onnx or model.onnx, tokenizer.json)
  PEER_THREADS  ONNX Runtime intra-op threads per process (default 1)
  PEER_MAX_LENGTH  truncation length in tokens (default 256)
"""

import os
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


class InvalidInput(ValueError):
    """The request body does not match `{"input": str | [str], "model"?: str}`."""


class Embedder:
    """One ONNX Runtime session and one tokenizer; `embed` is safe to call from several threads."""

    def __init__(self, model_dir: Path, threads: int, max_length: int):
        self.model_name = model_dir.name
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        onnx_path = model_dir / "onnx" / "model.onnx"
        if not onnx_path.is_file():
            onnx_path = model_dir / "model.onnx"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.input_names = {node.name for node in self.session.get_inputs()}

    @classmethod
    def from_environment(cls) -> "Embedder":
        return cls(
            Path(os.environ["PEER_MODEL"]),
            threads=int(os.environ.get("PEER_THREADS", "1")),
            max_length=int(os.environ.get("PEER_MAX_LENGTH", "256")),
        )

    def embed(self, texts: list[str]) -> tuple[np.ndarray, int]:
        """Unit-length embeddings [len(texts), dim] and the number of tokens used."""
        encodings = self.tokenizer.encode_batch(texts)
        longest = max(len(encoding.ids) for encoding in encodings)
        input_ids = np.zeros((len(texts), longest), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, encoding in enumerate(encodings):
            input_ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        feeds = {name: value for name, value in feeds.items() if name in self.input_names}
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled, int(mask.sum())


def parse_input(body: object) -> list[str]:
    """The texts of an OpenAI embeddings request; raises InvalidInput on anything else."""
    if not isinstance(body, dict) or "input" not in body:
        raise InvalidInput("body must be a JSON object with an 'input' field")
    value = body["input"]
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(text, str) for text in texts):
        raise InvalidInput("'input' must be a string or a non-empty array of strings")
    return texts


def response_body(embedder: Embedder, texts: list[str]) -> dict:
    vectors, tokens = embedder.embed(texts)
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": i, "embedding": row.tolist()} for i, row in enumerate(vectors)],
        "model": embedder.model_name,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def error_body(message: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
