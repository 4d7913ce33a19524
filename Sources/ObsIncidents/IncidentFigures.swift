import ObsCore
import ObsStorage

/// An incident's durations in seconds, as incident tools define them (Rootly, FireHydrant):
/// MTTD = detected − started, MTTA = acknowledged − first notified, time to mitigate =
/// mitigated − started, MTTR = resolved − started. nil until both ends are known.
public struct IncidentFigures: Sendable, Equatable {
    public var detect: Double?
    public var acknowledge: Double?
    public var mitigate: Double?
    public var resolve: Double?

    public init(_ incident: IncidentRecord) {
        detect = Self.seconds(from: incident.startedAt, to: incident.detectedAt)
        acknowledge = incident.firstNotifiedAt.flatMap { Self.seconds(from: $0, to: incident.acknowledgedAt) }
        mitigate = Self.seconds(from: incident.startedAt, to: incident.mitigatedAt)
        resolve = Self.seconds(from: incident.startedAt, to: incident.resolvedAt)
    }

    static func seconds(from start: Timestamp, to end: Timestamp?) -> Double? {
        end.map { Double($0.nanoseconds - start.nanoseconds) / 1e9 }
    }
}
