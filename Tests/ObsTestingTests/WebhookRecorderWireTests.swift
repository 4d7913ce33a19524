import ObsTesting
import Testing

/// Exchanges spelled out byte for byte, where URLSession would hide what the recorder does.
@Suite("WebhookRecorder on the wire")
struct WebhookRecorderWireTests {
    @Test("answers Expect: 100-continue before the body is sent")
    func expectContinue() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            let connection = try RawHTTPConnection(port: recorder.port)
            try connection.send("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try connection.read(until: "\r\n\r\n")
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"))
            try connection.send("hello")
            let all = try connection.read(until: "\r\n\r\n", times: 2)
            #expect(all.contains("HTTP/1.1 200 OK\r\n"))
            #expect(try await recorder.waitForRequests(count: 1).first?.bodyText == "hello")
        }
    }

    @Test("answers pipelined requests in order on one connection")
    func pipelining() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond { request, _ in RecordedResponse(status: 200, body: "answer to \(request.bodyText);") }
            let connection = try RawHTTPConnection(port: recorder.port)
            try connection.send(
                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3\r\nond\r\n0\r\n\r\n"
            )
            let replies = try connection.read(until: ";", times: 2)
            let first = try #require(replies.range(of: "answer to first;"))
            let second = try #require(replies.range(of: "answer to second;"))
            #expect(first.upperBound <= second.lowerBound)
            #expect(recorder.requests.map(\.path) == ["/a", "/b"])
            #expect(Set(recorder.requests.map(\.connection)).count == 1)
        }
    }

    @Test("closes the connection after answering a request that asked for it")
    func connectionClose() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            let connection = try RawHTTPConnection(port: recorder.port)
            try connection.send("POST /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi")
            let reply = try connection.readToEnd()
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reply.lowercased().contains("connection: close\r\n"))
            #expect(reply.hasSuffix("\r\n\r\nok"))
        }
    }
}
