"""Test images for the image-model tests, made in memory with Pillow and numpy (no files, no downloads).

Every function returns the encoded bytes and is deterministic: the same seed gives the same bytes with the
pinned Pillow. The pictures are photo-like (smooth gradients, soft-edged shapes, a little grain) rather than
noise, so resizing, JPEG and depth maps behave as they do on real photos.

The bad inputs are what a server must refuse without crashing: a truncated JPEG, bytes of no format, a GIF
(a real image in a format Tern does not read), an empty body, and PNG headers declaring 50,000 x 50,000 or
0 x 0 pixels with no pixel data at all (decompression-bomb and zero-size checks).
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH = 640
HEIGHT = 480
EXIF_ORIENTATION_TAG = 0x0112


def photo(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> Image.Image:
    """A photo-like RGB picture: a sky-to-ground gradient with soft shading, a few blurred shapes of different
    colours and a little sensor grain."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = x / max(width - 1, 1), y / max(height - 1, 1)
    sky = np.stack([90 + 60 * u, 140 + 40 * u, 230 - 30 * v], axis=-1)
    ground = np.stack([120 + 50 * u, 100 + 30 * np.sin(6 * u), 60 + 20 * v], axis=-1)
    horizon = 0.55 + 0.05 * np.sin(2 * np.pi * (u * 1.5 + rng.uniform()))
    blend = np.clip((v - horizon) * 12 + 0.5, 0, 1)[..., None]
    base = sky * (1 - blend) + ground * blend
    base *= (0.85 + 0.15 * np.cos(np.pi * (u - 0.3)) * np.cos(np.pi * (v - 0.4)))[..., None]
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")

    shapes = Image.new("RGB", (width, height))
    mask = Image.new("L", (width, height), 0)
    draw, draw_mask = ImageDraw.Draw(shapes), ImageDraw.Draw(mask)
    for index in range(7):
        colour = tuple(int(c) for c in rng.integers(20, 236, size=3))
        cx, cy = rng.uniform(0.1, 0.9) * width, rng.uniform(0.15, 0.9) * height
        size = rng.uniform(0.06, 0.18) * min(width, height)
        box = (cx - size, cy - size * rng.uniform(0.6, 1.0), cx + size, cy + size)
        if index % 3 == 0:
            draw.ellipse(box, fill=colour)
            draw_mask.ellipse(box, fill=255)
        elif index % 3 == 1:
            draw.rectangle(box, fill=colour)
            draw_mask.rectangle(box, fill=255)
        else:
            points = [(cx + size * np.cos(a), cy + size * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 6)[:-1] + index]
            draw.polygon(points, fill=colour)
            draw_mask.polygon(points, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(1.5))
    image = Image.composite(shapes.filter(ImageFilter.GaussianBlur(0.8)), image, mask)

    pixels = np.asarray(image).astype(np.float32) + rng.normal(0, 2.0, size=(height, width, 3))
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


TEXT_LINES = (
    "Tern serves image models",
    "INVOICE No. 2048  12.05.2026",
    "depth maps, labels, vectors",
    "The quick brown fox jumps",
    "over the lazy dog 0123456789",
)


