"""Writes the image fixtures of Tests/ImagingTests with Pillow (run from this folder; the files are committed).

rgb.png holds pixel(x, y) below, 7 x 5; the other PNGs and the WebP are conversions of it; the JPEGs are a
64 x 48 gradient (x * 4, y * 5, 128) at quality 100 without chroma subsampling. bomb.png is a valid PNG header
declaring 50,000 x 50,000 pixels with almost no data.
"""

import struct
import zlib

from PIL import Image

W, H = 7, 5


def pixel(x, y):
    return ((x * 37) % 256, (y * 51) % 256, ((x + y) * 23) % 256)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


rgb = Image.new("RGB", (W, H))
for y in range(H):
    for x in range(W):
        rgb.putpixel((x, y), pixel(x, y))
rgb.save("rgb.png")
rgb.convert("P", palette=Image.ADAPTIVE, colors=256).save("palette.png")
rgba = rgb.copy()
rgba.putalpha(128)
rgba.save("rgba.png")
grey16 = Image.new("I;16", (W, H))
for y in range(H):
    for x in range(W):
        grey16.putpixel((x, y), x * 9000 + y * 100)
grey16.save("grey16.png")
rgb.save("rgb.webp", lossless=True)
big = Image.new("RGB", (64, 48))
for y in range(48):
    for x in range(64):
        big.putpixel((x, y), (x * 4, y * 5, 128))
big.save("baseline.jpg", quality=100, subsampling=0)
big.save("progressive.jpg", quality=100, subsampling=0, progressive=True)
exif = Image.Exif()
exif[0x0112] = 6
big.save("rotated.jpg", quality=100, subsampling=0, exif=exif.tobytes())
big.convert("CMYK").save("cmyk.jpg", quality=95)
data = open("baseline.jpg", "rb").read()
open("truncated.jpg", "wb").write(data[: len(data) // 2])
open("truncated.png", "wb").write(open("rgb.png", "rb").read()[:40])
bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
open("bomb.png", "wb").write(bomb)
open("not-an-image.bin", "wb").write(b"hello, this is not an image at all")
