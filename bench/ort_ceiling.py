"""The in-process ONNX Runtime ceiling: what Python onnxruntime + tokenizers reach on the same ONNX file,
with no HTTP, no JSON and no scheduling. Counts tokenization, padding, inference and mean pooling."""

import itertools
import time

import numpy as np
import onnxruntime as ort

from reference import configured_max_length, l2_normalize, load_tokenizer, mean_pool, onnx_file


class OrtCeiling:
    def __init__(self, model_dir, threads: int):
        self.tokenizer = load_tokenizer(model_dir, configured_max_length(model_dir))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(onnx_file(model_dir)), options, providers=["CPUExecutionProvider"])

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        longest = max(len(encoding.ids) for encoding in encodings)
        input_ids = np.zeros((len(texts), longest), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, encoding in enumerate(encodings):
            input_ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        (hidden,) = self.session.run(["last_hidden_state"], feeds)
        return l2_normalize(mean_pool(hidden, mask)).astype(np.float32)

    def sentences_per_second(self, sentences: list[str], batch_size: int, seconds: float) -> float:
        """Embeds `sentences` cyclically in batches of `batch_size` for about `seconds`; returns sentences/s."""
        cycle = itertools.cycle(sentences)
        batches = ([next(cycle) for _ in range(batch_size)] for _ in itertools.count())
        self.embed(next(batches))  # warm-up
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            done += len(self.embed(next(batches)))
        return done / (time.perf_counter() - start)
