import Foundation
import Imaging

/// What an image model computes, and so how its output is read.
public enum ImageTask: String, Sendable, CaseIterable {
    /// One value per pixel: depth, saliency, a segmentation logit plane.
    case depth
    /// Class scores over `id2label` or a labels file.
    case classify = "image-classify"
    /// One vector per image.
    case embed = "image-embed"
}

/// How an image model's input tensor is typed.
public enum ImageInputType: String, Sendable, CaseIterable {
    case float32, float16, uint8
}

/// How a dense map is turned into an answer.
public struct DenseOutput: Sendable, Equatable {
    /// How an image of the map is encoded by default (the `Accept` header may ask for another).
    public enum Encoding: String, Sendable, CaseIterable {
        /// 8-bit or 16-bit grey PNG; the float32 map itself (`application/octet-stream`).
        case png8, png16, float32
        /// An 8-bit colour PNG through one of matplotlib's colour maps.
        case inferno, turbo, viridis

        /// The colour map, for the colour encodings.
        public var colormap: Colormap? { Colormap(rawValue: rawValue) }
    }

    /// Resize the map back to the input image's size (bicubic, as transformers' `post_process_depth_estimation`).
    public var resizeBack = true
    public var range: DenseMap.Range = .minMax
    public var invert = false
    public var encoding: Encoding = .png8

    public init() {}
}

/// How class scores are turned into labels.
public struct ClassifyOutput: Sendable, Equatable {
    public enum Activation: String, Sendable, CaseIterable { case softmax, sigmoid, none }

    public var activation: Activation = .softmax
    /// Labels returned by default, best first.
    public var topK = 5
    /// Label per class index (`id2label` or the labels file); `LABEL_<i>` where missing.
    public var labels: [String] = []

    public init() {}

    /// The name of class `index`.
    public func label(_ index: Int) -> String { index < labels.count ? labels[index] : "LABEL_\(index)" }
}

/// How a vector is read from the model's output.
public struct EmbedOutput: Sendable, Equatable {
    /// For a `[batch, tokens, width]` output: the first token's vector or the mean over tokens.
    public enum Pooling: String, Sendable, CaseIterable { case cls, mean }

    public var pooling: Pooling = .cls
    public var normalize = true

    public init() {}
}

/// Everything Tern needs to serve an image model, read and checked before the session is created: the task, the
/// preprocessing, the input and output names and what is done with the output.
///
/// From a Hugging Face directory (`config.json` naming a `...ForDepthEstimation`, `...ForImageClassification` or a
/// CLIP/SigLIP vision model, and `preprocessor_config.json`), overridden by the `task`, `preprocess` and
/// `postprocess` keys of a `config.yaml`, which alone describe a plain ONNX file.
public struct ImageModelSpec: Sendable, Equatable {
    public var task: ImageTask
    public var preprocessor: ImagePreprocessor
    public var inputType: ImageInputType = .float32
    /// The graph's image input; `nil` takes `pixel_values` or the only input.
    public var inputName: String?
    /// The output read; `nil` picks by task (`predicted_depth`, `logits`, `image_embeds`, else the first).
    public var outputName: String?
    public var dense = DenseOutput()
    public var classify = ClassifyOutput()
    public var embed = EmbedOutput()

    public init(task: ImageTask, preprocessor: ImagePreprocessor) {
        self.task = task
        self.preprocessor = preprocessor
    }

    /// The task a Hugging Face `architectures` entry names, if it is an image model.
    public static func task(forArchitecture name: String) -> ImageTask? {
        if name.hasSuffix("ForDepthEstimation") { return .depth }
        if name.hasSuffix("ForImageClassification") { return .classify }
        let vision = ["CLIPVisionModel", "CLIPVisionModelWithProjection", "SiglipVisionModel", "Siglip2VisionModel"]
        if vision.contains(name) { return .embed }
        return nil
    }

