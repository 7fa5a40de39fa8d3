import DiceEngine
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system queries the cohort commands need, with failures as ``CommandError/input(_:)``.
enum FileSystem {
    /// The names in a folder (not paths), unsorted.
    static func fileNames(in directory: String) throws(CommandError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .input("cannot list folder: \(directory)")
        }
    }

    /// Creates a folder and its parents if they do not exist.
    static func createDirectory(_ path: String) throws(CommandError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .input("cannot create folder: \(path)")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    static func readText(_ path: String) throws(CommandError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .input("cannot read file: \(path)")
        }
    }

    /// When the file was last modified, to the nanosecond (`nil` when it cannot be read).
    ///
    /// The corresponding C function is `stat`.
    static func modificationTime(_ path: String) -> Duration? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return .seconds(info.st_mtim.tv_sec) + .nanoseconds(info.st_mtim.tv_nsec)
    }

    /// `directory/name`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The CPUs this process may run on (what `taskset` or a batch scheduler allows), at least 1.
    static var availableCores: Int { Evaluator.availableCores }
}
