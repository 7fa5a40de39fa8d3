import FoundationEssentials

/// Names for label values, read from the files people already have.
///
/// Recognised formats (by content, not by name):
/// - nnU-Net `dataset.json`: `{"labels": {"background": 0, "liver": 1, …}}` (region lists are skipped);
/// - a JSON list of names, `{"labels": ["background", "liver", …]}` (index = value);
/// - an ITK-SNAP label description file: `IDX R G B A VIS MSH "LABEL"` lines;
/// - a FreeSurfer colour LUT: `id name R G B A` lines;
/// - CSV `id,name` (an optional header row whose first cell is not a number is skipped).
/// `#` starts a comment line in the text formats.
package struct LabelNames: Sendable, Equatable {
    package private(set) var names: [Int64: String] = [:]

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
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" {
            try self.init(json: text, path: path)
        } else {
            try self.init(table: text, path: path)
        }
    }

    /// Read with ``JSONValue``, the one JSON reader: a list of names, or names → label value, where a list value
    /// is an nnU-Net region and skipped.
    private init(json text: String, path: String) throws(ParseError) {
        let invalid = ParseError(reason: "not a dataset.json with a \"labels\" object or list", path: path)
        guard let labels = (try? JSONValue(parsing: text))?["labels"] else { throw invalid }
        if let list = labels.arrayValue {
            for (value, entry) in list.enumerated() {
                guard let name = entry.stringValue else { throw invalid }
                names[Int64(value)] = name
            }
        } else if let members = labels.objectMembers {
            for (name, value) in members {
                if let label = value.intValue {
                    names[Int64(label)] = name
                } else if value.arrayValue?.allSatisfy({ $0.intValue != nil }) != true {
                    throw invalid
                }
            }
        } else {
            throw invalid
        }
    }

    private init(table text: String, path: String) throws(ParseError) {
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line = rawLine.trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.contains(",") {
                let cells = line.split(separator: ",", maxSplits: 1).map { $0.trimmed }
                guard let label = Int64(cells[0]) else {
                    if number == 0 { continue }  // header row
                    throw ParseError(reason: "line \(number + 1) does not start with a label number", path: path)
                }
                names[label] = cells.count > 1 ? Self.unquote(cells[1]) : ""
            } else {
                let fields = line.split(whereSeparator: \.isWhitespace)
                guard let label = Int64(fields[0]), fields.count >= 2 else {
                    throw ParseError(reason: "line \(number + 1) does not start with a label number", path: path)
                }
                if let quote = line.firstIndex(of: "\"") {
                    // ITK-SNAP: the name is the quoted last field and may contain spaces.
                    names[label] = Self.unquote(String(line[quote...]))
                } else {
                    names[label] = String(fields[1])
                }
            }
        }
        guard !names.isEmpty else { throw ParseError(reason: "no label names found", path: path) }
    }

    private static func unquote(_ text: String) -> String {
        var text = text.trimmed
        if text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    fileprivate var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
