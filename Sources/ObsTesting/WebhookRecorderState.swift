import NIOCore
import Synchronization

/// What the recorder's connections (on the event loop) and the test (on any task) share.
/// The lock is never held while calling out, so a responder may read `requests` without deadlocking.
final class WebhookRecorderState: Sendable {
    typealias Responder = @Sendable (RecordedRequest, Int) -> RecordedResponse

    private struct Contents {
        var requests: [RecordedRequest] = []
        var responder: Responder = { _, _ in .ok }
        var openConnections: [Int: any Channel] = [:]
        var connectionsAccepted = 0
        var stopped = false
    }

    private let contents = Mutex(Contents())

    var requests: [RecordedRequest] { contents.withLock { $0.requests } }

    func setResponder(_ responder: @escaping Responder) {
        contents.withLock { $0.responder = responder }
    }

    /// Returns the connection's number, or nil once stopping began so a late accept is refused.
    func open(_ channel: any Channel) -> Int? {
        contents.withLock { contents in
            guard !contents.stopped else { return nil }
            let number = contents.connectionsAccepted
            contents.connectionsAccepted += 1
            contents.openConnections[number] = channel
            return number
        }
    }

    func closed(_ connection: Int) {
        _ = contents.withLock { $0.openConnections.removeValue(forKey: connection) }
    }

    /// Appends the request and hands back its index with the responder that was current at that moment.
    func record(_ request: RecordedRequest) -> (index: Int, responder: Responder) {
        contents.withLock { contents in
            contents.requests.append(request)
            return (contents.requests.count - 1, contents.responder)
        }
    }

    /// The connections to close, or nil when stopping already began.
    func beginStopping() -> [any Channel]? {
        contents.withLock { contents in
            guard !contents.stopped else { return nil }
            contents.stopped = true
            return Array(contents.openConnections.values)
        }
    }
}
