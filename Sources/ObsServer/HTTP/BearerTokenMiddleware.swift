import Hummingbird

/// Answers 401 to requests under a protected path prefix that lack one of its bearer tokens.
/// Paths outside every prefix (`/healthz`, `/metrics`) stay open.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// Path prefixes and the tokens that open them; a prefix with no tokens is open.
    let protected: [(prefix: String, tokens: [String])]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        for (prefix, tokens) in protected where path.hasPrefix(prefix) && !tokens.isEmpty {
            let presented = request.headers[.authorization].flatMap(Self.bearerToken)
            guard let presented, tokens.contains(where: { Self.constantTimeEqual($0, presented) }) else {
                return JSONResponse.error(
                    .unauthorized,
                    presented == nil ? "a bearer token is required (Authorization: Bearer TOKEN)" : "the bearer token is not valid here",
                    headers: [.wwwAuthenticate: "Bearer"]
                )
            }
        }
        return try await next(request, context)
    }

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Compares without an early exit, so response timing does not reveal a token's prefix.
    static func constantTimeEqual(_ expected: String, _ presented: String) -> Bool {
        let a = Array(expected.utf8)
        let b = Array(presented.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<a.count {
            difference |= a[index] ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
