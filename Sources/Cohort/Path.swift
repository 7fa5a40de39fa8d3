/// Slash-separated paths as the cohort writes and reads them, spelled once.
///
/// Paths are recorded in result files exactly as they were joined, so every place must join them the same way.
package enum Path {
    /// `directory/name`, with no doubled slash when `directory` ends in one.
    package static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The folder holding `path`: `.` for a bare name, `/` for a file in the root.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    package static func fileName(of path: String) -> String {
        String(path.split(separator: "/").last ?? "")
    }
}
