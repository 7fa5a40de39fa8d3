#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `.segscore.lock` in an output folder, held while a run writes into it.
///
/// Two runs into one folder would leave a mix of both; the second is refused instead, naming the process that
/// holds the lock (its pid is the file's content). The kernel drops the lock when its holder dies, even by
/// `kill -9`, so a stale lock file never blocks a later run. ``release()`` removes the file while still holding
/// the lock, and a run that opened the file just before checks, once locked, that it is still the one at the
/// path.
package final class OutputLock {
    package static let fileName = ".segscore.lock"

    private let fd: Int32
    private let path: String
    private let directory: String

    /// Creates `directory` if needed and locks it.
    /// - Throws: ``CohortError`` when another process holds the lock, or the folder cannot be created or locked.
    package init(directory: String) throws(CohortError) {
        try FileSystem.createDirectory(directory)
        let path = Path.join(directory, Self.fileName)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw CohortError("cannot create the lock file (\(Descriptor.reason(errno)))", path: path)
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                let holder = Self.holder(fd)
                close(fd)
                guard code == EWOULDBLOCK else {
                    throw CohortError("cannot lock the output folder (\(Descriptor.reason(code)))", path: directory)
                }
                throw CohortError(
                    "another segscore run (\(holder.map { "process \($0)" } ?? "a process")) is writing into "
                        + "this folder; wait for it or choose another", path: directory)
            }
            if Self.isStillAt(path, fd) {
                // The pid only names the holder in a refused run's message; a failure to write it is harmless.
                ftruncate(fd, 0)
                _ = Descriptor.writeAll(fd, "\(getpid())\n")
                (self.fd, self.path, self.directory) = (fd, path, directory)
                return
            }
            close(fd)
        }
    }

    /// Removes the temporary files a killed run left in the folder and in its `cases/`: only names
    /// ``OutputFile/temporaryPrefix`` followed by the six characters `mkstemp` adds, and only regular files.
    package func removeStaleTemporaryFiles() {
        for folder in [directory, Path.join(directory, CaseFiles.directory)] {
            for name in (try? FileSystem.fileNames(in: folder)) ?? []
            where name.hasPrefix(OutputFile.temporaryPrefix)
                && name.utf8.count == OutputFile.temporaryPrefix.utf8.count + 6
            {
                var info = stat()
                let path = Path.join(folder, name)
                if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(path) }
            }
        }
    }

    /// Removes the lock file, then lets the lock go.
    package func release() {
        unlink(path)
        close(fd)
    }

    /// The pid holding the lock on `fd`'s file: from `/proc/locks`, which is exact, else the one the holder wrote
    /// into the file (which may not be there yet, or be a killed run's).
    private static func holder(_ fd: Int32) -> Int32? {
        var info = stat()
        if fstat(fd, &info) == 0 {
            let inode = ":\(info.st_ino)"
            // `1: FLOCK  ADVISORY  WRITE 4242 08:01:16254568 0 EOF`; waiters' lines read `1: -> FLOCK …`.
            for line in text(of: "/proc/locks").split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 5 && fields[1] == "FLOCK" && fields[5].hasSuffix(inode), let pid = Int32(fields[4]) {
                    return pid
                }
            }
        }
        var bytes = [UInt8](repeating: 0, count: 24)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count].filter { (0x30...0x39).contains($0) }, as: UTF8.self))
    }

    /// A file's text read to its end (`/proc` files report size 0), empty when it cannot be read.
    private static func text(of path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `fd` is the file now at `path` (a releasing run may have removed the one it opened).
    private static func isStillAt(_ path: String, _ fd: Int32) -> Bool {
        var opened = stat()
        var current = stat()
        return fstat(fd, &opened) == 0 && stat(path, &current) == 0 && opened.st_dev == current.st_dev
            && opened.st_ino == current.st_ino
    }
}
