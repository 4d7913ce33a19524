import Foundation

/// The daemon's rule files: a directory of `*.yaml`/`*.yml` files, or one file. The default
/// directory (`./rules`) may be missing — `obs serve` then runs with no rules; a path the
/// user named must exist.
public struct RuleFileSource: Sendable {
    public var path: String
    public var isDefault: Bool

    public init(path: String, isDefault: Bool) {
        self.path = path
        self.isDefault = isDefault
    }

    public func load() async -> Result<RuleSet, RuleCheckError> {
        if isDefault && !FileManager.default.fileExists(atPath: path) { return .success(.empty) }
        return await RuleSetLoader.load(paths: [path])
    }
}
