"""Depth-estimation peer, served by gunicorn: `gunicorn -w 2 depth_flask_app:app` (issue 14's "Flask app under
gunicorn" service, written the way such services are written: OpenCV + numpy + onnxruntime).

POST /predict takes the image itself as the body (`Content-Type: image/jpeg`, as Tern's route does) and answers
the depth map as an 8-bit grey PNG at the upload's size: cv2.imdecode, BGR -> RGB, cv2.resize to the model's
input, /255, mean/std, NCHW float32, run, cv2.resize (bicubic) back to the input size, min-max to uint8,
cv2.imencode('.png').

Configured by environment, as the other peers are (bench/peers/embedder.py):
  PEER_MODEL    model directory: model.onnx, and config.yaml whose `preprocess` gives the input size, the
                interpolation, the scale and mean/std (the same file Tern reads, so both preprocess alike)
  PEER_THREADS  ONNX Runtime intra-op threads per process (default 1)

The session is created at import, as most Flask deployments do; under --preload that happens once in the
master and the workers share it copy-on-write. OpenCV's own thread count is left at its default, as users
leave it.
"""

import os
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import yaml
from flask import Flask, Response, jsonify, request

INTERPOLATIONS = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC,
                  "area": cv2.INTER_AREA}


def read_preprocess(model_dir: Path) -> dict:
    """The input size, interpolation, scale, mean/std and channel order from config.yaml's `preprocess`, with
    Tern's defaults (bilinear, scale 1/255, no normalisation, RGB). Only `stretch` resizing is read: a model with
    a fixed input, as the one this peer serves."""
    config = yaml.safe_load((model_dir / "config.yaml").read_text()) or {}
    preprocess = config.get("preprocess") or {}
    resize = preprocess.get("resize") or {}
    if resize.get("mode", "stretch") != "stretch" or "width" not in resize or "height" not in resize:
        raise ValueError(f"{model_dir}/config.yaml: this peer reads only preprocess.resize mode stretch with "
                         f"width and height, not {resize!r}")
    return {
        "size": (int(resize["width"]), int(resize["height"])),  # cv2.resize takes (width, height)
        "interpolation": INTERPOLATIONS[resize.get("interpolation", "bilinear")],
        "scale": float(preprocess.get("scale", 1 / 255)),
        "mean": np.array(preprocess.get("mean", [0.0, 0.0, 0.0]), dtype=np.float32),
        "std": np.array(preprocess.get("std", [1.0, 1.0, 1.0]), dtype=np.float32),
        "bgr": preprocess.get("color", "rgb") == "bgr",
    }


def decode_and_resize(body: bytes, settings: dict) -> tuple[np.ndarray | None, tuple[int, int]]:
    """The upload decoded by OpenCV (BGR) and resized to the model's input; None when it is not an image."""
    image = cv2.imdecode(np.frombuffer(body, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return None, (0, 0)
    height, width = image.shape[:2]
    return cv2.resize(image, settings["size"], interpolation=settings["interpolation"]), (width, height)


def to_tensor(resized: np.ndarray, settings: dict) -> np.ndarray:
    """[1, 3, H, W] float32: BGR -> RGB, scaled, normalised."""
    rgb = resized if settings["bgr"] else cv2.cvtColor(resized, cv2.COLOR_BGR2RGB)
    values = (rgb.astype(np.float32) * settings["scale"] - settings["mean"]) / settings["std"]
    return np.ascontiguousarray(values.transpose(2, 0, 1)[None], dtype=np.float32)


def depth_png(depth: np.ndarray, size: tuple[int, int]) -> bytes:
    """The map resized back to the upload's (width, height), min-max to 0-255 (truncated), as a grey PNG."""
    depth = cv2.resize(depth.astype(np.float32), size, interpolation=cv2.INTER_CUBIC)
    low, high = float(depth.min()), float(depth.max())
    scaled = (depth - low) / (high - low) if high > low else np.zeros_like(depth)
    grey = (np.clip(scaled, 0, 1) * 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".png", grey)
    assert ok
    return encoded.tobytes()


MODEL_DIR = Path(os.environ["PEER_MODEL"])
SETTINGS = read_preprocess(MODEL_DIR)
options = ort.SessionOptions()
options.intra_op_num_threads = int(os.environ.get("PEER_THREADS", "1"))
options.inter_op_num_threads = 1
session = ort.InferenceSession(str(MODEL_DIR / "model.onnx"), options, providers=["CPUExecutionProvider"])
INPUT_NAME = session.get_inputs()[0].name

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/predict")
def predict():
    resized, size = decode_and_resize(request.get_data(), SETTINGS)
    if resized is None:
        return jsonify(error="the body is not an image OpenCV can decode"), 400
    depth = session.run(None, {INPUT_NAME: to_tensor(resized, SETTINGS)})[0]
    return Response(depth_png(depth[0], size), mimetype="image/png")
