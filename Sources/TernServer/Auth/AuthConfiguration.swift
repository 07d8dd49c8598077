/// API keys and the routes they guard. With no keys, every route is open.
public struct AuthConfiguration: Sendable {
    /// Keys a client may send as `Authorization: Bearer KEY`.
    public var apiKeys: [String]
    /// Whether `/health` and `/v2/health/*` need a key too (they are open by default, for probes).
    public var protectHealth: Bool
    /// Whether `/metrics` needs a key too (open by default, for scrapers).
    public var protectMetrics: Bool

    /// - Parameters:
    ///   - apiKeys: the keys; none turns the check off.
    ///   - protectHealth: guard the health probes too.
    ///   - protectMetrics: guard `/metrics` too.
    public init(apiKeys: [String] = [], protectHealth: Bool = false, protectMetrics: Bool = false) {
        self.apiKeys = apiKeys
        self.protectHealth = protectHealth
        self.protectMetrics = protectMetrics
    }

    /// Whether any key is configured, so that routes need one.
    public var isEnabled: Bool { !apiKeys.isEmpty }
}
