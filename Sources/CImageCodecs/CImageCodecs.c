// See include/CImageCodecs.h. The libraries report fatal errors by calling a handler that must not return; these
// handlers longjmp back to the function that called the library, which then cleans up and returns a status.
#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <webp/decode.h>
#include <zlib.h>

static void set_message(char *message, size_t size, const char *text) {
    if (size == 0) return;
    snprintf(message, size, "%s", text);
}

static TernImageStatus check_size(
    uint64_t width, uint64_t height, uint64_t max_pixels, char *message, size_t message_size) {
    if (width == 0 || height == 0) {
        set_message(message, message_size, "the image has no pixels (zero width or height)");
        return TERN_IMAGE_EMPTY;
    }
    if (width * height > max_pixels) {
        snprintf(message, message_size, "the image is %llu x %llu pixels, over the limit of %llu",
                 (unsigned long long)width, (unsigned long long)height, (unsigned long long)max_pixels);
        return TERN_IMAGE_TOO_LARGE;
    }
    return TERN_IMAGE_OK;
}

// MARK: EXIF orientation (metadata only: the TIFF structure of an APP1 "Exif" marker, every read bounds-checked)

static uint32_t read16(const uint8_t *p, int little) { return little ? (p[0] | p[1] << 8) : (p[0] << 8 | p[1]); }
static uint32_t read32(const uint8_t *p, int little) {
    return little ? (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24)
                  : ((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]);
}

static uint32_t exif_orientation(const uint8_t *data, size_t size) {
    if (size < 14 || memcmp(data, "Exif\0\0", 6) != 0) return 1;
    const uint8_t *tiff = data + 6;
    size_t length = size - 6;
    int little;
    if (tiff[0] == 'I' && tiff[1] == 'I') little = 1;
    else if (tiff[0] == 'M' && tiff[1] == 'M') little = 0;
    else return 1;
    uint32_t ifd = read32(tiff + 4, little);
    if (ifd > length || length - ifd < 2) return 1;
    uint32_t entries = read16(tiff + ifd, little);
    for (uint32_t i = 0; i < entries; i++) {
        size_t at = (size_t)ifd + 2 + (size_t)i * 12;
        if (at > length || length - at < 12) return 1;
        if (read16(tiff + at, little) == 0x0112) {
            uint32_t value = read16(tiff + at + 8, little);
            return value >= 1 && value <= 8 ? value : 1;
        }
    }
    return 1;
}

// MARK: JPEG

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    int truncated;
} JpegError;

static void jpeg_fail(j_common_ptr info) {
    JpegError *error = (JpegError *)info->err;
    longjmp(error->jump, 1);
}

static void jpeg_warn(j_common_ptr info, int level) {
    JpegError *error = (JpegError *)info->err;
    // A file that ends early decodes as grey: treat it as corrupt rather than answer with made-up pixels.
    if (level < 0 && error->manager.msg_code == JWRN_JPEG_EOF) error->truncated = 1;
}

TernImageStatus tern_jpeg_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *out, size_t out_size,
    char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    JpegError error;
    memset(&info, 0, sizeof info);
    memset(&error, 0, sizeof error);
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = jpeg_fail;
    error.manager.emit_message = jpeg_warn;
    if (setjmp(error.jump)) {
        char text[JMSG_LENGTH_MAX];
        error.manager.format_message((j_common_ptr)&info, text);
        snprintf(message, message_size, "not a decodable JPEG: %s", text);
        jpeg_destroy_decompress(&info);
        return TERN_IMAGE_CORRUPT;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&info, TRUE);
    header->width = info.image_width;
    header->height = info.image_height;
    header->channels = (uint32_t)info.num_components;
    header->bit_depth = 8;
    header->orientation = 1;
    for (jpeg_saved_marker_ptr marker = info.marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1) {
            header->orientation = exif_orientation(marker->data, marker->data_length);
            if (header->orientation != 1) break;
        }
    }
    TernImageStatus status = check_size(info.image_width, info.image_height, max_pixels, message, message_size);
    if (status == TERN_IMAGE_OK && (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK)) {
        set_message(message, message_size, "CMYK JPEGs are not supported; convert the image to RGB");
        status = TERN_IMAGE_UNSUPPORTED;
    }
    if (status != TERN_IMAGE_OK || out == NULL) {
        jpeg_destroy_decompress(&info);
        return status;
    }
    size_t stride = (size_t)info.image_width * 3;
    if (out_size < stride * info.image_height) {
        set_message(message, message_size, "output buffer too small");
        jpeg_destroy_decompress(&info);
        return TERN_IMAGE_CORRUPT;
    }
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + (size_t)info.output_scanline * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    if (error.truncated) {
        set_message(message, message_size, "the JPEG data ends early (truncated file)");
        return TERN_IMAGE_CORRUPT;
    }
    return TERN_IMAGE_OK;
}

// MARK: PNG

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    char *message;
    size_t message_size;
} PngSource;

