/// Per-receiver settings that change what a body says, not how it is delivered.
public struct PayloadOptions: Sendable, Equatable {
    /// The PagerDuty integration key. Required by PagerDuty; receiver config validation is where
    /// a missing one should be refused — rendering without it writes an empty key, which
    /// PagerDuty rejects with a 400 the delivery log shows.
    public var pagerDutyRoutingKey: String?
    /// How far past `renderedAt` a firing alert's `endsAt` lies in an Alertmanager API push.
    /// Alertmanager resolves an alert by itself once `endsAt` passes, so this must outlast the
    /// gap between two pushes; Prometheus uses 4 × max(evaluation interval, 1m resend delay).
    public var alertmanagerAPIResendHorizon: Duration

    public init(pagerDutyRoutingKey: String? = nil, alertmanagerAPIResendHorizon: Duration = .seconds(240)) {
        self.pagerDutyRoutingKey = pagerDutyRoutingKey
        self.alertmanagerAPIResendHorizon = alertmanagerAPIResendHorizon
    }
}
