"""Builds the image models the image end-to-end tests serve, under models/images/.

  tiny-dpt-depth/     DPTForDepthEstimation (tiny DINOv2 backbone, random weights) in Hugging Face's layout:
                      config.json, DPTImageProcessor's preprocessor_config.json (256x256, keep aspect, multiple
                      of 32, bicubic, mean/std 0.5), model.safetensors, and model.onnx: pixel_values
                      [batch, 3, height, width] -> predicted_depth [batch, height, width]
  midas-opencv/       the MiDaS-small-style case of a Flask service: a tiny random conv net, model.onnx input
                      [1, 3, 256, 256] -> depth [1, 256, 256], and a config.yaml with OpenCV preprocessing
  tiny-vit-classify/  ViTForImageClassification (32x32, patch 8, 5 named labels) with ViTImageProcessor:
                      pixel_values [batch, 3, 32, 32] -> logits [batch, 5]
  tiny-clip-vision/   CLIPVisionModelWithProjection (32x32, patch 8) with CLIPImageProcessor (shortest edge +
                      centre crop): pixel_values [batch, 3, 32, 32] -> image_embeds [batch, 16], last_hidden_state
  ppocr-det/          a real model: PP-OCRv4's text detector from the rapidocr-onnxruntime wheel on PyPI, with a
                      config.yaml of rapidocr's detection preprocessing in Tern's keys

Each ONNX export (torch's TorchScript exporter, opset 17) is checked against PyTorch before the model is published,
so a bad export fails here rather than as a parity failure in the end-to-end tests. Idempotent: a directory whose
`.complete` stamp matches its spec is left alone, and torch is only imported when something has to be built.
Run through scripts/make-test-models.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = REPO_ROOT / "models"
IMAGES = "images"  # the subdirectory of the models directory they go in
STAMP = ".complete"
# Bump when the way the models are built changes, so existing directories are rebuilt.
BUILD_VERSION = 1
ONNX_TOLERANCE = 1e-4
OPSET = 17

RAPIDOCR = "rapidocr-onnxruntime==1.4.4"
RAPIDOCR_DET_MODEL = "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx"

RESCALE = 1 / 255
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
PIL_BILINEAR, PIL_BICUBIC = 2, 3
VIT_LABELS = ("tabby cat", "golden retriever", "sports car", "espresso", "mountain bike")


# Helpers shared by the builders.


def smooth_images(shape: tuple[int, ...], seed: int):
    """Normalised-looking inputs with image-like structure (smooth waves plus a little noise), not white noise:
    random ViTs and convs answer white noise with nearly the same map everywhere."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    batch, channels, height, width = shape
    y = torch.linspace(0, 1, height).view(1, 1, height, 1)
    x = torch.linspace(0, 1, width).view(1, 1, 1, width)
    phase = torch.rand((batch, channels, 1, 1), generator=generator) * 6.28
    waves = torch.sin(7 * x + 3 * y + phase) + torch.cos(5 * y - 4 * x * y + 2 * phase)
    return (0.6 * waves + 0.1 * torch.randn(shape, generator=generator)).float()


