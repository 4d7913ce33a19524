/// Turns a notification into one receiver format's request body.
public protocol PayloadRenderer: Sendable {
    func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload
}
