#!/usr/bin/env python3
"""Prints the reference numbers that Tests/ONNXRuntimeTests/ReferenceValues.swift pins.

Runs the MiniLM models with Python onnxruntime (CPU) on the same 2x8 batch the Swift tests build, and prints the
output at a few positions plus the sum of every output element. Run from the repository root:

    .venv/bin/python scripts/onnxruntime-reference-values.py
"""
import numpy as np
import onnxruntime as ort

# Row 0 is padded (last two positions masked out); row 1 fills all eight positions.
INPUT_IDS = np.array(
    [[101, 7592, 1010, 2088, 999, 102, 0, 0], [101, 1996, 4248, 2829, 4419, 14523, 2058, 102]], dtype=np.int64
)
ATTENTION_MASK = np.array([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]], dtype=np.int64)
TOKEN_TYPE_IDS = np.zeros((2, 8), dtype=np.int64)
# (batch, position, hidden) indices whose values the tests compare.
PROBES = [(0, 0, 0), (0, 0, 1), (0, 5, 383), (0, 7, 10), (1, 3, 100), (1, 7, 200)]

for name, path in [
    ("fp32", "models/all-MiniLM-L6-v2/onnx/model.onnx"),
    ("int8", "models/all-MiniLM-L6-v2-int8/model.onnx"),
]:
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (hidden,) = session.run(
        ["last_hidden_state"],
        {"input_ids": INPUT_IDS, "attention_mask": ATTENTION_MASK, "token_type_ids": TOKEN_TYPE_IDS},
    )
    print(f"// {name}: {path} (onnxruntime {ort.__version__}), shape {list(hidden.shape)}")
    for b, s, h in PROBES:
        print(f"    Probe(batch: {b}, position: {s}, hidden: {h}, value: {float(hidden[b, s, h])!r}),")
    print(f"    sum: {float(hidden.astype(np.float64).sum())!r}")
