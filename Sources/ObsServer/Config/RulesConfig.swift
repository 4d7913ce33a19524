import Foundation
import Yams

/// `rules` and `external_url`: where the alert rule files are, and the address alerts link to.
///
/// | key | default | flag / env |
/// |---|---|---|
/// | `rules` | `./rules` (a directory of `*.yaml`, or one file) | `--rules`, `OBS_RULES` |
/// | `external_url` | `http://` + the `http` address | `OBS_EXTERNAL_URL` |
public struct RulesConfig: Sendable, Equatable {
    public var path = "./rules"
    /// nil: derived from the listen address.
    public var externalURL: String?

    public init() {}

    func validate() -> [ConfigError.Problem] {
        guard let externalURL else { return [] }
        guard let url = URL(string: externalURL), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            return [.init(location: "", key: "external_url", reason: "\"\(externalURL)\" is not an http(s) URL")]
        }
        return []
    }
}
