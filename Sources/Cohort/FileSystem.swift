import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system queries a cohort needs, with failures as ``CohortError``.
package enum FileSystem {
    /// The names in a folder (not paths), unsorted.
    ///
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    package static func fileNames(in directory: String) throws(CohortError) -> [String] {
        guard let stream = opendir(directory) else {
            throw CohortError("cannot list folder (\(reason(errno)))", path: directory)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a folder and its parents if they do not exist, saying why when it cannot.
    ///
    /// The corresponding C function is `mkdir`.
    package static func createDirectory(_ path: String) throws(CohortError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o777) != 0 {
                let error = errno
                guard error == EEXIST else {
                    throw CohortError("cannot create folder (\(reason(error)))", path: prefix)
                }
                guard isDirectory(prefix) else {
                    throw CohortError("cannot create folder (a file of that name exists)", path: prefix)
                }
            }
            prefix += "/"
        }
    }

    /// The C library's words for `code`.
    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    package static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    package static func readText(_ path: String) throws(CohortError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            // Foundation's error does not say why; ask the system.
            let fd = open(path, O_RDONLY | O_NONBLOCK)
            if fd < 0 { throw CohortError("cannot read file (\(reason(errno)))", path: path) }
            close(fd)
            throw CohortError("cannot read file (not UTF-8 text, or not a regular file)", path: path)
        }
    }

    /// Whether the two paths name one file (same device and inode, links followed); `false` when either is absent.
    package static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev
            && first.st_ino == second.st_ino
    }
}
