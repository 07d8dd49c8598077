"""The benchmark that settles it in one run (issue 16): Tern against the Python stacks and the in-process ceiling,
interleaved, repeated, with the machine's own noise measured beside every pass.

    bench/run [--models DIR ...] [--workloads short doc128 doc256] [--rounds 3] [--duration 5] [--quick]

Every server of a model is started once and stays up (idle servers use no CPU); then each round runs one pass
per server in turn (A B C ... A B C ...), so slow drift of the machine hits every server alike. A pass is wrk,
1 input per request, 32 connections, --warmup s unmeasured then --duration s measured; the ceiling's pass is the
Python peers' own model code in this process (no HTTP) at its best batch size for the same seconds.

Printed per model and workload: each server's median inputs/s and p99 over the rounds; Tern's ratio to the best
Python stack and to the ceiling as median [min-max] of the per-round ratios; the FLOP utilisation (real tokens x
FLOP per token / the machine's peak); then, open loop (bench/open_loop.py) at the rate where the best Python stack
saturated, that stack and every Tern interleaved the same way: p99 and its ratio (the issue's p99 goal);
memory (idle and peak RSS/PSS of each process tree). Before and during each
pass: load average, steal and the CPU other processes used; when they used more than 10% of the machine in any
pass, the goals get no verdict. Writes bench/results/<date>-pairs/results.json and results.md.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import open_loop  # noqa: E402
import raw_http  # noqa: E402
import server_tree  # noqa: E402
import wrk_load  # noqa: E402
from ort_ceiling import OrtCeiling  # noqa: E402
from reference import MODELS_DIR, REPO_ROOT  # noqa: E402
from scheduler_bench import BENCH_SENTENCES, own_cpu_seconds  # noqa: E402
from tern_process import RELEASE_BINARY, binary_path  # noqa: E402

# models/bench/ comes from scripts/make_bench_models.py (MiniLM with both weight formats, random BERT-base).
DEFAULT_MODELS = [MODELS_DIR / "bench" / "minilm", MODELS_DIR / "all-MiniLM-L6-v2-int8", MODELS_DIR / "bench" / "bert-base"]
PYTHON_SERVERS = ("gunicorn -w 2", "gunicorn --preload -w 2", "uvicorn --workers 2")
CONNECTIONS = 32
CEILING_BATCHES = (8, 32, 64)
OTHER_CPU_LIMIT = 0.10
# The 2-core machine of the issue: AMD EPYC Zen 4 at ~2.6 GHz, 2 x 256-bit FMA per cycle per core (32 FP32 FLOP).
PEAK_FP32_GFLOPS = float(os.environ.get("BENCH_PEAK_GFLOPS", "166"))
# int8 with VNNI: 4 x the fp32 rate (64 int8 multiply-adds per 256-bit lane pair per cycle).
PEAK_INT8_GOPS = float(os.environ.get("BENCH_PEAK_INT8_GOPS", "666"))


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    target_tokens: int | None  # None: the benchmark's short sentences as they are


WORKLOADS = {
    "short": Workload("short", "short sentences (the e2e query mix), 1 per request", None),
    "doc128": Workload("doc128", "documents of ~128 tokens, 1 per request", 128),
    "doc256": Workload("doc256", "documents of ~256 tokens (the models' max length), 1 per request", 256),
}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, nargs="+", default=None, help="model directories")
    parser.add_argument("--workloads", nargs="+", choices=sorted(WORKLOADS), default=None,
                        help="default: short doc128 doc256 (--quick: short doc128)")
    parser.add_argument("--servers", nargs="+", default=None, help="server names to run (default: all)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (at least 3 for a verdict)")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per pass")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each pass")
    parser.add_argument("--tern", nargs="+", default=[], metavar="NAME=FLAGS",
                        help="more Tern servers, e.g. 'engines2=--engines 2 --threads 1' (ONNX weights unless the "
                             "flags say --weights)")
    parser.add_argument("--no-open-loop", dest="open_loop", action="store_false",
                        help="skip the open-loop passes at the best Python stack's saturation rate")
    parser.add_argument("--quick", action="store_true", help="MiniLM fp32 only, short and doc128, 2 s passes")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default bench/results/<date>-pairs)")
    args = parser.parse_args()
    if args.quick:
        args.models = args.models or [MODELS_DIR / "bench" / "minilm"]
        args.workloads = args.workloads or ["short", "doc128"]
        args.duration, args.warmup = 2.0, 0.5
    args.workloads = args.workloads or ["short", "doc128", "doc256"]
    args.models = [m.resolve() for m in (args.models or DEFAULT_MODELS)]
    return args


# --- the machine ---------------------------------------------------------------------------------------------

def cpu_times() -> dict[str, float]:
    """Machine-wide CPU seconds from /proc/stat: busy (everything but idle and iowait) and steal."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return {"busy": (sum(fields[:8]) - fields[3] - fields[4]) / ticks, "steal": fields[7] / ticks}


