/// A failure a command reports to the user: one line on stderr and a documented exit code.
///
/// Reader and cohort errors (`NiftiError`, `CohortError`) are mapped to ``ExitCode/input`` by `Segscore.main`;
/// everything a command detects itself is thrown as a `CommandError`.
struct CommandError: Error, CustomStringConvertible {
    /// The contract's exit codes.
    enum ExitCode {
        static let success: Int32 = 0
        /// `gate` found a regression.
        static let gateFailure: Int32 = 1
        /// Bad options or arguments.
        static let usage: Int32 = 2
        /// An input that cannot be read, is malformed, or is unsupported.
        static let input: Int32 = 3
        /// Two images that should share a voxel grid do not.
        static let geometry: Int32 = 4
    }

    let exitCode: Int32
    /// `<what>: <path>` (or just `<what>` when no file is involved).
    let message: String

    var description: String { message }

    static func usage(_ message: String) -> CommandError { CommandError(exitCode: ExitCode.usage, message: message) }
    static func input(_ message: String) -> CommandError { CommandError(exitCode: ExitCode.input, message: message) }
    static func geometry(_ message: String) -> CommandError {
        CommandError(exitCode: ExitCode.geometry, message: message)
    }
}
