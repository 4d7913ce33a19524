import Foundation
import ObsCore

/// URLs for the daemon's API. Query values are form-encoded as the server reads them:
/// `URLComponents` leaves `+` as is, which a form decoder takes for a space, so it is sent
/// as `%2B`.
enum APIURL {
    static func make(_ base: URL, path: String, _ items: [URLQueryItem]) throws(CLIError) -> URL {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !items.isEmpty {
            components?.queryItems = items
            let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components?.percentEncodedQuery = encoded
        }
        guard let url = components?.url else { throw CLIError("\(base) is not a usable URL") }
        return url
    }
}
