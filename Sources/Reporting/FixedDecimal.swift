/// Numbers with a fixed count of decimals, for the tables people read: `0.8125`, `-0.5000`.
///
/// One spelling for every table, so a value reads the same in `compare`, `cohort`, `gate` and the progress line.
/// The sign follows the rounded value: −0.5 is `-0.5000`, and a value that rounds to zero has no sign.
package enum FixedDecimal {
    /// `value` rounded to `digits` decimals (`digits` ≥ 1; `value` finite).
    package static func string(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let unit = Int(scale)
        let scaled = Int((value * scale).rounded())
        let fraction = String(abs(scaled) % unit)
        return (scaled < 0 ? "-" : "") + "\(abs(scaled) / unit)."
            + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// ``string(_:digits:)``, or `-` for an undefined value.
    package static func cell(_ value: Double?, digits: Int) -> String {
        value.map { string($0, digits: digits) } ?? "-"
    }
}
