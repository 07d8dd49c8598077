"""ONNX Runtime's CPU arena settings, measured in Python on the same ONNX file Tern serves: RSS idle, peak and
after two threads (two engines) run a mix of document and sentence batches (8 x 256, 16 x 128, 64 x 30, 4 x 256
tokens, 6 times each), for the session's own arena (`default`) or an environment allocator whose arena grows by
powers of two (`pow2`) or by exactly what is asked (`same`, kSameAsRequested). One mode per process:

    for mode in default same pow2; do .venv/bin/python bench/ort_arena.py $mode; done
"""

import resource
import sys
import threading
from pathlib import Path

import numpy as np
import onnxruntime as ort

MODEL = Path(__file__).resolve().parents[1] / "models" / "all-MiniLM-L6-v2" / "onnx" / "model.onnx"


def rss_mib() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "default"
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    if mode != "default":
        config = ort.OrtArenaCfg(0, 1 if mode == "same" else 0, -1, -1)
        memory = ort.OrtMemoryInfo("Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT)
        ort.create_and_register_allocator(memory, config)
        options.add_session_config_entry("session.use_env_allocators", "1")
    session = ort.InferenceSession(str(MODEL), options, providers=["CPUExecutionProvider"])

    def feeds(rows: int, tokens: int) -> dict:
        return {"input_ids": np.ones((rows, tokens), np.int64), "attention_mask": np.ones((rows, tokens), np.int64),
                "token_type_ids": np.zeros((rows, tokens), np.int64)}

    session.run(None, feeds(1, 8))
    idle = rss_mib()

    def work() -> None:
        for _ in range(6):
            for rows, tokens in [(8, 256), (16, 128), (64, 30), (4, 256)]:
                session.run(None, feeds(rows, tokens))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{mode}: idle {idle} MiB, peak {peak} MiB, after {rss_mib()} MiB")


if __name__ == "__main__":
    main()
