#if canImport(Glibc)
    import Glibc
#endif

/// Checked writes to a file descriptor, shared by the output files and the standard streams.
package enum Descriptor {
    /// Writes all of `text` to `fd`, retrying short writes and `EINTR`.
    /// - Returns: `nil` when every byte was written, else the `errno` of the failed write (`ENOSPC` for a
    ///   write that made no progress).
    package static func writeAll(_ fd: Int32, _ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`, with the same result.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return ENOSPC }
            offset += n
        }
        return nil
    }

    /// The message of an `errno` value.
    package static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
