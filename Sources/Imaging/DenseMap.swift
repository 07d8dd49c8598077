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
        let columns = Resampling.opencv(.bicubic, self.width, width, trueArea: false)
        let rows = Resampling.opencv(.bicubic, self.height, height, trueArea: false)
        var intermediate = [Double](repeating: 0, count: width * self.height)
        for y in 0..<self.height {
            for x in 0..<width {
                var sum = 0.0
                for (offset, weight) in columns.weights[x].enumerated() {
                    sum += Double(values[y * self.width + columns.starts[x] + offset]) * weight
                }
                intermediate[y * width + x] = sum
            }
        }
        var out = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (offset, weight) in rows.weights[y].enumerated() {
                    sum += intermediate[(rows.starts[y] + offset) * width + x] * weight
                }
                out[y * width + x] = Float(sum)
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

    /// Levels `0...maximum`, truncated as `astype("uint8")` truncates; a flat map is all zeros.
    private func levels(range: Range, invert: Bool, maximum: Double) -> [Double] {
        let (low, high): (Float, Float)
        switch range {
        case .minMax: (low, high) = (values.min() ?? 0, values.max() ?? 0)
        case .fixed(let a, let b): (low, high) = (a, b)
        }
        let span = Double(high - low)
        return values.map { value in
            guard span > 0 else { return 0 }
            var unit = Swift.min(Swift.max(Double(value - low) / span, 0), 1)
            if invert { unit = 1 - unit }
            return (unit * maximum).rounded(.towardZero)
        }
    }

    /// 8-bit grey levels.
    public func grey8(range: Range = .minMax, invert: Bool = false) -> [UInt8] {
        levels(range: range, invert: invert, maximum: 255).map { UInt8($0) }
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
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        return (low, high)
    }

    /// 16-bit grey levels.
    public func grey16(range: Range = .minMax, invert: Bool = false) -> [UInt16] {
        levels(range: range, invert: invert, maximum: 65535).map { UInt16($0) }
    }
}
