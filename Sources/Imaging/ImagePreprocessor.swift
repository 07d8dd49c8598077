import Foundation

/// How an image becomes a model's input tensor: resize, crop, rescale, normalise, channel order and layout.
/// Built from a Hugging Face `preprocessor_config.json` (DPT, ViT, CLIP, SigLIP and ConvNeXt-style processors)
/// with their semantics, so `pixel_values` equal what the processor's Pillow backend makes.
public struct ImagePreprocessor: Sendable, Equatable {
    /// How the image is brought to the model's size.
    public enum Resize: Sendable, Equatable {
        /// Keep the decoded size.
        case none
        /// Exactly `width` x `height`.
        case stretch(width: Int, height: Int)
        /// DPT/MiDaS: towards `width` x `height`, keeping the aspect ratio when asked (scaling as little as
        /// possible), each side rounded to a multiple of `multiple` (half to even, as Python's `round`).
        case multipleOf(width: Int, height: Int, multiple: Int, keepAspectRatio: Bool)
        /// ViT/CLIP: the shorter side to `edge`, the longer in proportion (truncated).
        case shortestEdge(Int)
    }

    /// A width and a height, in pixels.
    public struct Size: Sendable, Equatable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    public enum Layout: String, Sendable { case nchw, nhwc }
    public enum ChannelOrder: String, Sendable { case rgb, bgr }

    public var resize: Resize
    public var filter: ResizeFilter
    public var convention: ResizeConvention
    /// Centre crop after resizing (`crop_size`), as `width` x `height`.
    public var crop: Size?
    /// Multiplies every value (`rescale_factor`, 1/255 for most processors); nil keeps 0-255.
    public var scale: Float?
    /// Per-channel mean and standard deviation, in RGB order; nil skips normalisation.
    public var mean: [Float]?
    public var std: [Float]?
    public var channels: ChannelOrder
    public var layout: Layout

    public init(
        resize: Resize, filter: ResizeFilter = .bilinear, convention: ResizeConvention = .pillow,
        crop: Size? = nil, scale: Float? = 1 / 255, mean: [Float]? = nil, std: [Float]? = nil,
        channels: ChannelOrder = .rgb, layout: Layout = .nchw
    ) {
        self.resize = resize
        self.filter = filter
        self.convention = convention
        self.crop = crop
        self.scale = scale
        self.mean = mean
        self.std = std
        self.channels = channels
        self.layout = layout
    }

    /// Pillow's resampling numbers as image processors store them (`resample`).
    static let pillowFilters: [Int: ResizeFilter] = [0: .nearest, 2: .bilinear, 3: .bicubic, 4: .area]

    /// Reads a `preprocessor_config.json` object.
    /// - Throws: `ImagePreprocessor.ConfigError` naming the key when a setting is missing, malformed or not
    ///   supported (e.g. `resample` 1, Lanczos; `do_pad`).
    public init(huggingFace config: [String: Any]) throws(ConfigError) {
        func number(_ value: Any?) -> Double? {
            guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
            return n.doubleValue
        }
        func flag(_ key: String, default value: Bool) -> Bool { (config[key] as? Bool) ?? value }
        func size(_ key: String) -> [String: Int]? {
            guard let object = config[key] as? [String: Any] else {
                if let side = number(config[key]) { return ["height": Int(side), "width": Int(side)] }
                return nil
            }
            return object.compactMapValues { number($0).map(Int.init) }
        }
        func floats(_ key: String) throws(ConfigError) -> [Float]? {
            guard let value = config[key] else { return nil }
            if let single = number(value) { return Array(repeating: Float(single), count: 3) }
            guard let list = value as? [Any], list.count == 3 else {
                throw ConfigError(key: key, problem: "must be a number or three numbers")
            }
            var result: [Float] = []
            for item in list {
                guard let n = number(item) else { throw ConfigError(key: key, problem: "must hold numbers") }
                result.append(Float(n))
            }
            return result
        }
        if flag("do_pad", default: false) { throw ConfigError(key: "do_pad", problem: "padding is not supported") }
        let resampleNumber = number(config["resample"]).map(Int.init) ?? 2
        guard let filter = Self.pillowFilters[resampleNumber] else {
            throw ConfigError(
                key: "resample",
                problem: "\(resampleNumber) is not supported (0 nearest, 2 bilinear, 3 bicubic, 4 box)")
        }
        var resize = Resize.none
        if flag("do_resize", default: true) {
            guard let target = size("size") else { throw ConfigError(key: "size", problem: "missing") }
            if let edge = target["shortest_edge"] {
                resize = .shortestEdge(edge)
            } else if let height = target["height"], let width = target["width"] {
                let multiple = number(config["ensure_multiple_of"]).map(Int.init) ?? 1
                let keep = flag("keep_aspect_ratio", default: false)
                resize =
                    multiple > 1 || keep
                    ? .multipleOf(width: width, height: height, multiple: Swift.max(multiple, 1), keepAspectRatio: keep)
                    : .stretch(width: width, height: height)
            } else {
                throw ConfigError(key: "size", problem: "needs height and width, or shortest_edge")
            }
        }
        var crop: Size?
        if flag("do_center_crop", default: false) {
            guard let target = size("crop_size"), let height = target["height"], let width = target["width"] else {
                throw ConfigError(key: "crop_size", problem: "needs height and width")
            }
            crop = Size(width: width, height: height)
        }
        let scale = flag("do_rescale", default: true) ? Float(number(config["rescale_factor"]) ?? 1 / 255) : nil
        let normalize = flag("do_normalize", default: true)
        self.init(
            resize: resize, filter: filter, convention: .pillow, crop: crop, scale: scale,
            mean: normalize ? try floats("image_mean") ?? [0.5, 0.5, 0.5] : nil,
            std: normalize ? try floats("image_std") ?? [0.5, 0.5, 0.5] : nil)
    }

