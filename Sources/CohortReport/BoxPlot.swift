import Cohort

/// One metric's box plots as inline SVG: a row per structure, sorted worst-first by median, every case a dot.
///
/// The box spans the quartiles with the median as a bar, whiskers reach the furthest case within 1.5 × IQR of
/// the box (Tukey), and every defined value is a dot jittered across the row (deterministically, by case) with a
/// `<title>` — case name and value — that browsers show on hover. Quartiles are ``Statistics``', as in
/// `aggregates.json`. Undefined values are counted at the row's end, not drawn. The drawing is plain SVG 1.1
/// shapes and text, so it needs no script or font and prints as vectors.
struct BoxPlot {
    /// A structure's defined values: (case index, value).
    struct Row {
        let structure: Int
        let values: [(caseIndex: Int, value: Double)]
        let undefined: Int
        let statistics: Statistics
    }

    let metric: ReportMetric
    /// Rows worst-first (median), structures without a defined value last.
    let rows: [Row]
    /// The axis: [0, 1] for scores, [0, a round number above the largest] for distances, and the tick step.
    let domain: (low: Double, high: Double, step: Double)

    private static let (width, left, right, top, rowHeight, bottom) = (760.0, 196.0, 78.0, 8.0, 22.0, 34.0)
    private static var plotWidth: Double { width - left - right }

    init(metric: ReportMetric, column: Int, results: ResultsFolder) {
        self.metric = metric
        let rows = results.scores.enumerated().map { structure, scores in
            var values: [(caseIndex: Int, value: Double)] = []
            var undefined = 0
            for (caseIndex, score) in scores.enumerated() {
                guard let score else { continue }
                if let value = score.values[column] { values.append((caseIndex, value)) } else { undefined += 1 }
            }
            return Row(
                structure: structure, values: values, undefined: undefined,
                statistics: Statistics(values.map { $0.value }))
        }
        domain = Self.domain(metric, rows)
        self.rows = rows.sorted { a, b in
            switch (a.statistics.median, b.statistics.median) {
            case (let x?, let y?): x == y ? a.structure < b.structure : metric.isWorse(x, than: y)
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a.structure < b.structure
            }
        }
    }

    private static func domain(_ metric: ReportMetric, _ rows: [Row]) -> (low: Double, high: Double, step: Double) {
        guard metric == .hd95 else { return (0, 1, 0.2) }
        let largest = rows.compactMap(\.statistics.max).max() ?? 0
        guard largest > 0 else { return (0, 1, 0.2) }
        var magnitude = 1.0
        while magnitude * 10 <= largest { magnitude *= 10 }
        while magnitude > largest { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude / 2 }.first { largest / $0 <= 6 } ?? magnitude * 5
        return (0, (largest / step).rounded(.up) * step, step)
    }

    /// The `<svg>` element; `highlighted` cases (the worst overall) are drawn larger, in vermillion.
    func svg(results: ResultsFolder, highlighted: Set<Int>) -> String {
        let (low, high, step) = domain
        func position(_ value: Double) -> Double {
            Self.left + (min(max(value, low), high) - low) / (high - low) * Self.plotWidth
        }
        func x(_ value: Double) -> String { Markup.coordinate(position(value)) }
        let height = Self.top + Double(rows.count) * Self.rowHeight + Self.bottom
        let plotBottom = Self.top + Double(rows.count) * Self.rowHeight
        var out = "<svg class=\"plot\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" width=\"\(Int(Self.width))\""
        out += " height=\"\(Int(height))\" role=\"img\" aria-label=\"\(Markup.escape(metric.title)) per structure\">"
        // Axis: grid lines, ticks, and the metric's name.
        var tick = low
        while tick <= high + step / 2 {
            let position = x(tick)
            out += "<line class=\"grid\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(Int(Self.top))\""
            out += " y2=\"\(Int(plotBottom))\"/><text class=\"tick\" x=\"\(position)\" y=\"\(Int(plotBottom) + 14)\">"
            out +=
                (step >= 1 ? String(Int(tick.rounded())) : Markup.number(tick, digits: step < 0.1 ? 2 : 1)) + "</text>"
            tick += step
        }
        out += "<text class=\"axis\" x=\"\(x((low + high) / 2))\" y=\"\(Int(plotBottom) + 30)\">"
        out += Markup.escape(metric.title) + (metric.higherIsBetter ? " (higher is better)" : " (lower is better)")
        out += "</text>"
        for (index, row) in rows.enumerated() {
            out += self.row(
                row, at: Self.top + Double(index) * Self.rowHeight, striped: index % 2 == 0,
                results: results, highlighted: highlighted, position: position)
        }
        return out + "</svg>"
    }