def text_photo(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> Image.Image:
    """A photographed page: dark lines of text of a few sizes on slightly uneven paper, for the OCR text
    detector (on `photo()` its probability map is zero everywhere)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    paper = 232 - 18 * (x / width) * (y / height) + rng.normal(0, 1.5, size=(height, width))
    image = Image.fromarray(np.clip(np.rint(np.stack([paper, paper - 3, paper - 10], axis=-1)), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    top, index = 0.06 * height, 0
    while True:
        line, size = TEXT_LINES[index % len(TEXT_LINES)], max(int(height * (0.05 + 0.02 * (index % 3))), 6)
        if top + size > 0.95 * height:
            break
        font = ImageFont.load_default(size=size)
        ink = tuple(int(c) for c in rng.integers(10, 70, size=3))
        draw.text((0.05 * width + rng.uniform(0, 0.1) * width, top), line, fill=ink, font=font)
        top, index = top + size * 1.7, index + 1
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _encode(image: Image.Image, format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


# Valid images: JPEG.


def jpeg_baseline(width: int = WIDTH, height: int = HEIGHT, seed: int = 0, quality: int = 90) -> bytes:
    """A baseline (sequential) 4:2:0 JPEG of `photo()`."""
    return _encode(photo(width, height, seed), "JPEG", quality=quality)


def jpeg_progressive(width: int = WIDTH, height: int = HEIGHT, seed: int = 0, quality: int = 90) -> bytes:
    """The same picture as a progressive JPEG."""
    return _encode(photo(width, height, seed), "JPEG", quality=quality, progressive=True)


def jpeg_exif_rotated(width: int = WIDTH, height: int = HEIGHT, seed: int = 0, orientation: int = 6) -> bytes:
    """`photo(width, height)` stored as is with EXIF orientation 6 (rotate 90 degrees clockwise to view): a
    decoder that honours EXIF gives a `height` x `width` (portrait) image."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION_TAG] = orientation
    return _encode(photo(width, height, seed), "JPEG", quality=90, exif=exif.tobytes())


def jpeg_cmyk(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """A CMYK JPEG (Adobe marker, as Pillow writes it): a format feature Tern refuses clearly."""
    return _encode(photo(width, height, seed).convert("CMYK"), "JPEG", quality=90)


# Valid images: PNG and WebP.


def jpeg_text(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """A baseline JPEG of `text_photo()`."""
    return _encode(text_photo(width, height, seed), "JPEG", quality=90)


def png_rgb8(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """An 8-bit RGB PNG."""
    return _encode(photo(width, height, seed), "PNG")


def png_grey(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """An 8-bit greyscale PNG (Pillow's ITU-R 601 luma of `photo()`)."""
    return _encode(photo(width, height, seed).convert("L"), "PNG")


def png_grey16(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """A 16-bit greyscale PNG whose samples use the whole 0-65535 range, low byte included (a smooth ramp is
    added to the luma, so scaling by 1/257 and keeping the high byte give different answers)."""
    luma = np.asarray(photo(width, height, seed).convert("L"), dtype=np.float64)
    ramp = np.linspace(0, 255, width)[None, :]
    samples = np.clip(luma * 256 + ramp, 0, 65535).astype(np.uint16)
    return _encode(Image.fromarray(samples), "PNG")


def png_palette(width: int = WIDTH, height: int = HEIGHT, seed: int = 0, colours: int = 64) -> bytes:
    """A palette (indexed) PNG of `colours` entries, without transparency."""
    image = photo(width, height, seed).quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return _encode(image, "PNG")


def png_rgba(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """An 8-bit RGBA PNG whose alpha falls from opaque (left) to nearly transparent (right); the colour
    samples are those of `photo()` (alpha is dropped, not composited, by Tern, OpenCV and Pillow's RGB)."""
    image = photo(width, height, seed)
    alpha = np.broadcast_to(np.linspace(255, 16, width).astype(np.uint8)[None, :], (height, width))
    image.putalpha(Image.fromarray(np.ascontiguousarray(alpha), "L"))
    return _encode(image, "PNG")


def webp_lossy(width: int = WIDTH, height: int = HEIGHT, seed: int = 0, quality: int = 85) -> bytes:
    """A lossy (VP8) WebP."""
    return _encode(photo(width, height, seed), "WEBP", quality=quality, method=4)


def webp_lossless(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> bytes:
    """A lossless (VP8L) WebP: decodes to exactly `photo()`'s pixels."""
    return _encode(photo(width, height, seed), "WEBP", lossless=True, quality=50, method=1)


VALID = {
    "jpeg_baseline": jpeg_baseline,
    "jpeg_progressive": jpeg_progressive,
    "jpeg_exif_rotated": jpeg_exif_rotated,
    "jpeg_text": jpeg_text,
    "png_rgb8": png_rgb8,
    "png_grey": png_grey,
    "png_grey16": png_grey16,
    "png_palette": png_palette,
    "png_rgba": png_rgba,
    "webp_lossy": webp_lossy,
    "webp_lossless": webp_lossless,
}
"""Images every image model must accept, by name (each a function of width, height and seed)."""


# Bad inputs.


def truncated_jpeg(fraction: float = 0.5) -> bytes:
    """The first `fraction` of a baseline JPEG: a valid header, then the entropy-coded data stops mid-scan."""
    data = jpeg_baseline()
    return data[: int(len(data) * fraction)]


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    """Bytes that are no image format (the first byte is forced off every signature Tern or Pillow knows)."""
    data = bytearray(np.random.default_rng(seed).integers(0, 256, size=size, dtype=np.uint8).tobytes())
    data[0] = 0x01
    return bytes(data)


def gif(width: int = 64, height: int = 48, seed: int = 0) -> bytes:
    """A real GIF: a format Tern does not read (415)."""
    return _encode(photo(width, height, seed).convert("P", palette=Image.Palette.ADAPTIVE), "GIF")


def empty() -> bytes:
    """A zero-length body."""
    return b""


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG signature and an IHDR chunk (8-bit RGB, correct CRC) declaring `width` x `height`, one tiny IDAT,
    then IEND: almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # One small IDAT (the first rows' worth of zeros, compressed) as a real decompression bomb has.
    idat = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def png_bomb(side: int = 50_000) -> bytes:
    """A valid PNG header declaring `side` x `side` pixels (2.5 GP at the default: 7.5 GB decoded) and no
    data: must be refused (413) from the header alone."""
    return png_header_only(side, side)


def png_zero_size() -> bytes:
    """A PNG header declaring 0 x 0 pixels (PNG forbids it; a server must answer 400, not crash)."""
    return png_header_only(0, 0)


BAD = {
    "truncated_jpeg": truncated_jpeg,
    "random_bytes": random_bytes,
    "gif": gif,
    "empty": empty,
    "png_bomb": png_bomb,
    "png_zero_size": png_zero_size,
    "jpeg_cmyk": jpeg_cmyk,
}
"""Inputs every image model must refuse, by name (each a function of no arguments)."""
