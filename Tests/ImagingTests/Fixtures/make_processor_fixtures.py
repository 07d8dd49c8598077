"""Writes processors/: what transformers' image processors (the Pillow backends, as transformers 5 uses them
without torchvision) make of resize/source.png and of baseline.jpg: `<name>.json` the processor's configuration
(as preprocessor_config.json holds it), `<name>-<image>.f32` the float32 pixel_values, channels first.
Run from this folder; the files are committed."""

import json

import numpy as np
from PIL import Image
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil
from transformers.models.dpt.image_processing_pil_dpt import DPTImageProcessorPil
from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

PROCESSORS = {
    "dpt": (DPTImageProcessorPil, {
        "image_processor_type": "DPTImageProcessor", "do_resize": True, "size": {"height": 32, "width": 32},
        "keep_aspect_ratio": True, "ensure_multiple_of": 8, "resample": 3, "do_rescale": True,
        "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}),
    "vit": (ViTImageProcessorPil, {
        "image_processor_type": "ViTImageProcessor", "do_resize": True, "size": {"height": 24, "width": 24},
        "resample": 2, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}),
    "clip": (CLIPImageProcessorPil, {
        "image_processor_type": "CLIPImageProcessor", "do_resize": True, "size": {"shortest_edge": 20},
        "resample": 3, "do_center_crop": True, "crop_size": {"height": 16, "width": 16}, "do_rescale": True,
        "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
        "do_convert_rgb": True}),
}
IMAGES = {"source": "resize/source.png", "photo": "baseline.jpg"}

for name, (cls, config) in PROCESSORS.items():
    json.dump(config, open(f"processors/{name}.json", "w"), indent=2)
    kwargs = {k: v for k, v in config.items() if k != "image_processor_type"}
    processor = cls(**kwargs)
    for image_name, path in IMAGES.items():
        image = Image.open(path).convert("RGB")
        values = processor(images=image, return_tensors="np")["pixel_values"][0].astype(np.float32)
        values.tofile(f"processors/{name}-{image_name}.f32")
        print(name, image_name, values.shape)
