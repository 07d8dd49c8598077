"""Embedding throughput of the release `tern` binary next to the in-process ONNX Runtime ceiling.

    .venv/bin/python bench/embed_bench.py [--model models/all-MiniLM-L6-v2-int8] [--duration 20]

Tern: one sentence per request from wrk at 32 connections (3 s warm-up, then 20 s measured), reporting
sentences/s, p50/p99 latency, errors, server RSS idle and after load, and the CPU shares of server and wrk.
Ceiling: Python onnxruntime + tokenizers on the same ONNX file, intra-op threads = cores, batch sizes
1, 8, 32, 64, run after the server has stopped so the two never compete. Numbers are printed, not asserted.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import wrk_load  # noqa: E402
from ort_ceiling import OrtCeiling  # noqa: E402
from reference import DEFAULT_MODEL_DIR, REPO_ROOT, load_tokenizer, onnx_file  # noqa: E402
from sentences import DOMAIN, NON_ENGLISH, SHORT, SYMBOLS_AND_CODE  # noqa: E402
from tern_process import RELEASE_BINARY, TernProcess, TernStartupError, binary_path  # noqa: E402

BATCH_SIZES = (1, 8, 32, 64)
BENCH_SENTENCES = SHORT + DOMAIN + SYMBOLS_AND_CODE + NON_ENGLISH  # typical one-sentence requests


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model directory to serve")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=32, help="concurrent HTTP connections")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (1 keeps its CPU share low)")
    parser.add_argument("--ceiling-seconds", type=float, default=5.0, help="seconds per ceiling batch size")
    parser.add_argument("--server-flag", action="append", default=[], help="extra `tern serve` flag (repeatable)")
    parser.add_argument("--ceiling-only", action="store_true", help="skip the server, measure the ceiling only")
    return parser.parse_args()


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def bench_server(args, model_id: str) -> dict:
    wrk_load.require_wrk()
    try:
        server = TernProcess(*args.server_flag, model_dir=args.model, binary=binary_path(RELEASE_BINARY)).start()
    except TernStartupError as error:
        raise SystemExit(str(error))
    script = wrk_load.write_script(BENCH_SENTENCES, model_id)
    try:
        time.sleep(1.0)
        idle_rss = server.rss_kib()
        wrk_load.run(server.base_url, script, args.connections, args.warmup, args.wrk_threads)
        cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
        load = wrk_load.run(server.base_url, script, args.connections, args.duration, args.wrk_threads)
        server_cpu = (server.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
        loaded_rss, peak_rss = server.rss_kib(), server.peak_rss_kib()
    finally:
        script.unlink()
        status = server.stop()
    if status != 0:
        print(f"warning: tern exited with {status} on SIGTERM\n{server.stderr_tail()}", file=sys.stderr)
    return {"load": load, "idle_rss": idle_rss, "loaded_rss": loaded_rss, "peak_rss": peak_rss,
            "server_cpu": server_cpu, "binary": server.binary}


def main() -> None:
    args = parse_arguments()
    args.model = args.model.resolve()
    cores = os.cpu_count()
    tokenizer = load_tokenizer(args.model, 256)
    mean_tokens = sum(len(tokenizer.encode(s).ids) for s in BENCH_SENTENCES) / len(BENCH_SENTENCES)
    print(f"model      {os.path.relpath(onnx_file(args.model), REPO_ROOT)}")
    print(f"machine    {cores} cores; {len(BENCH_SENTENCES)} distinct sentences, mean {mean_tokens:.1f} tokens")
    print(f"load avg   {os.getloadavg()[0]:.2f} before the run (other work on the machine skews every number)")

    served = None if args.ceiling_only else bench_server(args, args.model.name)

    ceiling = OrtCeiling(args.model, threads=cores)
    ceilings = {size: ceiling.sentences_per_second(BENCH_SENTENCES, size, args.ceiling_seconds) for size in BATCH_SIZES}
    best_size = max(ceilings, key=ceilings.get)

    print()
    print(f"{'':34} {'sentences/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    if served:
        load = served["load"]
        label = f"tern ({args.connections} conns, 1 per request)"
        print(f"{label:34} {load.per_second:12.1f} {load.p50_ms:8.2f} {load.p99_ms:8.2f} {load.errors:7d}")
    for size, rate in ceilings.items():
        mark = "  <- best" if size == best_size else ""
        print(f"{'ORT in-process, batch ' + str(size):34} {rate:12.1f} {'':8} {'':8} {'':7}{mark}")
    print()
    if served:
        load = served["load"]
        print(f"tern / ceiling   {load.per_second / ceilings[best_size]:.2f}  (ceiling = batch {best_size})")
        print(f"requests         {load.requests} in {load.seconds:.1f} s, {load.errors} errors, "
              f"p90 {load.p90_ms:.2f} ms, max {load.max_ms:.2f} ms")
        print(f"server RSS       idle {mib(served['idle_rss'])}, after load {mib(served['loaded_rss'])}, "
              f"peak {mib(served['peak_rss'])}")
        print(f"CPU share        server {served['server_cpu'] / cores:.0%} of the machine, "
              f"wrk {load.wrk_cpu_seconds / load.seconds / cores:.1%} (measured window, {cores} cores)")
        print(f"binary           {served['binary']} {' '.join(args.server_flag)}")
    print(f"load avg         {os.getloadavg()[0]:.2f} after the run")


if __name__ == "__main__":
    main()
