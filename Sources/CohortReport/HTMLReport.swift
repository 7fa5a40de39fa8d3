import Cohort
import DiceEngine
import FoundationEssentials

/// The cohort report: one self-contained HTML page that works offline and from an e-mail attachment.
///
/// Everything is inline — the style sheet, the SVG plots drawn here, snapshots as `data:image/png` — and the
/// only script sorts tables; the page references nothing outside itself. Every string from the results (case,
/// label and file names, failure reasons) goes through ``Markup/escape(_:)``. The markup is also well-formed XML
/// (void elements closed, no named entities), so the tests can parse it with an XML parser.
///
/// Sections: the run (command line, versions, dates, cases, definitions, failed and missing cases), box plots
/// per structure for Dice and for HD95/NSD when computed, the per-label statistics of `aggregates.json`, the
/// worst cases per structure with their snapshots, and every case's Dice per structure.
package struct HTMLReport {
    /// Cases highlighted as the worst overall (lowest mean Dice): a tenth of the cohort, from 1 to 10.
    static func highlightedCount(_ cases: Int) -> Int { min(10, (cases + 9) / 10) }
    /// Cases listed per structure in the worst-cases section.
    static let worstPerStructure = 5

    private let results: ResultsFolder
    private let context: ReportContext
    private let plots: [BoxPlot]
    /// Each case's mean Dice over the structures where it is defined.
    private let meanDice: [Double?]
    /// Case indices, lowest mean Dice first; cases without any Dice last.
    private let ranking: [Int]
    private let highlighted: Set<Int>
    /// Per structure: its worst cases by Dice (case indices).
    private let worst: [[Int]]
    private var out = ""

    private init(results: ResultsFolder, context: ReportContext) {
        self.results = results
        self.context = context
        plots = results.metrics.enumerated().map { BoxPlot(metric: $1, column: $0, results: results) }
        let meanDice = results.cases.indices.map { caseIndex -> Double? in
            let values = results.scores.compactMap { $0[caseIndex]?.values[0] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        self.meanDice = meanDice
        ranking = results.cases.indices.sorted { a, b in
            switch (meanDice[a], meanDice[b]) {
            case (let x?, let y?): x == y ? a < b : x < y
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a < b
            }
        }
        highlighted = Set(ranking.prefix(Self.highlightedCount(results.cases.count)).filter { meanDice[$0] != nil })
        worst = results.scores.map { scores in
            let defined = scores.indices.compactMap { i in scores[i]?.values[0].map { (i, $0) } }
            return defined.sorted { $0.1 == $1.1 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(Self.worstPerStructure).map(\.0)
        }
    }

    /// Renders the page.
    /// - Throws: ``ReportError`` when a snapshot cannot be read or is not a PNG file.
    package static func render(
        _ results: ResultsFolder, context: ReportContext, progress: some ReportProgress
    ) throws(ReportError) -> String {
        var report = HTMLReport(results: results, context: context)
        progress.start(total: report.plots.count + 3 + results.snapshots.count)
        return try report.page(progress: progress)
    }

    private mutating func page(progress: some ReportProgress) throws(ReportError) -> String {
        let folder = Markup.escape(results.path)
        out.reserveCapacity(1 << 20)
        out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        out += "<meta name=\"generator\" content=\"segscore \(Markup.escape(context.version))\"/>"
        out += "<title>Cohort report: \(folder)</title><style>\n\(ReportStyle.css)</style></head>\n<body>"
        out += "<header><h1>Cohort report</h1><p class=\"sub\">\(folder)</p></header>\n<nav>"
        out += "<a href=\"#run\">Run</a><a href=\"#plots\">Plots</a><a href=\"#statistics\">Statistics</a>"
        out += "<a href=\"#worst\">Worst cases</a><a href=\"#cases\">All cases</a></nav>\n"
        run()
        out += "<section id=\"plots\"><h2>Scores per structure</h2>"
        out += "<p class=\"note\">Structures worst first (by median). Box: quartiles; bar: median; whiskers: the "
        out += "furthest case within 1.5 × IQR; dots<span class=\"swatch case\"></span>: every case (hover for name "
        out += "and value); larger dots<span class=\"swatch worst\"></span>: the \(highlighted.count) worst "
        out += "case(s) overall (lowest mean Dice). n: cases with a value; +k –: cases where it is undefined.</p>"
        for plot in plots {
            out += "<h3>\(Markup.escape(plot.metric.title))</h3>"
            out += plot.svg(results: results, highlighted: highlighted)
            progress.advance()
        }
        out += "</section>\n"
        statistics()
        progress.advance()
        try worstCases(progress: progress)
        progress.advance()
        caseTable()
        progress.advance()
        out += "<footer><p class=\"note\">Written by segscore \(Markup.escape(context.version)) on "
        out += "\(ReportContext.date(context.writtenAt)).</p></footer>\n"
        out += "<script>\n\(ReportStyle.script)</script>\n</body></html>\n"
        return out
    }

    // MARK: - The run

    private mutating func run() {
        let manifest = results.manifest
        let evaluation = manifest.options.evaluation
        out += "<section id=\"run\"><h2>The run</h2><dl class=\"run\">"
        item("Command line", "<code>\(Markup.escape(context.commandLine))</code>")
        let scoredBy = Markup.escape(manifest.version)
        item("segscore", "scored by \(scoredBy), report by \(Markup.escape(context.version))")
        let written = results.writtenAt.map { "results written \(ReportContext.date($0)), " } ?? ""
        item("Date", written + "report written \(ReportContext.date(context.writtenAt))")
        item(
            "Folders",
            "predictions <code>\(Markup.escape(manifest.inputs.predictionDirectory))</code>, references "
                + "<code>\(Markup.escape(manifest.inputs.referenceDirectory))</code>")
        var cases = "\(results.cases.count) scored of \(manifest.cases.count)"
        if !manifest.failures.isEmpty { cases += ", \(manifest.failures.count) failed" }
        let missing = manifest.inputs.missingPredictions.count
        if missing > 0 { cases += ", \(missing) without prediction" }
        if let shard = manifest.shard { cases += " (shard \(shard.index)/\(shard.count))" }
        item("Cases", cases)
        item("Structures", "\(results.structures.count)" + (evaluation.regions.isEmpty ? "" : " (regions included)"))
        item("Empty rule", "<code>\(evaluation.emptyRule.rawValue)</code>: " + Self.explanation(evaluation.emptyRule))
        if let boundary = evaluation.boundary {
            item("Boundary metrics", Markup.escape(boundary.metrics.map(\.description).joined(separator: ", ")))
            item("Distance definition", "<code>\(boundary.definition.rawValue)</code>")
            if let tolerance = boundary.nsdTolerance { item("NSD tolerance", Self.describe(tolerance)) }
        }
        let labels = evaluation.selection.labels.map { $0.map(String.init).joined(separator: ", ") }
        item(
            "Labels", labels ?? "every non-zero label found" + (evaluation.selection.includeBackground ? ", and 0" : "")
        )
        if let ignore = evaluation.selection.ignoreLabel { item("Ignore label", "\(ignore)") }
        item("Missing predictions", "<code>\(manifest.options.missing.rawValue)</code>")
        if manifest.options.nnunetCompatible { item("nnU-Net compatible", "yes") }
        item("Foreground mean Dice", Markup.number(results.foregroundMeanDice, digits: 4) + " (nnU-Net's)")
        out += "</dl>"
        failures()
        out += "</section>\n"
    }

    private mutating func item(_ term: String, _ markup: String) {
        out += "<dt>\(term)</dt><dd>\(markup)</dd>"
    }

    private static func explanation(_ rule: EmptyRule) -> String {
        switch rule {
        case .ignore: "Dice is undefined when the reference lacks the structure (left out of means)."
        case .oneZero: "Dice is 1 when both images lack the structure, 0 when only the prediction has it."
        case .nnunet: "Dice is undefined when both images lack the structure, 0 when only one has it (nnU-Net)."
        }
    }

    private static func describe(_ tolerance: NSDTolerance) -> String {
        var parts = tolerance.defaultMm.map { ["\(Markup.number($0, digits: 2)) mm"] } ?? []
        parts += tolerance.perLabelMm.sorted { $0.key < $1.key }.map {
            "label \($0.key): \(Markup.number($0.value, digits: 2)) mm"
        }
        return parts.joined(separator: ", ")
    }

    /// Failed cases, references without prediction and predictions without reference, with the reason.
    private mutating func failures() {
        let manifest = results.manifest
        var rows: [(name: String, status: String, reason: String)] = manifest.failures.sorted { $0.key < $1.key }
            .map { ($0.key, "failed", $0.value) }
        let missing =
            manifest.options.missing == .worst
            ? "no prediction: scored as an all-background prediction (--missing worst)"
            : "no prediction: left out (--missing \(manifest.options.missing.rawValue))"
        rows += manifest.inputs.missingPredictions.map { ($0.name, "missing", missing) }
        rows += manifest.inputs.unmatchedPredictions.map {
            ($0.name, "unmatched", "prediction without reference: not scored")
        }
        guard !rows.isEmpty else {
            out += "<p>Every case was scored.</p>"
            return
        }
        out += "<h3>Failed and missing cases</h3><div class=\"scroll\"><table id=\"failures\"><thead><tr>"
        out += "<th class=\"t\">Case</th><th class=\"t\">Status</th><th class=\"t\">Reason</th></tr></thead><tbody>"
        for row in rows {
            out += "<tr class=\"\(row.status == "failed" ? "failed" : "missing")\"><td class=\"t\">"
            out += Markup.escape(row.name) + "</td><td class=\"t\">\(row.status)</td><td class=\"t reason\">"
            out += Markup.escape(row.reason) + "</td></tr>"
        }
        out += "</tbody></table></div>"
    }

    // MARK: - Statistics

    /// `aggregates.json` as a sortable table: a row per structure and metric.
    private mutating func statistics() {
        out += "<section id=\"statistics\"><h2>Per-label statistics</h2><p class=\"note\">Over the scored cases "
        out += "(aggregates.json): count of defined values, undefined, mean, population std, median, quartiles, "
        out += "range, and the pooled value from the summed counts. Click a column to sort.</p>"
        out += "<div class=\"scroll\"><table class=\"sortable\" id=\"statistics-table\"><thead><tr>"
        out += "<th class=\"t\">Structure</th><th class=\"t\">Label</th><th class=\"t\">Metric</th>"
        out += "<th>n</th><th>undefined</th><th>mean</th><th>std</th><th>median</th><th>q1</th><th>q3</th>"
        out += "<th>min</th><th>max</th><th>pooled</th></tr></thead><tbody>"
        for aggregate in results.aggregates {
            let title = Markup.escape(aggregate.name ?? "label \(aggregate.key)")
            for (metric, values) in aggregate.metrics {
                let digits = metric.hasPrefix("hd") || metric.hasSuffix("sd") && metric != "nsd" ? 2 : 4
                out += "<tr data-label=\"\(Markup.escape(aggregate.key))\"><td class=\"t\">\(title)</td>"
                out +=
                    "<td class=\"t\">\(Markup.escape(aggregate.key))</td><td class=\"t\">\(Markup.escape(metric))</td>"
                for (index, value) in values.enumerated() {
                    let cell = index < 2 ? value.map { String(Int($0)) } ?? "–" : Markup.number(value, digits: digits)
                    out += "<td>\(cell)</td>"
                }
                out += "</tr>"
            }
        }
        out += "</tbody></table></div></section>\n"
    }

    // MARK: - Worst cases

    private mutating func worstCases(progress: some ReportProgress) throws(ReportError) {
        out += "<section id=\"worst\"><h2>Worst cases per structure</h2><p class=\"note\">The "
        out += "\(Self.worstPerStructure) lowest Dice of each structure, structures worst first"
        out += results.snapshots.isEmpty ? ".</p>" : ", with each case's snapshot where one was rendered.</p>"
        var shown = Set<Int>()
        let order = plots.first?.rows.map(\.structure) ?? []
        let columns = Array(results.metrics.enumerated())
        out += "<div class=\"worst-grid\">"
        for structure in order where !worst[structure].isEmpty {
            let entry = results.structures[structure]
            out += "<div class=\"structure\"><h3>\(Markup.escape(entry.title)) <span class=\"key\">"
            out +=
                Markup.escape(entry.keyDescription)
                + "</span></h3><div class=\"scroll\"><table class=\"worst-table\" data-label=\"\(Markup.escape(entry.key))\">"
            out += "<thead><tr><th class=\"t\">Case</th>"
            for (_, metric) in columns { out += "<th>\(Markup.escape(metric.title))</th>" }
            out += "<th title=\"false-positive voxels\">FP</th><th title=\"false-negative voxels\">FN</th>"
            out += "<th title=\"the case's mean Dice over the structures\">mean Dice</th></tr></thead><tbody>"
            var figures: [Int] = []
            for caseIndex in worst[structure] {
                guard let scores = results.scores[structure][caseIndex] else { continue }
                out += "<tr\(highlighted.contains(caseIndex) ? " class=\"worst\"" : "")><td class=\"t\">"
                out += Markup.escape(results.cases[caseIndex])
                if results.snapshots[caseIndex] != nil {
                    out += " <a href=\"#snapshot-\(caseIndex)\">(snapshot)</a>"
                    if shown.insert(caseIndex).inserted { figures.append(caseIndex) }
                }
                out += "</td>"
                for (column, metric) in columns {
                    out += "<td>\(Markup.number(scores.values[column], digits: metric.digits))</td>"
                }
                out +=
                    "<td>\(scores.fp)</td><td>\(scores.fn)</td><td>\(Markup.number(meanDice[caseIndex], digits: 4))</td></tr>"
            }
            out += "</tbody></table></div></div>"
            for caseIndex in figures { try figure(caseIndex, progress: progress) }
        }
        out += "</div>"
        let others = results.snapshots.keys.filter { !shown.contains($0) }.sorted()
        if !others.isEmpty {
            out += "<h3>Other snapshots</h3>"
            for caseIndex in others { try figure(caseIndex, progress: progress) }
        }
        out += "</section>\n"
    }

    /// A case's snapshot, embedded as a `data:` URL.
    private mutating func figure(_ caseIndex: Int, progress: some ReportProgress) throws(ReportError) {
        guard let path = results.snapshots[caseIndex] else { return }
        let png = try ResultsFolder.bytes(path)
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw ReportError("not a PNG file", path: path)
        }
        let name = Markup.escape(results.cases[caseIndex])
        out += "<figure id=\"snapshot-\(caseIndex)\"><img src=\"data:image/png;base64,"
        out += png.base64EncodedString() + "\" alt=\"snapshot of \(name)\"/>"
        out += "<figcaption>\(name): the slices where its worst structures disagree most</figcaption></figure>"
        progress.advance()
    }

    // MARK: - Every case

    /// Every case's Dice per structure, worst mean first; the worst cases' rows and each structure's worst
    /// cells highlighted.
    private mutating func caseTable() {
        out += "<section id=\"cases\"><h2>Per-case Dice</h2><p class=\"note\">Cases by mean Dice over the "
        out += "structures, worst first; highlighted rows: the \(highlighted.count) worst case(s); underlined: a "
        out += "structure's \(Self.worstPerStructure) worst. Click a column to sort.</p>"
        out += "<div class=\"scroll\"><table class=\"sortable\" id=\"case-table\"><thead><tr><th class=\"t\">Case</th>"
        out += "<th>mean Dice</th><th class=\"t ws\">worst structure</th>"
        for structure in results.structures {
            out +=
                "<th class=\"v\" data-label=\"\(Markup.escape(structure.key))\" title=\"\(Markup.escape(structure.title))\">"
            out += "<span>" + Markup.truncated(structure.title, limit: 24) + "</span></th>"
        }
        out += "</tr></thead><tbody>"
        let low = worst.map(Set.init)
        for caseIndex in ranking {
            out += "<tr\(highlighted.contains(caseIndex) ? " class=\"worst\"" : "")><td class=\"t\">"
            out += Markup.escape(results.cases[caseIndex]) + "</td><td>"
            out += Markup.number(meanDice[caseIndex], digits: 4) + "</td><td class=\"t ws\">"
            out += lowestStructure(of: caseIndex).map { Markup.escape(results.structures[$0].title) } ?? "–"
            out += "</td>"
            for structure in results.structures.indices {
                let value = results.scores[structure][caseIndex]?.values[0]
                out += low[structure].contains(caseIndex) ? "<td class=\"low\">" : "<td>"
                out += Markup.number(value, digits: 4) + "</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div></section>\n"
    }

    /// The structure where a case's Dice is lowest (the first of equals).
    private func lowestStructure(of caseIndex: Int) -> Int? {
        var lowest: (structure: Int, dice: Double)? = nil
        for structure in results.scores.indices {
            guard let dice = results.scores[structure][caseIndex]?.values[0] else { continue }
            if lowest.map({ dice < $0.dice }) ?? true { lowest = (structure, dice) }
        }
        return lowest?.structure
    }
}
