import Logging
import ObsCore

/// Logs every committed alert transition as one line: the daemon's log is the first place
/// an operator looks, before any notifier exists.
struct AlertTransitionLog: AlertTransitionSink {
    let logger: Logger

    func committed(_ transitions: [AlertTransition]) {
        for transition in transitions {
            let labels = transition.labels.filter { $0.key != AlertFingerprint.alertnameLabel }
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            logger.notice("Alert \(transition.alertname) is \(transition.state.rawValue).", metadata: [
                "alert.group": "\(transition.group)", "alert.labels": "\(labels)", "alert.fingerprint": "\(transition.fingerprint)",
                "alert.value": "\(transition.value.map { "\($0)" } ?? "none")", "alert.time": "\(transition.time)",
            ])
        }
    }
}
