#!/usr/bin/env python3
"""KServe v2 over gRPC against KServe v2 over HTTP (binary tensor data), one Tern, side by side in one run.

Usage (from the repository root, after `swift build -c release` and `make test-models`):

    .venv/bin/python bench/grpc_bench.py [--repeats 3] [--seconds 5] [--out bench/results/DATE-grpc]

perf_analyzer does not ship in the tritonclient wheel (and the `perf-analyzer` package on PyPI holds no binary),
so the load comes from our own closed-loop generators, each as light as we could make it so the server is what
is measured: HTTP from raw asyncio sockets (bench/open_loop.py, the request bytes built once), gRPC from
grpcio's asyncio client, one channel per client, with the serialized `ModelInferRequest` built once (no
per-call protobuf work). Both
send exactly what tritonclient sends: HTTP binary inputs and outputs (`Inference-Header-Content-Length`), gRPC
`raw_input_contents`. One Tern serves models/v2 with `--grpc-port`; for each model and concurrency 1, 8 and 32,
rounds alternate which protocol goes first. Printed: inferences/s, p50/p99, the generator's CPU share, and
gRPC / HTTP ratios (median of the rounds' ratios).

Models: `minilm` (the MiniLM encoder as a raw model: input_ids/attention_mask/token_type_ids [1, 32] INT64 ->
last_hidden_state [1, 32, 384]) and `add_sub` (a small FP32 model: a, b [1, 4] -> sum, diff).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import grpc  # noqa: E402
import numpy as np  # noqa: E402
from tritonclient.grpc import service_pb2  # noqa: E402

import open_loop  # noqa: E402
import raw_http  # noqa: E402
from reference import MODELS_DIR, REPO_ROOT  # noqa: E402
from scheduler_bench import machine_busy_seconds, own_cpu_seconds  # noqa: E402
from tern_process import RELEASE_BINARY, TernProcess, binary_path  # noqa: E402

CONCURRENCY = (1, 8, 32)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per point")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each point")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default bench/results/<date>-grpc)")
    return parser.parse_args()


def tensors(model: str) -> list[tuple[str, str, np.ndarray]]:
    if model == "minilm":
        ids = np.full((1, 32), 2003, dtype=np.int64)
        ids[0, 0], ids[0, -1] = 101, 102
        return [("input_ids", "INT64", ids), ("attention_mask", "INT64", np.ones_like(ids)),
                ("token_type_ids", "INT64", np.zeros_like(ids))]
    a = np.arange(4, dtype=np.float32).reshape(1, 4)
    return [("a", "FP32", a), ("b", "FP32", np.ones_like(a))]


def http_request(port: int, model: str) -> bytes:
    """POST /v2/models/M/infer with every input and output as binary data, as tritonclient.http sends it."""
    inputs = tensors(model)
    header = {"inputs": [{"name": n, "datatype": d, "shape": list(v.shape),
                          "parameters": {"binary_data_size": v.nbytes}} for n, d, v in inputs],
              "parameters": {"binary_data_output": True}}
    head = json.dumps(header).encode()
    body = head + b"".join(v.tobytes() for _, _, v in inputs)
    return (f"POST /v2/models/{model}/infer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/octet-stream\r\nInference-Header-Content-Length: {len(head)}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def grpc_request(model: str) -> bytes:
    request = service_pb2.ModelInferRequest(model_name=model)
    for name, datatype, value in tensors(model):
        request.inputs.add(name=name, datatype=datatype, shape=list(value.shape))
        request.raw_input_contents.append(value.tobytes())
    return request.SerializeToString()


def http_point(port: int, model: str, connections: int, args) -> dict:
    result = open_loop.closed_loop(port, [http_request(port, model)], connections, args.seconds, warmup=args.warmup)
    return summarise(result.accepted, result.errors, result.ok_latencies_ms, args.seconds, result.cpu_seconds)


async def _grpc_load(port: int, payload: bytes, connections: int, seconds: float, warmup: float):
    loop = asyncio.get_running_loop()
    start = loop.time() + warmup
    end = start + seconds
    latencies, errors = [], 0
    # One channel (one HTTP/2 connection) per client, as each HTTP client has its own connection and as
    # separate tritonclient.grpc clients do; all calls on one connection would be one event loop's work.
    channels = [grpc.aio.insecure_channel(f"127.0.0.1:{port}") for _ in range(connections)]
    calls = [channel.unary_unary("/inference.GRPCInferenceService/ModelInfer", request_serializer=lambda x: x,
                                 response_deserializer=lambda x: x) for channel in channels]

    async def client(call):
        nonlocal errors
        while loop.time() < end:
            sent = loop.time()
            try:
                await call(payload, timeout=60)
                ok = True
            except grpc.aio.AioRpcError:
                ok = False
            finished = loop.time()
            if start <= finished <= end:
                if ok:
                    latencies.append((finished - sent) * 1e3)
                else:
                    errors += 1

    tasks = [loop.create_task(client(call)) for call in calls]
    await asyncio.sleep(max(0.0, start - loop.time()))
    cpu = time.process_time()
    await asyncio.sleep(max(0.0, end - loop.time()))
    cpu = time.process_time() - cpu
    await asyncio.gather(*tasks)
    for channel in channels:
        await channel.close()
    return latencies, errors, cpu


def grpc_point(port: int, model: str, connections: int, args) -> dict:
    latencies, errors, cpu = asyncio.run(_grpc_load(port, grpc_request(model), connections, args.seconds, args.warmup))
    return summarise(len(latencies), errors, latencies, args.seconds, cpu)


def summarise(accepted: int, errors: int, latencies: list, seconds: float, cpu: float) -> dict:
    return {"inferences_per_s": accepted / seconds, "errors": errors,
            "p50_ms": open_loop.percentile(latencies, 0.5), "p99_ms": open_loop.percentile(latencies, 0.99),
            "generator_share": cpu / seconds / os.cpu_count()}


def check_same_answers(http_port: int, grpc_port: int, model: str) -> None:
    """Both protocols answer the benchmark request, with the same bytes."""
    import tritonclient.grpc as grpcclient
    import tritonclient.http as httpclient

    def inputs(module):
        built = []
        for name, datatype, value in tensors(model):
            tensor = module.InferInput(name, list(value.shape), datatype)
            tensor.set_data_from_numpy(value)
            built.append(tensor)
        return built

    over_http = httpclient.InferenceServerClient(f"127.0.0.1:{http_port}").infer(model, inputs(httpclient))
    over_grpc = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}").infer(model, inputs(grpcclient))
    name = over_http.get_response()["outputs"][0]["name"]
    if not np.array_equal(over_http.as_numpy(name), over_grpc.as_numpy(name)):
        raise RuntimeError(f"{model}: gRPC and HTTP answers differ")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(run: dict) -> str:
    lines = [f"# KServe v2: gRPC against HTTP binary, one Tern, {run['started']}", "",
             f"Machine: {run['machine']}. Tern {run['tern']}. Command: `{run['command']}`; "
             f"{run['settings']['repeats']} interleaved rounds of {run['settings']['seconds']:g} s per point. "
             f"Other processes used {run['other_cpu_share']:.0%} of the machine.", "",
             "| model | concurrency | HTTP inf/s | gRPC inf/s | gRPC / HTTP | HTTP p50 / p99 ms | gRPC p50 / p99 ms "
             "| p99 HTTP / gRPC | generator CPU HTTP / gRPC | errors |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for model, by_concurrency in run["points"].items():
        for concurrency, rounds in by_concurrency.items():
            med = lambda side, key: statistics.median(r[side][key] for r in rounds)  # noqa: E731
            ratio = statistics.median(r["grpc"]["inferences_per_s"] / r["http"]["inferences_per_s"] for r in rounds)
            p99 = statistics.median(r["http"]["p99_ms"] / r["grpc"]["p99_ms"] for r in rounds)
            errors = sum(r[side]["errors"] for r in rounds for side in ("http", "grpc"))
            lines.append(
                f"| {model} | {concurrency} | {med('http', 'inferences_per_s'):.0f} | {med('grpc', 'inferences_per_s'):.0f} "
                f"| **{ratio:.2f}x** | {med('http', 'p50_ms'):.1f} / {med('http', 'p99_ms'):.1f} "
                f"| {med('grpc', 'p50_ms'):.1f} / {med('grpc', 'p99_ms'):.1f} | {p99:.2f}x "
                f"| {med('http', 'generator_share'):.0%} / {med('grpc', 'generator_share'):.0%} | {errors} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_arguments()
    tern = binary_path(RELEASE_BINARY)
    folder = args.out or REPO_ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-grpc"
    folder.mkdir(parents=True, exist_ok=True)
    open_loop.raise_nofile_limit(1024)
    grpc_port = free_port()
    os.environ["TERN_BIN"] = str(tern)
    server = TernProcess("--grpc-port", str(grpc_port), repository=MODELS_DIR / "v2", binary=tern).start()
    started, busy_start, own_start = time.monotonic(), machine_busy_seconds(), own_cpu_seconds()
    try:
        while raw_http.request(server.port, "GET", "/v2/health/ready").status != 200:
            time.sleep(0.05)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                text=True).stdout.strip()
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
        run = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "command": " ".join(["bench/grpc_bench.py", *sys.argv[1:]]),
               "machine": f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, python {platform.python_version()}",
               "tern": f"{commit} (release)", "settings": {"repeats": args.repeats, "seconds": args.seconds},
               "points": {}}
        for model in ("minilm", "add_sub"):
            check_same_answers(server.port, grpc_port, model)
            run["points"][model] = {}
            for concurrency in CONCURRENCY:
                rounds = []
                for round_index in range(args.repeats):
                    sides = [("http", lambda: http_point(server.port, model, concurrency, args)),
                             ("grpc", lambda: grpc_point(grpc_port, model, concurrency, args))]
                    if round_index % 2:
                        sides.reverse()
                    measured = {name: measure() for name, measure in sides}
                    rounds.append(measured)
                    print(f"{model} c={concurrency} round {round_index + 1}: HTTP "
                          f"{measured['http']['inferences_per_s']:.0f}/s p99 {measured['http']['p99_ms']:.1f} ms, gRPC "
                          f"{measured['grpc']['inferences_per_s']:.0f}/s p99 {measured['grpc']['p99_ms']:.1f} ms",
                          flush=True)
                run["points"][model][str(concurrency)] = rounds
    finally:
        server.stop()
    wall = time.monotonic() - started
    foreign = max((machine_busy_seconds() - busy_start) - (own_cpu_seconds() - own_start), 0.0)
    run["other_cpu_share"] = foreign / wall / os.cpu_count()
    (folder / "results.json").write_text(json.dumps(run, indent=1))
    text = report(run)
    (folder / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
