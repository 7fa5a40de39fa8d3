extension JSONValue {
    /// The document as Python's `json.dump(value, f, sort_keys=True, indent=4)` writes it, byte for byte: what
    /// nnU-Net writes its `summary.json` with.
    ///
    /// Keys sorted by code point, 4 spaces per level, every non-empty array and object expanded, `", "`-free
    /// separators (`","` and `": "`), non-ASCII and control characters as `\uXXXX` (`ensure_ascii`), integers as
    /// Python's `int`, numbers as Python's `float` `repr` (``pythonFloat(_:)``), and `null` as `NaN`: segscore
    /// writes `null` only for an undefined number, where Python holds a NaN float.
    package func renderedAsPythonJSON() -> String {
        var out = ""
        writePython(to: &out, indent: 0)
        return out
    }

    private func writePython(to out: inout String, indent: Int) {
        func newline(_ level: Int) { out += "\n" + String(repeating: " ", count: 4 * level) }
        switch self {
        case .null: out += "NaN"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value): out += Self.pythonFloat(value)
        case .string(let value): Self.pythonQuote(value, into: &out)
        case .array(let values):
            guard !values.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (i, value) in values.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1)
                value.writePython(to: &out, indent: indent + 1)
            }
            newline(indent)
            out += "]"
        case .integerRows(let width, let values):
            let rows = stride(from: 0, to: width == 0 ? 0 : values.count, by: max(width, 1)).map { start in
                JSONValue.array(values[start..<(start + width)].map { .int($0) })
            }
            JSONValue.array(rows).writePython(to: &out, indent: indent)
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            let sorted = members.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
            for (i, (key, value)) in sorted.enumerated() {
                if i > 0 { out += "," }
                newline(indent + 1)
                Self.pythonQuote(key, into: &out)
                out += ": "
                value.writePython(to: &out, indent: indent + 1)
            }
            newline(indent)
            out += "}"
        }
    }

    /// Python's `repr` of a float: the shortest digits that read back (as Swift finds them), fixed notation
    /// with at least one decimal when the decimal point falls within 16 places (`1e-05` below 1e-4, `1e+16`
    /// from 1e16 on), `NaN`, `Infinity`, `-Infinity`.
    package static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        // Swift's description holds the shortest round-trip digits, in fixed or exponent form.
        let text = value.magnitude.description
        let parts = text.split(separator: "e")
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(mantissa[0])
        let fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
        var digits = Array(integer + fraction)
        // value = 0.digits × 10^point
        var point = integer.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        guard !digits.isEmpty else { return sign + "0.0" }
        let all = String(digits)
        if point > 16 || point <= -4 {
            let tail = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
            let e = point - 1
            let magnitude = String(abs(e))
            return sign + String(digits[0]) + tail + "e" + (e < 0 ? "-" : "+")
                + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + all }
        if point < digits.count { return sign + String(digits[..<point]) + "." + String(digits[point...]) }
        return sign + all + String(repeating: "0", count: point - digits.count) + ".0"
    }

    /// A string as `json.dumps` quotes it with `ensure_ascii=True`.
    private static func pythonQuote(_ text: String, into out: inout String) {
        out += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
