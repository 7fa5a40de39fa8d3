#if canImport(Glibc)
    import Glibc
#endif

/// Writes a whole output file, never replacing anything but a regular file.
///
/// A regular file or a new path is written atomically: to a temporary file in the same folder, then `rename`,
/// so a reader sees the old file or the complete new one and a failed run leaves no partial file. A character
/// device or a FIFO (`--output /dev/null`, a named pipe) is written through: renaming onto it would replace
/// the node itself with a regular file. A symbolic link is followed, never replaced: its target gets the same
/// rules, and a dangling link is refused. Folders, block devices and sockets are refused.
///
/// There is no `fsync`: it guards against power loss, not against a failed run, and a cohort writes a file per
/// case, where it cost more than scoring the case.
package struct OutputFile: Sendable {
    /// Temporary files start with this; `--resume` removes those a killed run left behind.
    package static let temporaryPrefix = ".segscore-"

    /// The mode new files get: 0644 less the umask, as `open` would give them.
    package let mode: mode_t

    /// Reads the umask, which can only be read by setting it and back: make one before starting the threads that
    /// write, since a thread reading it at the same time as another could leave the process umask at 0.
    package init() {
        let mask = umask(0)
        umask(mask)
        mode = 0o644 & ~mask
    }

    package func write(_ text: String, to path: String) throws(CohortError) {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// Writes binary contents (a PNG) by the same rules as text.
    package func write(bytes text: [UInt8], to path: String) throws(CohortError) {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            guard errno == ENOENT else {
                throw CohortError("cannot write output file (\(Self.errnoReason))", path: path)
            }
            return try replace(path, with: text)
        }
        var target = link
        if link.st_mode & S_IFMT == S_IFLNK && stat(path, &target) != 0 {
            throw CohortError("output is a symbolic link to a missing file", path: path)
        }
        switch target.st_mode & S_IFMT {
        case S_IFREG:
            try replace(link.st_mode & S_IFMT == S_IFLNK ? try Self.resolved(path) : path, with: text)
        case S_IFCHR, S_IFIFO:
            try writeThrough(text, to: path)
        case S_IFDIR:
            throw CohortError("output is a folder", path: path)
        default:
            throw CohortError("output is not a regular file, character device or FIFO", path: path)
        }
    }

    /// The file a symbolic link leads to, so the rename replaces the target and keeps the link.
    private static func resolved(_ path: String) throws(CohortError) -> String {
        guard let real = realpath(path, nil) else {
            throw CohortError("cannot resolve output link (\(errnoReason))", path: path)
        }
        defer { free(real) }
        return String(cString: real)
    }

    /// Writes into an existing device or FIFO without truncating or replacing it.
    private func writeThrough(_ text: [UInt8], to path: String) throws(CohortError) {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw CohortError("cannot open output (\(Self.errnoReason))", path: path) }
        let failure = text.withUnsafeBytes { Descriptor.writeAll(fd, $0) }
        let closed = close(fd) == 0 ? nil : errno
        if let code = failure ?? closed {
            throw CohortError("cannot write output file (\(Descriptor.reason(code)))", path: path)
        }
    }

    /// Writes a temporary file beside `path` and renames it onto `path`.
    private func replace(_ path: String, with text: [UInt8]) throws(CohortError) {
        var template = Array(Path.join(Path.directory(of: path), Self.temporaryPrefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw CohortError("cannot create output file (\(Self.errnoReason))", path: path) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure = text.withUnsafeBytes { Descriptor.writeAll(fd, $0) }
        fchmod(fd, mode)
        if close(fd) != 0 { failure = failure ?? errno }
        if failure == nil && rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw CohortError("cannot write output file (\(Descriptor.reason(failure)))", path: path)
        }
    }

    private static var errnoReason: String { Descriptor.reason(errno) }
}