class MachineWatch:
    """CPU used by other processes (the machine's busy time minus the server tree's and this process's, with
    its children: wrk), steal, and the load average, over one pass."""

    def __init__(self, server_pid: int | None):
        self.server_pid = server_pid

    def __enter__(self) -> "MachineWatch":
        self.load_before = os.getloadavg()[0]
        self.start = time.monotonic()
        self.cpu = cpu_times()
        self.own = own_cpu_seconds()
        self.server = server_tree.tree_cpu_seconds(self.server_pid) if self.server_pid else 0.0
        return self

    def __exit__(self, *_) -> None:
        wall = time.monotonic() - self.start
        cpu = cpu_times()
        server = server_tree.tree_cpu_seconds(self.server_pid) - self.server if self.server_pid else 0.0
        own = own_cpu_seconds() - self.own
        cores = os.cpu_count()
        other = max(0.0, cpu["busy"] - self.cpu["busy"] - server - own)
        self.record = {
            "load_before": self.load_before, "load_during": os.getloadavg()[0],
            "steal_share": (cpu["steal"] - self.cpu["steal"]) / wall / cores,
            "other_share": other / wall / cores, "server_cores": server / wall,
        }


# --- inputs --------------------------------------------------------------------------------------------------

def workload_texts(workload: Workload, tokenizer) -> list[str]:
    if workload.target_tokens is None:
        return list(BENCH_SENTENCES)
    # Documents: consecutive benchmark sentences joined until the tokenizer counts about the target.
    documents, pool = [], BENCH_SENTENCES * 4
    for start in range(0, 48):
        words, index = [], start
        while len(tokenizer.encode(" ".join(words)).ids) < workload.target_tokens:
            words.append(pool[index % len(pool)])
            index += 1
        documents.append(" ".join(words))
    return documents


def mean_tokens(texts: list[str], tokenizer, max_length: int) -> float:
    return statistics.mean(min(len(tokenizer.encode(t).ids), max_length) for t in texts)


def flop_per_token(config: dict, tokens: float) -> float:
    """Multiply-adds x 2 of one token through the encoder: the Q, K, V, output and two FFN projections, plus
    attention scores and the weighted sum over a sequence of `tokens`."""
    hidden, layers = config["hidden_size"], config["num_hidden_layers"]
    intermediate = config.get("intermediate_size", 4 * hidden)
    return layers * (2 * (4 * hidden * hidden + 2 * hidden * intermediate) + 4 * tokens * hidden)


# --- servers -------------------------------------------------------------------------------------------------

def server_kinds(tern_binary: Path, model_dir: Path, wanted: list[str] | None, variants: list[str]) \
        -> list[server_tree.ServerKind]:
    by_name = {kind.name: kind for kind in server_tree.server_kinds(tern_binary)}
    kinds = [by_name[name] for name in PYTHON_SERVERS]
    tern = by_name["tern"]
    has_onnx = (model_dir / "onnx" / "model.onnx").is_file() or (model_dir / "model.onnx").is_file()
    has_checkpoint = (model_dir / "model.safetensors").is_file() or (model_dir / "model.safetensors.index.json").is_file()
    if has_onnx:
        kinds.append(replace(tern, name="tern (onnx)", argv=tern.argv + ("--weights", "onnx")))
    if has_checkpoint:
        kinds.append(replace(tern, name="tern (checkpoint)", argv=tern.argv + ("--weights", "safetensors")))
    for variant in variants:
        name, _, flags = variant.partition("=")
        extra = tuple(flags.split())
        kinds.append(replace(tern, name=f"tern ({name})",
                             argv=tern.argv + (extra if "--weights" in extra else extra + ("--weights", "auto"))))
    return [kind for kind in kinds if wanted is None or kind.name in wanted or
            (kind.is_tern and "tern" in wanted)]