def export(module, example, path: Path, inputs: list[str], outputs: list[str], dynamic: dict | None) -> None:
    """TorchScript export (needs the onnx package, not onnxscript)."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation notice and tracer warnings
        torch.onnx.export(
            module, example, str(path), input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
            opset_version=OPSET, dynamo=False,
        )


def check_onnx(path: Path, module, shapes: list[tuple[int, ...]], outputs: list[str]) -> float:
    """Runs inputs of each shape through `module` and the ONNX file; raises unless every output agrees within
    ONNX_TOLERANCE. Returns the largest gap."""
    import numpy as np
    import onnxruntime as ort
    import torch

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    largest = 0.0
    for seed, shape in enumerate(shapes):
        example = smooth_images(shape, seed=100 + seed)
        with torch.no_grad():
            expected = module(example)
        expected = [expected] if isinstance(expected, torch.Tensor) else list(expected)
        actual = session.run(outputs, {input_name: example.numpy()})
        for name, want, got in zip(outputs, expected, actual):
            want = want.numpy()
            if got.shape != want.shape:
                raise RuntimeError(f"{path}: ONNX '{name}' has shape {got.shape} for input {shape}, torch {want.shape}")
            gap = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
            if not gap < ONNX_TOLERANCE:
                raise RuntimeError(f"{path}: ONNX '{name}' differs from PyTorch by {gap:.3g} (>= {ONNX_TOLERANCE}) at {shape}")
            largest = max(largest, gap)
    return largest


def write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n")


def io_summary(path: Path) -> str:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    describe = lambda values: ", ".join(f"{v.name} {list(v.shape)}" for v in values)  # noqa: E731
    return f"{describe(session.get_inputs())} -> {describe(session.get_outputs())}"


# The models.


def build_dpt(directory: Path) -> str:
    """DPT over a DINOv2 backbone (as facebook/dpt-dinov2-*): the ViT-only DPT reshapes its tokens into a square
    and so cannot take the non-square sizes keep_aspect_ratio makes; with a backbone it takes any multiple of 16."""
    import torch
    from transformers import Dinov2Config, DPTConfig, DPTForDepthEstimation

    torch.manual_seed(11)
    backbone = Dinov2Config(
        hidden_size=32, num_hidden_layers=4, num_attention_heads=2, mlp_ratio=2, image_size=256, patch_size=16,
        out_indices=[1, 2, 3, 4], reshape_hidden_states=False, apply_layernorm=True, initializer_range=0.3,
    )
    config = DPTConfig(
        backbone_config=backbone, hidden_size=32, num_hidden_layers=None, num_attention_heads=None,
        intermediate_size=None, image_size=None, patch_size=None, backbone_out_indices=None,
        neck_hidden_sizes=[8, 16, 32, 32], fusion_hidden_size=16, use_auxiliary_head=False,
        initializer_range=0.3, architectures=["DPTForDepthEstimation"],
    )
    config._attn_implementation = "eager"  # plain matmul attention traces without data-dependent branches
    model = DPTForDepthEstimation(config).eval()
    calibrate_depth_head(model.head.head[4], model, smooth_images((2, 3, 256, 352), seed=1))
    model.save_pretrained(directory)
    write_json(directory / "preprocessor_config.json", {
        "image_processor_type": "DPTImageProcessor",
        "do_resize": True,
        "size": {"height": 256, "width": 256},
        "keep_aspect_ratio": True,
        "ensure_multiple_of": 32,
        "resample": PIL_BICUBIC,
        "do_rescale": True,
        "rescale_factor": RESCALE,
        "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.5, 0.5, 0.5],
        "do_pad": False,
    })

    class DepthOnly(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, pixel_values):
            return self.model(pixel_values=pixel_values).predicted_depth

    wrapped = DepthOnly(model).eval()
    onnx = directory / "model.onnx"
    export(
        wrapped, (smooth_images((1, 3, 256, 352), seed=2),), onnx, ["pixel_values"], ["predicted_depth"],
        {"pixel_values": {0: "batch", 2: "height", 3: "width"}, "predicted_depth": {0: "batch", 1: "height", 2: "width"}},
    )
    gap = check_onnx(onnx, wrapped, [(1, 3, 256, 352), (2, 3, 256, 256), (1, 3, 352, 256), (1, 3, 64, 96)], ["predicted_depth"])
    return f"ONNX within {gap:.1e} of PyTorch"


def calibrate_depth_head(last_conv, model, example) -> None:
    """Rescales the head's last 1x1 conv so the map's values before its ReLU have mean 3 and standard deviation
    1 on smooth inputs: random weights otherwise give maps of 1e7 (so float32 rounding alone exceeds the ONNX
    tolerance) with most pixels clipped to 0 by the final ReLU."""
    import torch

    captured = {}
    hook = last_conv.register_forward_hook(lambda module, args, output: captured.update(value=output))
    with torch.no_grad():
        model(pixel_values=example)
        hook.remove()
        values = captured["value"]
        scale = float(values.std())
        last_conv.weight.div_(scale)
        last_conv.bias.copy_((last_conv.bias - float(values.mean())) / scale + 3.0)


def build_midas(directory: Path) -> str:
    import torch

    torch.manual_seed(12)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
        torch.nn.Conv2d(16, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 1, 1),
    )

    class MidasLike(torch.nn.Module):
        """[1, 3, 256, 256] -> [1, 256, 256], as MiDaS small's ONNX export squeezes its one channel."""

        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, x):
            return self.net(x).squeeze(1)

    model = MidasLike().eval()
    onnx = directory / "model.onnx"
    export(model, (smooth_images((1, 3, 256, 256), seed=3),), onnx, ["input"], ["depth"], None)
    gap = check_onnx(onnx, model, [(1, 3, 256, 256)], ["depth"])
    (directory / "config.yaml").write_text(MIDAS_CONFIG)
    return f"ONNX within {gap:.1e} of PyTorch"


