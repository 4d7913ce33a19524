import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ObsTesting
import Testing

@Suite("WebhookRecorder")
struct WebhookRecorderTests {
    @Test("records method, path with query, headers in any case and the JSON body")
    func recordsRequest() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            let client = TestHTTPClient()
            let reply = try await client.post(
                recorder.url("/hook?team=payments"), text: #"{"status":"firing","count":2}"#,
                headers: ["Content-Type": "application/json", "X-Obs-Signature": "sha256=abc"]
            )
            #expect(reply.status == 200)
            #expect(reply.text == "ok")

            let request = try #require(try await recorder.waitForRequests(count: 1).first)
            #expect(request.method == "POST")
            #expect(request.path == "/hook?team=payments")
            #expect(request.header("x-obs-signature") == "sha256=abc")
            #expect(request.header("CONTENT-TYPE") == "application/json")
            #expect(request.headers.contains { $0.name.lowercased() == "host" && $0.value == "127.0.0.1:\(recorder.port)" })
            #expect(request.bodyText == #"{"status":"firing","count":2}"#)
            let object = try request.jsonObject()
            #expect(object["status"] as? String == "firing")
            #expect(object["count"] as? Int == 2)
            #expect(request.receivedAt.timeIntervalSinceNow < 60)
        }
    }

    @Test("aggregates a body of several MiB")
    func largeBody() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            let body = (0..<(3 * 1024 * 1024 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let reply = try await TestHTTPClient().post(recorder.url(), body: Data(body))
            #expect(reply.status == 200)
            let request = try #require(recorder.requests.first)
            #expect(request.body.count == body.count)
            #expect(request.body == body)
        }
    }

    @Test("answers scripted responses in order, and a keep-alive client reuses its connection")
    func scriptedResponses() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond(withSequence: [.status(503, retryAfter: "2", body: "busy"), .ok])
            let client = TestHTTPClient()
            let first = try await client.post(recorder.url(), text: "one")
            let second = try await client.post(recorder.url(), text: "two")
            let third = try await client.post(recorder.url(), text: "three")
            #expect(first.status == 503)
            #expect(first.header("Retry-After") == "2")
            #expect(first.text == "busy")
            #expect(second.status == 200)
            #expect(second.text == "ok")
            #expect(third.status == 200)
            let requests = recorder.requests
            #expect(requests.map(\.bodyText) == ["one", "two", "three"])
            #expect(Set(requests.map(\.connection)).count == 1, "\(requests.map(\.summary))")
        }
    }

    @Test("the responder sees each request with its index")
    func responderSeesRequests() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond { request, index in
                RecordedResponse(status: 202, headers: [("X-Index", String(index))], body: request.bodyText.uppercased())
            }
            let client = TestHTTPClient()
            let first = try await client.post(recorder.url(), text: "abc")
            let second = try await client.post(recorder.url(), text: "def")
            #expect(first.status == 202)
            #expect(first.text == "ABC")
            #expect(first.header("X-Index") == "0")
            #expect(second.header("X-Index") == "1")
        }
    }

    @Test("dropConnection closes without an answer, so the client sees an error")
    func dropConnection() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond { _, _ in .dropConnection }
            await #expect(throws: (any Error).self) {
                try await TestHTTPClient().post(recorder.url(), text: "lost")
            }
            let requests = try await recorder.waitForRequests(count: 1)
            #expect(requests.first?.bodyText == "lost")
        }
    }

    @Test("a hanging answer times the client out while another connection is answered")
    func hangDoesNotBlockOtherConnections() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond { request, _ in request.path == "/slow" ? .hang(for: .seconds(5)) : .ok }
            let impatient = TestHTTPClient(timeout: 1)
            let slow = Task { try await impatient.post(recorder.url("/slow"), text: "slow") }
            try await recorder.waitForRequests(count: 1)
            // The slow answer is still pending here; a recorder that blocked its only event loop thread
            // for the hang would keep this one waiting past its own timeout.
            let fast = try await TestHTTPClient(timeout: 3).post(recorder.url("/fast"), text: "fast")
            #expect(fast.status == 200)
            await #expect(throws: URLError.self) { try await slow.value }
            let requests = recorder.requests
            #expect(requests.map(\.path) == ["/slow", "/fast"])
            #expect(requests[0].connection != requests[1].connection)
        }
    }

    @Test("serves several connections at once")
    func concurrentConnections() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 0..<8 {
                    group.addTask { try await TestHTTPClient().post(recorder.url("/hook/\(number)"), text: "n\(number)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 8))
            let requests = recorder.requests
            #expect(Set(requests.map(\.path)) == Set((0..<8).map { "/hook/\($0)" }))
            #expect(Set(requests.map(\.connection)).count == 8)
        }
    }

    @Test("waitForRequests times out with the expected count and what did arrive")
    func waitTimeout() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            _ = try await TestHTTPClient().post(recorder.url("/only"), text: "the one")
            do {
                try await recorder.waitForRequests(count: 2, timeout: .milliseconds(300))
                Issue.record("waitForRequests returned with only \(recorder.requests.count) request")
            } catch let timeout as WebhookRecorder.WaitTimeout {
                #expect(timeout.expected == 2)
                #expect(timeout.arrived.count == 1)
                #expect(timeout.description.contains("expected 2 webhook request(s)"))
                #expect(timeout.description.contains("1 arrived"))
                #expect(timeout.description.contains("POST /only"))
            }
        }
    }

    @Test("stop closes the listener and open connections; a second stop does nothing")
    func stop() async throws {
        let recorder = try await WebhookRecorder.start()
        let client = TestHTTPClient(timeout: 5)
        _ = try await client.post(recorder.url(), text: "before")
        try await recorder.stop()
        try await recorder.stop()
        await #expect(throws: (any Error).self) {
            try await TestHTTPClient(timeout: 5).post(recorder.url(), text: "after")
        }
        // The kept-alive connection was closed too, so reusing it cannot reach a recorder either.
        await #expect(throws: (any Error).self) {
            try await client.post(recorder.url(), text: "after, same client")
        }
        #expect(recorder.requests.map(\.bodyText) == ["before"])
    }
}
