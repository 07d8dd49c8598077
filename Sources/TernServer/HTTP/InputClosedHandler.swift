import NIOCore

/// Tells `ClientDisconnect` when the client closes its side of the connection. Hummingbird allows
/// remote half-closure, so a client that hangs up shows up as `ChannelEvent.inputClosed`, not as a
/// closed channel, until the server next writes.
final class InputClosedHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            ClientDisconnect.shared.clientHungUp(context.channel)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
