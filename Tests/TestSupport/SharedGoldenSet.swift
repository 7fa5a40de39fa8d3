import Foundation

/// A golden set in `../shared/<name>` whose `cases.json` is `{"cases": [{"id", …}]}`: where it lies, whether it
/// is there (tests skip cleanly without it) and its cases.
public struct SharedGoldenSet: Sendable {
    public let folder: String

    public init(_ name: String) {
        folder = URL(fileURLWithPath: TestPaths.repositoryRoot + "/../shared/" + name).standardized.path
    }

    public var isAvailable: Bool { FileManager.default.fileExists(atPath: folder + "/cases.json") }

    /// Read anew on each use (a small file): `[String: Any]` cannot be shared as a static constant.
    public var cases: [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: folder + "/cases.json"),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return root["cases"] as? [[String: Any]] ?? []
    }

    public var caseIDs: [String] { cases.compactMap { $0["id"] as? String } }

    /// The case named `id`, if any.
    public func `case`(_ id: String) -> [String: Any]? { cases.first { $0["id"] as? String == id } }

    /// The absolute path of a file the golden set names relative to its folder.
    public func path(_ relative: String) -> String { folder + "/" + relative }
}
