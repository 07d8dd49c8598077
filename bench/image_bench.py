#!/usr/bin/env python3
"""Tern against the Flask depth service it replaces (issue 14), side by side in one run.

Usage (from the repository root, after `swift build -c release` and `make test-models`):

    .venv/bin/python bench/image_bench.py [--repeats 3] [--seconds 8] [--out bench/results/DATE-images]

Two parts, each interleaved and repeated (rounds alternate which side goes first), printed as a table with ratios:

1. HTTP, 640x480 JPEG in, depth PNG at the upload's size out, with the MiDaS-style model of
   models/images/midas-opencv (fixed 256x256 input, OpenCV bicubic resize, ImageNet mean/std):
   - `gunicorn -w 2 depth_flask_app:app` (bench/peers/depth_flask_app.py: cv2.imdecode, BGR->RGB, cv2.resize,
     numpy normalisation, onnxruntime with one intra-op thread per worker, cv2.resize back, min-max, cv2.imencode);
   - `tern serve --model models/images/midas-opencv` (release build, its defaults).
   Closed loop at 8 and 32 connections (each sends its next image when the previous answer arrived) for
   --seconds after a warm-up: images/s, latency p50/p99, the server tree's CPU cores and peak RSS/PSS. Before
   measuring, one answer of each is checked to be a PNG of the upload's size and the two maps are compared.
2. Decode and preprocess on one thread, no HTTP: `tern bench image` against OpenCV + numpy
   (cv2.setNumThreads(1)) on the same files, for midas-opencv (bicubic to 256x256) and PP-OCR's detector
   (bilinear to 992x736, BGR): milliseconds per image for decoding alone and for decoding + preprocessing.

Writes results.json and results.md in the output folder (default bench/results/<date>-images/).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import image_samples  # noqa: E402
import open_loop  # noqa: E402
import raw_http  # noqa: E402
import server_tree  # noqa: E402
from reference import MODELS_DIR, REPO_ROOT  # noqa: E402
from scheduler_bench import machine_busy_seconds, own_cpu_seconds  # noqa: E402
from tern_process import RELEASE_BINARY, binary_path  # noqa: E402

DEPTH_MODEL = MODELS_DIR / "images" / "midas-opencv"
PREPROCESS_MODELS = [DEPTH_MODEL, MODELS_DIR / "images" / "ppocr-det"]
CONNECTIONS = (8, 32)
IMAGE_COUNT = 8  # distinct uploads, cycled


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="rounds of every measurement")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per HTTP point")
    parser.add_argument("--warmup", type=float, default=1.5, help="unmeasured seconds before each HTTP point")
    parser.add_argument("--preprocess-seconds", type=float, default=1.5, help="seconds per preprocessing step")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default bench/results/<date>-images)")
    return parser.parse_args()


def output_folder(requested: Path | None) -> Path:
    if requested is not None:
        requested.mkdir(parents=True, exist_ok=True)
        return requested
    base = REPO_ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-images"
    folder, attempt = base, 1
    while folder.exists():
        attempt += 1
        folder = base.with_name(f"{base.name}-{attempt}")
    folder.mkdir(parents=True)
    return folder


def uploads() -> list[bytes]:
    """640x480 baseline JPEGs (quality 90) of different photo-like pictures."""
    return [image_samples.jpeg_baseline(seed=seed) for seed in range(IMAGE_COUNT)]


def server_kinds(tern: Path) -> list[server_tree.ServerKind]:
    gunicorn = str(server_tree.VENV_BIN / "gunicorn")
    return [
        server_tree.ServerKind("gunicorn -w 2", (gunicorn, "-w", "2", "-b", "127.0.0.1:{port}",
                                                 "depth_flask_app:app"), peer_threads=1),
        server_tree.ServerKind("tern", (str(tern), "serve", "--host", "127.0.0.1", "--port", "0")),
    ]


def depth_map(server, body: bytes) -> np.ndarray:
    answer = raw_http.request(server.port, "POST", "/predict", body,
                              {"Content-Type": "image/jpeg", "Accept": "image/png"}, timeout=60)
    if answer.status != 200:
        raise RuntimeError(f"{server.kind.name}: /predict answered {answer.status}: {answer.body[:200]!r}")
    image = Image.open(io.BytesIO(answer.body))
    if image.format != "PNG" or image.size != (image_samples.WIDTH, image_samples.HEIGHT):
        raise RuntimeError(f"{server.kind.name}: answered a {image.format} of {image.size}, not a 640x480 PNG")
    return np.asarray(image.convert("L"), dtype=np.int16)


def http_point(server, payloads: list[bytes], connections: int, args) -> dict:
    server_tree.wait_quiet(server.pid)
    cpu_before = server_tree.tree_cpu_seconds(server.pid)
    with server_tree.PeakMemorySampler(server.pid) as sampler:
        result = open_loop.closed_loop(server.port, payloads, connections, args.seconds, warmup=args.warmup,
                                       content_type="image/png")
    cpu = server_tree.tree_cpu_seconds(server.pid) - cpu_before
    latencies = result.ok_latencies_ms
    return {
        "connections": connections, "images_per_s": result.accepted / result.seconds,
        "p50_ms": open_loop.percentile(latencies, 0.5), "p99_ms": open_loop.percentile(latencies, 0.99),
        "outcomes": {str(k): v for k, v in result.outcomes.items()},
        "server_cores": cpu / (args.seconds + args.warmup), "peak_kib": dict(sampler.peak),
        "generator_share": result.cpu_seconds / result.seconds / os.cpu_count(),
    }


def bench_http(args, tern: Path) -> dict:
    images = uploads()
    servers = {}
    try:
        for kind in server_kinds(tern):
            print(f"  starting {kind.name}", flush=True)
            server = server_tree.start(kind, DEPTH_MODEL)
            servers[kind.name] = server
            print(f"    ready in {server.ready_seconds:.2f} s, idle RSS "
                  f"{server_tree.tree_memory_kib(server.pid)['rss'] / 1024:.0f} MiB", flush=True)
        maps = {name: depth_map(server, images[0]) for name, server in servers.items()}
        gap = np.abs(maps["tern"] - maps["gunicorn -w 2"])
        agreement = {"max_levels": int(gap.max()), "within_1_level": float(np.mean(gap <= 1)),
                     "mean_levels": float(gap.mean())}
        print(f"  the two depth PNGs: {agreement['within_1_level']:.4%} of pixels within 1 grey level, "
              f"max {agreement['max_levels']}", flush=True)
        payloads = {name: [open_loop.build_request(server.port, body, "/predict", "image/jpeg") for body in images]
                    for name, server in servers.items()}
        rounds = []
        names = list(servers)
        for round_index in range(args.repeats):
            order = names if round_index % 2 == 0 else names[::-1]
            points = {}
            for connections in CONNECTIONS:
                for name in order:
                    point = http_point(servers[name], payloads[name], connections, args)
                    points.setdefault(name, {})[str(connections)] = point
                    print(f"  round {round_index + 1}, {connections:>2} conn, {name:>13}: "
                          f"{point['images_per_s']:6.1f} images/s, p50 {point['p50_ms']:7.1f} ms, "
                          f"p99 {point['p99_ms']:7.1f} ms, {point['server_cores']:.2f} cores, peak RSS "
                          f"{point['peak_kib']['rss'] / 1024:.0f} MiB, outcomes {point['outcomes']}", flush=True)
            rounds.append(points)
        return {"agreement": agreement, "rounds": rounds,
                "ready_s": {name: server.ready_seconds for name, server in servers.items()}}
    finally:
        for server in servers.values():
            server.stop()


def opencv_preprocess_ms(model_dir: Path, files: list[Path], seconds: float) -> list[dict]:
    """OpenCV's decode and decode + preprocess, per image, one thread, as the Flask peer does them."""
    import cv2
    import yaml

    cv2.setNumThreads(1)
    config = yaml.safe_load((model_dir / "config.yaml").read_text())
    preprocess = config["preprocess"]
    resize = preprocess["resize"]
    interpolation = {"bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA,
                     "nearest": cv2.INTER_NEAREST}[resize.get("interpolation", "bilinear")]
    mean = np.array(preprocess.get("mean", [0, 0, 0]), dtype=np.float32)
    std = np.array(preprocess.get("std", [1, 1, 1]), dtype=np.float32)
    scale = float(preprocess.get("scale", 1 / 255))
    bgr = preprocess.get("color", "rgb") == "bgr"

    def target(width: int, height: int) -> tuple[int, int]:
        if resize["mode"] == "stretch":
            return resize["width"], resize["height"]
        # multiple-of (DPT's rule): the scale nearer to 1 for both sides, each rounded to the multiple
        scale_w, scale_h = resize["width"] / width, resize["height"] / height
        chosen = scale_w if abs(1 - scale_w) < abs(1 - scale_h) else scale_h
        multiple = resize["multiple"]
        return (max(multiple, round(chosen * width / multiple) * multiple),
                max(multiple, round(chosen * height / multiple) * multiple))

    def decode(buffer: np.ndarray) -> np.ndarray:
        return cv2.imdecode(buffer, cv2.IMREAD_COLOR)

    def full(buffer: np.ndarray) -> np.ndarray:
        image = decode(buffer)
        image = cv2.resize(image, target(image.shape[1], image.shape[0]), interpolation=interpolation)
        if not bgr:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        values = (image.astype(np.float32) * scale - mean) / std
        return np.ascontiguousarray(values.transpose(2, 0, 1))

    def per_call(body, buffer) -> float:
        body(buffer)
        calls, start = 0, time.perf_counter()
        while True:
            body(buffer)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return elapsed / calls

    rows = []
    for path in files:
        buffer = np.frombuffer(path.read_bytes(), dtype=np.uint8)
        rows.append({"image": str(path), "tensor_shape": list(full(buffer).shape),
                     "decode_ms": per_call(decode, buffer) * 1e3, "decode_preprocess_ms": per_call(full, buffer) * 1e3})
    return rows


