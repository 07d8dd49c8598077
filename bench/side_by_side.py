"""Tern side by side with the Python stacks people deploy, on the same ONNX file and tokenizer.

    bench/run [--duration 6] [--open-seconds 6] [--models DIR ...] [--servers NAME ...]

Servers (bench/server_tree.py): gunicorn + Flask -w 2 (1 ORT thread each), -w 1 (2 ORT threads), --preload
-w 2; uvicorn + FastAPI --workers 2; Tern. Before any server runs, the in-process ONNX Runtime ceiling
(Python, no HTTP, best batch size) is measured on the same model.

Per model and server, in this order:
  start        time from process start to the first 200 from the health route; tree RSS/PSS after one request
  closed loop  wrk: 1 sentence/request at 1, 32 and 256 connections, 32 sentences/request at 8 connections
               (--warmup s unmeasured, then --duration s measured); the tree's peak RSS/PSS and CPU
  open loop    bench/open_loop.py at 50%, 100%, 200% of the server's own saturation rate (the best
               1-sentence closed-loop rate); Tern also at the best Python server's saturation rate
Writes bench/results/<date>/ (results.json, results.md, throughput.png, latency.png) and prints the table.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import open_loop  # noqa: E402
import raw_http  # noqa: E402
import server_tree  # noqa: E402
import side_by_side_report  # noqa: E402
import wrk_load  # noqa: E402
from ort_ceiling import OrtCeiling  # noqa: E402
from reference import MODELS_DIR, REPO_ROOT  # noqa: E402
from scheduler_bench import BENCH_SENTENCES, machine_busy_seconds, own_cpu_seconds  # noqa: E402
from tern_process import RELEASE_BINARY, binary_path  # noqa: E402

DEFAULT_MODELS = [MODELS_DIR / "all-MiniLM-L6-v2", MODELS_DIR / "all-MiniLM-L6-v2-int8"]
CLOSED_LOOP = [(1, 1), (32, 1), (256, 1), (8, 32)]  # (connections, sentences per request)
OPEN_LOOP_SHARES = (0.5, 1.0, 2.0)
CEILING_BATCHES = (1, 8, 32, 64)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, nargs="+", default=DEFAULT_MODELS, help="model directories")
    parser.add_argument("--servers", nargs="+", default=None, help="server names to run (default: all)")
    parser.add_argument("--duration", type=int, default=6, help="measured seconds per closed-loop point (wrk)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured seconds before each closed-loop point")
    parser.add_argument("--open-seconds", type=float, default=6.0, help="schedule length per open-loop point")
    parser.add_argument("--ceiling-seconds", type=float, default=2.0, help="seconds per ceiling batch size")
    parser.add_argument("--client-timeout", type=float, default=35.0, help="open-loop client timeout, s")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default bench/results/<date>)")
    return parser.parse_args()


def output_folder(requested: Path | None) -> Path:
    if requested is not None:
        requested.mkdir(parents=True, exist_ok=True)
        return requested
    base = REPO_ROOT / "bench" / "results" / datetime.date.today().isoformat()
    folder, attempt = base, 1
    while folder.exists():  # a second run the same day keeps the first
        attempt += 1
        folder = base.with_name(f"{base.name}-{attempt}")
    folder.mkdir(parents=True)
    return folder


# --- environment --------------------------------------------------------------------------------------------

def machine_description() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kib / 2**20, 1),
            "kernel": platform.release()}


def versions(tern_binary: Path) -> dict:
    found = {"python": platform.python_version()}
    for package in ("onnxruntime", "tokenizers", "numpy", "flask", "gunicorn", "fastapi", "uvicorn", "starlette",
                    "pydantic", "matplotlib"):
        found[package] = metadata.version(package)
    found["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                           capture_output=True, text=True).stdout.strip()
    built = datetime.datetime.fromtimestamp(tern_binary.stat().st_mtime, datetime.timezone.utc)
    found["tern"] = f"{commit.stdout.strip()}{' (uncommitted changes)' if dirty else ''}, release binary built " \
                    f"{built:%Y-%m-%d %H:%M} UTC"
    runtime = sorted((REPO_ROOT / ".onnxruntime").glob("libonnxruntime.so.*"))
    found["tern_onnxruntime"] = runtime[-1].name.removeprefix("libonnxruntime.so.") if runtime else "?"
    return found


# --- measurements -------------------------------------------------------------------------------------------

def measure_ceiling(model_dir: Path, seconds: float) -> dict:
    ceiling = OrtCeiling(model_dir, threads=os.cpu_count())
    rates = {size: ceiling.sentences_per_second(BENCH_SENTENCES, size, seconds) for size in CEILING_BATCHES}
    best = max(rates, key=rates.get)
    del ceiling
    return {"sentences_per_s": rates[best], "batch": best, "by_batch": {str(k): v for k, v in rates.items()}}


def closed_point(server, script: Path, connections: int, per_request: int, args) -> dict:
    url = f"http://127.0.0.1:{server.port}/v1/embeddings"
    if args.warmup > 0:
        wrk_load.run(url, script, connections, args.warmup)
    server_tree.wait_quiet(server.pid)
    cpu_before = server_tree.tree_cpu_seconds(server.pid)
    with server_tree.PeakMemorySampler(server.pid) as sampler:
        result = wrk_load.run(url, script, connections, max(1, args.duration))
    cpu = server_tree.tree_cpu_seconds(server.pid) - cpu_before
    statuses = result.statuses or {}
    return {
        "kind": "closed", "connections": connections, "per_request": per_request,
        "requests": result.requests, "seconds": result.seconds,
        "requests_per_s": statuses.get(200, 0) / result.seconds,
        "sentences_per_s": statuses.get(200, 0) * per_request / result.seconds,
        "p50_ms": result.p50_ms, "p90_ms": result.p90_ms, "p99_ms": result.p99_ms, "max_ms": result.max_ms,
        "statuses": {str(k): v for k, v in statuses.items()}, "socket_errors": result.socket_errors,
        "server_cpu_s": cpu, "server_cores": cpu / result.seconds,
        "generator_cpu_s": result.wrk_cpu_seconds, "generator_share": result.wrk_cpu_seconds / result.seconds /
        os.cpu_count(), "peak_kib": dict(sampler.peak),
    }


def open_point(server, payloads: list[bytes], rate: float, share: float | None, label: str, args) -> dict:
    server_tree.wait_quiet(server.pid)
    cpu_before = server_tree.tree_cpu_seconds(server.pid)
    with server_tree.PeakMemorySampler(server.pid, interval=1.0) as sampler:
        result = open_loop.open_loop(server.port, payloads, rate, args.open_seconds, args.client_timeout)
    cpu = server_tree.tree_cpu_seconds(server.pid) - cpu_before
    ok = result.ok_latencies_ms
    accepted = result.outcomes.get(200, 0)
    return {
        "kind": "open", "label": label, "share": share, "offered_rate": rate, "per_request": 1,
        "requests": result.scheduled, "seconds": result.wall_seconds,
        "requests_per_s": accepted / result.wall_seconds, "sentences_per_s": accepted / result.wall_seconds,
        "p50_ms": open_loop.percentile(ok, 0.5), "p90_ms": open_loop.percentile(ok, 0.9),
        "p99_ms": open_loop.percentile(ok, 0.99), "max_ms": max(ok) if ok else float("nan"),
        "statuses": {str(k): v for k, v in result.outcomes.items()},
        "other_p50_ms": open_loop.percentile(result.other_latencies_ms, 0.5),
        "max_send_lag_ms": result.max_send_lag_ms, "peak_open_connections": result.peak_open_connections,
        "server_cpu_s": cpu, "server_cores": cpu / result.wall_seconds,
        "generator_cpu_s": result.cpu_seconds,
        "generator_share": result.cpu_seconds / result.wall_seconds / os.cpu_count(), "peak_kib": dict(sampler.peak),
    }


def bench_server(kind, model_dir: Path, scripts: dict, python_saturation: float | None, args) -> dict:
    print(f"  {kind.name}: starting", flush=True)
    server = server_tree.start(kind, model_dir)
    try:
        payload = json.dumps({"input": BENCH_SENTENCES[0], "model": model_dir.name}).encode()
        first = raw_http.request(server.port, "POST", "/v1/embeddings", payload,
                                 {"Content-Type": "application/json"}, timeout=30)
        if first.status != 200:
            raise RuntimeError(f"{kind.name}: first request answered {first.status}: {first.body[:200]!r}")
        dimensions = len(json.loads(first.body)["data"][0]["embedding"])
        time.sleep(0.5)
        record = {"server": kind.name, "model": model_dir.name, "ready_s": server.ready_seconds,
                  "dimensions": dimensions, "idle_kib": server_tree.tree_memory_kib(server.pid), "points": []}
        print(f"    ready in {server.ready_seconds:.2f} s; idle RSS {record['idle_kib']['rss'] / 1024:.0f} MiB "
              f"over {record['idle_kib']['processes']} processes", flush=True)
        for connections, per_request in CLOSED_LOOP:
            point = closed_point(server, scripts[per_request], connections, per_request, args)
            record["points"].append(point)
            print(f"    closed {connections:>3} conn x {per_request:>2}: {point['sentences_per_s']:7.1f} sent/s "
                  f"p99 {point['p99_ms']:8.1f} ms statuses {point['statuses']}", flush=True)
        saturation = max(p["requests_per_s"] for p in record["points"] if p["per_request"] == 1)
        record["saturation_rate"] = saturation
        bodies = [json.dumps({"input": s, "model": model_dir.name}, ensure_ascii=True).encode()
                  for s in BENCH_SENTENCES]
        payloads = [open_loop.build_request(server.port, body) for body in bodies]
        loads = [(saturation * share, share, f"{share:.0%}") for share in OPEN_LOOP_SHARES]
        if kind.is_tern and python_saturation:
            loads.append((python_saturation, None, "best Python saturation rate"))
        for rate, share, label in loads:
            point = open_point(server, payloads, rate, share, label, args)
            record["points"].append(point)
            print(f"    open {label:>27} ({rate:6.1f}/s): p50 {point['p50_ms']:8.1f} p99 {point['p99_ms']:8.1f} ms "
                  f"outcomes {point['statuses']}", flush=True)
        server_tree.wait_quiet(server.pid)
        record["after_kib"] = server_tree.tree_memory_kib(server.pid)
        return record
    finally:
        server.stop()


def main() -> None:
    args = parse_arguments()
    args.models = [model.resolve() for model in args.models]
    wrk_load.require_wrk()
    open_loop.raise_nofile_limit(4096)
    tern_binary = binary_path(RELEASE_BINARY)
    kinds = [k for k in server_tree.server_kinds(tern_binary) if args.servers is None or k.name in args.servers]
    folder = output_folder(args.out)
    command = " ".join(["bench/run", *sys.argv[1:]])  # what `make bench` runs, with BENCH_FLAGS
    run = {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command, "machine": machine_description(), "versions": versions(tern_binary),
        "settings": {key: (str(value) if isinstance(value, Path) else value) for key, value in vars(args).items()
                     if key not in ("models", "out")},
        "load_average_before": os.getloadavg(), "ceilings": {}, "servers": [],
    }
    run["settings"]["models"] = [os.path.relpath(m, REPO_ROOT) for m in args.models]
    started, busy_start, own_start = time.monotonic(), machine_busy_seconds(), own_cpu_seconds()
    print(f"side-by-side benchmark -> {os.path.relpath(folder, REPO_ROOT)}; load average "
          f"{run['load_average_before'][0]:.2f}", flush=True)
    for model_dir in args.models:
        print(f"{model_dir.name}: in-process ONNX Runtime ceiling", flush=True)
        run["ceilings"][model_dir.name] = measure_ceiling(model_dir, args.ceiling_seconds)
        print(f"  {run['ceilings'][model_dir.name]['sentences_per_s']:.1f} sentences/s at batch "
              f"{run['ceilings'][model_dir.name]['batch']}", flush=True)
        scripts = {n: wrk_load.write_script(BENCH_SENTENCES, model_dir.name, count_statuses=True, per_request=n)
                   for n in (1, 32)}
        python_saturation = None
        for kind in kinds:
            try:
                record = bench_server(kind, model_dir, scripts, python_saturation, args)
            except (server_tree.ServerStartError, RuntimeError) as error:
                print(f"    FAILED: {error}", flush=True)
                run["servers"].append({"server": kind.name, "model": model_dir.name, "error": str(error)})
                continue
            run["servers"].append(record)
            if not kind.is_tern:
                python_saturation = max(python_saturation or 0.0, record["saturation_rate"])
            (folder / "results.json").write_text(json.dumps(run, indent=1))  # partial results survive a stop
        for script in scripts.values():
            script.unlink()
    wall = time.monotonic() - started
    foreign = max((machine_busy_seconds() - busy_start) - (own_cpu_seconds() - own_start), 0.0)
    run.update(load_average_after=os.getloadavg(), wall_s=wall, other_cpu_s=foreign,
               other_cpu_share=foreign / wall / os.cpu_count())
    (folder / "results.json").write_text(json.dumps(run, indent=1))
    side_by_side_report.write(run, folder)
    print((folder / "results.md").read_text())


if __name__ == "__main__":
    main()
