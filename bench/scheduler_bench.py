"""Scheduler and overload benchmark of the release `tern` binary: closed loop, open loop past saturation, and a
burst of many connections, for fp32 and int8, next to the in-process ONNX Runtime ceiling from the same run.

    .venv/bin/python bench/scheduler_bench.py [--models models/all-MiniLM-L6-v2 ...] [--duration 10]

Per model, in this order, so nothing competes with what is being measured:
  1. Ceiling: Python onnxruntime + tokenizers on the same ONNX file, intra-op threads = cores, best of batch
     sizes 1/8/32/64, measured before the server starts.
  2. Closed loop: wrk, one sentence per request, at 32 and 256 connections (warm-up, then measured):
     sentences/s, p50/p99, responses by status, socket errors, and Tern / ceiling.
  3. Open loop: requests on a fixed schedule at --open-factor x the 32-connection closed-loop rate, latency
     from each request's scheduled time (no coordinated omission); accepted latency, 429 share, other
     outcomes, server RSS before and after, the generator's CPU share.
  4. Burst: --burst connections opened at once, one request each: every answer should be 200 or 429.
After every load the server's batch statistics come from /metrics: mean batch size = batch inputs / batches,
padding share = 1 - tokens / padded tokens. Numbers are printed as Markdown tables, not asserted.
"""

import argparse
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import metrics  # noqa: E402
import open_loop  # noqa: E402
import wrk_load  # noqa: E402
from ort_ceiling import OrtCeiling  # noqa: E402
from reference import MODELS_DIR, REPO_ROOT  # noqa: E402
from sentences import DOMAIN, NON_ENGLISH, SHORT, SYMBOLS_AND_CODE  # noqa: E402
from tern_process import RELEASE_BINARY, TernProcess, TernStartupError, binary_path  # noqa: E402

BATCH_SIZES = (1, 8, 32, 64)
BENCH_SENTENCES = SHORT + DOMAIN + SYMBOLS_AND_CODE + NON_ENGLISH  # the same bodies as embed_bench.py
DEFAULT_MODELS = [MODELS_DIR / "all-MiniLM-L6-v2", MODELS_DIR / "all-MiniLM-L6-v2-int8"]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, nargs="+", default=DEFAULT_MODELS, help="model directories")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per closed-loop run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each closed-loop run")
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 256], help="closed-loop connections")
    parser.add_argument("--ceiling-seconds", type=float, default=3.0, help="seconds per ceiling batch size")
    parser.add_argument("--open-seconds", type=float, default=30.0, help="open-loop schedule length")
    parser.add_argument("--open-factor", type=float, default=2.0, help="open-loop rate / 32-connection rate")
    parser.add_argument("--open-models", nargs="*", default=None,
                        help="model names that get the open loop (default: all)")
    parser.add_argument("--burst", type=int, default=1000, help="connections opened at once (0 skips)")
    parser.add_argument("--client-timeout", type=float, default=35.0, help="per-request client timeout, s")
    parser.add_argument("--server-flag", action="append", default=[], help="extra `tern serve` flag (repeatable)")
    return parser.parse_args()


# --- /metrics -----------------------------------------------------------------------------------------------

def scrape(port: int) -> dict[str, float]:
    """Samples summed by metric name, and rejections by reason as 'rejected:REASON'."""
    totals: dict[str, float] = {}
    for key, value in metrics.scrape(port).items():
        name = key.split("{", 1)[0]
        totals[name] = totals.get(name, 0.0) + value
        if name == "tern_requests_rejected_total" and 'reason="' in key:
            reason = key.split('reason="', 1)[1].split('"', 1)[0]
            totals[f"rejected:{reason}"] = totals.get(f"rejected:{reason}", 0.0) + value
    return totals