def tern_preprocess_ms(tern: Path, model_dir: Path, files: list[Path], seconds: float) -> list[dict]:
    argv = [str(tern), "bench", "image", "--model", str(model_dir), "--seconds", str(seconds), "--json"]
    for path in files:
        argv += ["--image", str(path)]
    return json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)


def bench_preprocess(args, tern: Path, folder: Path) -> dict:
    files = []
    for seed in range(2):
        path = folder / f"upload-{seed}.jpg"
        path.write_bytes(image_samples.jpeg_baseline(seed=seed))
        files.append(path)
    results = {}
    for model_dir in PREPROCESS_MODELS:
        rounds = []
        for round_index in range(args.repeats):
            sides = [("tern", lambda: tern_preprocess_ms(tern, model_dir, files, args.preprocess_seconds)),
                     ("opencv", lambda: opencv_preprocess_ms(model_dir, files, args.preprocess_seconds))]
            if round_index % 2:
                sides.reverse()
            measured = {name: measure() for name, measure in sides}
            rounds.append(measured)
            print(f"  {model_dir.name} round {round_index + 1}: decode tern "
                  f"{mean_of(measured['tern'], 'decode_ms'):.2f} / opencv {mean_of(measured['opencv'], 'decode_ms'):.2f}"
                  f" ms; decode + preprocess tern {mean_of(measured['tern'], 'decode_preprocess_ms'):.2f} / opencv "
                  f"{mean_of(measured['opencv'], 'decode_preprocess_ms'):.2f} ms "
                  f"(tensor {measured['tern'][0]['tensor_shape']} / {measured['opencv'][0]['tensor_shape']})",
                  flush=True)
        results[model_dir.name] = rounds
    for path in files:
        path.unlink()
    return results


