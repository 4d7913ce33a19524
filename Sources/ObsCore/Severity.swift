/// A log severity as OpenTelemetry numbers it (1–24), with the level name obs shows.
///
/// Numbers are the OpenTelemetry `SeverityNumber` ranges: 1–4 trace, 5–8 debug, 9–12 info,
/// 13–16 warn, 17–20 error, 21–24 fatal. Names map to the first number of their range so that
/// a minimum-level filter (`level >= warn`) is a plain integer comparison.
public struct Severity: Sendable, Hashable, Comparable {
    public let number: Int

    public static let trace = Severity(uncheckedNumber: 1)
    public static let debug = Severity(uncheckedNumber: 5)
    public static let info = Severity(uncheckedNumber: 9)
    public static let warn = Severity(uncheckedNumber: 13)
    public static let error = Severity(uncheckedNumber: 17)
    public static let fatal = Severity(uncheckedNumber: 21)

    /// The names accepted on input, in the order of their ranges.
    public static let levelNames = ["trace", "debug", "info", "warn", "error", "fatal"]

    private init(uncheckedNumber: Int) {
        self.number = uncheckedNumber
    }

    /// An OpenTelemetry severity number; nil outside 1–24.
    public init?(number: Int) {
        guard (1...24).contains(number) else { return nil }
        self.number = number
    }

    /// A level name as loggers write it, case-insensitively: trace, debug, info, notice,
    /// warn, warning, error, err, fatal, critical, crit, panic, emerg, alert.
    /// OpenTelemetry short names with a digit suffix (`INFO2`, `ERROR3`) are understood too.
    public init?(name: some StringProtocol) {
        var lowered = name.lowercased()
        var offset = 0
        if let last = lowered.last, let digit = last.wholeNumberValue, (1...4).contains(digit) {
            lowered.removeLast()
            offset = digit - 1
        }
        let base: Severity
        switch lowered {
        case "trace": base = .trace
        case "debug": base = .debug
        case "info", "information", "notice": base = .info
        case "warn", "warning": base = .warn
        case "error", "err": base = .error
        case "fatal", "critical", "crit", "panic", "emerg", "emergency", "alert": base = .fatal
        default: return nil
        }
        self.number = base.number + offset
    }

    /// The level name of this number's range: trace, debug, info, warn, error or fatal.
    public var name: String {
        Severity.levelNames[(number - 1) / 4]
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.number < rhs.number
    }
}
