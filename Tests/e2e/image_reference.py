"""The Python reference for Tern's image models, written the way their users write it, on the same model.onnx
files Tern serves (scripts/make-test-models builds them under models/images/).

- Hugging Face layout (tiny-dpt-depth, tiny-vit-classify, tiny-clip-vision): transformers' own image processor
  (`AutoImageProcessor.from_pretrained`, its Pillow backend) and onnxruntime; depth maps go through the
  processor's `post_process_depth_estimation` and the 8-bit formatting of transformers' depth-estimation
  pipeline; class scores are softmax (sigmoid for multi-label) over `id2label`; embeddings are `image_embeds`,
  L2-normalised. Images are read as `transformers.image_utils.load_image` reads them: Pillow,
  `ImageOps.exif_transpose`, `convert("RGB")`.
- config.yaml models (midas-opencv, ppocr-det): OpenCV + numpy + onnxruntime, as a Flask service does it:
  `cv2.imdecode` (which applies EXIF orientation), `cvtColor`, `cv2.resize`, normalise, run, resize the map back
  with `cv2.resize(..., INTER_CUBIC)`, min-max or a fixed range to uint8. The constants are written out here, not
  read from config.yaml, so the reference does not share Tern's reading of that file.

Where a user's natural code differs from what Tern documents, the reference follows Tern and the function's
docstring says what the natural code does instead:
- 16-bit PNGs: Tern (libpng's `png_set_strip_16`) keeps each sample's high byte, `v >> 8`, as OpenCV's
  `IMREAD_COLOR` does. Pillow opens 16-bit greyscale as mode `I;16`, which `convert("RGB")` clips at 255 (most of
  a 16-bit picture turns white); the Pillow decoder here keeps the high byte instead.
- Resizing the map back: Tern and `post_process_depth_estimation` use torch's bicubic (`align_corners=False`,
  a = -0.75); `cv2.resize(..., INTER_CUBIC)` on float32 is the same filter (within 1e-5 of it), while
  `cv2.resize`'s default, INTER_LINEAR, is what many services write and gives a smoother map.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps

from reference import MODELS_DIR

IMAGE_MODELS_DIR = MODELS_DIR / "images"
DPT_DEPTH = IMAGE_MODELS_DIR / "tiny-dpt-depth"
MIDAS_OPENCV = IMAGE_MODELS_DIR / "midas-opencv"
VIT_CLASSIFY = IMAGE_MODELS_DIR / "tiny-vit-classify"
CLIP_VISION = IMAGE_MODELS_DIR / "tiny-clip-vision"
PPOCR_DET = IMAGE_MODELS_DIR / "ppocr-det"
HF_MODELS = (DPT_DEPTH, VIT_CLASSIFY, CLIP_VISION)
OPENCV_MODELS = (MIDAS_OPENCV, PPOCR_DET)
ALL_MODELS = HF_MODELS + OPENCV_MODELS
MAKE_HINT = "run scripts/make-test-models from the repository root (after scripts/setup-python)"

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
MIDAS_SIZE = 256
# ppocr-det: Tern's multiple-of box (config.yaml explains how it relates to rapidocr's "shorter side to 736").
PPOCR_BOX = (992, 736)
PPOCR_MULTIPLE = 32


@dataclass
class DepthReference:
    """A dense map as Tern serves it: `depth` is the float map at the image's size (what `float32` output
    holds), `png8` its 8-bit grey levels (what the default PNG holds); `raw` the model's own output row."""

    depth: np.ndarray
    png8: np.ndarray
    raw: np.ndarray


# Decoding.


def _high_byte(samples: np.ndarray) -> np.ndarray:
    """libpng's png_set_strip_16 and OpenCV's IMREAD_COLOR: `v >> 8`."""
    return (samples.astype(np.uint32) >> 8).astype(np.uint8)


