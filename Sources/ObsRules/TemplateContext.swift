/// What an alert template can refer to when it is rendered.
public struct TemplateContext: Sendable {
    /// The alert's labels: `$labels.NAME`, `.Labels.NAME`, `index $labels "NAME"`.
    public var labels: [String: String]
    /// The expression's value at this evaluation: `$value`, `.Value`.
    /// nil means there is no value at this evaluation; it renders as an empty string.
    public var value: Double?
    /// What `value` measures; decides how `{{ $value }}` prints.
    public var unit: ValueUnit
    /// Where the daemon can be reached: `$externalURL`, `.ExternalURL`.
    public var externalURL: String

    public init(
        labels: [String: String] = [:],
        value: Double? = nil,
        unit: ValueUnit = .none,
        externalURL: String = ""
    ) {
        self.labels = labels
        self.value = value
        self.unit = unit
        self.externalURL = externalURL
    }
}