MIDAS_CONFIG = """\
# A MiDaS-small-style depth model (fixed 256x256 input) as a Flask service runs it with OpenCV:
#   image = cv2.cvtColor(cv2.imdecode(buffer, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
#   image = cv2.resize(image, (256, 256), interpolation=cv2.INTER_CUBIC)
#   x = ((image / 255.0 - mean) / std).transpose(2, 0, 1)[None].astype(np.float32)
#   depth = session.run(None, {"input": x})[0][0]  # [256, 256]
#   depth = cv2.resize(depth, (width, height), interpolation=cv2.INTER_CUBIC)
#   png = ((depth - depth.min()) / (depth.max() - depth.min()) * 255).astype(np.uint8)
task: depth
input: input
output: depth
preprocess:
  resize:
    mode: stretch
    width: 256
    height: 256
    interpolation: bicubic
    library: opencv
  color: rgb
  scale: 0.00392156862745098
  mean: [0.485, 0.456, 0.406]
  std: [0.229, 0.224, 0.225]
  layout: nchw
  dtype: float32
postprocess:
  resize_back: true
  range: minmax
  output: png8
"""


def build_vit(directory: Path) -> str:
    import torch
    from transformers import ViTConfig, ViTForImageClassification

    torch.manual_seed(13)
    config = ViTConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, image_size=32, patch_size=8,
        id2label=dict(enumerate(VIT_LABELS)), label2id={label: i for i, label in enumerate(VIT_LABELS)},
        initializer_range=0.3, architectures=["ViTForImageClassification"],
    )
    config._attn_implementation = "eager"
    model = ViTForImageClassification(config).eval()
    model.save_pretrained(directory)
    write_json(directory / "preprocessor_config.json", {
        "image_processor_type": "ViTImageProcessor",
        "do_resize": True,
        "size": {"height": 32, "width": 32},
        "resample": PIL_BILINEAR,
        "do_rescale": True,
        "rescale_factor": RESCALE,
        "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.5, 0.5, 0.5],
    })

    class LogitsOnly(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, pixel_values):
            return self.model(pixel_values=pixel_values).logits

    wrapped = LogitsOnly(model).eval()
    onnx = directory / "model.onnx"
    export(
        wrapped, (smooth_images((2, 3, 32, 32), seed=4),), onnx, ["pixel_values"], ["logits"],
        {"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
    )
    gap = check_onnx(onnx, wrapped, [(1, 3, 32, 32), (3, 3, 32, 32)], ["logits"])
    return f"{len(VIT_LABELS)} labels, ONNX within {gap:.1e} of PyTorch"


def build_clip(directory: Path) -> str:
    import torch
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(14)
    config = CLIPVisionConfig(
        hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2, image_size=32, patch_size=8,
        projection_dim=16, architectures=["CLIPVisionModelWithProjection"],
    )
    config._attn_implementation = "eager"
    model = CLIPVisionModelWithProjection(config).eval()
    model.save_pretrained(directory)
    write_json(directory / "preprocessor_config.json", {
        "image_processor_type": "CLIPImageProcessor",
        "do_resize": True,
        "size": {"shortest_edge": 32},
        "resample": PIL_BICUBIC,
        "do_center_crop": True,
        "crop_size": {"height": 32, "width": 32},
        "do_rescale": True,
        "rescale_factor": RESCALE,
        "do_normalize": True,
        "image_mean": CLIP_MEAN,
        "image_std": CLIP_STD,
        "do_convert_rgb": True,
    })

    class Embeddings(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, pixel_values):
            out = self.model(pixel_values=pixel_values)
            return out.image_embeds, out.last_hidden_state

    wrapped = Embeddings(model).eval()
    onnx = directory / "model.onnx"
    names = ["image_embeds", "last_hidden_state"]
    export(
        wrapped, (smooth_images((2, 3, 32, 32), seed=5),), onnx, ["pixel_values"], names,
        {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}, "last_hidden_state": {0: "batch"}},
    )
    gap = check_onnx(onnx, wrapped, [(1, 3, 32, 32), (3, 3, 32, 32)], names)
    return f"{config.projection_dim}-d image_embeds, ONNX within {gap:.1e} of PyTorch"