def pil_image(image_bytes: bytes) -> Image.Image:
    """The image as transformers' `load_image` gives it (EXIF orientation applied, RGB), except that 16-bit
    greyscale keeps its high byte as Tern does, where `convert("RGB")` alone would clip it at 255."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(image_bytes)))
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = Image.fromarray(_high_byte(np.asarray(image)), "L")
    return image.convert("RGB")


def opencv_image(image_bytes: bytes) -> np.ndarray:
    """BGR uint8, as `cv2.imdecode(buffer, cv2.IMREAD_COLOR)` gives it (EXIF orientation applied, alpha
    dropped, grey and palette expanded, 16-bit samples cut to their high byte)."""
    image = cv2.imdecode(np.frombuffer(image_bytes, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("OpenCV cannot decode the image")
    return image


# Sessions and processors, loaded once per file.


def onnx_file(model_dir: Path) -> Path:
    path = Path(model_dir) / "model.onnx"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}; {MAKE_HINT}")
    return path


@lru_cache(maxsize=None)
def session(model_dir: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(onnx_file(model_dir)), options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=None)
def image_processor(model_dir: Path):
    from transformers import AutoImageProcessor

    return AutoImageProcessor.from_pretrained(str(model_dir))


@lru_cache(maxsize=None)
def hf_config(model_dir: Path) -> dict:
    return json.loads((Path(model_dir) / "config.json").read_text())


def is_hugging_face(model_dir: Path) -> bool:
    return (Path(model_dir) / "preprocessor_config.json").is_file()


def _run(model_dir: Path, tensor: np.ndarray, output: str | None = None) -> np.ndarray:
    model = session(Path(model_dir))
    name = model.get_inputs()[0].name
    outputs = [output] if output else [model.get_outputs()[0].name]
    return model.run(outputs, {name: tensor})[0]


# Hugging Face models.


def hf_pixel_values(model_dir: Path, image_bytes: bytes) -> np.ndarray:
    """`processor(images=image, return_tensors="np").pixel_values`: [1, 3, height, width] float32."""
    processor = image_processor(Path(model_dir))
    return processor(images=pil_image(image_bytes), return_tensors="np")["pixel_values"].astype(np.float32)


def hf_depth(model_dir: Path, image_bytes: bytes) -> DepthReference:
    """The depth-estimation pipeline's answer, with onnxruntime in place of the PyTorch model."""
    import torch
    from transformers.modeling_outputs import DepthEstimatorOutput

    image = pil_image(image_bytes)
    processor = image_processor(Path(model_dir))
    pixel_values = processor(images=image, return_tensors="np")["pixel_values"].astype(np.float32)
    predicted = _run(model_dir, pixel_values, "predicted_depth")
    outputs = DepthEstimatorOutput(predicted_depth=torch.from_numpy(predicted))
    (result,) = processor.post_process_depth_estimation(outputs, target_sizes=[image.size[::-1]])
    depth = result["predicted_depth"].detach().cpu().numpy()
    # transformers' DepthEstimationPipeline.postprocess, as written there.
    unit = (depth - depth.min()) / (depth.max() - depth.min())
    return DepthReference(depth=depth, png8=(unit * 255).astype("uint8"), raw=predicted[0])


@dataclass(frozen=True)
class LabelScore:
    label: str
    index: int
    score: float


def hf_classify(model_dir: Path, image_bytes: bytes, top_k: int = 5) -> list[LabelScore]:
    """Softmax (sigmoid when `problem_type` is multi-label) over the logits, best `top_k` first (ties by index),
    named from `id2label`, as the image-classification pipeline returns them."""
    logits = _run(model_dir, hf_pixel_values(model_dir, image_bytes), "logits")[0].astype(np.float64)
    config = hf_config(Path(model_dir))
    if config.get("problem_type") == "multi_label_classification":
        scores = 1 / (1 + np.exp(-logits))
    else:
        exp = np.exp(logits - logits.max())
        scores = exp / exp.sum()
    labels = config.get("id2label", {})
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top_k]
    return [LabelScore(labels.get(str(i), f"LABEL_{i}"), i, float(scores[i])) for i in order]


def hf_embed(model_dir: Path, image_bytes: bytes) -> np.ndarray:
    """`image_embeds`, L2-normalised (float64)."""
    vector = _run(model_dir, hf_pixel_values(model_dir, image_bytes), "image_embeds")[0].astype(np.float64)
    return vector / np.linalg.norm(vector)


# config.yaml models, the OpenCV way.


def midas_tensor(image_bytes: bytes) -> np.ndarray:
    """midas-opencv's input: RGB, `cv2.resize` to 256x256 with INTER_CUBIC on the 8-bit image, /255, ImageNet
    mean and std, NCHW float32.

    MiDaS's own scripts divide by 255 first and resize the float image; Tern resizes the 8-bit image (as
    `cv2.resize` on the uint8 array does), which differs by up to half a level before normalisation."""
    image = cv2.cvtColor(opencv_image(image_bytes), cv2.COLOR_BGR2RGB)
    image = cv2.resize(image, (MIDAS_SIZE, MIDAS_SIZE), interpolation=cv2.INTER_CUBIC)
    x = (image.astype(np.float32) * np.float32(1 / 255) - IMAGENET_MEAN) / IMAGENET_STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def multiple_of_size(width: int, height: int, box: tuple[int, int], multiple: int) -> tuple[int, int]:
    """Tern's (and DPT's) keep-aspect multiple-of size: scale towards `box` (width, height) by whichever of the
    two scales is nearer to 1, then round each side to `multiple` (Python's round, half to even)."""
    scale_width, scale_height = box[0] / width, box[1] / height
    if abs(1 - scale_width) < abs(1 - scale_height):
        scale_height = scale_width
    else:
        scale_width = scale_height

    def constrain(value: float) -> int:
        x = round(value / multiple) * multiple
        return x if x >= 0 else int(np.ceil(value / multiple)) * multiple

    return max(constrain(scale_width * width), 1), max(constrain(scale_height * height), 1)


