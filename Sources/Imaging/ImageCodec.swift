internal import CImageCodecs

/// An 8-bit RGB image, rows top to bottom, three bytes a pixel: what every decoder gives and the preprocessing
/// of image models starts from.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes for \(width) x \(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let at = (y * width + x) * 3
        return (pixels[at], pixels[at + 1], pixels[at + 2])
    }
}

/// Why an image could not be read; each kind has one HTTP status in every API.
public struct ImageError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not JPEG, PNG or WebP (415).
        case unsupportedFormat
        /// A known format with a feature Tern does not decode, e.g. CMYK JPEG (415).
        case unsupportedFeature
        /// Truncated or corrupt data (400).
        case corrupt
        /// Zero width or height (400).
        case empty
        /// More pixels than allowed, found from the header before any pixel is decoded (413).
        case tooLarge
    }

    public let kind: Kind
    public let message: String

    public var description: String { message }
}

/// The encoded formats Tern reads, recognised by their signatures (never by a file name or a content type alone).
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp

    /// The format whose signature `bytes` start with.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && zip(signature.indices, signature).allSatisfy {
                bytes[offset + $0] == $1
            }
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        return nil
    }
}

/// Decoding and encoding through libjpeg-turbo, libpng and libwebp.
public enum ImageCodec {
    /// The header of an encoded image: format, size and EXIF orientation, read without decoding pixels.
    public struct Header: Sendable, Equatable {
        public let format: ImageFormat
        public let width: Int
        public let height: Int
        /// EXIF orientation, 1 (as stored) to 8.
        public let orientation: Int
    }

    /// Reads the header, checking the size against `maxPixels`.
    /// - Throws: `ImageError` (`.unsupportedFormat`, `.corrupt`, `.empty`, `.tooLarge`, ...).
    public static func header(of bytes: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageError) -> Header {
        try read(bytes, maxPixels: maxPixels, decode: false).header
    }

    /// Decodes to 8-bit RGB with the EXIF orientation applied, after checking the header's size against
    /// `maxPixels` (so a decompression bomb costs only its header).
    public static func decode(_ bytes: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageError) -> RGBImage {
        let (header, image) = try read(bytes, maxPixels: maxPixels, decode: true)
        return Orientation.apply(header.orientation, to: image!)
    }

    private static func read(_ bytes: UnsafeRawBufferPointer, maxPixels: Int, decode: Bool) throws(ImageError)
        -> (header: Header, image: RGBImage?)
    {
        guard !bytes.isEmpty else { throw ImageError(kind: .empty, message: "the image is empty (0 bytes)") }
        guard let format = ImageFormat.sniff(bytes), let base = bytes.baseAddress else {
            throw ImageError(
                kind: .unsupportedFormat, message: "the body is not a JPEG, PNG or WebP image (unrecognised signature)")
        }
        let data = base.assumingMemoryBound(to: UInt8.self)
        let reader: (
            UnsafePointer<UInt8>, Int, UInt64, UnsafeMutablePointer<TernImageHeader>, UnsafeMutablePointer<UInt8>?,
            Int, UnsafeMutablePointer<CChar>, Int
        ) -> TernImageStatus =
            switch format {
            case .jpeg: tern_jpeg_read
            case .png: tern_png_read
            case .webp: tern_webp_read
            }
        var info = TernImageHeader()
        var message = [CChar](repeating: 0, count: 512)
        let limit = UInt64(max(maxPixels, 0))
        var status = message.withUnsafeMutableBufferPointer {
            reader(data, bytes.count, limit, &info, nil, 0, $0.baseAddress!, $0.count)
        }
        try check(status, message, format: format)
        let header = Header(
            format: format, width: Int(info.width), height: Int(info.height), orientation: Int(info.orientation))
        guard decode else { return (header, nil) }
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * 3)
        status = pixels.withUnsafeMutableBufferPointer { out in
            message.withUnsafeMutableBufferPointer {
                reader(data, bytes.count, limit, &info, out.baseAddress, out.count, $0.baseAddress!, $0.count)
            }
        }
        try check(status, message, format: format)
        return (header, RGBImage(width: header.width, height: header.height, pixels: pixels))
    }

    private static func check(_ status: TernImageStatus, _ message: [CChar], format: ImageFormat) throws(ImageError) {
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case TERN_IMAGE_OK: return
        case TERN_IMAGE_UNSUPPORTED: throw ImageError(kind: .unsupportedFeature, message: text)
        case TERN_IMAGE_TOO_LARGE: throw ImageError(kind: .tooLarge, message: text)
        case TERN_IMAGE_EMPTY: throw ImageError(kind: .empty, message: text)
        default:
            throw ImageError(kind: .corrupt, message: text.isEmpty ? "not a decodable \(format.rawValue) image" : text)
        }
    }

    /// A greyscale PNG of 8-bit samples (`width * height` of them).
    public static func pngGrey(_ samples: [UInt8], width: Int, height: Int) throws(ImageError) -> [UInt8] {
        precondition(samples.count == width * height)
        return try write { out, size, message, length in
            tern_png_write_grey(samples, UInt32(width), UInt32(height), 8, out, size, message, length)
        }
    }

    /// A greyscale PNG of 16-bit samples (`width * height` of them).
    public static func pngGrey(_ samples: [UInt16], width: Int, height: Int) throws(ImageError) -> [UInt8] {
        precondition(samples.count == width * height)
        return try write { out, size, message, length in
            tern_png_write_grey(samples, UInt32(width), UInt32(height), 16, out, size, message, length)
        }
    }

    /// An RGB PNG (colour maps).
    public static func png(_ image: RGBImage) throws(ImageError) -> [UInt8] {
        try write { out, size, message, length in
            tern_png_write_rgb(image.pixels, UInt32(image.width), UInt32(image.height), out, size, message, length)
        }
    }

    private static func write(
        _ encode: (
            UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<CChar>,
            Int
        ) -> TernImageStatus
    ) throws(ImageError) -> [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { encode(&buffer, &size, $0.baseAddress!, $0.count) }
        defer { tern_image_free(buffer) }
        try check(status, message, format: .png)
        guard let buffer else { throw ImageError(kind: .corrupt, message: "the PNG encoder returned nothing") }
        return Array(UnsafeBufferPointer(start: buffer, count: size))
    }
}

/// EXIF orientation (1-8) applied to decoded pixels, as Pillow's `ImageOps.exif_transpose` does.
enum Orientation {
    static func apply(_ orientation: Int, to image: RGBImage) -> RGBImage {
        guard orientation >= 2, orientation <= 8 else { return image }
        let (w, h) = (image.width, image.height)
        // Orientations 5-8 swap the axes.
        let swaps = orientation >= 5
        let (outW, outH) = swaps ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outH {
                    for x in 0..<outW {
                        // The stored pixel that lands at (x, y) of the upright image.
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        let from = (sy * w + sx) * 3
                        let to = (y * outW + x) * 3
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
