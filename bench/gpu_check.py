"""The GPU check that scripts/gpu-check runs in one go on a machine with an NVIDIA GPU (docs/gpu.md).

Needs only what such a machine has: Python 3 (standard library; numpy where present, which torch brings) and the
bundle that `scripts/gpu-stage` brought (.gpu-bundle/: the release `tern` with onnxruntime-gpu's libraries in
lib/, MiniLM's ONNX graph and the layout of its weights, its tokenizer, the test sentences and their token ids,
and onnxruntime-gpu's Python package for the one-at-a-time baseline). The CUDA 13 libraries come from the
machine's own nvidia-* Python packages, found by Tern's locator.

Steps, each printed as it runs:
 1. the models: random weights of MiniLM-L6's shapes, written as MiniLM's ONNX external data and as a safetensors
    checkpoint (served by Tern's own graph builder); the two must agree on the CPU;
 2. parity: each model on `cuda` and on `cpu` in one Tern process each, 64 sentences: cosine >= 0.9999;
 3. load: 256 concurrent keep-alive clients, one sentence per request, on `cuda`: no error, one process (no
    children), GPU memory (NVML, Tern's own gauge) flat between a second and a third pass after warm-up;
 4. the baselines, same sentences: one request at a time the way `gunicorn -w 1` serves (Python onnxruntime-gpu,
    batch 1, in process, so without any HTTP cost: generous to the baseline), Tern on `cuda` with batches of one,
    and Tern on this machine's CPUs;
 5. the verdict: sentences/s and p99 of each, and Tern's GPU throughput over the one-at-a-time baseline (goal >= 5x).

`--provider cpu` rehearses every step on a machine without a GPU (what `make test` cannot do in CI: it proves the
script runs end to end; the figures then mean nothing).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTENING = re.compile(r"tern listening on http://[^:]+:(\d+)")


def log(message: str) -> None:
    print(f"[gpu-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message: str) -> None:
    log("FAILED: " + message)
    sys.exit(1)


class Tern:
    """One `tern serve` process on an ephemeral port."""

    def __init__(self, binary: Path, model: Path, provider: str, *flags: str, name: str = ""):
        self.name = name or provider
        self.stderr_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"gpu-check-{self.name}-{os.getpid()}.log"
        command = [str(binary), "serve", "--model", str(model), "--host", "127.0.0.1", "--port", "0",
                   "--execution-provider", provider, "--request-timeout", "120", *flags]
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode()
        match = LISTENING.search(line)
        if not match:
            self.stop()
            fail(f"{self.name}: no listening line ({line!r}); log:\n{self.log_tail()}")
        self.port = int(match.group(1))
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"{self.name}: exited with {self.process.returncode} while loading; log:\n{self.log_tail()}")
            status, _ = self.get("/health")
            if status == 200:
                return
            time.sleep(0.2)
        fail(f"{self.name}: not ready after 600 s")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError:
            return 0, b""

    def embed(self, texts: list[str]) -> list[list[float]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        body = json.dumps({"input": texts, "encoding_format": "float"})
        connection.request("POST", "/v1/embeddings", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            fail(f"{self.name}: /v1/embeddings answered {response.status}: {data[:300]!r}")
        return [item["embedding"] for item in json.loads(data)["data"]]

    def info(self) -> dict:
        return json.loads(self.get("/info")[1])

    def gpu_memory_used(self) -> int | None:
        text = self.get("/metrics")[1].decode()
        values = [float(match.group(1)) for match in re.finditer(r'^tern_gpu_memory_used_bytes\{gpu="\d+"\} (\S+)', text, re.M)]
        return int(sum(values)) if values else None

    def children(self) -> list[str]:
        try:
            return Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []

    def log_tail(self, lines: int = 30) -> str:
        self.stderr.flush()
        return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()
        return self.process.returncode


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def http_load(port: int, sentences: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads, each a keep-alive connection sending one sentence per request for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        position = index
        while time.monotonic() < stop_at:
            body = json.dumps({"input": sentences[position % len(sentences)]})
            position += clients
            began = time.perf_counter()
            try:
                connection.request("POST", "/v1/embeddings", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                data = response.read()
                if response.status != 200:
                    errors.append(f"{response.status} {data[:200]!r}")
                    continue
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            latencies[index].append(time.perf_counter() - began)

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    flat = [value for values in latencies for value in values]
    return {"per_second": len(flat) / elapsed, "p50_ms": percentile(flat, 0.5) * 1000,
            "p99_ms": percentile(flat, 0.99) * 1000, "requests": len(flat), "errors": errors}


def python_one_at_a_time(bundle: Path, provider: str, seconds: float) -> dict | None:
    """onnxruntime-gpu's Python package, one sentence per run (batch 1), in this process."""
    package = bundle / "python"
    if not (package / "onnxruntime").is_dir():
        log("no onnxruntime Python package in the bundle: the Python baseline is skipped")
        return None
    code = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
