/// The interpolation of a resize, as the library the model was trained with names it.
public enum ResizeFilter: String, Sendable, CaseIterable {
    case nearest
    case bilinear
    case bicubic
    /// Pillow's BOX, OpenCV's INTER_AREA.
    case area
}

/// Whose definition of each filter to follow: image processors of transformers resize with Pillow, hand-written
/// services with OpenCV, and the two disagree (Pillow antialiases when shrinking; OpenCV samples).
public enum ResizeConvention: String, Sendable, CaseIterable {
    case pillow
    case opencv
}

extension RGBImage {
    /// This image at `width` x `height`, with `filter` as `convention` defines it. The result equals the library's
    /// own to within one level per channel (both libraries round fixed-point sums; Tern follows Pillow's arithmetic
    /// exactly and OpenCV's up to its rounding).
    public func resized(to width: Int, _ height: Int, filter: ResizeFilter, convention: ResizeConvention) -> RGBImage {
        precondition(width > 0 && height > 0, "resize to \(width) x \(height)")
        if width == self.width && height == self.height { return self }
        switch convention {
        case .pillow:
            var image = self
            // Pillow resizes rows first, then columns, rounding to 8 bits in between.
            if width != self.width { image = image.pass(horizontal: true, Resampling.pillow(filter, self.width, width)) }
            if height != self.height { image = image.pass(horizontal: false, Resampling.pillow(filter, self.height, height)) }
            return image
        case .opencv:
            let area = filter == .area && width <= self.width && height <= self.height
            let (columns, rows) = (
                Resampling.opencv(filter, self.width, width, trueArea: area),
                Resampling.opencv(filter, self.height, height, trueArea: area)
            )
            return passes(columns, rows)
        }
    }

