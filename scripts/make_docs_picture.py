"""Makes docs/images/predict-example.png, the picture in README.md and docs/api.md: a photo-like JPEG with text
(drawn with Pillow), sent to a running Tern serving models/images/ppocr-det (`POST /predict`, image/jpeg), and
the PNG it answered, side by side. Usage: scripts/make_docs_picture.py [port] (default 8080)."""
import io
import sys
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
width, height = 640, 420
rng = np.random.default_rng(3)
y, x = np.mgrid[0:height, 0:width]
base = np.stack([200 + 30 * np.sin(x / 90), 190 + 25 * np.cos(y / 70), 170 + 20 * np.sin((x + y) / 120)], axis=-1)
base += rng.normal(0, 6, base.shape)
photo = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
draw = ImageDraw.Draw(photo)
draw.rectangle([40, 40, 600, 380], outline=(90, 70, 60), width=4)
for row, (text, size) in enumerate([("Tern serves images", 46), ("one process, no fork", 38), ("JPEG in, PNG out", 38),
                                    ("batched, warmed up", 34)]):
    draw.text((70, 70 + row * 75), text, fill=(30, 30, 40), font=ImageFont.load_default(size=size))
buffer = io.BytesIO()
photo.save(buffer, format="JPEG", quality=90)
request = urllib.request.Request(f"http://127.0.0.1:{port}/predict", data=buffer.getvalue(),
                                 headers={"Content-Type": "image/jpeg"})
answer = Image.open(io.BytesIO(urllib.request.urlopen(request).read())).convert("RGB")
canvas = Image.new("RGB", (width * 2 + 16, height), "white")
canvas.paste(photo, (0, 0))
canvas.paste(answer, (width + 16, 0))
out = Path(__file__).resolve().parent.parent / "docs/images/predict-example.png"
canvas.save(out, optimize=True)
print(f"wrote {out} ({out.stat().st_size} bytes)")