def rapidocr_det_size(width: int, height: int, limit_side_len: int = 736) -> tuple[int, int]:
    """The size rapidocr-onnxruntime 1.4.4's DetPreProcess (limit_type "min") resizes to, for comparison: the
    shorter side to `limit_side_len` when it is shorter, sides truncated then rounded to multiples of 32."""
    ratio = 1.0
    if min(height, width) < limit_side_len:
        ratio = limit_side_len / height if height < width else limit_side_len / width
    resize_h, resize_w = int(height * ratio), int(width * ratio)
    return int(round(resize_w / 32) * 32), int(round(resize_h / 32) * 32)


def ppocr_tensor(image_bytes: bytes) -> np.ndarray:
    """ppocr-det's input as rapidocr's DetPreProcess makes it (BGR, `cv2.resize` INTER_LINEAR, x/255, mean and
    std 0.5, NCHW float32), at the size Tern's multiple-of box gives (`multiple_of_size`); that equals
    `rapidocr_det_size` for landscape photos such as 640x480 (config.yaml lists where they differ)."""
    image = opencv_image(image_bytes)
    height, width = image.shape[:2]
    size = multiple_of_size(width, height, PPOCR_BOX, PPOCR_MULTIPLE)
    image = cv2.resize(image, size)
    x = (image.astype(np.float32) * np.float32(1 / 255) - np.float32(0.5)) / np.float32(0.5)
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def _map_back(raw: np.ndarray, width: int, height: int) -> np.ndarray:
    """The model's map ([h, w] after dropping leading 1s) at the image's size, bicubic."""
    plane = raw.reshape(raw.shape[-2:]).astype(np.float32)
    return cv2.resize(plane, (width, height), interpolation=cv2.INTER_CUBIC)


def _grey8_minmax(depth: np.ndarray) -> np.ndarray:
    low, high = depth.min(), depth.max()
    if not high > low:
        return np.zeros(depth.shape, dtype=np.uint8)
    return ((depth - low) / (high - low) * 255).astype(np.uint8)


def midas_depth(image_bytes: bytes) -> DepthReference:
    """midas-opencv's map at the image's size, min-max to 8 bits (truncated, as `astype(np.uint8)` does)."""
    height, width = opencv_image(image_bytes).shape[:2]
    raw = _run(MIDAS_OPENCV, midas_tensor(image_bytes), "depth")[0]
    depth = _map_back(raw, width, height)
    return DepthReference(depth=depth, png8=_grey8_minmax(depth), raw=raw)


def ppocr_depth(image_bytes: bytes) -> DepthReference:
    """ppocr-det's text probability map at the image's size, the fixed range [0, 1] to 8 bits (clipped,
    truncated)."""
    height, width = opencv_image(image_bytes).shape[:2]
    raw = _run(PPOCR_DET, ppocr_tensor(image_bytes))[0]
    depth = _map_back(raw, width, height)
    return DepthReference(depth=depth, png8=(np.clip(depth, 0, 1) * 255).astype(np.uint8), raw=raw)


# One entry point per question, for every model.


def preprocessed_tensor(model_dir: Path, image_bytes: bytes) -> np.ndarray:
    """The tensor the model is fed for `image_bytes`, [1, 3, height, width] float32."""
    model_dir = Path(model_dir)
    if is_hugging_face(model_dir):
        return hf_pixel_values(model_dir, image_bytes)
    if model_dir.name == MIDAS_OPENCV.name:
        return midas_tensor(image_bytes)
    if model_dir.name == PPOCR_DET.name:
        return ppocr_tensor(image_bytes)
    raise ValueError(f"no reference for {model_dir}")


def depth(model_dir: Path, image_bytes: bytes) -> DepthReference:
    model_dir = Path(model_dir)
    if is_hugging_face(model_dir):
        return hf_depth(model_dir, image_bytes)
    if model_dir.name == MIDAS_OPENCV.name:
        return midas_depth(image_bytes)
    if model_dir.name == PPOCR_DET.name:
        return ppocr_depth(image_bytes)
    raise ValueError(f"no depth reference for {model_dir}")


def image_size(image_bytes: bytes) -> tuple[int, int]:
    """(width, height) after EXIF orientation."""
    return pil_image(image_bytes).size


def depth_png(model_dir: Path, image_bytes: bytes) -> np.ndarray:
    """The 8-bit grey levels of the default PNG answer, [height, width] uint8."""
    return depth(model_dir, image_bytes).png8


def labels(model_dir: Path, image_bytes: bytes, top_k: int = 5) -> list[tuple[str, float]]:
    """(label, score) pairs, best first (see `hf_classify`)."""
    return [(entry.label, entry.score) for entry in hf_classify(model_dir, image_bytes, top_k)]


def embedding(model_dir: Path, image_bytes: bytes) -> np.ndarray:
    """The L2-normalised image vector (see `hf_embed`)."""
    return hf_embed(model_dir, image_bytes)
