/// Identifies one submitted request inside a scheduler.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    let raw: UInt64

    init(_ raw: UInt64) { self.raw = raw }

    public var description: String { "r\(raw)" }
}

/// One input of one request: requests are split into inputs, and inputs are what batches hold.
public struct InputReference: Hashable, Sendable {
    public let request: RequestID
    public let index: Int
}
