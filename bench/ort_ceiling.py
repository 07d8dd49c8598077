"""The in-process ONNX Runtime ceiling: what the Python peers' own model code (bench/peers/embedder.py)
reaches on the same ONNX file with no HTTP, no JSON and no scheduling. Counts tokenization, padding,
inference, mean pooling and normalisation."""

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))

from embedder import Embedder  # noqa: E402
from reference import configured_max_length  # noqa: E402


class OrtCeiling:
    def __init__(self, model_dir, threads: int):
        model_dir = Path(model_dir)
        self.embedder = Embedder(model_dir, threads=threads, max_length=configured_max_length(model_dir))

    def embed(self, texts: list[str]):
        return self.embedder.embed(texts)[0]

    def sentences_per_second(self, sentences: list[str], batch_size: int, seconds: float) -> float:
        """Embeds `sentences` cyclically in batches of `batch_size` for about `seconds`; returns sentences/s."""
        cycle = itertools.cycle(sentences)
        batches = ([next(cycle) for _ in range(batch_size)] for _ in itertools.count())
        self.embed(next(batches))  # warm-up
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            done += len(self.embed(next(batches)))
        return done / (time.perf_counter() - start)
