import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system queries a cohort needs, with failures as ``CohortError``.
package enum FileSystem {
    /// The names in a folder (not paths), unsorted.
    package static func fileNames(in directory: String) throws(CohortError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CohortError("cannot list folder", path: directory)
        }
    }

    /// Creates a folder and its parents if they do not exist.
    package static func createDirectory(_ path: String) throws(CohortError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CohortError("cannot create folder", path: path)
        }
    }

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
            throw CohortError("cannot read file", path: path)
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
