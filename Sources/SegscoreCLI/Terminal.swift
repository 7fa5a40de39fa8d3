import Cohort
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes to the standard streams through their file descriptors (the C `stdout`/`stderr` globals are not
/// concurrency-safe in Swift 6).
///
/// Results on standard output are checked: a failed write (a full disk, `/dev/full`, a closed pipe) is an
/// error, exit 3. Standard error carries progress and messages, which have nowhere else to go: once a write to
/// it fails, further ones are skipped so a closed pipe (`2>&1 | head -1`) costs nothing and the work goes on.
enum Terminal {
    /// Set by the first failed write to standard error.
    private static let errorClosed = Atomic<Bool>(false)

    static func writeError(_ line: String) {
        writeProgress(line.hasSuffix("\n") ? line : line + "\n")
    }

    /// Writes to standard error as is, without a newline (a progress bar redrawn with `\r`).
    static func writeProgress(_ text: String) {
        guard !errorClosed.load(ordering: .relaxed) else { return }
        if Descriptor.writeAll(STDERR_FILENO, text) != nil { errorClosed.store(true, ordering: .relaxed) }
    }

    /// Writes results to standard output.
    /// - Throws: ``CommandError`` (exit 3) when not every byte could be written.
    static func writeOutput(_ text: String) throws(CommandError) {
        if let code = Descriptor.writeAll(STDOUT_FILENO, text) {
            throw .input("cannot write the results (\(Descriptor.reason(code))): standard output")
        }
    }

    /// Whether standard error is a terminal (progress bars only make sense there).
    static var isErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// A closed pipe must be a failed write (`EPIPE`), not a signal that ends the run before its files exist.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}
