/// A model's dense output for one image (depth, saliency, a segmentation logit plane): one float per pixel,
/// rows top to bottom.
public struct DenseMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "DenseMap: \(values.count) values for \(width) x \(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    /// The map at `width` x `height` by bicubic interpolation as `torch.nn.functional.interpolate(mode="bicubic",
    /// align_corners=False)` computes it (what transformers' `post_process_depth_estimation` calls): half-pixel
    /// centres, the cubic kernel with a = -0.75, edge values repeated.
    public func resized(to width: Int, _ height: Int) -> DenseMap {
        if width == self.width && height == self.height { return self }
        let columns = Resampling.opencv(.bicubic, self.width, width, trueArea: false).flat(size: self.width) { $0 }
        let rows = Resampling.opencv(.bicubic, self.height, height, trueArea: false).flat(size: self.height) { $0 }
        let (sourceWidth, sourceHeight) = (self.width, self.height)
        // Rows first, then whole rows at a time; each sum adds its taps in order.
        var intermediate = [Double](repeating: 0, count: width * sourceHeight)
        values.withUnsafeBufferPointer { source in
            intermediate.withUnsafeMutableBufferPointer { middle in
                columns.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<sourceHeight {
                        let row = source.baseAddress! + y * sourceWidth
                        for x in 0..<width {
                            let first = row + columns.starts[x]
                            let w = weights.baseAddress! + x * columns.taps
                            var sum = 0.0
                            for t in 0..<columns.taps { sum += Double(first[t]) * w[t] }
                            middle[y * width + x] = sum
                        }
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: width * height)
        var sums = [Double](repeating: 0, count: width)
        intermediate.withUnsafeBufferPointer { middle in
            out.withUnsafeMutableBufferPointer { target in
                sums.withUnsafeMutableBufferPointer { sums in
                    rows.weights.withUnsafeBufferPointer { weights in
                        for y in 0..<height {
                            for x in 0..<width { sums[x] = 0 }
                            for t in 0..<rows.taps {
                                let row = middle.baseAddress! + (rows.starts[y] + t) * width
                                let weight = weights[y * rows.taps + t]
                                for x in 0..<width { sums[x] += row[x] * weight }
                            }
                            for x in 0..<width { target[y * width + x] = Float(sums[x]) }
                        }
                    }
                }
            }
        }
        return DenseMap(width: width, height: height, values: out)
    }

    /// How values become grey levels.
    public enum Range: Sendable, Equatable {
        /// This map's own minimum to maximum (the Hugging Face pipeline's choice).
        case minMax
        /// A fixed range; values outside it are clipped.
        case fixed(Float, Float)
    }

    /// Levels `0...Level.max`, truncated as `astype("uint8")` truncates; a flat map, and NaN values, are zeros.
    private func levels<Level: FixedWidthInteger & UnsignedInteger>(
        range: Range, invert: Bool, as: Level.Type
    ) -> [Level] {
        let (low, high): (Float, Float)
        switch range {
        case .minMax: (low, high) = extremes
        case .fixed(let a, let b): (low, high) = (a, b)
        }
        var out = [Level](repeating: 0, count: values.count)
        // float32 throughout, as numpy computes `((map - low) / (high - low) * 255).astype(np.uint8)`.
        let span = high - low
        guard span > 0 else { return out }
        let maximum = Float(Level.max)
        values.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { out in
                for index in 0..<values.count {
                    var unit = (values[index] - low) / span
                    unit = unit > 0 ? (unit < 1 ? unit : 1) : 0  // NaN too becomes 0
                    if invert { unit = 1 - unit }
                    out[index] = Level(truncatingIfNeeded: UInt32(unit * maximum))  // a concrete conversion
                }
            }
        }
        return out
    }

    /// 8-bit grey levels.
    public func grey8(range: Range = .minMax, invert: Bool = false) -> [UInt8] {
        levels(range: range, invert: invert, as: UInt8.self)
    }

    /// The map through a colour map: each 8-bit level's RGB entry.
    public func coloured(_ colormap: Colormap, range: Range = .minMax, invert: Bool = false) -> RGBImage {
        let table = colormap.table
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for (index, level) in grey8(range: range, invert: invert).enumerated() {
            let entry = Int(level) * 3
            pixels[index * 3] = table[entry]
            pixels[index * 3 + 1] = table[entry + 1]
            pixels[index * 3 + 2] = table[entry + 2]
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The smallest and largest values (0 and 0 for an empty map).
    public var extremes: (min: Float, max: Float) {
        guard var low = values.first else { return (0, 0) }
        var high = low
        values.withUnsafeBufferPointer { values in
            for value in values {
                if value < low { low = value }
                if value > high { high = value }
            }
        }
        return (low, high)
    }

    /// 16-bit grey levels.
    public func grey16(range: Range = .minMax, invert: Bool = false) -> [UInt16] {
        levels(range: range, invert: invert, as: UInt16.self)
    }
}
