import FoundationEssentials

/// Names for label values, read from the files people already have.
///
/// Recognised formats (by content, not by name):
/// - nnU-Net `dataset.json`: `{"labels": {"background": 0, "liver": 1, …}}`, whose structure list (labels, or
///   regions when any value is a list of several labels) and `"ignore"` label are kept too (``dataset``);
/// - a JSON list of names, bare (`["background", "liver", …]`) or as `{"labels": [...]}` (index = value);
/// - an ITK-SNAP label description file: `IDX R G B A VIS MSH "LABEL"` lines (the name may hold commas);
/// - a FreeSurfer colour LUT: `id name R G B A` lines;
/// - CSV `id,name` (an optional header row whose first cell is not a number is skipped; a quoted name may hold
///   commas and `""` for a quote).
/// `#` starts a comment line in the text formats. A label named twice is refused, whatever the format: which
/// name wins would otherwise depend on the format.
package struct LabelNames: Sendable, Equatable {
    package private(set) var names: [Int64: String] = [:]
    /// What an nnU-Net dataset.json says nnU-Net scores; `nil` for the other formats.
    package private(set) var dataset: Dataset?

    /// The label a dataset.json names `"ignore"`: nnU-Net leaves reference voxels with it out of every count.
    package var ignoreLabel: Int64? { dataset?.ignoreLabel }

    /// The labels of `found` a dataset.json does not name (as a value or in a region), ascending; none without
    /// a dataset.json. nnU-Net scores only the dataset's labels, so these are left out — worth a warning.
    package func unlisted(_ found: some Sequence<Int64>) -> [Int64] {
        guard let dataset else { return [] }
        let listed = Set(names.keys).union(dataset.structures.flatMap(\.labels))
        return Set(found).subtracting(listed).sorted()
    }

    /// The structures nnU-Net's `compute_metrics_on_folder` scores for a dataset.json (its `LabelManager`).
    package struct Dataset: Sendable, Equatable {
        /// One scored structure, in the file's order.
        package struct Structure: Sendable, Equatable {
            package let name: String
            package let labels: [Int64]
            /// Written as a list (`[1, 2]`), which nnU-Net keys `(1, 2)`, rather than a bare value.
            package let isList: Bool
        }

        /// Every value but background and `"ignore"`: the foreground labels, or the regions when any value is a
        /// list of more than one label (a bare value is then a one-label region).
        package let structures: [Structure]
        /// Whether ``structures`` are regions (nnU-Net's `has_regions`).
        package let hasRegions: Bool
        package let ignoreLabel: Int64?
    }

    package init() {}

    package init(_ names: [Int64: String]) { self.names = names }

    package subscript(label: Int64) -> String? { names[label] }

    /// Why a label-name file could not be used.
    package struct ParseError: Error, CustomStringConvertible {
        package let reason: String
        package let path: String
        package var description: String { "\(reason): \(path)" }
    }

    /// Reads `path` in whichever supported format it is.
    package init(contentsOf path: String) throws(ParseError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ParseError(reason: "cannot read label names", path: path)
        }
        let first = text.utf8.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            try self.init(json: text, path: path)
        } else {
            try self.init(table: text, path: path)
        }
    }

    /// Read with ``JSONValue``, the one JSON reader: a list of names (bare or under `labels`), or names → label
    /// value, where a list value is an nnU-Net region and skipped.
    private init(json text: String, path: String) throws(ParseError) {
        let invalid = ParseError(reason: "not a dataset.json with a \"labels\" object or list", path: path)
        guard let document = try? JSONValue(parsing: text),
            let labels = document.arrayValue != nil
                ? document : document["labels"]
        else { throw invalid }
        if let list = labels.arrayValue {
            for (value, entry) in list.enumerated() {
                guard let name = entry.stringValue else { throw invalid }
                names[Int64(value)] = name
            }
        } else if let members = labels.objectMembers {
            var structures: [Dataset.Structure] = []
            var ignoreLabel: Int64?
            for (name, value) in members {
                if let label = value.intValue {
                    try add(name, for: Int64(label), at: "\"\(name)\"", path: path)
                    if name == "ignore" {
                        ignoreLabel = Int64(label)
                    } else if label != 0 {
                        structures.append(.init(name: name, labels: [Int64(label)], isList: false))
                    }
                } else if let list = value.arrayValue?.compactMap(\.intValue), list.count == value.arrayValue?.count {
                    if name != "ignore" && list.contains(where: { $0 != 0 }) {
                        structures.append(.init(name: name, labels: list.map(Int64.init), isList: true))
                    }
                } else {
                    throw invalid
                }
            }
            let hasRegions = structures.contains { $0.isList && $0.labels.count > 1 }
            dataset = Dataset(structures: structures, hasRegions: hasRegions, ignoreLabel: ignoreLabel)
        } else {
            throw invalid
        }
    }

    /// The text formats, line by line on UTF-8 bytes (a 1 MB LUT parses in milliseconds).
    private init(table text: String, path: String) throws(ParseError) {
        let bytes = Array(text.utf8)
        var number = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            number += 1
            let line = Self.trimmed(bytes[start..<end])
            start = end + 1
            guard let firstByte = line.first, firstByte != UInt8(ascii: "#") else { continue }
            guard let (label, name) = Self.entry(line) else {
                if number == 1 && line.contains(UInt8(ascii: ",")) { continue }  // a CSV header row
                throw ParseError(reason: "line \(number) does not start with a label number", path: path)
            }
            try add(name, for: label, at: "line \(number)", path: path)
        }
        guard !names.isEmpty else { throw ParseError(reason: "no label names found", path: path) }
    }

    private mutating func add(_ name: String, for label: Int64, at place: String, path: String) throws(ParseError) {
        guard names[label] == nil else {
            throw ParseError(reason: "label \(label) is named twice (again at \(place))", path: path)
        }
        names[label] = name
    }

    /// One line's label and name: ITK-SNAP (a quoted name after seven numbers), CSV (`id,name`), or
    /// FreeSurfer (`id name …`); `nil` when the line does not start with a label number.
    private static func entry(_ line: ArraySlice<UInt8>) -> (Int64, String)? {
        let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        if let quote = line.firstIndex(of: UInt8(ascii: "\"")),
            fields.count >= 8,
            fields.prefix(7).allSatisfy({ $0.last != UInt8(ascii: ",") && Double(string($0)) != nil }),
            let label = Int64(string(fields[0]))
        {
            return (label, unquote(line[quote...]))
        }
        if let comma = line.firstIndex(of: UInt8(ascii: ",")) {
            guard let label = Int64(string(trimmed(line[..<comma]))) else { return nil }
            return (label, unquote(line[(comma + 1)...]))
        }
        guard let first = fields.first, let label = Int64(string(first)), fields.count >= 2 else { return nil }
        return (label, string(fields[1]))
    }

    /// A cell without its surrounding quotes, with `""` read back as `"`.
    private static func unquote(_ cell: ArraySlice<UInt8>) -> String {
        let cell = trimmed(cell)
        let quote = UInt8(ascii: "\"")
        guard cell.count >= 2, cell.first == quote, cell.last == quote else { return string(cell) }
        var bytes: [UInt8] = []
        var i = cell.startIndex + 1
        while i < cell.endIndex - 1 {
            bytes.append(cell[i])
            i += cell[i] == quote && cell[i + 1] == quote ? 2 : 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 || first == 0x0D { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0D { slice = slice.dropLast() }
        return slice
    }

    private static func string<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
