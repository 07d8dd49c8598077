"""Two or more Tern builds or settings side by side: the same model, bench/pairs.py's closed-loop passes
(wrk, 32 connections, 1 input per request) interleaved A B A B ..., each pass's inputs/s, p99 and peak RSS, and the
RSS 1.5 s after it (what a burst leaves behind). A variant is NAME=BINARY[:ENV=VALUE,...] plus Tern flags.

    .venv/bin/python bench/binary_ab.py --model models/bench/minilm --workloads doc256 short \\
        --variant "old=/tmp/tern-old" "new=.build/release/tern" "arena2=.build/release/tern:MALLOC_ARENA_MAX=2" \\
        --flags "--weights onnx"
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pairs  # noqa: E402
import server_tree  # noqa: E402
import wrk_load  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/bench/minilm")
    parser.add_argument("--workloads", nargs="+", choices=sorted(pairs.WORKLOADS), default=["doc256", "short"])
    parser.add_argument("--variant", nargs="+", required=True, help="NAME=BINARY[:ENV=VALUE,...]")
    parser.add_argument("--flags", default="", help="Tern flags every variant gets")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    args = parser.parse_args()
    model = Path(args.model).resolve()
    tern = next(kind for kind in server_tree.server_kinds(Path("tern")) if kind.name == "tern")
    servers = {}
    try:
        for variant in args.variant:
            name, _, spec = variant.partition("=")
            binary, _, env_spec = spec.partition(":")
            extra_env = dict(item.split("=", 1) for item in env_spec.split(",") if item)
            saved = dict(os.environ)
            os.environ.update(extra_env)
            try:
                kind = replace(tern, name=name, argv=(str(Path(binary).resolve()),) + tern.argv[1:] + tuple(args.flags.split()))
                servers[name] = server_tree.start(kind, model)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            print(f"idle {name}: {server_tree.tree_memory_kib(servers[name].pid)['rss'] // 1024} MiB RSS", flush=True)
        tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        for workload in args.workloads:
            texts = pairs.workload_texts(pairs.WORKLOADS[workload], tokenizer)
            script = wrk_load.write_script(texts, model.name, count_statuses=True, per_request=1)
            rates: dict[str, list[float]] = {name: [] for name in servers}
            for round_index in range(args.rounds):
                for name, server in servers.items():
                    result = pairs.pass_result(server, script, args)
                    time.sleep(1.5)
                    after = server_tree.tree_memory_kib(server.pid)["rss"] // 1024
                    rates[name].append(result["inputs_per_s"])
                    print(f"{workload} round {round_index + 1} {name:>12}: {result['inputs_per_s']:7.1f}/s "
                          f"p99 {result['p99_ms']:6.0f} ms peak {result['peak_kib']['rss'] // 1024} MiB "
                          f"after {after} MiB other CPU {result['other_share']:.0%}", flush=True)
            script.unlink()
            for name in servers:
                print(f"{workload} {name:>12}: median {statistics.median(rates[name]):.1f}/s "
                      f"[{min(rates[name]):.1f}-{max(rates[name]):.1f}]", flush=True)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
