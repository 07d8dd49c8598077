// Thin C shims over libjpeg-turbo, libpng and libwebp (Debian's -dev packages). No codec is written here: these
// functions only drive the libraries and turn their longjmp-based error handling, which Swift cannot take part in,
// into return codes and messages. Every function reads exactly `size` bytes of `data` and writes at most
// `out_size` bytes of `out`.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#pragma clang assume_nonnull begin

/// What a decoder reports before any pixel is decoded.
typedef struct TernImageHeader {
    uint32_t width;
    uint32_t height;
    /// Channels in the file (1 grey, 2 grey + alpha, 3 colour, 4 colour + alpha or CMYK).
    uint32_t channels;
    /// Bits per channel in the file (1, 2, 4, 8 or 16).
    uint32_t bit_depth;
    /// EXIF orientation (1-8; 1 when absent or unreadable).
    uint32_t orientation;
} TernImageHeader;

typedef enum TernImageStatus {
    TERN_IMAGE_OK = 0,
    /// Not decodable: truncated or corrupt data (the message says what the library reported).
    TERN_IMAGE_CORRUPT = 1,
    /// A valid file of a kind Tern does not decode (CMYK JPEG, ...).
    TERN_IMAGE_UNSUPPORTED = 2,
    /// The header declares more than the allowed number of pixels, or a zero-sized image.
    TERN_IMAGE_TOO_LARGE = 3,
    TERN_IMAGE_EMPTY = 4,
} TernImageStatus;

/// Reads the header, then, when `out` is not NULL, decodes to 8-bit RGB (`width * height * 3` bytes, rows top to
/// bottom, as stored: orientation is reported, not applied). `max_pixels` is checked against the header before
/// anything else is allocated or decoded.
TernImageStatus tern_jpeg_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *_Nullable out,
    size_t out_size, char *message, size_t message_size);

/// As `tern_jpeg_read`, for PNG: palette, grey, 16-bit and interlaced images become 8-bit RGB; alpha is dropped
/// (as Pillow's `convert("RGB")` does).
TernImageStatus tern_png_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *_Nullable out,
    size_t out_size, char *message, size_t message_size);

/// As `tern_jpeg_read`, for WebP (lossy or lossless; alpha dropped).
TernImageStatus tern_webp_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *_Nullable out,
    size_t out_size, char *message, size_t message_size);

/// Encodes a greyscale image (8- or 16-bit; 16-bit samples in host order) as PNG into a buffer the caller frees with
/// `tern_image_free`.
TernImageStatus tern_png_write_grey(
    const void *pixels, uint32_t width, uint32_t height, uint32_t bit_depth, uint8_t *_Nullable *_Nonnull out,
    size_t *out_size, char *message, size_t message_size);

/// Encodes an 8-bit RGB image as PNG into a buffer the caller frees with `tern_image_free`.
TernImageStatus tern_png_write_rgb(
    const uint8_t *pixels, uint32_t width, uint32_t height, uint8_t *_Nullable *_Nonnull out, size_t *out_size,
    char *message, size_t message_size);

void tern_image_free(void *_Nullable buffer);

#pragma clang assume_nonnull end

#endif  // CIMAGECODECS_H
