import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file mapped read-only into memory, unmapped when the last reference goes. Sessions built from a checkpoint
/// hold it, so the weights they read in place stay valid.
public final class MappedFile: @unchecked Sendable {
    // @unchecked Sendable: the mapping is read-only (PROT_READ) and never changes until deinit, which runs once
    // no one holds the file.
    public let path: String
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`.
    /// - Throws: `ModelLoadError` naming the file when it cannot be opened or mapped.
    public init(path: String) throws(ModelLoadError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ModelLoadError(path: path, problem: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ModelLoadError(path: path, problem: "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw ModelLoadError(path: path, problem: "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// Lets the kernel drop the pages read so far. The mapping stays valid: a page touched again is read back
    /// from the file. Called once a session is built, since ONNX Runtime has by then copied what it repacks
    /// (every `Gemm` weight), so those pages need not stay resident beside the packed copies.
    public func releaseResidentPages() {
        guard let base = bytes.baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, Int32(MADV_DONTNEED))
    }
}

/// A tensor's element type as safetensors names it.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var width: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

/// One tensor of a checkpoint: its type, shape and bytes inside the mapped file.
public struct CheckpointTensor: Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Exactly `shape.product * dtype.width` bytes, inside `file`'s mapping (validated when the file was read).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: file.bytes[range]) }
    /// The mapped file that holds it; whatever reads `bytes` in place keeps this alive.
    public let file: MappedFile
    let range: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header naming every tensor's dtype,
/// shape and byte range, then the data. Everything the header says is checked against the file before any
/// tensor is handed out, so nothing is read out of bounds whatever the file claims.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted (the format's reference implementation uses the same limit).
    static let maximumHeaderLength = 100_000_000

    public let path: String
    public let tensors: [String: CheckpointTensor]
    /// `__metadata__` string pairs (e.g. `format: pt`).
    public let metadata: [String: String]
    /// The mapping the tensors point into.
    let file: MappedFile

    /// Maps and validates `path`.
    /// - Throws: `ModelLoadError` naming the file, and the tensor when one is at fault, with the problem.
    public init(path: String) throws(ModelLoadError) {
        let file = try MappedFile(path: path)
        try self.init(file: file)
    }

    init(file: MappedFile) throws(ModelLoadError) {
        let path = file.path
        func fail(_ problem: String) -> ModelLoadError { ModelLoadError(path: path, problem: problem) }
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw fail("\(bytes.count) bytes is too short for a safetensors file (an 8-byte header length comes first)")
        }
        var declared: UInt64 = 0
        for index in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[index]) }
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw fail("the header length \(declared) is over the \(Self.maximumHeaderLength)-byte limit")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= bytes.count else {
            throw fail("the header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let headerBytes = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]))
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: headerBytes) } catch {
            throw fail("the header is not valid JSON")
        }
        guard let header = parsed as? [String: Any] else { throw fail("the header is not a JSON object") }

        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var tensors: [String: CheckpointTensor] = [:]
        var metadata: [String: String] = [:]
        var extents: [(range: Range<Int>, name: String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (key, item) in pairs {
                    guard let text = item as? String else { throw fail("__metadata__ '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            func bad(_ problem: String) -> ModelLoadError { fail("tensor '\(name)': \(problem)") }
            guard let entry = value as? [String: Any] else { throw bad("its entry is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw bad("no dtype") }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw bad(
                    "unknown dtype '\(dtypeName)' (supported: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let shapeValues = entry["shape"] as? [Any] else { throw bad("no shape") }
            var shape: [Int] = []
            var elements = 1
            for dimension in shapeValues {
                guard let size = ModelFileReader.integer(dimension), size >= 0 else {
                    throw bad("shape \(shapeValues) is not a list of non-negative integers")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else { throw bad("shape \(shapeValues) is too large") }
                elements = product
                shape.append(size)
            }
            guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                let begin = ModelFileReader.integer(offsets[0]), let end = ModelFileReader.integer(offsets[1])
            else { throw bad("data_offsets must be two integers") }
            guard begin >= 0, begin <= end else { throw bad("data_offsets [\(begin), \(end)] are not an ordered range") }
            guard end <= dataLength else {
                throw bad("data_offsets [\(begin), \(end)] run past the end of the data (\(dataLength) bytes)")
            }
            let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.width)
            guard !overflow, end - begin == expected else {
                throw bad("shape \(shape) of \(dtype.rawValue) needs \(expected) bytes, but data_offsets give \(end - begin)")
            }
            let range = (dataStart + begin)..<(dataStart + end)
            extents.append((range, name))
            tensors[name] = CheckpointTensor(name: name, dtype: dtype, shape: shape, file: file, range: range)
        }
        extents.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (previous, next) in zip(extents, extents.dropFirst())
        where next.range.lowerBound < previous.range.upperBound && !next.range.isEmpty && !previous.range.isEmpty {
            throw fail("tensors '\(previous.name)' and '\(next.name)' overlap in the data")
        }
        self.path = path
        self.tensors = tensors
        self.metadata = metadata
        self.file = file
    }
}

/// The weights of a model: one `model.safetensors`, or the shards a `model.safetensors.index.json` lists.
public struct Checkpoint: Sendable {
    /// The file (or index) the weights were read from, for messages.
    public let path: String
    public let tensors: [String: CheckpointTensor]
    /// The mapped files: one, or each shard.
    let files: [MappedFile]

    /// Drops the resident pages of every mapped file (see `MappedFile.releaseResidentPages`).
    public func releaseResidentPages() {
        for file in files { file.releaseResidentPages() }
    }

    /// Reads `model.safetensors`, or the shards of `model.safetensors.index.json`, in `directory`.
    /// - Throws: `ModelLoadError` naming the file, the tensor and the problem.
    public init(directory: URL) throws(ModelLoadError) {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        if FileManager.default.fileExists(atPath: single.path) {
            let file = try SafetensorsFile(path: single.path)
            self.path = single.path
            self.tensors = file.tensors
            self.files = [file.file]
            return
        }
        guard FileManager.default.fileExists(atPath: index.path) else {
            throw ModelLoadError(
                path: directory.path, problem: "no model.safetensors or model.safetensors.index.json")
        }
        let reader = ModelFileReader(directory: directory)
        let object = try reader.object("model.safetensors.index.json", required: true)!
        guard let map = object["weight_map"] as? [String: Any], !map.isEmpty else {
            throw reader.error("model.safetensors.index.json", "no weight_map object")
        }
        var shards: [String: SafetensorsFile] = [:]
        var tensors: [String: CheckpointTensor] = [:]
        for (name, value) in map.sorted(by: { $0.key < $1.key }) {
            guard let shard = value as? String, !shard.isEmpty, !shard.contains("/"), !shard.hasPrefix(".") else {
                throw reader.error("model.safetensors.index.json", "weight_map '\(name)' does not name a file beside it")
            }
            if shards[shard] == nil {
                shards[shard] = try SafetensorsFile(path: directory.appendingPathComponent(shard).path)
            }
            guard let tensor = shards[shard]!.tensors[name] else {
                throw ModelLoadError(
                    path: directory.appendingPathComponent(shard).path,
                    problem: "tensor '\(name)': listed in model.safetensors.index.json but not in this shard")
            }
            tensors[name] = tensor
        }
        self.path = index.path
        self.tensors = tensors
        self.files = shards.keys.sorted().map { shards[$0]!.file }
    }
}
