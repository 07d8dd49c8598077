/// An ONNX graph described in memory: inputs, outputs, nodes and initializers, turned into a ``Session`` with
/// ``Session/init(graph:environment:options:)`` through ONNX Runtime's Model Editor API, with no ONNX file.
///
/// Weights can be lent rather than copied: an initializer made with ``Initializer/borrowing(_:elementType:shape:bytes:owner:)``
/// points ONNX Runtime at memory Tern already holds (a memory-mapped checkpoint), and the session keeps its owner
/// alive for as long as it exists.
public struct ModelGraph: Sendable {
    /// One dimension of a declared input or output.
    public enum Dimension: Sendable, Hashable {
        case fixed(Int)
        /// A dimension known only at run time, named as ONNX's `dim_param` (`batch`, `sequence`).
        case named(String)
    }

    /// A graph input or output.
    public struct Value: Sendable {
        public var name: String
        public var elementType: ElementType
        public var shape: [Dimension]

        public init(name: String, elementType: ElementType, shape: [Dimension]) {
            self.name = name
            self.elementType = elementType
            self.shape = shape
        }
    }

    /// A node attribute.
    public enum Attribute: Sendable {
        case int(String, Int)
        case ints(String, [Int])
        case float(String, Float)
        case floats(String, [Float])
        case string(String, String)

        var name: String {
            switch self {
            case .int(let name, _), .ints(let name, _), .float(let name, _), .floats(let name, _),
                .string(let name, _):
                name
            }
        }
    }

    /// One operator application.
    public struct Node: Sendable {
        public var op: String
        /// Empty for the ONNX domain; `com.microsoft` for ONNX Runtime's contrib operators.
        public var domain: String
        public var name: String
        /// Value names; an empty name leaves an optional input out.
        public var inputs: [String]
        public var outputs: [String]
        public var attributes: [Attribute]
    }

    /// A constant tensor: weights, or the small constants the graph needs (shapes, axes).
    public struct Initializer: Sendable {
        /// Where the bytes come from.
        public enum Contents: Sendable {
            /// Memory Tern holds; `owner` keeps it valid and is retained by the session.
            case borrowed(LentBytes)
            /// Bytes written straight into ONNX Runtime's own buffer once (a converted or derived tensor).
            case written(@Sendable (UnsafeMutableRawBufferPointer) -> Void)
        }

        public var name: String
        public var elementType: ElementType
        public var shape: [Int]
        public var contents: Contents

        /// Bytes the tensor holds.
        public var byteCount: Int { shape.reduce(1, *) * (elementType.byteWidth ?? 0) }

        /// A tensor over `bytes`, which must stay valid while `owner` lives (the session retains it).
        /// - Precondition: `bytes.count` is the tensor's size (callers validate files before they get here).
        public static func borrowing(
            _ name: String, elementType: ElementType, shape: [Int], bytes: UnsafeRawBufferPointer,
            owner: any Sendable & AnyObject
        ) -> Initializer {
            Initializer(
                name: name, elementType: elementType, shape: shape,
                contents: .borrowed(LentBytes(buffer: bytes, owner: owner)))
        }

        /// A tensor whose bytes `write` produces into ONNX Runtime's buffer of ``byteCount`` bytes.
        public static func writing(
            _ name: String, elementType: ElementType, shape: [Int],
            _ write: @escaping @Sendable (UnsafeMutableRawBufferPointer) -> Void
        ) -> Initializer {
            Initializer(name: name, elementType: elementType, shape: shape, contents: .written(write))
        }

        /// A float tensor holding `values`.
        public static func floats(_ name: String, _ values: [Float], shape: [Int]) -> Initializer {
            writing(name, elementType: .float, shape: shape) { buffer in
                values.withUnsafeBytes { buffer.copyMemory(from: $0) }
            }
        }

        /// An int64 tensor holding `values` (shapes, axes, indices).
        public static func int64s(_ name: String, _ values: [Int64], shape: [Int]) -> Initializer {
            writing(name, elementType: .int64, shape: shape) { buffer in
                values.withUnsafeBytes { buffer.copyMemory(from: $0) }
            }
        }
    }

    /// Read-only bytes inside memory that `owner` keeps valid (a mapped file).
    public struct LentBytes: @unchecked Sendable {
        // @unchecked Sendable: the bytes are never written after the owner made them (a read-only mapping), and
        // the owner, itself Sendable, keeps them valid; reading them from any thread is safe.
        public let buffer: UnsafeRawBufferPointer
        public let owner: any Sendable & AnyObject
    }

    /// A name for the graph in errors and logs (the checkpoint it was built from).
    public var name: String
    /// Operator sets the nodes use: `""` (ONNX) and, for contrib operators, `com.microsoft`.
    public var opsets: [String: Int]
    public var inputs: [Value] = []
    public var outputs: [Value] = []
    public private(set) var nodes: [Node] = []
    public private(set) var initializers: [Initializer] = []
    private var initializerNames: Set<String> = []
    private var counter = 0

    public init(name: String, opsets: [String: Int] = ["": 17, "com.microsoft": 1]) {
        self.name = name
        self.opsets = opsets
    }

    /// Adds a node and returns its first output, named `<hint>_<n>` unless `outputs` names them.
    @discardableResult
    public mutating func node(
        _ op: String, _ inputs: [String], domain: String = "", attributes: [Attribute] = [], outputs: [String]? = nil,
        name hint: String? = nil
    ) -> String {
        counter += 1
        let base = "\(hint ?? op)_\(counter)"
        let names = outputs ?? [base]
        nodes.append(Node(op: op, domain: domain, name: base, inputs: inputs, outputs: names, attributes: attributes))
        return names[0]
    }

    /// Adds an initializer and returns its name. Adding a name twice keeps the first (shared constants).
    @discardableResult
    public mutating func add(_ initializer: Initializer) -> String {
        if initializerNames.insert(initializer.name).inserted { initializers.append(initializer) }
        return initializer.name
    }

    /// An int64 vector constant, shared by value (`axes`, shapes).
    public mutating func constant(_ values: [Int64]) -> String {
        let name = "const_i64_" + values.map { $0 < 0 ? "m\(-$0)" : "\($0)" }.joined(separator: "_")
        return add(.int64s(name, values, shape: [values.count]))
    }

    /// An int64 scalar constant, shared by value (indices, `Range` bounds, `CumSum` axes).
    public mutating func scalar(_ value: Int64) -> String {
        add(.int64s("const_i64_scalar_" + (value < 0 ? "m\(-value)" : "\(value)"), [value], shape: []))
    }

    /// A float scalar constant, shared by value.
    public mutating func constant(_ value: Float) -> String {
        add(.floats("const_f32_\(value.bitPattern)", [value], shape: []))
    }

    /// Bytes of every initializer, borrowed or written.
    public var weightBytes: Int { initializers.reduce(0) { $0 + $1.byteCount } }
}
