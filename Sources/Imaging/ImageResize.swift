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
        let flat = table.flat(size: horizontal ? width : height) { weight in
            Int((weight * 4_194_304 + (weight < 0 ? -0.5 : 0.5)).rounded(.towardZero))  // round(w * 2^22) away from 0
        }
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        let sourceWidth = width
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                flat.weights.withUnsafeBufferPointer { weights in
                    let taps = flat.taps
                    if horizontal {
                        for y in 0..<outHeight {
                            let row = source.baseAddress! + y * sourceWidth * 3
                            for x in 0..<outWidth {
                                let first = row + flat.starts[x] * 3
                                let w = weights.baseAddress! + x * taps
                                var (r, g, b) = (1 << 21, 1 << 21, 1 << 21)
                                for t in 0..<taps {
                                    r += Int(first[t * 3]) * w[t]
                                    g += Int(first[t * 3 + 1]) * w[t]
                                    b += Int(first[t * 3 + 2]) * w[t]
                                }
                                let at = (y * outWidth + x) * 3
                                target[at] = UInt8(clamping: r >> 22)
                                target[at + 1] = UInt8(clamping: g >> 22)
                                target[at + 2] = UInt8(clamping: b >> 22)
                            }
                        }
                    } else {
                        // Whole rows at a time: each output row is a weighted sum of `taps` source rows.
                        let length = outWidth * 3
                        var sums = [Int](repeating: 0, count: length)
                        sums.withUnsafeMutableBufferPointer { sums in
                            for y in 0..<outHeight {
                                for i in 0..<length { sums[i] = 1 << 21 }
                                for t in 0..<taps {
                                    let row = source.baseAddress! + (flat.starts[y] + t) * length
                                    let weight = weights[y * taps + t]
                                    for i in 0..<length { sums[i] += Int(row[i]) * weight }
                                }
                                let line = target.baseAddress! + y * length
                                for i in 0..<length { line[i] = UInt8(clamping: sums[i] >> 22) }
                            }
                        }
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// Both passes in floating point with one rounding at the end, as OpenCV keeps its intermediate sums wide.
    /// Each sum adds its taps in order, so the result does not depend on how the loops are arranged.
    fileprivate func passes(_ columns: Resampling, _ rows: Resampling) -> RGBImage {
        let outWidth = columns.count
        let outHeight = rows.count
        let (sourceWidth, sourceHeight) = (width, height)
        let horizontal = columns.flat(size: sourceWidth) { Float($0) }
        let vertical = rows.flat(size: sourceHeight) { Float($0) }
        let length = outWidth * 3
        let intermediate = [Float](unsafeUninitializedCapacity: length * sourceHeight) { middle, written in
            written = length * sourceHeight  // every element is written below
            pixels.withUnsafeBufferPointer { source in
                horizontal.weights.withUnsafeBufferPointer { weights in
                    horizontal.starts.withUnsafeBufferPointer { starts in
                        // Each source row converted to floats once (a vectorised loop), then gathered from.
                        var floats = [Float](repeating: 0, count: sourceWidth * 3)
                        floats.withUnsafeMutableBufferPointer { floats in
                            for y in 0..<sourceHeight {
                                let row = source.baseAddress! + y * sourceWidth * 3
                                for i in 0..<(sourceWidth * 3) { floats[i] = Float(row[i]) }
                                Self.gatherRow(
                                    floats.baseAddress!, into: middle.baseAddress! + y * length, count: outWidth,
                                    starts: starts.baseAddress!, weights: weights.baseAddress!, taps: horizontal.taps)
                            }
                        }
                    }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: length * outHeight)
        var sums = [Float](repeating: 0, count: length)
        intermediate.withUnsafeBufferPointer { middle in
            out.withUnsafeMutableBufferPointer { target in
                sums.withUnsafeMutableBufferPointer { sums in
                    vertical.weights.withUnsafeBufferPointer { weights in
                        let taps = vertical.taps
                        for y in 0..<outHeight {
                            for i in 0..<length { sums[i] = 0 }
                            for t in 0..<taps {
                                let row = middle.baseAddress! + (vertical.starts[y] + t) * length
                                let weight = weights[y * taps + t]
                                for i in 0..<length { sums[i] += row[i] * weight }
                            }
                            let line = target.baseAddress! + y * length
                            for i in 0..<length { line[i] = UInt8(truncatingIfNeeded: min(max(roundedToEven(sums[i]), 0), 255)) }
                        }
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// One row of the horizontal pass: output pixel `x` (three channels) is the weighted sum of the `taps` pixels
    /// from `starts[x]`, taps added in order. The common tap counts get loops the compiler unrolls.
    @inline(__always)
    fileprivate static func gatherRow(
        _ row: UnsafePointer<Float>, into line: UnsafeMutablePointer<Float>, count: Int,
        starts: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int
    ) {
        @inline(__always)
        func gather(_ taps: Int) {
            for x in 0..<count {
                let first = row + starts[x] * 3
                let w = weights + x * taps
                var (r, g, b): (Float, Float, Float) = (0, 0, 0)
                for t in 0..<taps {
                    r += first[t * 3] * w[t]
                    g += first[t * 3 + 1] * w[t]
                    b += first[t * 3 + 2] * w[t]
                }
                (line + x * 3).initialize(to: r)
                (line + x * 3 + 1).initialize(to: g)
                (line + x * 3 + 2).initialize(to: b)
            }
        }
        switch taps {
        case 2: gather(2)
        case 4: gather(4)
        default: gather(taps)
        }
    }
}

/// `value` rounded to the nearest integer, ties to even, as OpenCV's cvRound does, for |value| < 2^22: adding
/// 1.5 * 2^23 leaves no fractional bits (the default rounding mode rounds to even), and the sum's low mantissa
/// bits are then the integer. Branch-free, so the loop vectorises, where `rounded()` calls libm per pixel on
/// baseline x86-64 and `Int(_:)` checks every value.
@inline(__always)
func roundedToEven(_ value: Float) -> Int32 { Int32(bitPattern: (value + 12_582_912).bitPattern) &- 0x4B40_0000 }

/// A `Resampling` with the same number of taps for every output index, in one contiguous array, for the inner
/// loops: shorter rows get zero weights behind them (in front, with the start moved back, at the end of the axis),
/// which add exact zeros to each sum.
struct FlatResampling<Weight> {
    var taps: Int
    var starts: [Int]
    /// `count * taps` weights, output index by output index.
    var weights: [Weight]
}

/// For each output index along one axis: the first source index it reads and the weights of the consecutive
/// source indices from there (out-of-range taps already folded onto the edge).
struct Resampling {
    var starts: [Int] = []
    var weights: [[Double]] = []

    var count: Int { starts.count }

    /// The table with every row `taps` wide (the widest row's count), weights converted by `convert`, over a source
    /// axis of `size` indices (every row already lies inside it).
    func flat<Weight: Numeric>(size: Int, _ convert: (Double) -> Weight) -> FlatResampling<Weight> {
        let taps = weights.map(\.count).max() ?? 0
        var flat = FlatResampling<Weight>(taps: taps, starts: [], weights: [])
        flat.starts.reserveCapacity(count)
        flat.weights.reserveCapacity(count * taps)
        for (start, row) in zip(starts, weights) {
            // The window of `taps` indices holding the row: from its own start, moved back near the end of the axis.
            let first = Swift.min(start, size - taps)
            let front = start - first
            flat.starts.append(first)
            flat.weights.append(contentsOf: repeatElement(Weight.zero, count: front))
            flat.weights.append(contentsOf: row.map(convert))
            flat.weights.append(contentsOf: repeatElement(Weight.zero, count: taps - row.count - front))
        }
        return flat
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