    /// One separable pass with rounding to 8 bits (Pillow's fixed point: 22 fractional bits).
    fileprivate func pass(horizontal: Bool, _ table: Resampling) -> RGBImage {
        let (outWidth, outHeight) = horizontal ? (table.count, height) : (width, table.count)
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        let fixed = table.fixedPoint(bits: 22)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let index = horizontal ? x : y
                        let start = table.starts[index]
                        let weights = fixed[index]
                        for channel in 0..<3 {
                            var sum = 1 << 21
                            for (offset, weight) in weights.enumerated() {
                                let at =
                                    horizontal
                                    ? (y * width + start + offset) * 3 + channel
                                    : ((start + offset) * width + x) * 3 + channel
                                sum += Int(source[at]) * weight
                            }
                            target[(y * outWidth + x) * 3 + channel] = UInt8(clamping: sum >> 22)
                        }
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// Both passes in floating point with one rounding at the end, as OpenCV keeps its intermediate sums wide.
    fileprivate func passes(_ columns: Resampling, _ rows: Resampling) -> RGBImage {
        let outWidth = columns.count
        let outHeight = rows.count
        var intermediate = [Float](repeating: 0, count: outWidth * height * 3)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                for x in 0..<outWidth {
                    let start = columns.starts[x]
                    for channel in 0..<3 {
                        var sum: Float = 0
                        for (offset, weight) in columns.weights[x].enumerated() {
                            sum += Float(source[(y * width + start + offset) * 3 + channel]) * Float(weight)
                        }
                        intermediate[(y * outWidth + x) * 3 + channel] = sum
                    }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        for y in 0..<outHeight {
            let start = rows.starts[y]
            for x in 0..<outWidth {
                for channel in 0..<3 {
                    var sum: Float = 0
                    for (offset, weight) in rows.weights[y].enumerated() {
                        sum += intermediate[((start + offset) * outWidth + x) * 3 + channel] * Float(weight)
                    }
                    out[(y * outWidth + x) * 3 + channel] = UInt8(clamping: Int(sum.rounded()))
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

/// For each output index along one axis: the first source index it reads and the weights of the consecutive
/// source indices from there (out-of-range taps already folded onto the edge).
struct Resampling {
    var starts: [Int] = []
    var weights: [[Double]] = []

    var count: Int { starts.count }

    /// Pillow's integer coefficients: `round(w * 2^bits)` away from zero.
    func fixedPoint(bits: Int) -> [[Int]] {
        let scale = Double(1 << bits)
        return weights.map { row in row.map { w in Int((w * scale + (w < 0 ? -0.5 : 0.5)).rounded(.towardZero)) } }
    }

    /// Adds tap `index` (clamped into `0..<size`) with `weight` to `row`, which starts at `start`.
    private static func fold(_ taps: [(Int, Double)], size: Int) -> (Int, [Double]) {
        let clamped = taps.map { (Swift.min(Swift.max($0.0, 0), size - 1), $0.1) }
        let first = clamped.map(\.0).min() ?? 0
        let last = clamped.map(\.0).max() ?? 0
        var row = [Double](repeating: 0, count: last - first + 1)
        for (index, weight) in clamped { row[index - first] += weight }
        return (first, row)
    }

    /// Pillow's `precompute_coeffs` (libImaging/Resample.c): a filter of its support, widened by the scale when
    /// shrinking, centred on `(x + 0.5) * scale`, normalised.
    static func pillow(_ filter: ResizeFilter, _ input: Int, _ output: Int) -> Resampling {
        var table = Resampling()
        let scale = Double(input) / Double(output)
        if filter == .nearest {
            for x in 0..<output {
                table.starts.append(Swift.min(Int((Double(x) + 0.5) * scale), input - 1))
                table.weights.append([1])
            }
            return table
        }
        let (support, kernel): (Double, (Double) -> Double) =
            switch filter {
            case .bilinear: (1, { x in abs(x) < 1 ? 1 - abs(x) : 0 })
            case .bicubic: (2, { x in cubic(abs(x), a: -0.5) })
            default: (0.5, { x in x > -0.5 && x <= 0.5 ? 1 : 0 })
            }
        let filterScale = Swift.max(scale, 1)
        let width = support * filterScale
        for x in 0..<output {
            let center = (Double(x) + 0.5) * scale
            let first = Swift.max(Int(center - width + 0.5), 0)
            let last = Swift.min(Int(center + width + 0.5), input)
            var row: [Double] = []
            for index in first..<Swift.max(last, first) {
                row.append(kernel((Double(index) - center + 0.5) / filterScale))
            }
            let total = row.reduce(0, +)
            table.starts.append(first)
            table.weights.append(row.map { total != 0 ? $0 / total : 0 })
        }
        return table
    }

    /// OpenCV's `resize` (imgproc/resize.cpp): half-pixel centres `(x + 0.5) * scale - 0.5`, edge replication,
    /// no antialiasing; INTER_AREA averages exact overlaps when both axes shrink, and otherwise uses OpenCV's
    /// bilinear variant for area.
    static func opencv(_ filter: ResizeFilter, _ input: Int, _ output: Int, trueArea: Bool) -> Resampling {
        var table = Resampling()
        let scale = Double(input) / Double(output)
        for x in 0..<output {
            var taps: [(Int, Double)] = []
            switch filter {
            case .nearest:
                taps = [(Swift.min(Int((Double(x) * scale).rounded(.down)), input - 1), 1)]
            case .bilinear:
                let source = (Double(x) + 0.5) * scale - 0.5
                let base = Int(source.rounded(.down))
                var fraction = source - Double(base)
                var index = base
                if index < 0 { (index, fraction) = (0, 0) }
                if index >= input - 1 { (index, fraction) = (input - 1, 0) }
                taps = [(index, 1 - fraction), (index + 1, fraction)]
            case .bicubic:
                let source = (Double(x) + 0.5) * scale - 0.5
                let base = Int(source.rounded(.down))
                let f = source - Double(base)
                let a = -0.75
                let w0 = ((a * (f + 1) - 5 * a) * (f + 1) + 8 * a) * (f + 1) - 4 * a
                let w1 = ((a + 2) * f - (a + 3)) * f * f + 1
                let w2 = ((a + 2) * (1 - f) - (a + 3)) * (1 - f) * (1 - f) + 1
                taps = [(base - 1, w0), (base, w1), (base + 1, w2), (base + 2, 1 - w0 - w1 - w2)]
            case .area:
                if trueArea {
                    let from = Double(x) * scale
                    let to = Double(x + 1) * scale
                    var index = Int(from.rounded(.down))
                    while Double(index) < to && index < input {
                        let overlap = Swift.min(to, Double(index + 1)) - Swift.max(from, Double(index))
                        if overlap > 1e-9 { taps.append((index, overlap / scale)) }
                        index += 1
                    }
                } else {
                    let base = Int((Double(x) * scale).rounded(.down))
                    var fraction = Double(x + 1) - Double(base + 1) / scale
                    fraction = fraction <= 0 ? 0 : fraction - fraction.rounded(.down)
                    var index = base
                    var f = fraction
                    if index >= input - 1 { (index, f) = (input - 1, 0) }
                    taps = [(index, 1 - f), (index + 1, f)]
                }
            }
            let (start, row) = fold(taps, size: input)
            table.starts.append(start)
            table.weights.append(row)
        }
        return table
    }

    /// The cubic convolution kernel with parameter `a` (Pillow -0.5, OpenCV -0.75), for `x >= 0`.
    static func cubic(_ x: Double, a: Double) -> Double {
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }
}
