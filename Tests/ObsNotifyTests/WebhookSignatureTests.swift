import Foundation
import ObsNotify
import ObsTesting
import Testing

@Suite("Webhook signature")
struct WebhookSignatureTests {
    static let repository = URL(fileURLWithPath: Fixtures.directory).deletingLastPathComponent().deletingLastPathComponent()
    static let body = Array(#"{"receiver":"webhook","status":"firing"}"#.utf8)

    @Test("known answer")
    func knownAnswer() {
        // Obtained independently with Python's standard library:
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"obs-test-secret", b"1795617918." + b"{\"receiver\":\"webhook\",\"status\":\"firing\"}", hashlib.sha256).hexdigest())'
        let expected = "sha256=1acf656b614ecb383aa650102a61d13f2928eb3d58d537dc023df53f0e770bb2"
        let headers = WebhookSignature.headers(body: Self.body, secret: "obs-test-secret", timestamp: 1_795_617_918)
        #expect(headers.map(\.0) == ["X-Obs-Timestamp", "X-Obs-Signature"])
        #expect(headers.map(\.1) == ["1795617918", expected])
        #expect(WebhookSignature.headers(body: Self.body, secret: Array("obs-test-secret".utf8), timestamp: 1_795_617_918).map(\.1) == ["1795617918", expected])
    }

    @Test("verify accepts what headers produced, within the tolerance")
    func verifies() {
        let headers = WebhookSignature.headers(body: Self.body, secret: "s3cret", timestamp: 1_795_617_918)
        let (timestamp, signature) = (headers[0].1, headers[1].1)
        #expect(WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: signature, now: 1_795_617_918))
        #expect(WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: signature, now: 1_795_617_918 + 300))
        #expect(WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: signature.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), now: 1_795_617_918))
    }

    @Test("verify rejects tampering, the wrong secret, stale or malformed headers")
    func rejects() {
        let now: Int64 = 1_795_617_918
        let headers = WebhookSignature.headers(body: Self.body, secret: "s3cret", timestamp: now)
        let (timestamp, signature) = (headers[0].1, headers[1].1)
        var tampered = Self.body
        tampered[tampered.count - 3] = UInt8(ascii: "x")
        #expect(!WebhookSignature.verify(body: tampered, secret: "s3cret", timestamp: timestamp, signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "other", timestamp: timestamp, signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: signature, now: now + 301))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: signature, now: now - 301))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: String(now + 1), signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: "+" + timestamp, signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: "", signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: "99999999999999999999", signature: signature, now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: String(signature.dropFirst(7)), now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: String(signature.dropLast(2)), now: now))
        #expect(!WebhookSignature.verify(body: Self.body, secret: "s3cret", timestamp: timestamp, signature: "sha256=zz" + signature.dropFirst(9), now: now))
    }

    @Test("the README's Python check accepts obs's signature and rejects a tampered body")
    func pythonReceiver() throws {
        let message = try AlertmanagerWebhookRendererTests.fixtureMessage(status: .firing)
        let body = NotificationPayload.render(message, as: .alertmanager).body
        let headers = WebhookSignature.headers(body: body, secret: "receiver-secret", timestamp: Int64(Date().timeIntervalSince1970))
        #expect(try Self.runSnippet(body: body, secret: "receiver-secret", headers: headers) == "ok")
        #expect(try Self.runSnippet(body: body + [UInt8(ascii: " ")], secret: "receiver-secret", headers: headers) == "rejected")
        #expect(try Self.runSnippet(body: body, secret: "wrong-secret", headers: headers) == "rejected")
        let stale = WebhookSignature.headers(body: body, secret: "receiver-secret", timestamp: Int64(Date().timeIntervalSince1970) - 600)
        #expect(try Self.runSnippet(body: body, secret: "receiver-secret", headers: stale) == "rejected")
    }

    /// Runs docs/verify-signature.py (the README shows it), plus a driver calling its `verify`.
    static func runSnippet(body: [UInt8], secret: String, headers: [(String, String)]) throws -> String {
        let snippet = try String(contentsOf: repository.appendingPathComponent("docs/verify-signature.py"), encoding: .utf8)
        let driver = """

            import sys
            body = open(sys.argv[1], "rb").read()
            headers = {sys.argv[3]: sys.argv[4], sys.argv[5]: sys.argv[6]}
            print("ok" if verify(sys.argv[2].encode(), headers, body) else "rejected")
            """
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("obs-signature-\(UUID().uuidString).json")
        try Data(body).write(to: bodyFile)
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", snippet + driver, bodyFile.path, secret] + headers.flatMap { [$0.0, $0.1] }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 failed: \(complaints)")
        return printed.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