def mean_of(rows: list[dict], key: str) -> float:
    return statistics.fmean(row[key] for row in rows)


def report(run: dict) -> str:
    http = run["http"]
    lines = [f"# Tern against gunicorn + Flask + OpenCV on a depth model, {run['started']}", "",
             f"Machine: {run['machine']}. Versions: {run['versions']}.",
             f"Command: `{run['command']}`; {run['settings']['repeats']} interleaved rounds, "
             f"{run['settings']['seconds']:g} s per point after {run['settings']['warmup']:g} s of warm-up. "
             f"Other processes used {run['other_cpu_share']:.0%} of the machine during the run.", "",
             "## HTTP: 640x480 JPEG in, depth PNG (640x480) out, models/images/midas-opencv", "",
             f"The two servers' maps of the same upload: {http['agreement']['within_1_level']:.4%} of pixels within "
             f"1 grey level, max {http['agreement']['max_levels']} levels.", "",
             "Medians over the rounds (ratio: Tern / gunicorn for images/s, gunicorn / Tern for latency, each round's "
             "ratio then the median):", "",
             "| connections | server | images/s | p50 ms | p99 ms | server cores | peak RSS MiB | peak PSS MiB | not 200 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    names = list(http["rounds"][0])
    for connections in map(str, CONNECTIONS):
        for name in names:
            points = [round_[name][connections] for round_ in http["rounds"]]
            median = lambda key: statistics.median(p[key] for p in points)  # noqa: E731
            errors = sum(sum(v for k, v in p["outcomes"].items() if k != "200") for p in points)
            lines.append(f"| {connections} | {name} | {median('images_per_s'):.1f} | {median('p50_ms'):.0f} | "
                         f"{median('p99_ms'):.0f} | {median('server_cores'):.2f} | "
                         f"{statistics.median(p['peak_kib']['rss'] for p in points) / 1024:.0f} | "
                         f"{statistics.median(p['peak_kib']['pss'] for p in points) / 1024:.0f} | {errors} |")
        ratios = [r["tern"][connections]["images_per_s"] / r["gunicorn -w 2"][connections]["images_per_s"]
                  for r in http["rounds"]]
        p99 = [r["gunicorn -w 2"][connections]["p99_ms"] / r["tern"][connections]["p99_ms"] for r in http["rounds"]]
        lines.append(f"| {connections} | **ratio** | **{statistics.median(ratios):.2f}x** "
                     f"({', '.join(f'{x:.2f}' for x in ratios)}) | | **{statistics.median(p99):.2f}x** | | | | |")
    lines += ["", "## Decode and preprocess on one thread (ms per 640x480 JPEG, mean of 2 images, median of rounds)",
              "", "| model | tensor | decode: Tern | OpenCV | ratio | decode + preprocess: Tern | OpenCV | ratio |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for model, rounds in run["preprocess"].items():
        cells = {}
        for key in ("decode_ms", "decode_preprocess_ms"):
            tern = statistics.median(mean_of(r["tern"], key) for r in rounds)
            cv = statistics.median(mean_of(r["opencv"], key) for r in rounds)
            cells[key] = f"{tern:.2f} | {cv:.2f} | {cv / tern:.2f}x"
        lines.append(f"| {model} | {rounds[0]['tern'][0]['tensor_shape']} | {cells['decode_ms']} | "
                     f"{cells['decode_preprocess_ms']} |")
    lines += ["", "Ratios above 1 favour Tern (OpenCV's time / Tern's)."]
    return "\n".join(lines) + "\n"


def versions(tern: Path) -> str:
    packages = ["onnxruntime", "opencv-python-headless", "numpy", "flask", "gunicorn"]
    found = [f"{name} {metadata.version(name)}" for name in packages]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                            text=True).stdout.strip()
    built = datetime.datetime.fromtimestamp(tern.stat().st_mtime, datetime.timezone.utc)
    return ", ".join([f"python {platform.python_version()}", *found,
                      f"tern {commit}, release binary built {built:%Y-%m-%d %H:%M} UTC"])


def main() -> None:
    args = parse_arguments()
    tern = binary_path(RELEASE_BINARY)
    folder = output_folder(args.out)
    open_loop.raise_nofile_limit(1024)
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    run = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "command": " ".join(["bench/image_bench.py", *sys.argv[1:]]),
           "machine": f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}", "versions": versions(tern),
           "settings": {"repeats": args.repeats, "seconds": args.seconds, "warmup": args.warmup,
                        "preprocess_seconds": args.preprocess_seconds}}
    started, busy_start, own_start = time.monotonic(), machine_busy_seconds(), own_cpu_seconds()
    print(f"image benchmark -> {os.path.relpath(folder, REPO_ROOT)}", flush=True)
    print("HTTP, depth PNG", flush=True)
    run["http"] = bench_http(args, tern)
    print("decode and preprocess, one thread", flush=True)
    run["preprocess"] = bench_preprocess(args, tern, folder)
    wall = time.monotonic() - started
    foreign = max((machine_busy_seconds() - busy_start) - (own_cpu_seconds() - own_start), 0.0)
    run.update(wall_s=wall, other_cpu_share=foreign / wall / os.cpu_count())
    (folder / "results.json").write_text(json.dumps(run, indent=1))
    text = report(run)
    (folder / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
