/// Which labels split a route's alerts into notification groups.
public enum Grouping: Sendable, Equatable {
    /// Group by these labels (sorted, without duplicates). An empty list puts every alert of the
    /// route into one group.
    case labels([String])
    /// `group_by: ['...']`: every distinct label set is its own group, i.e. no aggregation.
    case all

    /// The `group_by` value that means "all labels", as in Alertmanager.
    public static let allLabelsMarker = "..."
}
