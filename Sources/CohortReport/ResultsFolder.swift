import Cohort
import Documents
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A cohort's output folder, read back: what `cohort` wrote into `cohort.json`, `summary.json`, `cases.csv` and
/// `aggregates.json`, plus the snapshots in `snapshots/<case>.png`.
///
/// The report reads files rather than a ``Cohort`` in memory so that `cohort --report` and `segscore report DIR`
/// render the same page from the same numbers. Text is decoded leniently (invalid UTF-8 becomes U+FFFD): a name
/// must never stop the report, and the page escapes whatever it shows.
package struct ResultsFolder: Sendable {
    /// A label or region scored: a group of `cases.csv` rows.
    package struct Structure: Sendable {
        /// The label value or region key, as `cases.csv` writes it (`3`, `(1, 2)`).
        package let key: String
        package let name: String?

        /// How the report names it.
        var title: String { name ?? "label \(key)" }
        /// Its key in words: `label 3`, `labels (1, 2)`.
        var keyDescription: String { (key.hasPrefix("(") ? "labels " : "label ") + key }
    }

    /// One case's scores of one structure.
    package struct Scores: Sendable {
        /// Indexed by ``ReportMetric``'s position in ``ResultsFolder/metrics``.
        package let values: [Double?]
        package let fp: Int
        package let fn: Int
    }

    /// One structure's row of `aggregates.json`: every metric's statistics.
    package struct Aggregate: Sendable {
        package let key: String
        package let name: String?
        /// Metric name (`dice`, `hd95`…) → values in ``statisticNames`` order.
        package let metrics: [(name: String, values: [Double?])]
    }

    /// The statistics of `aggregates.json`, in its order.
    package static let statisticNames = [
        "count", "nanCount", "mean", "std", "median", "q1", "q3", "min", "max", "pooled",
    ]

    package let path: String
    package let manifest: CohortManifest
    /// `foreground_mean.Dice` of `summary.json` (undefined as `nil`).
    package let foregroundMeanDice: Double?
    /// The metrics `cases.csv` holds among ``ReportMetric``, Dice first.
    package let metrics: [ReportMetric]
    /// Structures in the order of `cases.csv` (labels, then regions).
    package let structures: [Structure]
    /// Scored cases in the order of `cases.csv`.
    package let cases: [String]
    /// `scores[structure][case]`; `nil` when `cases.csv` has no row for the pair.
    package let scores: [[Scores?]]
    package let aggregates: [Aggregate]
    /// Case index → path of its `snapshots/<case>.png`.
    package let snapshots: [Int: String]
    /// When `cohort.json` was last written (seconds since 1970), if the system says.
    package let writtenAt: Int?

    /// Reads the folder at `path`.
    /// - Throws: ``ReportError`` when a file is missing, unreadable or malformed.
    package init(at path: String) throws(ReportError) {
        self.path = path
        let manifestPath = Path.join(path, "cohort.json")
        let manifestText = try Self.text(manifestPath)
        do throws(CohortError) {
            manifest = try CohortManifest(parsing: manifestText, path: manifestPath)
        } catch {
            throw ReportError(error.what, path: error.path)
        }
        writtenAt = Self.modificationTime(manifestPath)
        foregroundMeanDice = try Self.foregroundMeanDice(Path.join(path, "summary.json"))
        let table = try CaseRows(Path.join(path, "cases.csv"))
        (metrics, structures, cases, scores) = (table.metrics, table.structures, table.cases, table.scores)
        aggregates = try Self.aggregates(Path.join(path, "aggregates.json"))
        snapshots = try Self.snapshots(in: Path.join(path, "snapshots"), cases: cases)
    }

    /// The file's bytes as text, invalid UTF-8 replaced.
    static func text(_ path: String) throws(ReportError) -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    /// The whole file; a missing file, folder or device is an error naming it.
    static func bytes(_ path: String) throws(ReportError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ReportError(
                errno == ENOENT ? "missing file (not a cohort output folder?)" : "cannot read file (\(reason(errno)))",
                path: path)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ReportError("not a regular file", path: path) }
        do {
            return try Data(contentsOf: URL(filePath: path))
        } catch {
            throw ReportError("cannot read file", path: path)
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func modificationTime(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mtim.tv_sec) : nil
    }

    private static func json(_ path: String) throws(ReportError) -> JSONValue {
        let text = try text(path)
        do throws(JSONValue.ParseError) {
            return try JSONValue(parsing: text)
        } catch {
            throw ReportError("malformed JSON (\(error))", path: path)
        }
    }

    private static func foregroundMeanDice(_ path: String) throws(ReportError) -> Double? {
        guard let foreground = try json(path)["foreground_mean"], foreground.objectMembers != nil else {
            throw ReportError("not a summary.json (no foreground_mean)", path: path)
        }
        return foreground["Dice"]?.doubleValue.flatMap { $0.isFinite ? $0 : nil }
    }

    private static func aggregates(_ path: String) throws(ReportError) -> [Aggregate] {
        let invalid = ReportError("not a segscore aggregates.json", path: path)
        guard let labels = try json(path)["labels"]?.arrayValue else { throw invalid }
        var result: [Aggregate] = []
        for entry in labels {
            guard let label = entry["label"], let key = label.intValue.map(String.init) ?? label.stringValue,
                let metricMembers = entry["metrics"]?.objectMembers
            else { throw invalid }
            var metrics: [(name: String, values: [Double?])] = []
            for (name, statistics) in metricMembers {
                guard statistics.objectMembers != nil else { throw invalid }
                let values = try statisticNames.map { statistic throws(ReportError) -> Double? in
                    guard let value = statistics[statistic] else { throw invalid }
                    if value.isNull { return nil }
                    guard let number = value.doubleValue else { throw invalid }
                    return number.isFinite ? number : nil
                }
                metrics.append((name, values))
            }
            result.append(Aggregate(key: key, name: entry["name"]?.stringValue, metrics: metrics))
        }
        return result
    }

    /// The `snapshots/<case>.png` of scored cases; none when the folder is absent.
    private static func snapshots(in directory: String, cases: [String]) throws(ReportError) -> [Int: String] {
        guard FileSystem.exists(directory) else { return [:] }
        let names: [String]
        do throws(CohortError) {
            names = try FileSystem.fileNames(in: directory)
        } catch {
            throw ReportError(error.what, path: error.path)
        }
        let index = Dictionary(cases.enumerated().map { ($0.element + ".png", $0.offset) }) { first, _ in first }
        var found: [Int: String] = [:]
        for name in names {
            if let caseIndex = index[name] { found[caseIndex] = Path.join(directory, name) }
        }
        return found
    }
}
