"""Writes depth/: a random 9 x 7 float32 map (map.f32, rows of 9) and what the Hugging Face depth-estimation pipeline
makes of it for a 20 x 15 and a 5 x 4 target: torch bicubic interpolation (align_corners=False), then min-max to
8 bits truncated (resized-WxH.f32, grey-WxH.u8). Run from this folder; the files are committed."""

import numpy as np
import torch

rng = np.random.default_rng(3)
depth = rng.random((7, 9), dtype=np.float32) * 10 + 1
depth.tofile("depth/map.f32")
for width, height in [(20, 15), (5, 4)]:
    resized = torch.nn.functional.interpolate(
        torch.from_numpy(depth)[None, None], size=(height, width), mode="bicubic", align_corners=False)[0, 0].numpy()
    resized.astype(np.float32).tofile(f"depth/resized-{width}x{height}.f32")
    normalised = (resized - resized.min()) / (resized.max() - resized.min())
    (normalised * 255).astype("uint8").tofile(f"depth/grey-{width}x{height}.u8")
