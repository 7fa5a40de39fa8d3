/// Why a cohort's output folder cannot be rendered: a file missing, unreadable or malformed.
///
/// ``description`` has the command-line contract's form `<what>: <path>`.
package struct ReportError: Error, Sendable, CustomStringConvertible {
    package let what: String
    package let path: String

    package init(_ what: String, path: String) {
        self.what = what
        self.path = path
    }

    package var description: String { "\(what): \(path)" }
}
