import Foundation

/// A minimal keep-alive HTTP/1.1 client over a blocking socket, one per load thread.
/// URLSession (libcurl) added ~100 ms per large POST here, which measured the client
/// instead of obs; this sends exactly one request at a time and reads the whole reply.
final class BlockingHTTPConnection {
    struct Reply {
        var status: Int
        var body: [UInt8]
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws(CLIError) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError("socket() failed") }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw CLIError("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(descriptor) }

    func post(path: String, body: [UInt8], contentType: String) throws(CLIError) -> Reply {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
        try sendAll(Array(head.utf8))
        try sendAll(body)
        return try readReply()
    }

    func get(path: String) throws(CLIError) -> Reply {
        try sendAll(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        return try readReply()
    }

    private func sendAll(_ bytes: [UInt8]) throws(CLIError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw CLIError("send failed: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    private func fill() throws(CLIError) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw CLIError("the server closed the connection") }
        buffer.append(contentsOf: chunk[0..<count])
    }

    private func readReply() throws(CLIError) -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if buffer.count >= 4 {
                headerEnd = (0...(buffer.count - 4)).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
            }
            if headerEnd == nil { try fill() }
        }
        guard let headerEnd else { throw CLIError("no HTTP header") }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        let length = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let bodyStart = headerEnd + 4
        while buffer.count < bodyStart + length { try fill() }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return Reply(status: status, body: body)
    }
}