static void png_fail(png_structp png, png_const_charp text) {
    PngSource *source = (PngSource *)png_get_error_ptr(png);
    if (source) snprintf(source->message, source->message_size, "not a decodable PNG: %s", text);
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void png_read_memory(png_structp png, png_bytep target, png_size_t length) {
    PngSource *source = (PngSource *)png_get_io_ptr(png);
    if (source->size - source->offset < length) png_error(png, "the PNG data ends early (truncated file)");
    memcpy(target, source->data + source->offset, length);
    source->offset += length;
}

TernImageStatus tern_png_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *out, size_t out_size,
    char *message, size_t message_size) {
    PngSource source = {data, size, 0, message, message_size};
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        set_message(message, message_size, "not a PNG file");
        return TERN_IMAGE_CORRUPT;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_fail, png_warn);
    if (!png) {
        set_message(message, message_size, "libpng could not start");
        return TERN_IMAGE_CORRUPT;
    }
    png_infop info = png_create_info_struct(png);
    png_bytep *rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        return TERN_IMAGE_CORRUPT;
    }
    png_set_read_fn(png, &source, png_read_memory);
    // libpng's own guard, before it allocates anything for the rows.
    png_set_user_limits(png, 0x7FFFFFFF, 0x7FFFFFFF);
    png_set_chunk_malloc_max(png, 64u << 20);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, color = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &color, NULL, NULL, NULL);
    header->width = width;
    header->height = height;
    header->channels = png_get_channels(png, info);
    header->bit_depth = (uint32_t)depth;
    header->orientation = 1;
    TernImageStatus status = check_size(width, height, max_pixels, message, message_size);
    if (status != TERN_IMAGE_OK || out == NULL) {
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }
    size_t stride = (size_t)width * 3;
    if (out_size < stride * height) {
        set_message(message, message_size, "output buffer too small");
        png_destroy_read_struct(&png, &info, NULL);
        return TERN_IMAGE_CORRUPT;
    }
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);  // the high byte, as OpenCV and Pillow read 16-bit colour
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != stride) {
        set_message(message, message_size, "unexpected PNG row layout after conversion to RGB");
        png_destroy_read_struct(&png, &info, NULL);
        return TERN_IMAGE_CORRUPT;
    }
    rows = malloc(sizeof(png_bytep) * height);
    if (!rows) {
        set_message(message, message_size, "out of memory");
        png_destroy_read_struct(&png, &info, NULL);
        return TERN_IMAGE_CORRUPT;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = out + (size_t)y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return TERN_IMAGE_OK;
}

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} PngSink;

static void png_write_memory(png_structp png, png_bytep bytes, png_size_t length) {
    PngSink *sink = (PngSink *)png_get_io_ptr(png);
    if (sink->size + length > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity < sink->size + length) capacity *= 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static void png_flush_memory(png_structp png) { (void)png; }

static TernImageStatus png_write(
    const uint8_t *pixels, uint32_t width, uint32_t height, int depth, int color, size_t stride, int swap,
    uint8_t **out, size_t *out_size, char *message, size_t message_size) {
    PngSource errors = {NULL, 0, 0, message, message_size};
    PngSink sink = {NULL, 0, 0, 0};
    *out = NULL;
    *out_size = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors, png_fail, png_warn);
    if (!png) return TERN_IMAGE_CORRUPT;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        free(sink.data);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return TERN_IMAGE_CORRUPT;
    }
    png_set_write_fn(png, &sink, png_write_memory, png_flush_memory);
    png_set_IHDR(png, info, width, height, depth, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    // Fast, as maps are encoded per request, and what OpenCV's cv2.imencode does by default: every row filtered
    // with Sub (libpng's default tries all five filters on each row) and zlib level 1 with run-length matching.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    png_write_info(png, info);
    if (swap) png_set_swap(png);  // PNG stores 16-bit samples big-endian.
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = sink.data;
    *out_size = sink.size;
    return TERN_IMAGE_OK;
}

TernImageStatus tern_png_write_grey(
    const void *pixels, uint32_t width, uint32_t height, uint32_t bit_depth, uint8_t **out, size_t *out_size,
    char *message, size_t message_size) {
    if (bit_depth != 8 && bit_depth != 16) {
        set_message(message, message_size, "grey PNGs are 8- or 16-bit");
        return TERN_IMAGE_UNSUPPORTED;
    }
    uint16_t probe = 1;
    int little_endian = *(uint8_t *)&probe == 1;
    return png_write(pixels, width, height, (int)bit_depth, PNG_COLOR_TYPE_GRAY, (size_t)width * (bit_depth / 8),
                     bit_depth == 16 && little_endian, out, out_size, message, message_size);
}

TernImageStatus tern_png_write_rgb(
    const uint8_t *pixels, uint32_t width, uint32_t height, uint8_t **out, size_t *out_size, char *message,
    size_t message_size) {
    return png_write(pixels, width, height, 8, PNG_COLOR_TYPE_RGB, (size_t)width * 3, 0, out, out_size, message,
                     message_size);
}

void tern_image_free(void *buffer) { free(buffer); }

// MARK: WebP

TernImageStatus tern_webp_read(
    const uint8_t *data, size_t size, uint64_t max_pixels, TernImageHeader *header, uint8_t *out, size_t out_size,
    char *message, size_t message_size) {
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, size, &features) != VP8_STATUS_OK) {
        set_message(message, message_size, "not a decodable WebP file");
        return TERN_IMAGE_CORRUPT;
    }
    header->width = (uint32_t)features.width;
    header->height = (uint32_t)features.height;
    header->channels = features.has_alpha ? 4 : 3;
    header->bit_depth = 8;
    header->orientation = 1;
    TernImageStatus status = check_size(header->width, header->height, max_pixels, message, message_size);
    if (status != TERN_IMAGE_OK || out == NULL) return status;
    if (features.has_animation) {
        set_message(message, message_size, "animated WebP is not supported");
        return TERN_IMAGE_UNSUPPORTED;
    }
    int stride = features.width * 3;
    if (out_size < (size_t)stride * (size_t)features.height) {
        set_message(message, message_size, "output buffer too small");
        return TERN_IMAGE_CORRUPT;
    }
    if (!WebPDecodeRGBInto(data, size, out, out_size, stride)) {
        set_message(message, message_size, "not a decodable WebP file (corrupt or truncated data)");
        return TERN_IMAGE_CORRUPT;
    }
    return TERN_IMAGE_OK;
}
