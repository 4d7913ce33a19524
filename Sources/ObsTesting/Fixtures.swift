import Foundation

/// Files in `Tests/Fixtures/`: request bodies captured from real clients.
public enum Fixtures {
    public static var directory: String {
        // Sources/ObsTesting/Fixtures.swift → repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures").path
    }

    public static func path(_ name: String) -> String { directory + "/" + name }

    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(name)))
    }
}