    /// The image task of `directory`'s model: from a `config.json` naming an image architecture, or a
    /// `config.yaml`/`config.yml` whose `task` is an image task; `nil` when it is not an image model.
    public static func task(of directory: URL) -> ImageTask? {
        if let settings = try? yamlSettings(in: directory), let name = settings["task"] as? String,
            let task = ImageTask(rawValue: name)
        {
            return task
        }
        if let config = try? jsonObject(directory.appendingPathComponent("config.json")),
            let architectures = config["architectures"] as? [String]
        {
            return architectures.lazy.compactMap(task(forArchitecture:)).first
        }
        return nil
    }

    /// Whether `directory` holds an image model (see ``task(of:)``).
    public static func isImageModel(_ directory: URL) -> Bool { task(of: directory) != nil }

    /// Reads an image model's directory.
    /// - Throws: `ModelLoadError` naming the file and the key at fault.
    /// - Parameters:
    ///   - directory: the model's files (`config.json`, `preprocessor_config.json`, `model.onnx`).
    ///   - settingsFile: the YAML file with `task`/`preprocess`/`postprocess`; default: the directory's
    ///     `config.yaml`, if any (a repository model's is beside its version directories).
    ///   - otherKeys: keys the settings file may also hold for someone else (a repository's batching keys).
    public init(directory: URL, settingsFile: URL? = nil, otherKeys: [String] = []) throws(ModelLoadError) {
        let configFile = directory.appendingPathComponent("config.json")
        let processorFile = directory.appendingPathComponent("preprocessor_config.json")
        let config = try Self.jsonObject(configFile) ?? [:]
        let yamlURL = settingsFile ?? Self.yamlFile(in: directory)
        let settings = try yamlURL.map { url throws(ModelLoadError) in try ModelConfig.parse(url) ?? [:] } ?? [:]
        let yamlPath = yamlURL?.path ?? directory.appendingPathComponent("config.yaml").path
        let reader = ConfigReader(path: yamlPath)
        let allowed = ["task", "preprocess", "postprocess", "input", "output"]
        if let unknown = settings.keys.sorted().first(where: { !allowed.contains($0) && !otherKeys.contains($0) }) {
            throw reader.error("unknown key '\(unknown)'; an image model's keys are: \(allowed.joined(separator: ", "))")
        }
        var task: ImageTask?
        if let name = try reader.string(settings, "task") {
            guard let known = ImageTask(rawValue: name) else {
                throw reader.error(
                    "task '\(name)' is not an image task: \(ImageTask.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            task = known
        } else if let architectures = config["architectures"] as? [String] {
            task = architectures.lazy.compactMap(Self.task(forArchitecture:)).first
        }
        guard let task else {
            throw ModelLoadError(
                path: directory.path,
                problem: "is not an image model: config.json names no image architecture and config.yaml no image task")
        }
        var preprocessor: ImagePreprocessor
        if let processor = try Self.jsonObject(processorFile) {
            do { preprocessor = try ImagePreprocessor(huggingFace: processor) } catch {
                throw ModelLoadError(path: processorFile.path, problem: error.description)
            }
        } else if settings["preprocess"] == nil {
            throw ModelLoadError(
                path: directory.path, problem: "has neither preprocessor_config.json nor a 'preprocess' key in config.yaml")
        } else {
            preprocessor = ImagePreprocessor(resize: .none)
        }
        self.init(task: task, preprocessor: preprocessor)
        inputName = try reader.string(settings, "input")
        outputName = try reader.string(settings, "output")
        if let preprocess = settings["preprocess"] {
            guard let map = preprocess as? [String: Any] else { throw reader.error("'preprocess' must be a mapping") }
            try applyPreprocess(map, reader: reader)
        }
        if let labels = config["id2label"] as? [String: Any] {
            var byIndex: [Int: String] = [:]
            for (key, value) in labels {
                if let index = Int(key), index >= 0, let name = value as? String { byIndex[index] = name }
            }
            let count = (byIndex.keys.max() ?? -1) + 1
            classify.labels = (0..<count).map { byIndex[$0] ?? "LABEL_\($0)" }
        }
        if (config["problem_type"] as? String) == "multi_label_classification" { classify.activation = .sigmoid }
        if let postprocess = settings["postprocess"] {
            guard let map = postprocess as? [String: Any] else { throw reader.error("'postprocess' must be a mapping") }
            try applyPostprocess(map, reader: reader, directory: directory)
        }
    }

    private mutating func applyPreprocess(_ map: [String: Any], reader: ConfigReader) throws(ModelLoadError) {
        let keys = ["resize", "crop", "color", "scale", "mean", "std", "layout", "dtype"]
        if let unknown = map.keys.sorted().first(where: { !keys.contains($0) }) {
            throw reader.error("unknown key 'preprocess.\(unknown)'; the keys are: \(keys.joined(separator: ", "))")
        }
        if let resize = map["resize"] {
            guard let settings = resize as? [String: Any] else { throw reader.error("'preprocess.resize' must be a mapping") }
            try applyResize(settings, reader: reader)
        }
        if let crop = map["crop"] {
            guard let settings = crop as? [String: Any],
                let width = try reader.int(settings, "width", minimum: 1),
                let height = try reader.int(settings, "height", minimum: 1)
            else { throw reader.error("'preprocess.crop' needs width and height") }
            preprocessor.crop = .init(width: width, height: height)
        }
        if let color = try reader.string(map, "color") {
            guard let order = ImagePreprocessor.ChannelOrder(rawValue: color) else {
                throw reader.error("'preprocess.color' must be rgb or bgr")
            }
            preprocessor.channels = order
        }
        if map.keys.contains("scale") {
            preprocessor.scale = (try reader.double(map, "scale", minimum: 0)).map { Float($0) }
        }
        for key in ["mean", "std"] where map[key] != nil {
            guard let list = map[key] as? [Any], list.count == 3 else {
                throw reader.error("'preprocess.\(key)' must be three numbers (red, green, blue)")
            }
            var values: [Float] = []
            for item in list {
                guard !(item is Bool), let number = (item as? Double) ?? (item as? Int).map(Double.init) else {
                    throw reader.error("'preprocess.\(key)' must be three numbers (red, green, blue)")
                }
                values.append(Float(number))
            }
            if key == "std", values.contains(0) { throw reader.error("'preprocess.std' must not hold 0") }
            if key == "mean" { preprocessor.mean = values } else { preprocessor.std = values }
        }
        if preprocessor.mean != nil, preprocessor.std == nil { preprocessor.std = [1, 1, 1] }
        if preprocessor.std != nil, preprocessor.mean == nil { preprocessor.mean = [0, 0, 0] }
        if let layout = try reader.string(map, "layout") {
            guard let known = ImagePreprocessor.Layout(rawValue: layout) else {
                throw reader.error("'preprocess.layout' must be nchw or nhwc")
            }
            preprocessor.layout = known
        }
        if let dtype = try reader.string(map, "dtype") {
            guard let known = ImageInputType(rawValue: dtype) else {
                throw reader.error("'preprocess.dtype' must be one of: float32, float16, uint8")
            }
            inputType = known
        }
    }

    private mutating func applyResize(_ map: [String: Any], reader: ConfigReader) throws(ModelLoadError) {
        let keys = ["width", "height", "mode", "multiple", "interpolation", "library", "edge"]
        if let unknown = map.keys.sorted().first(where: { !keys.contains($0) }) {
            throw reader.error("unknown key 'preprocess.resize.\(unknown)'; the keys are: \(keys.joined(separator: ", "))")
        }
        let modes = ["stretch", "keep-aspect", "multiple-of", "shortest-edge"]
        let mode = try reader.string(map, "mode") ?? "stretch"
        let width = try reader.int(map, "width", minimum: 1)
        let height = try reader.int(map, "height", minimum: 1)
        func size() throws(ModelLoadError) -> (Int, Int) {
            guard let width, let height else { throw reader.error("'preprocess.resize' mode \(mode) needs width and height") }
            return (width, height)
        }
        switch mode {
        case "stretch":
            let (w, h) = try size()
            preprocessor.resize = .stretch(width: w, height: h)
        case "keep-aspect", "multiple-of":
            let (w, h) = try size()
            let multiple = try reader.int(map, "multiple", minimum: 1) ?? (mode == "multiple-of" ? 32 : 1)
            preprocessor.resize = .multipleOf(width: w, height: h, multiple: multiple, keepAspectRatio: true)
        case "shortest-edge":
            guard let edge = try reader.int(map, "edge", minimum: 1) ?? width ?? height else {
                throw reader.error("'preprocess.resize' mode shortest-edge needs edge")
            }
            preprocessor.resize = .shortestEdge(edge)
        default:
            throw reader.error("'preprocess.resize.mode' '\(mode)' is not one of: \(modes.joined(separator: ", "))")
        }
        if let name = try reader.string(map, "interpolation") {
            guard let filter = ResizeFilter(rawValue: name) else {
                throw reader.error(
                    "'preprocess.resize.interpolation' must be one of: \(ResizeFilter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            preprocessor.filter = filter
        }
        if let name = try reader.string(map, "library") {
            guard let convention = ResizeConvention(rawValue: name) else {
                throw reader.error(
                    "'preprocess.resize.library' must be one of: \(ResizeConvention.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            preprocessor.convention = convention
        }
    }

    private mutating func applyPostprocess(
        _ map: [String: Any], reader: ConfigReader, directory: URL
    ) throws(ModelLoadError) {
        let keys = ["resize_back", "range", "invert", "output", "activation", "top_k", "labels", "normalize", "pooling"]
        if let unknown = map.keys.sorted().first(where: { !keys.contains($0) }) {
            throw reader.error("unknown key 'postprocess.\(unknown)'; the keys are: \(keys.joined(separator: ", "))")
        }
        if let flag = try reader.bool(map, "resize_back") { dense.resizeBack = flag }
        if let flag = try reader.bool(map, "invert") { dense.invert = flag }
        if let range = map["range"] {
            if (range as? String) == "minmax" {
                dense.range = .minMax
            } else if let pair = range as? [Any], pair.count == 2,
                let low = (pair[0] as? Double) ?? (pair[0] as? Int).map(Double.init),
                let high = (pair[1] as? Double) ?? (pair[1] as? Int).map(Double.init), high > low
            {
                dense.range = .fixed(Float(low), Float(high))
            } else {
                throw reader.error("'postprocess.range' must be minmax or [low, high] with low < high")
            }
        }
        if let output = try reader.string(map, "output") {
            guard let encoding = DenseOutput.Encoding(rawValue: output) else {
                throw reader.error(
                    "'postprocess.output' must be one of: \(DenseOutput.Encoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dense.encoding = encoding
        }
        if let activation = try reader.string(map, "activation") {
            guard let known = ClassifyOutput.Activation(rawValue: activation) else {
                throw reader.error("'postprocess.activation' must be softmax, sigmoid or none")
            }
            classify.activation = known
        }
        if let topK = try reader.int(map, "top_k", minimum: 1) { classify.topK = topK }
        if let labels = map["labels"] {
            if let list = labels as? [Any] {
                classify.labels = list.map { "\($0)" }
            } else if let file = labels as? String {
                let url = directory.appendingPathComponent(file)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                    throw reader.error("'postprocess.labels': \(url.path) cannot be read")
                }
                classify.labels = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                while classify.labels.last == "" { classify.labels.removeLast() }
            } else {
                throw reader.error("'postprocess.labels' must be a list of names or a file name")
            }
        }
        if let flag = try reader.bool(map, "normalize") { embed.normalize = flag }
        if let pooling = try reader.string(map, "pooling") {
            guard let known = EmbedOutput.Pooling(rawValue: pooling) else {
                throw reader.error("'postprocess.pooling' must be cls or mean")
            }
            embed.pooling = known
        }
    }

    private static func yamlFile(in directory: URL) -> URL? {
        ["config.yaml", "config.yml"].lazy.map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The mapping in `config.yaml`, `nil` when there is none.
    private static func yamlSettings(in directory: URL) throws(ModelLoadError) -> [String: Any]? {
        guard let file = yamlFile(in: directory) else { return nil }
        let config = try ModelConfig.parse(file)
        return config ?? [:]
    }

    /// A JSON object file, `nil` when the file does not exist.
    private static func jsonObject(_ file: URL) throws(ModelLoadError) -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            let data = try Data(contentsOf: file)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ModelLoadError(path: file.path, problem: "must hold a JSON object")
            }
            return object
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError(path: file.path, problem: "cannot be parsed: \(error.localizedDescription)")
        }
    }
}