    /// A setting of `preprocessor_config.json` Tern cannot follow.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public let key: String
        public let problem: String
        public var description: String { "'\(key)' \(problem)" }
    }

    /// The size `resize` brings a `width` x `height` image to, before cropping.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        switch resize {
        case .none:
            return (width, height)
        case .stretch(let w, let h):
            return (w, h)
        case .shortestEdge(let edge):
            if width <= height { return (edge, Int(Double(edge) * Double(height) / Double(width))) }
            return (Int(Double(edge) * Double(width) / Double(height)), edge)
        case .multipleOf(let w, let h, let multiple, let keep):
            var scaleHeight = Double(h) / Double(height)
            var scaleWidth = Double(w) / Double(width)
            if keep {
                if abs(1 - scaleWidth) < abs(1 - scaleHeight) { scaleHeight = scaleWidth } else { scaleWidth = scaleHeight }
            }
            func constrain(_ value: Double) -> Int {
                // Python's round: half to even.
                var x = Int((value / Double(multiple)).rounded(.toNearestOrEven)) * multiple
                if x < 0 { x = Int((value / Double(multiple)).rounded(.up)) * multiple }
                return x
            }
            return (Swift.max(constrain(scaleWidth * Double(width)), 1), Swift.max(constrain(scaleHeight * Double(height)), 1))
        }
    }

    /// The model input for `image`: `[3, height, width]` (nchw) or `[height, width, 3]` (nhwc) floats.
    public func tensor(for image: RGBImage) -> (values: [Float], shape: [Int]) {
        let (width, height) = resizedSize(width: image.width, height: image.height)
        var resized = image.resized(to: width, height, filter: filter, convention: convention)
        if let crop { resized = Self.centerCrop(resized, width: crop.width, height: crop.height) }
        let (w, h) = (resized.width, resized.height)
        let order = channels == .rgb ? [0, 1, 2] : [2, 1, 0]
        let scale = self.scale ?? 1
        // Each channel's 256 possible values, computed once: the same arithmetic as per pixel, done 768 times.
        var table = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            let source = order[channel]
            let mean = self.mean?[source] ?? 0
            let inverseStd = 1 / (self.std?[source] ?? 1)
            for level in 0..<256 { table[channel * 256 + level] = (Float(level) * scale - mean) * inverseStd }
        }
        let (count, planar) = (w * h, layout == .nchw)
        let values = [Float](unsafeUninitializedCapacity: count * 3) { out, written in
            written = count * 3  // every element is written below
            resized.pixels.withUnsafeBufferPointer { pixels in
                table.withUnsafeBufferPointer { table in
                    for channel in 0..<3 {
                        let source = pixels.baseAddress! + order[channel]
                        let levels = table.baseAddress! + channel * 256
                        if planar {
                            let plane = out.baseAddress! + channel * count
                            for index in 0..<count { (plane + index).initialize(to: levels[Int(source[index * 3])]) }
                        } else {
                            for index in 0..<count {
                                (out.baseAddress! + index * 3 + channel).initialize(to: levels[Int(source[index * 3])])
                            }
                        }
                    }
                }
            }
        }
        return (values, layout == .nchw ? [3, h, w] : [h, w, 3])
    }

    /// The centre `width` x `height` of `image` (top-left at `(size - crop) / 2`, rounded down); sides the image
    /// lacks are zero, as transformers pads them.
    static func centerCrop(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        // Python's floor division, also when the crop is larger than the image.
        let top = Int((Double(image.height - height) / 2).rounded(.down))
        let left = Int((Double(image.width - width) / 2).rounded(.down))
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let sy = y + top
            guard sy >= 0, sy < image.height else { continue }
            for x in 0..<width {
                let sx = x + left
                guard sx >= 0, sx < image.width else { continue }
                for c in 0..<3 { out[(y * width + x) * 3 + c] = image.pixels[(sy * image.width + sx) * 3 + c] }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
