/// A JSON document with object keys kept in the order they were written.
///
/// Output files are contracts other people's scripts parse and diff, so key order and number spelling must be
/// stable; `JSONEncoder` guarantees neither and cannot write NaN, which the contracts spell `null`.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A floating-point number; NaN and ±infinity are written as `null`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// An array of integer rows, `width` integers each, stored flat: written exactly as the equivalent nested
    /// `.array`s, at 8 bytes per integer instead of a heap-allocated array per row (a confusion matrix or its
    /// millions of non-zero cells).
    case integerRows(width: Int, values: [Int])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// A number, or `null` for `nil`.
    package static func number(_ value: Double?) -> JSONValue {
        value.map { .number($0) } ?? .null
    }

    /// The document as text: compact, or indented by two spaces per level with `pretty`.
    package func rendered(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null:
            out += "null"
        case .bool(let value):
            out += value ? "true" : "false"
        case .int(let value):
            out += String(value)
        case .number(let value):
            out += Self.format(value)
        case .string(let value):
            Self.quote(value, into: &out)
        case .array(let values):
            if values.isEmpty {
                out += "[]"
                return
            }
            // Arrays of scalars stay on one line: matrices and shapes read better that way.
            let flat = !pretty || values.allSatisfy { !$0.isContainer }
            out += "["
            for (i, value) in values.enumerated() {
                if i > 0 { out += flat && pretty ? ", " : "," }
                if !flat { Self.newline(&out, indent + 1) }
                value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if !flat { Self.newline(&out, indent) }
            out += "]"
        case .integerRows(let width, let values):
            if values.isEmpty || width == 0 {
                out += "[]"
                return
            }
            out += "["
            for start in stride(from: 0, to: values.count, by: width) {
                if start > 0 { out += "," }
                if pretty { Self.newline(&out, indent + 1) }
                out += "["
                for i in start..<(start + width) {
                    if i > start { out += pretty ? ", " : "," }
                    out += String(values[i])
                }
                out += "]"
            }
            if pretty { Self.newline(&out, indent) }
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { Self.newline(&out, indent + 1) }
                Self.quote(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out += "}"
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object, .integerRows: true
        default: false
        }
    }

    private static func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        for _ in 0..<indent { out += "  " }
    }

    /// Shortest text that reads back as the same `Double` (Swift's `description`), or `null`.
    package static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 {
            return String(Int64(value)) + ".0"
        }
        return value.description
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Names and keys rarely hold a character to escape: then the text goes in whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
