import Reporting

/// Text from the input made safe for the page: names of cases, labels, files and reasons are hostile input.
enum Markup {
    /// `text` escaped for HTML and XML text and quoted attribute values alike: `&`, `<`, `>`, `"` and `'`
    /// become references, and control characters (forbidden in XML, parse errors in HTML) are shown as
    /// `\u{1B}`, as the CLI shows them in error lines, so nothing in a name can end an element or an attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where isControl(scalar):
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls (tab, LF and CR included: names are one line), DEL, and the noncharacters XML refuses.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE
            || scalar.value == 0xFFFF
    }

    /// `text` escaped and cut to `limit` characters (with an ellipsis), for labels in a plot's margin.
    static func truncated(_ text: String, limit: Int) -> String {
        escape(text.count <= limit ? text : String(text.prefix(limit - 1)) + "…")
    }

    /// A value for a cell: fixed decimals, or an en dash when undefined.
    static func number(_ value: Double?, digits: Int) -> String {
        value.map { FixedDecimal.string($0, digits: digits) } ?? "–"
    }

    /// A coordinate with one decimal.
    static func coordinate(_ value: Double) -> String {
        FixedDecimal.string(value, digits: 1)
    }
}
