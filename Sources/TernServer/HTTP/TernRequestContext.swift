import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basics plus the connection, so work can be
/// cancelled when the client goes away.
public struct TernRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
