#!/usr/bin/env python3
"""Tokens per second of Tern's Swift tokenizer against Hugging Face `tokenizers` (Rust), in the same run.

Usage (from the repository root, after `swift build -c release --product tern` and scripts/fetch-tokenizer-models):

    .venv/bin/python bench/tokenizer_bench.py [--seconds 3] [--pairs] [--threads N] [--tern .build/release/tern]

For each tokenizer.json below, on the parity corpus (Tests/TokenizersTests/Fixtures/corpus.jsonl):
- Tern, one thread: `tern bench tokenizer --threads 1`;
- tokenizers, one thread: `Tokenizer.encode` per line in a loop, with RAYON_NUM_THREADS=1;
- Tern, all cores: `tern bench tokenizer --threads N` (N = cores unless --threads is given);
- tokenizers, all cores: `Tokenizer.encode_batch` over the whole corpus.
Each side encodes the corpus once to warm up, then repeatedly for at least --seconds; the table prints tokens per
second (special tokens included) and Tern's ratio. Each Python measurement runs in its own process so that
RAYON_NUM_THREADS takes effect.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Tests" / "TokenizersTests" / "Fixtures" / "corpus.jsonl"
TOKENIZERS = [
    ("all-MiniLM-L6-v2 (WordPiece)", "models/all-MiniLM-L6-v2/tokenizer.json"),
    ("multilingual-e5-small (Unigram)", "models/multilingual-e5-small/tokenizer.json"),
    ("DeBERTa-v3 (Unigram, Metaspace)", "models/deberta-v3/tokenizer.json"),
    ("DeepSeek-V3 (byte-level BPE)", "models/deepseek/tokenizer.json"),
    ("GPT-2 (byte-level BPE)", "models/gpt2/tokenizer.json"),
]


def python_worker(path, mode, seconds, pairs):
    """Runs in a child process: measures `tokenizers` and prints one JSON object."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    with CORPUS.open(encoding="utf-8") as file:
        texts = [json.loads(line)["text"] for line in file]
    inputs = [(text, texts[(index + 1) % len(texts)]) for index, text in enumerate(texts)] if pairs else texts

    def one_pass():
        if mode == "batch":
            return sum(len(encoding.ids) for encoding in tokenizer.encode_batch(inputs))
        if pairs:
            return sum(len(tokenizer.encode(first, second).ids) for first, second in inputs)
        return sum(len(tokenizer.encode(text).ids) for text in inputs)

    tokens = one_pass()
    passes = 0
    start = time.perf_counter()
    while True:
        one_pass()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    print(json.dumps({"tokens_per_second": tokens * passes / elapsed, "tokens_per_pass": tokens}))


def run_python(path, mode, seconds, pairs):
    environment = dict(os.environ)
    if mode == "single":
        environment["RAYON_NUM_THREADS"] = "1"
    else:
        environment.pop("RAYON_NUM_THREADS", None)
    command = [sys.executable, __file__, "--worker", path, mode, str(seconds)] + (["--pairs"] if pairs else [])
    output = subprocess.run(command, env=environment, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_tern(binary, path, threads, seconds, pairs):
    command = [binary, "bench", "tokenizer", "--tokenizer", path, "--corpus", str(CORPUS), "--threads",
               str(threads), "--seconds", str(seconds), "--json"] + (["--pairs"] if pairs else [])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        python_worker(sys.argv[2], sys.argv[3], float(sys.argv[4]), "--pairs" in sys.argv)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tern", default=str(ROOT / ".build" / "release" / "tern"))
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pairs", action="store_true", help="encode each line paired with the next one")
    parser.add_argument("--only", help="run only the tokenizers whose label contains this text")
    arguments = parser.parse_args()
    import tokenizers

    print(f"corpus: {CORPUS.relative_to(ROOT)}, tokenizers {tokenizers.__version__}, {os.cpu_count()} cores, "
          f"{'pairs' if arguments.pairs else 'single texts'}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    header = (f"{'tokenizer':34} {'tern 1t':>11} {'rust 1t':>11} {'ratio':>6} "
              f"{'tern ' + str(arguments.threads) + 't':>11} {'rust batch':>11} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for label, relative in TOKENIZERS:
        if arguments.only and arguments.only not in label:
            continue
        path = str(ROOT / relative)
        tern_single = run_tern(arguments.tern, path, 1, arguments.seconds, arguments.pairs)
        rust_single = run_python(path, "single", arguments.seconds, arguments.pairs)
        tern_multi = run_tern(arguments.tern, path, arguments.threads, arguments.seconds, arguments.pairs)
        rust_multi = run_python(path, "batch", arguments.seconds, arguments.pairs)
        if tern_single["tokens_per_pass"] != rust_single["tokens_per_pass"]:
            print(f"  warning: token counts differ: tern {tern_single['tokens_per_pass']}, "
                  f"tokenizers {rust_single['tokens_per_pass']}")
        print(f"{label:34} {tern_single['tokens_per_second']:>11,.0f} {rust_single['tokens_per_second']:>11,.0f} "
              f"{tern_single['tokens_per_second'] / rust_single['tokens_per_second']:>5.2f}x "
              f"{tern_multi['tokens_per_second']:>11,.0f} {rust_multi['tokens_per_second']:>11,.0f} "
              f"{tern_multi['tokens_per_second'] / rust_multi['tokens_per_second']:>5.2f}x", flush=True)


if __name__ == "__main__":
    main()