    private func row(
        _ row: Row, at y: Double, striped: Bool, results: ResultsFolder, highlighted: Set<Int>,
        position: (Double) -> Double
    ) -> String {
        func x(_ value: Double) -> String { Markup.coordinate(position(value)) }
        let structure = results.structures[row.structure]
        let middle = y + Self.rowHeight / 2
        let center = Markup.coordinate(middle)
        var out = "<g data-label=\"\(Markup.escape(structure.key))\">"
        if striped {
            out += "<rect class=\"stripe\" x=\"0\" y=\"\(Markup.coordinate(y))\" width=\"\(Int(Self.width))\""
            out += " height=\"\(Int(Self.rowHeight))\"/>"
        }
        out += "<text class=\"name\" x=\"\(Int(Self.left) - 8)\" y=\"\(Markup.coordinate(middle + 4))\">"
        out += "<title>\(Markup.escape(structure.title))</title>\(Markup.truncated(structure.title, limit: 25))</text>"
        if let q1 = row.statistics.q1, let median = row.statistics.median, let q3 = row.statistics.q3 {
            let reach = 1.5 * (q3 - q1)
            let inside = row.values.map(\.value).filter { $0 >= q1 - reach && $0 <= q3 + reach }
            if let lowest = inside.min(), let highest = inside.max() {
                out += "<line class=\"whisker\" x1=\"\(x(lowest))\" x2=\"\(x(highest))\" y1=\"\(center)\""
                out += " y2=\"\(center)\"/>"
            }
            let boxTop = Markup.coordinate(middle - 6)
            out += "<rect class=\"box\" x=\"\(x(q1))\" y=\"\(boxTop)\" width=\"\(width(from: q1, to: q3))\""
            out += " height=\"12\"/><line class=\"median\" x1=\"\(x(median))\" x2=\"\(x(median))\""
            out += " y1=\"\(boxTop)\" y2=\"\(Markup.coordinate(middle + 6))\"/>"
        }
        for (caseIndex, value) in row.values {
            let worst = highlighted.contains(caseIndex)
            let jitter = Double((UInt64(caseIndex) &* 0x9E37_79B9_7F4A_7C15) >> 54) / 1023 - 0.5
            // A zero-length line with round caps is a dot, in half the bytes of a <circle>: a 1,000-case
            // cohort draws 20,000 dots per metric. Whole pixels are finer than a dot.
            let (dotX, dotY) = (Int(position(value).rounded()), Int((middle + jitter * 13).rounded()))
            out += "<path\(worst ? " class=\"w\"" : "") d=\"M\(dotX) \(dotY)h0\"><title>"
            out += Markup.escape(results.cases[caseIndex]) + ": " + Markup.number(value, digits: metric.digits)
            out += "</title></path>"
        }
        out += "<text class=\"count\" x=\"\(Int(Self.width - Self.right) + 8)\" y=\"\(Markup.coordinate(middle + 4))\">"
        out += "n \(row.values.count)" + (row.undefined > 0 ? " +\(row.undefined) –" : "") + "</text>"
        return out + "</g>"
    }

    private func width(from a: Double, to b: Double) -> String {
        let (low, high, _) = domain
        let clamp = { (v: Double) in min(max(v, low), high) }
        return Markup.coordinate((clamp(b) - clamp(a)) / (high - low) * Self.plotWidth)
    }
}
