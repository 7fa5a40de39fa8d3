/// Numbers with a fixed count of decimals, for the tables people read: `0.8125`, `-0.5000`.
///
/// One spelling for every table, so a value reads the same in `compare`, `cohort`, `gate` and the progress line.
/// The sign follows the rounded value: −0.5 is `-0.5000`, and a value that rounds to zero has no sign.
package enum FixedDecimal {
    /// `value` rounded to `digits` decimals (`digits` ≥ 1). A value too large for that (|value|·10^digits
    /// beyond 9·10¹⁸) or not finite is written in Swift's shortest form (`1e+308`, `inf`), never trapped on: the
    /// gate prints whatever a summary holds.
    package static func string(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let unit = Int(scale)
        let rounded = (value * scale).rounded()
        guard abs(rounded) < 9e18 else { return value.description }
        let scaled = Int(rounded)
        let fraction = String(abs(scaled) % unit)
        return (scaled < 0 ? "-" : "") + "\(abs(scaled) / unit)."
            + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// ``string(_:digits:)``, or `-` for an undefined value.
    package static func cell(_ value: Double?, digits: Int) -> String {
        value.map { string($0, digits: digits) } ?? "-"
    }
}
