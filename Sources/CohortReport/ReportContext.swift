#if canImport(Glibc)
    import Glibc
#endif

/// What the page says about its own making: the command that wrote it, the segscore that did, and when.
package struct ReportContext: Sendable {
    /// The arguments of the process writing the report (`segscore cohort … --report` or `segscore report DIR`).
    package let arguments: [String]
    package let version: String
    /// Seconds since 1970.
    package let writtenAt: Int

    package init(arguments: [String], version: String, writtenAt: Int) {
        self.arguments = arguments
        self.version = version
        self.writtenAt = writtenAt
    }

    /// The arguments as a POSIX shell would need them typed: words of safe characters bare, others single-quoted.
    var commandLine: String {
        arguments.map { argument in
            let safe =
                !argument.isEmpty
                && argument.unicodeScalars.allSatisfy { scalar in
                    scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "_-./=:,+@%".unicodeScalars.contains(scalar)
                }
            return safe ? argument : "'" + argument.replacing("'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// `2026-12-05 17:04 UTC`.
    static func date(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return String(seconds) }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }
}
