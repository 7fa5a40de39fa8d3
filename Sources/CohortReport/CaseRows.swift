/// `cases.csv` read into a structure × case grid of the scores the report shows.
struct CaseRows {
    let metrics: [ReportMetric]
    let structures: [ResultsFolder.Structure]
    let cases: [String]
    let scores: [[ResultsFolder.Scores?]]

    /// - Throws: ``ReportError`` when the file is missing, not CSV, lacks a column, holds a value that is not a
    ///   number, or lists a case and structure twice.
    init(_ path: String) throws(ReportError) {
        let table = try CSVTable(parsing: try ResultsFolder.text(path), path: path)
        let caseColumn = try table.column("case", path: path)
        let keyColumn = try table.column("label", path: path)
        let nameColumn = try table.column("name", path: path)
        let fpColumn = try table.column("fp", path: path)
        let fnColumn = try table.column("fn", path: path)
        metrics = ReportMetric.allCases.filter { table.header.contains($0.rawValue) }
        guard metrics.first == .dice else { throw ReportError("malformed CSV (no column \"dice\")", path: path) }
        let metricColumns = try metrics.map { metric throws(ReportError) in
            try table.column(metric.rawValue, path: path)
        }

        var structureIndex: [String: Int] = [:]
        var caseIndex: [String: Int] = [:]
        var structures: [ResultsFolder.Structure] = []
        var cases: [String] = []
        var scores: [[ResultsFolder.Scores?]] = []
        for (number, row) in table.rows.enumerated() {
            func malformed(_ what: String) -> ReportError {
                ReportError("malformed CSV (record \(number + 2): \(what))", path: path)
            }
            let key = row[keyColumn]
            let structure =
                structureIndex[key]
                ?? {
                    structureIndex[key] = structures.count
                    structures.append(.init(key: key, name: row[nameColumn].isEmpty ? nil : row[nameColumn]))
                    scores.append([ResultsFolder.Scores?](repeating: nil, count: cases.count))
                    return structures.count - 1
                }()
            let name = row[caseColumn]
            let index =
                caseIndex[name]
                ?? {
                    caseIndex[name] = cases.count
                    cases.append(name)
                    for s in scores.indices { scores[s].append(nil) }
                    return cases.count - 1
                }()
            guard scores[structure][index] == nil else { throw malformed("case and label listed twice") }
            guard let fp = Int(row[fpColumn]), let fn = Int(row[fnColumn]), fp >= 0, fn >= 0 else {
                throw malformed("fp or fn is not a count")
            }
            var values: [Double?] = []
            for (metric, column) in zip(metrics, metricColumns) {
                let cell = row[column]
                if cell.isEmpty {
                    values.append(nil)
                } else if let value = Double(cell), value.isFinite {
                    values.append(value)
                } else {
                    throw malformed("\(metric.rawValue) is not a number")
                }
            }
            scores[structure][index] = ResultsFolder.Scores(values: values, fp: fp, fn: fn)
        }
        (self.structures, self.cases, self.scores) = (structures, cases, scores)
    }
}
