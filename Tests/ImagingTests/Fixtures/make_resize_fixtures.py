"""Writes resize/: a random 23 x 17 RGB source and what Pillow 13 and OpenCV 5 make of it, as raw RGB bytes
(`<library>-<filter>-<width>x<height>.rgb`), for ImageResizeTests. Run from this folder with Pillow 13 and
opencv-python-headless 5.1.0.95 installed; the files are committed."""

import cv2
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
source = rng.integers(0, 256, size=(17, 23, 3), dtype=np.uint8)
# Smooth regions too, so interpolation (not only noise) is compared.
source[:, :8] = np.linspace(0, 255, 8, dtype=np.uint8)[None, :, None]
Image.fromarray(source).save("resize/source.png")
sizes = [(11, 9), (40, 31), (23, 8), (7, 30)]
pillow = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "box": Image.BOX}
opencv = {"nearest": cv2.INTER_NEAREST, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA}
for width, height in sizes:
    for name, flag in pillow.items():
        out = np.asarray(Image.fromarray(source).resize((width, height), flag))
        open(f"resize/pillow-{name}-{width}x{height}.rgb", "wb").write(out.tobytes())
    for name, flag in opencv.items():
        out = cv2.resize(source, (width, height), interpolation=flag)
        open(f"resize/opencv-{name}-{width}x{height}.rgb", "wb").write(out.tobytes())
