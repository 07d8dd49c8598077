/// The HTTP server's settings.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind; 0 picks a free one (printed on stdout once bound).
    public var port: Int
    /// Largest request body accepted, in bytes.
    public var maxBodySize: Int
    /// Most inputs one request may carry.
    public var maxInputs: Int
    /// How long a request may wait and compute before it gets 504, unless its `X-Request-Timeout`
    /// header says otherwise.
    public var requestTimeout: Duration
    /// Longest input in Unicode scalars (what Python's `len` counts); longer ones are refused before
    /// tokenization (413 in every API's error shape).
    public var maxInputChars: Int = 100_000
    /// Largest total size of a request's header fields in bytes (names, values and their separators);
    /// larger requests get 431.
    public var maxHeaderSize: Int = 16_384
    /// Header-read and keep-alive timeouts and the connection cap.
    public var connections: ConnectionLimits = ConnectionLimits()
    /// Which routes need an API key, and the keys.
    public var auth: AuthConfiguration = AuthConfiguration()

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        maxBodySize: Int = 2 * 1024 * 1024,
        maxInputs: Int = 512,
        requestTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.maxInputs = maxInputs
        self.requestTimeout = requestTimeout
    }
}