def build_ppocr(directory: Path) -> str:
    """Takes the detector out of rapidocr-onnxruntime's wheel (downloaded into a scratch directory, as
    scripts/fetch-tokenizer-models does), with its licence note."""
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
             "-d", scratch, RAPIDOCR],
            check=True,
        )
        (wheel,) = Path(scratch).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            (directory / "model.onnx").write_bytes(archive.read(RAPIDOCR_DET_MODEL))
    (directory / "config.yaml").write_text(PPOCR_CONFIG)
    (directory / "SOURCE").write_text(
        f"model.onnx is {RAPIDOCR_DET_MODEL} from the {RAPIDOCR} wheel on PyPI (PaddleOCR's PP-OCRv4 text\n"
        "detector, Apache-2.0).\n"
    )
    return f"from {RAPIDOCR}"


PPOCR_CONFIG = """\
# PP-OCRv4's text detector (DBNet) as rapidocr-onnxruntime 1.4.4 runs it (ch_ppocr_det/utils.py, DetPreProcess):
# the image as BGR, resized with cv2.resize (INTER_LINEAR) so the shorter side becomes 736 (limit_type min,
# limit_side_len 736; images whose shorter side is already 736 or more keep their size), each side truncated
# and then rounded to a multiple of 32 (Python's round), then x / 255, mean 0.5, std 0.5, NCHW float32. The
# output is the text probability map [1, 1, h, w] in [0, 1].
#
# Tern's multiple-of mode cannot say "shorter side to 736": it scales towards a width x height box, keeping the
# aspect ratio with the scale nearer to 1 (DPT's rule), then rounds each side to the multiple (without rapidocr's
# truncation first). The box 992 x 736 gives rapidocr's size exactly for landscape images up to 992:736 (4:3 and
# 16:9 photos of height near 736 included, e.g. 640x480 -> 992x736, 1280x720 -> 1312x736); it differs for
# portrait images (480x640 -> 544x736 here, 736x992 in rapidocr), for wide landscapes (both sides brought
# towards the box instead of the shorter side to 736) and for images whose shorter side exceeds 736 (scaled
# towards the box here, kept in rapidocr). rapidocr also converts the image with Pillow and, for RGBA input,
# composites it over white or black; Tern drops alpha.
task: depth
preprocess:
  resize:
    mode: multiple-of
    width: 992
    height: 736
    multiple: 32
    interpolation: bilinear
    library: opencv
  color: bgr
  scale: 0.00392156862745098
  mean: [0.5, 0.5, 0.5]
  std: [0.5, 0.5, 0.5]
  layout: nchw
  dtype: float32
postprocess:
  resize_back: true
  range: [0, 1]
  output: png8
"""


@dataclass(frozen=True)
class ImageModel:
    name: str
    build: Callable[[Path], str]
    needs_torch: bool = True

    def fingerprint(self) -> str:
        source = {"ppocr-det": RAPIDOCR}.get(self.name, "torch")
        return json.dumps({"name": self.name, "build": BUILD_VERSION, "source": source}, sort_keys=True)


MODELS = (
    ImageModel("tiny-dpt-depth", build_dpt),
    ImageModel("midas-opencv", build_midas),
    ImageModel("tiny-vit-classify", build_vit),
    ImageModel("tiny-clip-vision", build_clip),
    ImageModel("ppocr-det", build_ppocr, needs_torch=False),
)


def publish(model: ImageModel, destination: Path) -> None:
    """Builds into a scratch directory beside `destination`, then moves it into place."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{model.name}-", dir=destination.parent))
    try:
        note = model.build(scratch)
        summary = io_summary(scratch / "model.onnx")
        (scratch / STAMP).write_text(model.fingerprint() + "\n")
        scratch.chmod(0o755)  # mkdtemp makes it private; the models are ordinary files like fetch-models' ones
        for path in scratch.iterdir():
            path.chmod(0o644)
        if destination.exists():
            shutil.rmtree(destination)
        scratch.rename(destination)
        shown = destination.relative_to(REPO_ROOT) if destination.is_relative_to(REPO_ROOT) else destination
        print(f"{shown}: {summary}; {note}")
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)


def is_current(model: ImageModel, directory: Path) -> bool:
    stamp = directory / STAMP
    return stamp.is_file() and stamp.read_text().strip() == model.fingerprint()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp says a model is current")
    parser.add_argument(
        "--models-dir", type=Path, default=MODELS_DIR, help=f"the models directory; the models go in its {IMAGES}/"
    )
    args = parser.parse_args()
    root = args.models_dir.resolve() / IMAGES
    stale = [model for model in MODELS if args.force or not is_current(model, root / model.name)]
    if not stale:
        return 0
    if any(model.needs_torch for model in stale):
        import torch
        from transformers.utils import logging as transformers_logging

        torch.set_num_threads(1)
        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
    for model in stale:
        publish(model, root / model.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
