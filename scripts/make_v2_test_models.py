"""Builds the Triton-layout model repository the KServe v2 tests serve (`models/v2/`), plus a broken model kept
outside it (`models/v2-broken/`) that tests copy in to exercise a failing load.

    models/v2/
      identity_<type>/1/model.onnx   Identity, OUTPUT0 = INPUT0, [-1, 3], one per v2 datatype (BOOL ... BYTES)
      fixed_fp32/1/model.onnx        OUTPUT0 = 2 * INPUT0, fixed shape [2, 3]
      add_sub/1/model.onnx           sum = a + b, diff = a - b, FP32 [-1, 4]
      wide_fp32/1/model.onnx         Identity, FP32 [-1, -1], batching off (max_batch_size: 0): large tensors
      versioned/1, versioned/2       OUTPUT0 = INPUT0 + version, FP32 [-1, 1]
      minilm/1/model.onnx            all-MiniLM-L6-v2's ONNX file and external data (symlinks), task raw
    models/v2-broken/broken/1/model.onnx   bytes that are not an ONNX model

Every model directory has a `config.yaml` with `task: raw` (wide_fp32's also turns batching off). Each generated model is run through ONNX Runtime
before it is published, so a bad graph fails here rather than in the server tests. Idempotent: the repository's
`.complete` stamp records the build version. Run through scripts/make-v2-test-models.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = REPO_ROOT / "models"
REPOSITORY = MODELS_DIR / "v2"
BROKEN = MODELS_DIR / "v2-broken"
MINILM = MODELS_DIR / "all-MiniLM-L6-v2" / "onnx"
STAMP = ".complete"
# Bump when the generated models change, so an existing repository is rebuilt.
BUILD_VERSION = "2"
# ORT 1.31 runs opset 17 graphs of IR version 8; both are old enough for any ORT a user may bring.
OPSET = 17
IR_VERSION = 8
RAW_CONFIG = "task: raw\n"

# v2 datatype -> (ONNX element type name, numpy dtype name)
DATATYPES = {
    "BOOL": ("BOOL", "bool"),
    "UINT8": ("UINT8", "uint8"),
    "UINT16": ("UINT16", "uint16"),
    "UINT32": ("UINT32", "uint32"),
    "UINT64": ("UINT64", "uint64"),
    "INT8": ("INT8", "int8"),
    "INT16": ("INT16", "int16"),
    "INT32": ("INT32", "int32"),
    "INT64": ("INT64", "int64"),
    "FP16": ("FLOAT16", "float16"),
    "FP32": ("FLOAT", "float32"),
    "FP64": ("DOUBLE", "float64"),
    "BYTES": ("STRING", "object"),
}


def save(model, directory: Path, version: str = "1") -> None:
    import onnx

    onnx.checker.check_model(model)
    (directory / version).mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(directory / version / "model.onnx"))
    (directory / "config.yaml").write_text(RAW_CONFIG)


def graph_model(name: str, nodes, inputs, outputs, initializers=()):
    from onnx import helper

    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="tern-tests")
    model.ir_version = IR_VERSION
    return model


def identity(datatype: str, shape=(None, 3), name: str | None = None):
    from onnx import TensorProto, helper

    element = getattr(TensorProto, DATATYPES[datatype][0])
    return graph_model(
        name or f"identity_{datatype.lower()}",
        [helper.make_node("Identity", ["INPUT0"], ["OUTPUT0"])],
        [helper.make_tensor_value_info("INPUT0", element, list(shape))],
        [helper.make_tensor_value_info("OUTPUT0", element, list(shape))],
    )


def fixed():
    from onnx import TensorProto, helper

    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    return graph_model(
        "fixed_fp32",
        [helper.make_node("Mul", ["INPUT0", "two"], ["OUTPUT0"])],
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, [2, 3])],
        [two],
    )


def add_sub():
    from onnx import TensorProto, helper

    return graph_model(
        "add_sub",
        [helper.make_node("Add", ["a", "b"], ["sum"]), helper.make_node("Sub", ["a", "b"], ["diff"])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, 4]) for name in ("a", "b")],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, 4]) for name in ("sum", "diff")],
    )


def plus(version: int):
    from onnx import TensorProto, helper

    offset = helper.make_tensor("offset", TensorProto.FLOAT, [], [float(version)])
    return graph_model(
        "versioned",
        [helper.make_node("Add", ["INPUT0", "offset"], ["OUTPUT0"])],
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, [None, 1])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, [None, 1])],
        [offset],
    )


def check_runs(path: Path, feeds: dict, expected: dict) -> None:
    """Runs the model once in ONNX Runtime and compares its outputs with `expected`."""
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = list(expected)
    for name, got in zip(names, session.run(names, feeds)):
        if not np.array_equal(got, expected[name]):
            raise SystemExit(f"{path}: {name} = {got!r}, expected {expected[name]!r}")


def sample(datatype: str):
    import numpy as np

    dtype = DATATYPES[datatype][1]
    if datatype == "BYTES":
        return np.array([["a", "", "ünï"], ["x" * 40, "b", "c"]], dtype=object)
    if datatype == "BOOL":
        return np.array([[True, False, True], [False, False, True]])
    return np.arange(6, dtype=dtype).reshape(2, 3)


def build(scratch: Path) -> None:
    import numpy as np

    repository = scratch / "v2"
    for datatype in DATATYPES:
        directory = repository / f"identity_{datatype.lower()}"
        save(identity(datatype), directory)
        value = sample(datatype)
        check_runs(directory / "1" / "model.onnx", {"INPUT0": value}, {"OUTPUT0": value})

    wide = repository / "wide_fp32"
    save(identity("FP32", shape=("rows", "columns"), name="wide_fp32"), wide)
    (wide / "config.yaml").write_text(RAW_CONFIG + "max_batch_size: 0\n")
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    check_runs(wide / "1" / "model.onnx", {"INPUT0": x}, {"OUTPUT0": x})

    save(fixed(), repository / "fixed_fp32")
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    check_runs(repository / "fixed_fp32" / "1" / "model.onnx", {"INPUT0": x}, {"OUTPUT0": 2 * x})

    save(add_sub(), repository / "add_sub")
    a, b = np.arange(8, dtype=np.float32).reshape(2, 4), np.ones((2, 4), dtype=np.float32)
    check_runs(repository / "add_sub" / "1" / "model.onnx", {"a": a, "b": b}, {"sum": a + b, "diff": a - b})

    for version in (1, 2):
        save(plus(version), repository / "versioned", str(version))
        x = np.array([[1.0]], dtype=np.float32)
        check_runs(repository / "versioned" / str(version) / "model.onnx", {"INPUT0": x}, {"OUTPUT0": x + version})

    minilm = repository / "minilm" / "1"
    minilm.mkdir(parents=True)
    for name in ("model.onnx", "model.onnx_data"):
        # Relative, so the link holds wherever `models/` lives; tests that copy the repository re-link it.
        os.symlink(os.path.relpath(MINILM / name, REPOSITORY / "minilm" / "1"), minilm / name)
    (repository / "minilm" / "config.yaml").write_text(RAW_CONFIG)

    broken = scratch / "v2-broken" / "broken"
    (broken / "1").mkdir(parents=True)
    (broken / "1" / "model.onnx").write_bytes(b"this is not an ONNX model\n")
    (broken / "config.yaml").write_text(RAW_CONFIG)


def is_current() -> bool:
    stamp = REPOSITORY / STAMP
    return stamp.is_file() and stamp.read_text().strip() == BUILD_VERSION and BROKEN.is_dir()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp says it is current")
    arguments = parser.parse_args()
    if not (MINILM / "model.onnx").is_file():
        print(f"{MINILM}/model.onnx is missing: run scripts/fetch-models first", file=sys.stderr)
        return 1
    if is_current() and not arguments.force:
        print(f"{REPOSITORY.relative_to(REPO_ROOT)} is current")
        return 0
    MODELS_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=MODELS_DIR, prefix=".v2-scratch-") as scratch_name:
        scratch = Path(scratch_name)
        build(scratch)
        (scratch / "v2" / STAMP).write_text(BUILD_VERSION + "\n")
        for name, destination in (("v2-broken", BROKEN), ("v2", REPOSITORY)):
            if destination.exists():
                shutil.rmtree(destination)
            (scratch / name).rename(destination)
    print(f"wrote {REPOSITORY.relative_to(REPO_ROOT)} and {BROKEN.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