def pass_result(server, script: Path, args) -> dict:
    url = f"http://127.0.0.1:{server.port}/v1/embeddings"
    if args.warmup > 0:
        wrk_load.run(url, script, CONNECTIONS, max(1, round(args.warmup)))
    server_tree.wait_quiet(server.pid)
    with server_tree.PeakMemorySampler(server.pid) as memory, MachineWatch(server.pid) as watch:
        result = wrk_load.run(url, script, CONNECTIONS, max(1, round(args.duration)))
    ok = (result.statuses or {}).get(200, 0)
    return {"inputs_per_s": ok / result.seconds, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms,
            "errors": result.requests - ok, "peak_kib": dict(memory.peak), **watch.record}


def open_pass(server, bodies: list[bytes], rate: float, args) -> dict:
    """Open loop (bench/open_loop.py: request i due at start + i / rate, latency from its due time) at `rate`."""
    payloads = [open_loop.build_request(server.port, body) for body in bodies]
    server_tree.wait_quiet(server.pid)
    with MachineWatch(server.pid) as watch:
        result = open_loop.open_loop(server.port, payloads, rate, args.duration)
    ok = result.ok_latencies_ms
    return {"offered_per_s": rate, "answered_per_s": result.outcomes.get(200, 0) / result.wall_seconds,
            "p50_ms": open_loop.percentile(ok, 0.5), "p99_ms": open_loop.percentile(ok, 0.99),
            "errors": result.scheduled - result.outcomes.get(200, 0), "generator_lag_ms": result.max_send_lag_ms,
            **watch.record}


def ceiling_pass(ceiling: OrtCeiling, texts: list[str], batch: int, seconds: float) -> dict:
    with MachineWatch(None) as watch:
        rate = ceiling.sentences_per_second(texts, batch, seconds)
    watch.record["other_share"] = max(0.0, watch.record["other_share"])  # own CPU is the work here
    return {"inputs_per_s": rate, "batch": batch, **watch.record}


# --- one model -----------------------------------------------------------------------------------------------

