/// The entry point the notifier uses: picks the renderer for a receiver's format.
public enum NotificationPayload {
    public static func renderer(for format: ReceiverFormat) -> any PayloadRenderer {
        switch format {
        case .alertmanager: AlertmanagerWebhookRenderer()
        case .slack: SlackRenderer()
        case .pagerduty: PagerDutyRenderer()
        case .json: ObsJSONRenderer()
        case .alertmanagerAPI: AlertmanagerAPIRenderer()
        }
    }

    public static func render(_ message: NotificationMessage, as format: ReceiverFormat, options: PayloadOptions = PayloadOptions()) -> RenderedPayload {
        renderer(for: format).render(message, options: options)
    }
}