try:
    import numpy as np
    import onnxruntime as ort
except Exception as error:
    print(json.dumps({"skipped": repr(error)})); sys.exit(0)
if sys.argv[3] == "cuda":
    try:
        ort.preload_dlls()
    except Exception:
        pass
providers = ["CUDAExecutionProvider"] if sys.argv[3] == "cuda" else ["CPUExecutionProvider"]
session = ort.InferenceSession(sys.argv[2], providers=providers)
if session.get_providers()[0] != providers[0]:
    print(json.dumps({"skipped": "session runs on " + session.get_providers()[0]})); sys.exit(0)
ids = json.load(open(sys.argv[4]))
names = [i.name for i in session.get_inputs()]
def feeds(row):
    a = np.array([row], dtype=np.int64)
    out = {"input_ids": a, "attention_mask": np.ones_like(a)}
    if "token_type_ids" in names: out["token_type_ids"] = np.zeros_like(a)
    return out
for row in ids[:20]: session.run(None, feeds(row))
latencies = []
stop = time.monotonic() + float(sys.argv[5]); began = time.monotonic(); i = 0
while time.monotonic() < stop:
    t = time.perf_counter(); session.run(None, feeds(ids[i % len(ids)])); latencies.append(time.perf_counter() - t); i += 1
elapsed = time.monotonic() - began
latencies.sort()
print(json.dumps({"per_second": len(latencies) / elapsed, "p99_ms": latencies[int(0.99 * len(latencies))] * 1000,
                  "p50_ms": latencies[len(latencies) // 2] * 1000, "requests": len(latencies), "errors": []}))
"""
    capi = package / "onnxruntime" / "capi"
    for name in ("libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"):
        link = capi / name
        if not link.exists():
            link.symlink_to(bundle / "tern" / "lib" / name)
    ids_file = bundle / "ids.json"
    result = subprocess.run([sys.executable, "-c", code, str(package), str(bundle / "models/all-MiniLM-L6-v2/onnx/model.onnx"),
                             provider, str(ids_file), str(seconds)], capture_output=True, text=True)
    if result.returncode != 0:
        log(f"the Python baseline failed: {result.stderr[-800:]}")
        return None
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    if "skipped" in answer:
        log(f"the Python baseline is skipped: {answer['skipped']}")
        return None
    return answer


def random_values(count: int, scale: float, seed: int, around: float = 0.0) -> bytes:
    """`count` float32 values, normal around `around` with deviation `scale`: numpy where present, else Python."""
    try:
        import numpy as np

        values = np.random.default_rng(seed).standard_normal(count, dtype=np.float32) * np.float32(scale)
        return (values + np.float32(around)).astype("<f4").tobytes()
    except ImportError:
        import array
        import random

        generator = random.Random(seed)
        return array.array("f", (around + generator.gauss(0.0, scale) for _ in range(count))).tobytes()


def transposed(data: bytes, rows: int, columns: int) -> bytes:
    """A row-major float32 [rows, columns] matrix as [columns, rows]."""
    try:
        import numpy as np

        return np.frombuffer(data, dtype="<f4").reshape(rows, columns).T.copy().tobytes()
    except ImportError:
        import array

        source = array.array("f", data)
        return array.array("f", (source[r * columns + c] for c in range(columns) for r in range(rows))).tobytes()


def make_random_models(minilm: Path, checkpoint: Path) -> None:
    """Random weights of MiniLM-L6's shapes, written twice: as MiniLM's ONNX external data (model.onnx_data, per
    onnx_data_layout.json) and as a BERT safetensors checkpoint with MiniLM's tokenizer and configs. The two are
    the same network, so Tern's ONNX path and its checkpoint graph builder must agree."""
    data_file = minilm / "onnx" / "model.onnx_data"
    if data_file.is_file() and (checkpoint / "model.safetensors").is_file():
        return
    config = json.loads((minilm / "config.json").read_text())
    hidden, layers, inter = config["hidden_size"], config["num_hidden_layers"], config["intermediate_size"]
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (config["vocab_size"], hidden),
        "embeddings.position_embeddings.weight": (config["max_position_embeddings"], hidden),
        "embeddings.token_type_embeddings.weight": (config["type_vocab_size"], hidden),
        "embeddings.LayerNorm.weight": (hidden,), "embeddings.LayerNorm.bias": (hidden,),
    }
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        for part in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            shapes[prefix + part + ".weight"] = (hidden, hidden)
            shapes[prefix + part + ".bias"] = (hidden,)
        shapes[prefix + "intermediate.dense.weight"] = (inter, hidden)
        shapes[prefix + "intermediate.dense.bias"] = (inter,)
        shapes[prefix + "output.dense.weight"] = (hidden, inter)
        shapes[prefix + "output.dense.bias"] = (hidden,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[prefix + norm + ".weight"] = (hidden,)
            shapes[prefix + norm + ".bias"] = (hidden,)
    tensors: dict[str, bytes] = {}
    for seed, (name, shape) in enumerate(shapes.items()):
        count = math.prod(shape)
        if name.endswith("LayerNorm.weight"):
            tensors[name] = random_values(count, 0.02, seed, around=1.0)
        else:
            tensors[name] = random_values(count, 0.05, seed)

    layout = json.loads((minilm / "onnx_data_layout.json").read_text())
    external = bytearray(layout["bytes"])
    for entry in layout["initializers"]:
        if entry["source"] not in tensors:
            fail(f"the layout names {entry['source']}, which the random checkpoint lacks")
        data = tensors[entry["source"]]
        if entry["transpose"]:
            rows, columns = shapes[entry["source"]]
            data = transposed(data, rows, columns)
        if len(data) != entry["length"]:
            fail(f"{entry['name']}: {len(data)} bytes for a {entry['length']}-byte initializer")
        external[entry["offset"]:entry["offset"] + entry["length"]] = data
    data_file.write_bytes(external)

    checkpoint.mkdir(parents=True, exist_ok=True)
    for name in ("tokenizer.json", "config.json", "modules.json", "sentence_bert_config.json",
                 "config_sentence_transformers.json"):
        if (minilm / name).is_file():
            shutil.copy(minilm / name, checkpoint / name)
    if (minilm / "1_Pooling").is_dir():
        shutil.copytree(minilm / "1_Pooling", checkpoint / "1_Pooling", dirs_exist_ok=True)
    header: dict[str, dict] = {}
    offset = 0
    for name, shape in shapes.items():
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(tensors[name])]}
        offset += len(tensors[name])
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(checkpoint / "model.safetensors", "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for name in shapes:
            out.write(tensors[name])


def cross_check(binary: Path, first: Path, second: Path, provider: str, sentences: list[str]) -> float:
    """The lowest cosine between two models' vectors on `provider`."""
    vectors = []
    for model in (first, second):
        server = Tern(binary, model, provider, name=f"cross-{model.name}")
        try:
            vectors.append(server.embed(sentences))
        finally:
            server.stop()
    return min(cosine(a, b) for a, b in zip(*vectors))


def parity(binary: Path, model: Path, provider: str, sentences: list[str]) -> float:
    gpu = Tern(binary, model, provider, name=f"parity-{model.name}-{provider}")
    try:
        info = gpu.info()
        runs_on = info["weights"]["execution_provider"]
        if runs_on != provider:
            fail(f"{model.name} runs on {runs_on}, not {provider}; log:\n{gpu.log_tail()}")
        on_gpu = gpu.embed(sentences)
    finally:
        gpu.stop()
    cpu = Tern(binary, model, "cpu", name=f"parity-{model.name}-cpu")
    try:
        on_cpu = cpu.embed(sentences)
    finally:
        cpu.stop()
    return min(cosine(a, b) for a, b in zip(on_gpu, on_cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / ".gpu-bundle")
    parser.add_argument("--provider", default="cuda", help="cuda (default) or cpu to rehearse without a GPU")
    parser.add_argument("--clients", type=int, default=256)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    bundle = args.bundle
    binary = bundle / "tern" / "tern"
    minilm = bundle / "models" / "all-MiniLM-L6-v2"
    for needed in (binary, minilm / "onnx" / "model.onnx", minilm / "onnx_data_layout.json", bundle / "sentences.json",
                   bundle / "ids.json"):
        if not needed.exists():
            fail(f"{needed} is missing: stage the bundle first (scripts/gpu-stage)")
    sentences = json.loads((bundle / "sentences.json").read_text())
    if args.provider == "cuda":
        smi = shutil.which("nvidia-smi")
        if smi:
            log(subprocess.run([smi, "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
                               capture_output=True, text=True).stdout.strip())
    log("step 1: models: random MiniLM-L6 weights as MiniLM's ONNX graph and as a safetensors checkpoint")
    checkpoint = bundle / "models" / "minilm-random-safetensors"
    make_random_models(minilm, checkpoint)
    agreement = cross_check(binary, minilm, checkpoint, "cpu", sentences[:16])
    log(f"  the ONNX model and the checkpoint agree on cpu: lowest cosine {agreement:.6f}")
    if agreement < 0.9999:
        fail(f"the ONNX model and the checkpoint disagree (cosine {agreement:.6f})")

    results: dict[str, dict] = {}
    log(f"step 2: parity {args.provider} against cpu")
    for model in (minilm, checkpoint):
        worst = parity(binary, model, args.provider, sentences[:64])
        log(f"  {model.name}: lowest cosine {worst:.6f} over 64 sentences")
        if worst < 0.9999:
            fail(f"{model.name}: cosine {worst:.6f} < 0.9999")

    log(f"step 3: {args.clients} clients on {args.provider}")
    server = Tern(binary, minilm, args.provider, name="load")
    try:
        http_load(server.port, sentences, args.clients, min(5.0, args.seconds))  # warm-up: arena and kernels
        first = http_load(server.port, sentences, args.clients, args.seconds)
        memory_after_first = server.gpu_memory_used()
        second = http_load(server.port, sentences, args.clients, args.seconds)
        memory_after_second = server.gpu_memory_used()
        children = server.children()
        log_tail = server.log_tail()
    finally:
        status = server.stop()
    errors = first["errors"] + second["errors"]
    if errors:
        fail(f"{len(errors)} failed requests under load, e.g. {errors[:3]}")
    if children:
        fail(f"tern started child processes: {children}")
    if status != 0:
        fail(f"tern exited with {status} after SIGTERM; log:\n{log_tail}")
    if memory_after_first is not None:
        growth = memory_after_second - memory_after_first
        log(f"  GPU memory after the two passes: {memory_after_first / 2**20:.0f} MiB, {memory_after_second / 2**20:.0f} MiB")
        if growth > 64 * 2**20:
            fail(f"GPU memory grew by {growth / 2**20:.0f} MiB between two passes after warm-up")
    elif args.provider == "cuda":
        log("  no NVML gauge: GPU memory not checked")
    results[f"Tern {args.provider}, {args.clients} clients"] = second

    log("step 4: baselines")
    python = python_one_at_a_time(bundle, args.provider, args.seconds)
    if python:
        results[f"Python onnxruntime {args.provider}, batch 1 (gunicorn -w 1)"] = python
    def measured(provider: str, *flags: str, name: str) -> dict:
        server = Tern(binary, minilm, provider, *flags, name=name)
        try:
            http_load(server.port, sentences, 8, 2.0)  # warm-up
            return http_load(server.port, sentences, args.clients, args.seconds)
        finally:
            server.stop()

    results[f"Tern {args.provider}, batches of 1, {args.clients} clients"] = measured(
        args.provider, "--max-batch-requests", "1", name="batch-1")
    if args.provider != "cpu":
        results[f"Tern cpu ({os.cpu_count()} cores), {args.clients} clients"] = measured("cpu", name="cpu")

    log("step 5: results (one sentence per request)")
    width = max(len(name) for name in results)
    for name, result in results.items():
        log(f"  {name:<{width}}  {result['per_second']:9.1f} sentences/s  p50 {result['p50_ms']:8.1f} ms  "
            f"p99 {result['p99_ms']:8.1f} ms  ({result['requests']} requests, {len(result['errors'])} errors)")
    tern = results[f"Tern {args.provider}, {args.clients} clients"]["per_second"]
    baseline_name = next((name for name in results if name.startswith("Python")),
                         f"Tern {args.provider}, batches of 1, {args.clients} clients")
    ratio = tern / results[baseline_name]["per_second"]
    log(f"  Tern {args.provider} / {baseline_name}: {ratio:.2f}x (goal >= 5x)")
    if args.provider == "cuda" and ratio < 5:
        fail(f"{ratio:.2f}x is under the 5x goal")
    log("passed")


if __name__ == "__main__":
    main()
