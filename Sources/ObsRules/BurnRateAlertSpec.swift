/// A `burn_rate_alerts:` entry of an SLO: alert when the budget burns at least `factor`
/// times too fast over both `longWindow` and `shortWindow` (the short one makes the alert
/// resolve soon after the burn stops).
public struct BurnRateAlertSpec: Sendable, Equatable {
    /// `page`, `ticket` or any other word; the alerts' `severity` label.
    public var severity: String
    public var longWindow: Duration
    public var shortWindow: Duration
    public var factor: Double
    /// The generated rule's `for`.
    public var hold: Duration

    public init(severity: String, longWindow: Duration, shortWindow: Duration, factor: Double, hold: Duration = .zero) {
        self.severity = severity
        self.longWindow = longWindow
        self.shortWindow = shortWindow
        self.factor = factor
        self.hold = hold
    }

    /// The SRE Workbook's multiwindow, multi-burn-rate alerts for a 30-day window: 2 % of the
    /// budget in an hour or 5 % in six hours pages; 10 % in three days opens a ticket.
    public static let workbookDefaults: [BurnRateAlertSpec] = [
        BurnRateAlertSpec(severity: "page", longWindow: .seconds(3600), shortWindow: .seconds(300), factor: 14.4),
        BurnRateAlertSpec(severity: "page", longWindow: .seconds(6 * 3600), shortWindow: .seconds(1800), factor: 6),
        BurnRateAlertSpec(severity: "ticket", longWindow: .seconds(3 * 86_400), shortWindow: .seconds(6 * 3600), factor: 1),
    ]
}
