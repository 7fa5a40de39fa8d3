#if canImport(Glibc)
import Glibc
#endif

/// Writes to the standard streams through their file descriptors (the C `stdout`/`stderr` globals are not
/// concurrency-safe in Swift 6).
enum Terminal {
    static func writeError(_ line: String) {
        write(fd: STDERR_FILENO, line.hasSuffix("\n") ? line : line + "\n")
    }

    /// Writes to standard error as is, without a newline (a progress bar redrawn with `\r`).
    static func writeProgress(_ text: String) {
        write(fd: STDERR_FILENO, text)
    }

    static func writeOutput(_ text: String) {
        write(fd: STDOUT_FILENO, text)
    }

    /// Whether standard error is a terminal (progress bars only make sense there).
    static var isErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