def batch_stats(before: dict, after: dict) -> dict:
    delta = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in after}
    batches, inputs = delta.get("tern_batches_total", 0), delta.get("tern_batch_inputs_total", 0)
    tokens, padded = delta.get("tern_batch_tokens_total", 0), delta.get("tern_batch_padded_tokens_total", 0)
    return {
        "batches": int(batches),
        "mean_batch": inputs / batches if batches else float("nan"),
        "padding": 1 - tokens / padded if padded else float("nan"),
        "accepted": int(delta.get("tern_requests_accepted_total", 0)),
        "rejected": {key.split(":", 1)[1]: int(v) for key, v in delta.items() if key.startswith("rejected:") and v},
        "dropped": int(delta.get("tern_queued_inputs_dropped_total", 0)),
    }


def wait_idle(port: int, timeout: float = 40.0) -> bool:
    """Waits until the server reports no active request; False if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scrape(port).get("tern_active_requests", 0) == 0:
            return True
        time.sleep(0.1)
    return False


def open_files_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return line.split()[3]
    return "?"


# --- formatting ---------------------------------------------------------------------------------------------

def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def outcomes_text(outcomes: dict) -> str:
    if not outcomes:
        return "-"
    keys = sorted(outcomes, key=lambda k: (isinstance(k, str), str(k)))
    return " ".join(f"{k}:{outcomes[k]}" for k in keys)


def rejected_text(stats: dict) -> str:
    parts = [f"{reason} {count}" for reason, count in sorted(stats["rejected"].items())]
    if stats["dropped"]:
        parts.append(f"dropped {stats['dropped']}")
    return ", ".join(parts) or "0"


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- one model ----------------------------------------------------------------------------------------------

def measure_ceiling(model_dir: Path, cores: int, seconds: float) -> dict[int, float]:
    ceiling = OrtCeiling(model_dir, threads=cores)
    rates = {size: ceiling.sentences_per_second(BENCH_SENTENCES, size, seconds) for size in BATCH_SIZES}
    del ceiling
    gc.collect()
    return rates


def bench_model(args, model_dir: Path, cores: int) -> dict:
    name = model_dir.name
    print(f"[{name}] ceiling ...", file=sys.stderr, flush=True)
    ceilings = measure_ceiling(model_dir, cores, args.ceiling_seconds)
    report = {"model": name, "ceilings": ceilings, "closed": [], "open": None, "burst": None}

    print(f"[{name}] starting server ...", file=sys.stderr, flush=True)
    try:
        server = TernProcess(*args.server_flag, model_dir=model_dir, binary=binary_path(RELEASE_BINARY)).start()
    except TernStartupError as error:
        raise SystemExit(str(error))
    script = wrk_load.write_script(BENCH_SENTENCES, name, count_statuses=True)
    payloads = [open_loop.build_request(server.port, json.dumps(
        {"input": s, "model": name, "encoding_format": "float"}, ensure_ascii=True).encode()) for s in BENCH_SENTENCES]
    try:
        time.sleep(0.5)
        report["idle_rss"] = server.rss_kib()
        report["nofile"] = open_files_limit(server.pid)

        for connections in args.connections:
            print(f"[{name}] closed loop, {connections} connections ...", file=sys.stderr, flush=True)
            wrk_load.run(server.base_url, script, connections, args.warmup)
            wait_idle(server.port)
            before = scrape(server.port)
            load = wrk_load.run(server.base_url, script, connections, args.duration)
            wait_idle(server.port)
            report["closed"].append({"connections": connections, "load": load,
                                     "stats": batch_stats(before, scrape(server.port))})

        saturation = report["closed"][0]["load"].per_second
        if args.open_models is None or name in args.open_models:
            rate = args.open_factor * saturation
            print(f"[{name}] open loop at {rate:.0f}/s for {args.open_seconds:g} s ...", file=sys.stderr, flush=True)
            rss_before = server.rss_kib()
            before = scrape(server.port)
            cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
            result = open_loop.open_loop(server.port, payloads, rate, args.open_seconds, args.client_timeout)
            server_cpu = (server.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
            idle = wait_idle(server.port)
            time.sleep(0.5)
            report["open"] = {"rate": rate, "result": result, "rss_before": rss_before,
                              "rss_after": server.rss_kib(), "peak_rss": server.peak_rss_kib(),
                              "server_cpu": server_cpu, "drained": idle,
                              "stats": batch_stats(before, scrape(server.port))}

        if args.burst:
            print(f"[{name}] burst of {args.burst} connections ...", file=sys.stderr, flush=True)
            before = scrape(server.port)
            rss_before = server.rss_kib()
            result = open_loop.burst(server.port, payloads, args.burst, args.client_timeout)
            idle = wait_idle(server.port)
            time.sleep(0.5)
            report["burst"] = {"result": result, "rss_before": rss_before, "rss_after": server.rss_kib(),
                               "drained": idle, "stats": batch_stats(before, scrape(server.port))}
        report["final_rss"] = server.rss_kib()
        report["peak_rss"] = server.peak_rss_kib()
    finally:
        script.unlink()
        report["exit_status"] = server.stop()
        if report["exit_status"] != 0:
            print(f"warning: tern exited with {report['exit_status']} on SIGTERM\n{server.stderr_tail()}",
                  file=sys.stderr)
    return report


# --- report -------------------------------------------------------------------------------------------------

def print_report(reports: list[dict], args, cores: int) -> None:
    print("\n### In-process ONNX Runtime ceiling (sentences/s, server stopped)\n")
    print(table(["model"] + [f"batch {s}" for s in BATCH_SIZES] + ["best"],
                [[r["model"]] + [f"{r['ceilings'][s]:.1f}" for s in BATCH_SIZES]
                 + [f"{max(r['ceilings'].values()):.1f}"] for r in reports]))

    print(f"\n### Closed loop (wrk, 1 sentence/request, {args.warmup:g} s warm-up + {args.duration:g} s measured)\n")
    rows = []
    for r in reports:
        best = max(r["ceilings"].values())
        for c in r["closed"]:
            load, stats = c["load"], c["stats"]
            socket = {k: v for k, v in (load.socket_errors or {}).items() if v}
            rows.append([r["model"], c["connections"], f"{load.per_second:.1f}", f"{load.p50_ms:.1f}",
                         f"{load.p99_ms:.1f}", f"{load.max_ms:.1f}", outcomes_text(load.statuses or {}),
                         outcomes_text(socket) if socket else "0", f"{load.per_second / best:.2f}",
                         f"{stats['mean_batch']:.1f}", f"{stats['padding']:.1%}", rejected_text(stats),
                         f"{load.wrk_cpu_seconds / load.seconds / cores:.1%}"])
    print(table(["model", "conns", "sentences/s", "p50 ms", "p99 ms", "max ms", "responses by status",
                 "socket errors", "tern / ceiling", "mean batch", "padding", "rejected (metrics)", "wrk CPU"], rows))

    opened = [r for r in reports if r["open"]]
    if opened:
        print(f"\n### Open loop ({args.open_factor:g} x the 32-connection rate, {args.open_seconds:g} s schedule, "
              f"latency from scheduled send, client timeout {args.client_timeout:g} s)\n")
        rows = []
        for r in opened:
            o, res = r["open"], r["open"]["result"]
            ok = res.ok_latencies_ms
            rejected = res.outcomes.get(429, 0)
            other = {k: v for k, v in res.outcomes.items() if k not in (200, 429)}
            rows.append([r["model"], f"{o['rate']:.0f}", res.scheduled, res.outcomes.get(200, 0),
                         f"{res.outcomes.get(200, 0) / res.seconds:.1f}",
                         f"{open_loop.percentile(ok, 0.5):.0f}", f"{open_loop.percentile(ok, 0.99):.0f}",
                         f"{max(ok) if ok else float('nan'):.0f}", f"{rejected / res.scheduled:.1%}",
                         outcomes_text(other) if other else "0",
                         f"{mib(o['rss_before'])} -> {mib(o['rss_after'])} ({o['rss_after'] / o['rss_before']:.2f}x)",
                         f"{res.cpu_seconds / res.wall_seconds / cores:.1%}",
                         f"{o['server_cpu'] / cores:.0%}",
                         f"{res.max_send_lag_ms:.0f}", res.peak_open_connections,
                         f"{o['stats']['mean_batch']:.1f}", f"{o['stats']['padding']:.1%}",
                         rejected_text(o["stats"]), "yes" if o["drained"] else "NO"])
        print(table(["model", "target/s", "scheduled", "200", "200/s", "p50 ms (200)", "p99 ms (200)",
                     "max ms (200)", "429 share", "other outcomes", "RSS MiB before -> after", "generator CPU",
                     "server CPU", "max send lag ms", "peak conns", "mean batch", "padding",
                     "rejected (metrics)", "drained"], rows))
        for r in opened:
            res = r["open"]["result"]
            if res.other_latencies_ms:
                print(f"\n{r['model']}: non-200 outcomes answered in p50 "
                      f"{open_loop.percentile(res.other_latencies_ms, 0.5):.1f} ms, "
                      f"p99 {open_loop.percentile(res.other_latencies_ms, 0.99):.1f} ms, "
                      f"max {max(res.other_latencies_ms):.1f} ms (from scheduled send)")

    bursts = [r for r in reports if r["burst"]]
    if bursts:
        print(f"\n### Burst ({args.burst} connections opened at once, one request each)\n")
        rows = []
        for r in bursts:
            b, res = r["burst"], r["burst"]["result"]
            other = {k: v for k, v in res.outcomes.items() if k not in (200, 429, "conn_error", "timeout")}
            lat = res.latencies_ms
            rows.append([r["model"], res.connections - res.connect_errors, res.connect_errors,
                         res.outcomes.get(200, 0), res.outcomes.get(429, 0), outcomes_text(other) if other else "0",
                         res.outcomes.get("conn_error", 0), res.outcomes.get("timeout", 0),
                         f"{open_loop.percentile(lat, 0.5):.0f}", f"{max(lat) if lat else float('nan'):.0f}",
                         f"{res.connect_seconds:.2f}", f"{mib(b['rss_before'])} -> {mib(b['rss_after'])}",
                         f"{b['stats']['mean_batch']:.1f}", f"{b['stats']['padding']:.1%}",
                         rejected_text(b["stats"]), "yes" if b["drained"] else "NO"])
        print(table(["model", "connected", "connect errors", "200", "429", "other status", "conn errors",
                     "timeouts", "p50 ms", "max ms", "connect s", "RSS MiB before -> after", "mean batch",
                     "padding", "rejected (metrics)", "drained"], rows))

    print("\n### Server\n")
    print(table(["model", "RSS MiB idle", "RSS MiB at end", "peak RSS MiB", "open-files limit", "exit on SIGTERM"],
                [[r["model"], mib(r["idle_rss"]), mib(r["final_rss"]), mib(r["peak_rss"]), r["nofile"],
                  r["exit_status"]] for r in reports]))


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used (the non-idle fields of /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this process and its waited-for children (the servers and wrk)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    args = parse_arguments()
    args.models = [model.resolve() for model in args.models]
    cores = os.cpu_count()
    wrk_load.require_wrk()
    nofile = open_loop.raise_nofile_limit(max(4096, args.burst + 512))  # inherited by the server
    started, busy_start, own_start = time.monotonic(), machine_busy_seconds(), own_cpu_seconds()
    print(f"machine    {cores} cores; {len(BENCH_SENTENCES)} distinct sentences; open-files soft limit {nofile}")
    print(f"load avg   {os.getloadavg()[0]:.2f} before the run (other work on the machine skews every number)")
    print(f"binary     {binary_path(RELEASE_BINARY)} {' '.join(args.server_flag)}")
    print(f"models     {', '.join(os.path.relpath(m, REPO_ROOT) for m in args.models)}")
    reports = [bench_model(args, model, cores) for model in args.models]
    print_report(reports, args, cores)
    wall = time.monotonic() - started
    foreign = (machine_busy_seconds() - busy_start) - (own_cpu_seconds() - own_start)
    print(f"\nload avg {os.getloadavg()[0]:.2f} after the run; total {wall:.0f} s; CPU used by other processes "
          f"during the run: {max(foreign, 0):.0f} s = {max(foreign, 0) / wall / cores:.0%} of the machine")


if __name__ == "__main__":
    main()