def bench_model(model_dir: Path, tern_binary: Path, args) -> dict:
    from tokenizers import Tokenizer

    config = json.loads((model_dir / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # tokenizer.json may pad to a fixed length; count real tokens
    tokenizer.no_truncation()
    max_length = 256
    kinds = server_kinds(tern_binary, model_dir, args.servers, args.tern)
    record = {"model": os.path.relpath(model_dir, REPO_ROOT), "servers": {}, "workloads": {}}
    print(f"{model_dir.name}: starting {', '.join(k.name for k in kinds)}", flush=True)
    running = {}
    try:
        for kind in kinds:
            server = server_tree.start(kind, model_dir)
            body = json.dumps({"input": BENCH_SENTENCES[0], "model": model_dir.name}).encode()
            first = raw_http.request(server.port, "POST", "/v1/embeddings", body, {"Content-Type": "application/json"},
                                     timeout=60)
            if first.status != 200:
                raise RuntimeError(f"{kind.name}: first request answered {first.status}: {first.body[:200]!r}")
            running[kind.name] = server
            time.sleep(0.5)
            record["servers"][kind.name] = {"ready_s": server.ready_seconds,
                                            "idle_kib": server_tree.tree_memory_kib(server.pid),
                                            "int8": "--quantize int8" in " ".join(kind.argv)}
        ceiling = OrtCeiling(model_dir, threads=os.cpu_count())
        for name in args.workloads:
            workload = WORKLOADS[name]
            texts = workload_texts(workload, tokenizer)
            tokens = mean_tokens(texts, tokenizer, max_length)
            script = wrk_load.write_script(texts, model_dir.name, count_statuses=True, per_request=1)
            rates = {size: ceiling.sentences_per_second(texts, size, 1.0) for size in CEILING_BATCHES}
            best_batch = max(rates, key=rates.get)
            print(f"  {name}: {len(texts)} texts, {tokens:.1f} tokens each; ceiling batch {best_batch}", flush=True)
            passes: dict[str, list[dict]] = {kind: [] for kind in running}
            passes["ceiling"] = []
            for round_index in range(args.rounds):
                for kind, server in running.items():
                    passes[kind].append(pass_result(server, script, args))
                    p = passes[kind][-1]
                    print(f"    round {round_index + 1} {kind:>24}: {p['inputs_per_s']:7.1f}/s p99 {p['p99_ms']:7.1f} ms"
                          f"  other CPU {p['other_share']:.0%} steal {p['steal_share']:.0%}", flush=True)
                passes["ceiling"].append(ceiling_pass(ceiling, texts, best_batch, args.duration))
                print(f"    round {round_index + 1} {'ceiling':>24}: {passes['ceiling'][-1]['inputs_per_s']:7.1f}/s",
                      flush=True)
            script.unlink()
            record["workloads"][name] = {"description": workload.description, "mean_tokens": tokens,
                                         "flop_per_token": flop_per_token(config, tokens), "passes": passes}
            python = [kind for kind in PYTHON_SERVERS if kind in running]
            if args.open_loop and python:
                # The p99 goal: every server at the rate where the best Python stack saturates (its closed-loop
                # median), open loop, interleaved the same way.
                best = max(python, key=lambda kind: statistics.median(p["inputs_per_s"] for p in passes[kind]))
                rate = statistics.median(p["inputs_per_s"] for p in passes[best])
                bodies = [json.dumps({"input": text, "model": model_dir.name}).encode() for text in texts]
                opened = [best] + [kind for kind in running if kind.startswith("tern")]
                open_passes: dict[str, list[dict]] = {kind: [] for kind in opened}
                for round_index in range(args.rounds):
                    for kind in opened:
                        open_passes[kind].append(open_pass(running[kind], bodies, rate, args))
                        p = open_passes[kind][-1]
                        print(f"    open {round_index + 1} {kind:>24}: {rate:7.1f}/s offered, p99 {p['p99_ms']:7.1f} ms"
                              f"  errors {p['errors']}  other CPU {p['other_share']:.0%}", flush=True)
                record["workloads"][name]["open_loop"] = {"python": best, "rate": rate, "passes": open_passes}
        for kind, server in running.items():
            record["servers"][kind]["after_kib"] = server_tree.tree_memory_kib(server.pid)
    finally:
        for server in running.values():
            server.stop()
    return record


# --- the report ----------------------------------------------------------------------------------------------

def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x [{min(values):.2f}-{max(values):.2f}]"


def summarise(run: dict) -> str:
    lines = [f"# Interleaved benchmark ({run['started']})", "", f"`{run['command']}` on {run['machine']}; "
             f"{run['rounds']} rounds, {run['duration']} s passes, {CONNECTIONS} connections, 1 input per request.",
             f"Peak used for utilisation: {PEAK_FP32_GFLOPS:.0f} GFLOP/s fp32, {PEAK_INT8_GOPS:.0f} GOPS int8 "
             f"(servers run with --quantize int8).", ""]
    worst_other = max((p["other_share"] for m in run["models"] for w in m["workloads"].values()
                       for name, ps in [*w["passes"].items(), *w.get("open_loop", {}).get("passes", {}).items()]
                       if name != "ceiling" for p in ps), default=0.0)
    verdict = worst_other <= OTHER_CPU_LIMIT and run["rounds"] >= 3
    for model in run["models"]:
        lines += [f"## {model['model']}", "", "| workload | server | inputs/s (median) | p99 ms | vs best Python "
                  "| vs ceiling | FLOP utilisation |", "| --- | --- | --- | --- | --- | --- | --- |"]
        goals = []
        for name, work in model["workloads"].items():
            passes = work["passes"]
            python = [s for s in PYTHON_SERVERS if s in passes]
            ternish = [s for s in passes if s.startswith("tern")]
            rounds = len(passes["ceiling"])
            best_python = [max(passes[s][r]["inputs_per_s"] for s in python) for r in range(rounds)] if python else []
            for server in python + ternish + ["ceiling"]:
                rates = [p["inputs_per_s"] for p in passes[server]]
                p99 = statistics.median(p["p99_ms"] for p in passes[server]) if server != "ceiling" else float("nan")
                int8 = model["servers"].get(server, {}).get("int8", False)
                utilisation = statistics.median(rates) * work["mean_tokens"] * work["flop_per_token"] / 1e9 \
                    / (PEAK_INT8_GOPS if int8 else PEAK_FP32_GFLOPS)
                versus_python = versus_ceiling = "-"
                if server.startswith("tern"):
                    if best_python:
                        ratios = [rates[r] / best_python[r] for r in range(rounds)]
                        versus_python = spread(ratios)
                        goals.append((f"{name}: {server} >= 1.25x best Python", statistics.median(ratios) >= 1.25,
                                      versus_python))
                    ceiling_ratios = [rates[r] / passes["ceiling"][r]["inputs_per_s"] for r in range(rounds)]
                    versus_ceiling = spread(ceiling_ratios)
                    goals.append((f"{name}: {server} >= 1.1x ceiling", statistics.median(ceiling_ratios) >= 1.1,
                                  versus_ceiling))
                p99_text = "-" if p99 != p99 else f"{p99:.0f}"
                lines.append(f"| {name} (~{work['mean_tokens']:.0f} tok) | {server} | {statistics.median(rates):.1f} "
                             f"| {p99_text} | {versus_python} | {versus_ceiling} | {utilisation:.0%}"
                             f"{' of int8 peak' if int8 else ''} |")
            opened = work.get("open_loop")
            if opened:
                open_passes, best = opened["passes"], opened["python"]
                lines.append(f"| {name} open loop at {opened['rate']:.1f}/s | {best} | - "
                             f"| {statistics.median(p['p99_ms'] for p in open_passes[best]):.0f} | - | - | - |")
                for server in [s for s in open_passes if s != best]:
                    ratios = [open_passes[server][r]["p99_ms"] / open_passes[best][r]["p99_ms"]
                              for r in range(len(open_passes[best]))]
                    mine = statistics.median(p["p99_ms"] for p in open_passes[server])
                    lines.append(f"| {name} open loop at {opened['rate']:.1f}/s | {server} | - | {mine:.0f} "
                                 f"| p99 {spread(ratios)} | - | - |")
                    goals.append((f"{name}: {server} p99 at {best}'s saturation rate <= 0.5x its p99",
                                  statistics.median(ratios) <= 0.5, f"{spread(ratios)} ({mine:.0f} ms)"))
        lines += ["", "| memory | idle RSS MiB | idle PSS MiB | peak RSS MiB | after RSS MiB |", "| --- | --- | --- | --- | --- |"]
        for server, info in model["servers"].items():
            peak = max((p["peak_kib"]["rss"] for w in model["workloads"].values() for p in w["passes"].get(server, [])),
                       default=0)
            lines.append(f"| {server} | {info['idle_kib']['rss'] / 1024:.0f} | {info['idle_kib']['pss'] / 1024:.0f} | "
                         f"{peak / 1024:.0f} | {info.get('after_kib', {}).get('rss', 0) / 1024:.0f} |")
        lines += ["", "| goal | measured | met |", "| --- | --- | --- |"]
        for goal, met, measured in goals:
            lines.append(f"| {goal} | {measured} | {('yes' if met else 'NO') if verdict else 'no verdict'} |")
        lines.append("")
    noise = [p for m in run["models"] for w in m["workloads"].values()
             for ps in [*w["passes"].values(), *w.get("open_loop", {}).get("passes", {}).values()] for p in ps]
    lines.append(f"Noise over {len(noise)} passes: other processes used at most {worst_other:.0%} of the machine "
                 f"(limit {OTHER_CPU_LIMIT:.0%}), steal at most {max(p['steal_share'] for p in noise):.0%}, load "
                 f"average {min(p['load_before'] for p in noise):.2f}-{max(p['load_during'] for p in noise):.2f}.")
    if not verdict:
        lines.append("NO VERDICT: " + ("fewer than 3 rounds." if run["rounds"] < 3 else
                                       f"other processes used {worst_other:.0%} of the CPU in a pass (> 10%)."))
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_arguments()
    wrk_load.require_wrk()
    tern_binary = binary_path(RELEASE_BINARY)
    folder = args.out or REPO_ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-pairs"
    folder.mkdir(parents=True, exist_ok=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    run = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "command": " ".join(["bench/run", *sys.argv[1:]]), "machine": f"{cpu}, {os.cpu_count()} cores",
           "rounds": args.rounds, "duration": args.duration, "models": []}
    for model_dir in args.models:
        if not (model_dir / "config.json").is_file():
            print(f"{model_dir}: missing (scripts/make_bench_models.py makes models/bench/)", flush=True)
            continue
        run["models"].append(bench_model(model_dir, tern_binary, args))
        (folder / "results.json").write_text(json.dumps(run, indent=1))
    report = summarise(run)
    (folder / "results.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
