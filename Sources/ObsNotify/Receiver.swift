import Foundation
import ObsCore

/// A receiver from `receivers:`: where its notifications go, in which format, and how their
/// delivery is bounded. Secrets are read from the environment when the daemon starts.
public struct Receiver: Sendable, Equatable {
    public var name: String
    public var url: URL
    public var format: ReceiverFormat
    /// The environment variable holding the HMAC secret; signing is off without it.
    public var secretEnv: String?
    /// `pagerduty`: the environment variable holding the integration's routing key.
    public var routingKeyEnv: String?
    public var headers: [String: String]
    public var timeout: Duration
    public var sendResolved: Bool
    /// After this long since a notification was composed, it is given up (`dead`).
    public var maxDeliveryTime: Duration
    public var retry: RetryPolicy
    /// At most this many deliveries of this receiver at once.
    public var maxInFlight: Int

    public static let defaultTimeout = Duration.seconds(10)
    public static let defaultMaxDeliveryTime = Duration.seconds(86_400)
    public static let defaultMaxInFlight = 4

    public init(name: String, url: URL, format: ReceiverFormat, secretEnv: String? = nil, routingKeyEnv: String? = nil,
                headers: [String: String] = [:], timeout: Duration = Receiver.defaultTimeout, sendResolved: Bool = true,
                maxDeliveryTime: Duration = Receiver.defaultMaxDeliveryTime, retry: RetryPolicy = RetryPolicy(),
                maxInFlight: Int = Receiver.defaultMaxInFlight) {
        self.name = name
        self.url = url
        self.format = format
        self.secretEnv = secretEnv
        self.routingKeyEnv = routingKeyEnv
        self.headers = headers
        self.timeout = timeout
        self.sendResolved = sendResolved
        self.maxDeliveryTime = maxDeliveryTime
        self.retry = retry
        self.maxInFlight = maxInFlight
    }

    /// Where a notification of this receiver is posted: the URL, plus the format's own path
    /// (an Alertmanager's `url` is its base URL).
    public func target(path: String?) -> URL {
        guard let path, !path.isEmpty else { return url }
        var base = url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + path) ?? url
    }
}

/// A receiver with the secrets its environment variables hold.
public struct ResolvedReceiver: Sendable {
    public var receiver: Receiver
    public var secret: [UInt8]?
    public var routingKey: String?

    public init(receiver: Receiver, secret: [UInt8]?, routingKey: String?) {
        self.receiver = receiver
        self.secret = secret
        self.routingKey = routingKey
    }

    public var name: String { receiver.name }

    /// Reads `secret_env` and `routing_key_env`; every variable that is unset or empty is a
    /// problem, named, so the daemon refuses to start instead of sending unsigned pages.
    public static func resolve(_ receivers: [Receiver], environment: [String: String]) throws(NotifyConfigError) -> [ResolvedReceiver] {
        var problems: [String] = []
        var resolved: [ResolvedReceiver] = []
        for receiver in receivers {
            var secret: [UInt8]?
            var routingKey: String?
            if let name = receiver.secretEnv {
                if let value = environment[name], !value.isEmpty { secret = Array(value.utf8) } else {
                    problems.append("receiver \"\(receiver.name)\": secret_env \(name) is not set in the environment")
                }
            }
            if let name = receiver.routingKeyEnv {
                if let value = environment[name], !value.isEmpty { routingKey = value } else {
                    problems.append("receiver \"\(receiver.name)\": routing_key_env \(name) is not set in the environment")
                }
            }
            resolved.append(ResolvedReceiver(receiver: receiver, secret: secret, routingKey: routingKey))
        }
        guard problems.isEmpty else { throw NotifyConfigError(problems: problems) }
        return resolved
    }
}

/// Notification settings that cannot work: each problem one line.
public struct NotifyConfigError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String { problems.joined(separator: "\n") }
}
