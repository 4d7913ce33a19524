import Foundation

/// A plain blocking TCP connection to 127.0.0.1 for byte-exact HTTP exchanges that URLSession hides:
/// interim `100 Continue`, pipelining, and the server closing the connection. Every read is bounded
/// by the receive timeout, so a missing answer fails the test instead of hanging it.
final class RawHTTPConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32
    private var received: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 10) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let sent = remaining.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            remaining = remaining.dropFirst(sent)
        }
    }

    /// Reads until everything received so far contains `marker` `times` times; returns all of it.
    func read(until marker: String, times: Int = 1) throws -> String {
        while occurrences(of: marker) < times {
            guard try receiveMore() else {
                throw Failure(description: "connection closed before \(times)× \(marker.debugDescription): \(text.debugDescription)")
            }
        }
        return text
    }

    /// Reads until the server closes the connection; returns everything received.
    func readToEnd() throws -> String {
        while try receiveMore() {}
        return text
    }

    private var text: String { String(decoding: received, as: UTF8.self) }

    private func occurrences(of marker: String) -> Int {
        text.components(separatedBy: marker).count - 1
    }

    private func receiveMore() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            throw Failure(description: "recv failed (errno \(errno), a timeout is EAGAIN) after: \(text.debugDescription)")
        }
        received += buffer[..<count]
        return count > 0
    }
}
