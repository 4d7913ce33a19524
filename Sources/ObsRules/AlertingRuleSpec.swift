/// An `alert:` rule of a group, with where each part was written so that later checks
/// (expressions, templates) can point at it.
public struct AlertingRuleSpec: Sendable, Equatable {
    public var alert: String
    public var expr: String
    /// How long the condition must hold before the alert fires; `0s` unless written.
    public var `for`: Duration
    /// How long the alert keeps firing after the condition clears; `0s` unless written.
    public var keepFiringFor: Duration
    public var labels: [String: String]
    public var annotations: [String: String]
    /// 1-based position in its group.
    public var index: Int
    /// Of the `alert:` key.
    public var location: RuleLocation
    /// Of the `expr:` key (of the `alert:` key when there is none).
    public var exprLocation: RuleLocation
    /// Of each label's key.
    public var labelLocations: [String: RuleLocation]
    /// Of each annotation's key.
    public var annotationLocations: [String: RuleLocation]

    public init(
        alert: String,
        expr: String,
        for: Duration = .zero,
        keepFiringFor: Duration = .zero,
        labels: [String: String] = [:],
        annotations: [String: String] = [:],
        index: Int,
        location: RuleLocation,
        exprLocation: RuleLocation,
        labelLocations: [String: RuleLocation] = [:],
        annotationLocations: [String: RuleLocation] = [:]
    ) {
        self.alert = alert
        self.expr = expr
        self.for = `for`
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.index = index
        self.location = location
        self.exprLocation = exprLocation
        self.labelLocations = labelLocations
        self.annotationLocations = annotationLocations
    }
}
