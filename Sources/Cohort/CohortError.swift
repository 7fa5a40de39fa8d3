/// Why cohort inputs, cached cases or partial results cannot be used.
///
/// ``description`` has the command-line contract's form `<what>: <path>`.
public struct CohortError: Error, Sendable, CustomStringConvertible {
    public let what: String
    public let path: String

    public init(_ what: String, path: String) {
        self.what = what
        self.path = path
    }

    public var description: String { "\(what): \(path)" }
}
