/// Alertmanager's `commonLabels`/`commonAnnotations`: the name–value pairs every alert shares.
enum CommonLabels {
    static func of(_ maps: [[String: String]]) -> [String: String] {
        guard var common = maps.first else { return [:] }
        for map in maps.dropFirst() {
            common = common.filter { map[$0.key] == $0.value }
            if common.isEmpty { break }
        }
        return common
    }
}
