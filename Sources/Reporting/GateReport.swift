import Cohort
import Documents

/// The regression gate's verdict as text.
extension RegressionGate {
    /// The gate's verdict for a terminal or a CI log: regressions first, then improvements, then a summary line.
    package func report() -> String {
        var out = ""
        let headers = ["status", "case", "label", "baseline", "current", "change"]
        func rows(_ findings: [Finding]) -> [[String]] {
            findings.map { f in
                let change = f.baseline.flatMap { b in f.current.map { signed($0 - b) } } ?? ""
                let status = f.reason.map { "\(f.kind.rawValue): \($0)" } ?? f.kind.rawValue
                return [status, f.caseName, f.label, cell(f.baseline), cell(f.current), change]
            }
        }
        let worse = metric.higherIsBetter ? "drop" : "rise"
        let better = metric.higherIsBetter ? "rise" : "fall"
        let limit = JSONValue.format(tolerance) + (metric.unit.map { " " + $0 } ?? "")
        if !regressions.isEmpty {
            out += "Regressions (\(metric) \(worse) > \(limit), missing, failed or undefined):\n"
            out += TextTable.render(headers: headers, rows: rows(regressions), leftAligned: [0, 1]) + "\n"
        }
        if !improvements.isEmpty {
            out += "Improvements (\(metric) \(better) > \(limit)):\n"
            out += TextTable.render(headers: headers, rows: rows(improvements), leftAligned: [0, 1]) + "\n"
        }
        out += passed ? "gate passed" : "gate FAILED: \(regressions.count) regression(s)"
        out += "; \(compared) case/labels compared, \(improvements.count) improved"
        if !newCases.isEmpty { out += ", \(newCases.count) case(s) not in the baseline" }
        return out + "\n"
    }

    private func cell(_ value: Double?) -> String {
        FixedDecimal.cell(value, digits: 6)
    }

    private func signed(_ value: Double) -> String {
        (value >= 0 ? "+" : "-") + FixedDecimal.string(abs(value), digits: 6)
    }
}
