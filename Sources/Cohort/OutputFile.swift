#if canImport(Glibc)
    import Glibc
#endif

/// Writes a whole output file atomically: to a temporary file in the same folder, then `rename`.
///
/// A reader of the path sees the old file or the complete new one, never half of it, and a failed run leaves
/// no partial file behind. There is no `fsync`: it guards against power loss, not against a failed run, and a
/// cohort writes a file per case, where it cost more than scoring the case.
package struct OutputFile: Sendable {
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
        var template = Array(Path.join(Path.directory(of: path), ".segscore-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw CohortError("cannot create output file (\(String(cString: strerror(errno))))", path: path)
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failed = false
        var copy = text
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failed = true
                    return
                }
                offset += n
            }
        }
        fchmod(fd, mode)
        if close(fd) != 0 { failed = true }
        if failed || rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CohortError("cannot write output file (\(reason))", path: path)
        }
    }
}
