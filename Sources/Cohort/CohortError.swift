/// Why cohort inputs, cached cases or partial results cannot be used.
///
/// ``description`` has the command-line contract's form `<what>: <path>`.
package struct CohortError: Error, Sendable, CustomStringConvertible {
    package let what: String
    package let path: String

    package init(_ what: String, path: String) {
        self.what = what
        self.path = path
    }

    package var description: String { "\(what): \(path)" }
}
