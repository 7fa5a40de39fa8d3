import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `segscore report` and `cohort --report` on the generated cohort of ``CohortEndToEndTests``, plus a case with a
/// hostile name, hostile label names, a failed case and a snapshot: the page is parsed as XML and every value of
/// `cases.csv` is looked up in it.
@Suite struct ReportEndToEndTests {
    /// A case name with markup, quotes and an ampersand (no `/`: it is a file name).
    static let hostileCase = "x<script>alert(1)<!--&\"q'"
    /// Label names with markup and quotes; label 3 has none.
    static let labelNames = "1,\"liver <b>&amp; \"\"L\"\"</b>\"\n2,spleen\n"
    /// A 2 × 1 RGB PNG (vermillion, blue), written as `cohort --snapshots` would write one.
    static let png =
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGO4GsfAULQJAAhxAlj2OyoEAAAAAElFTkSuQmCC")
        ?? Data()

    /// The cohort with its hostile case and a case whose prediction has another grid (exit 4, listed as failed).
    static func scoredCohort() throws -> (cohort: TemporaryCohort, output: String, run: SegscoreRun) {
        let cohort = try TemporaryCohort()
        let c0 = CohortEndToEndTests.cases()[0]
        try NiftiWriter.write(
            c0.prediction.map { $0 == 2 ? 0 : $0 }, shape: CohortEndToEndTests.shape,
            to: "\(cohort.predictions)/\(hostileCase).nii")
        try NiftiWriter.write(
            c0.reference, shape: CohortEndToEndTests.shape, to: "\(cohort.references)/\(hostileCase).nii")
        try NiftiWriter.write([UInt8](repeating: 1, count: 24), shape: (2, 3, 4), to: cohort.predictions + "/c1.nii")
        try Data(labelNames.utf8).write(to: URL(fileURLWithPath: cohort.output("names.csv")))
        let output = cohort.output("results")
        let run = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir", output,
            "--label-names", cohort.output("names.csv"), "--metrics", "hd95,nsd", "--nsd-tolerance", "1",
            "--report", "--quiet",
        ])
        return (cohort, output, run)
    }

    typealias SegscoreRun = (status: Int32, stdout: String, stderr: String)

    @Test func everyValueOfCasesCSVIsInThePage() throws {
        let (cohort, output, run) = try Self.scoredCohort()
        #expect(run.status == 4, "\(run.stderr)")  // c1 failed; the report is written all the same
        try FileManager.default.createDirectory(atPath: output + "/snapshots", withIntermediateDirectories: true)
        try Self.png.write(to: URL(fileURLWithPath: output + "/snapshots/c3.png"))
        let rendered = try Segscore.run(["report", output, "--output", cohort.output("page.html")])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stderr.hasPrefix("report: \(cohort.output("page.html")) ("))
        let text = try String(contentsOfFile: cohort.output("page.html"), encoding: .utf8)
        let page = try Element.parse(text)

        let csv = CSVRows(try String(contentsOfFile: output + "/cases.csv", encoding: .utf8))
        let column = Dictionary(uniqueKeysWithValues: csv.header.enumerated().map { ($1, $0) })
        let rows = csv.rows
        let cases = Set(rows.map { $0[column["case"]!] })
        #expect(cases == ["c0", "c2", "c3", "c4", Self.hostileCase])

        // The per-case table: a row per case, a column per structure, Dice to 4 decimals.
        let table = try #require(page.first { $0.name == "table" && $0["id"] == "case-table" })
        let headers = table.all { $0.name == "th" }
        let tableRows = table.all { $0.name == "tr" }.dropFirst().map { $0.all { $0.name == "td" }.map(\.text) }
        #expect(Set(tableRows.map { $0[0] }) == cases)
        for row in rows {
            let (name, label) = (row[column["case"]!], row[column["label"]!])
            let cells = try #require(tableRows.first { $0[0] == name })
            let index = try #require(headers.firstIndex { $0["data-label"] == label }, "label \(label)")
            #expect(Self.matches(cells[index], row[column["dice"]!], digits: 4), "\(name) label \(label) Dice")
        }
        // Every structure is named, in the plots and the table headers.
        for name in ["liver <b>&amp; \"L\"</b>", "spleen", "label 3"] {
            #expect(headers.contains { $0["title"] == name }, "\(name)")
            #expect(page.all { $0.name == "text" }.contains { $0.children.first?.text == name }, "\(name)")
        }

        // The plots: every defined value of every metric is a dot titled `case: value`.
        for (metric, digits) in [("dice", 4), ("hd95", 2), ("nsd", 4)] {
            let title = ["dice": "Dice", "hd95": "HD95 (mm)", "nsd": "NSD"][metric]!
            let plot = try #require(page.first { $0.name == "svg" && $0["aria-label"] == "\(title) per structure" })
            for row in rows {
                let (name, label, value) = (row[column["case"]!], row[column["label"]!], row[column[metric]!])
                let group = try #require(plot.first { $0.name == "g" && $0["data-label"] == label })
                let dots = group.all { $0.name == "path" }.map { $0.children.first?.text ?? "" }
                let dot = dots.first { $0.hasPrefix(name + ": ") }
                if value.isEmpty {
                    #expect(dot == nil, "\(metric) \(name) \(label)")
                } else {
                    let shown = String(try #require(dot, "\(metric) \(name) \(label)").dropFirst(name.count + 2))
                    #expect(Self.matches(shown, value, digits: digits), "\(metric) \(name) \(label)")
                }
            }
        }

        // Structures worst first: Dice and NSD by rising median, HD95 by falling median.
        for (metric, title) in [("dice", "Dice"), ("hd95", "HD95 (mm)"), ("nsd", "NSD")] {
            let plot = try #require(page.first { $0.name == "svg" && $0["aria-label"] == "\(title) per structure" })
            let order = plot.all { $0.name == "g" }.compactMap { $0["data-label"] }
            let medians = order.map { label in
                Self.median(rows.filter { $0[column["label"]!] == label }.compactMap { Double($0[column[metric]!]) })
            }
            let defined = medians.compactMap { $0 }
            #expect(defined == (metric == "hd95" ? defined.sorted(by: >) : defined.sorted()), "\(metric) \(order)")
        }
        // The worst case overall (a tenth of five, rounded up) is the highlighted row: lowest mean Dice.
        var meanDice: [String: Double] = [:]
        for name in cases {
            let values = rows.filter { $0[column["case"]!] == name }.compactMap { Double($0[column["dice"]!]) }
            meanDice[name] = values.reduce(0, +) / Double(values.count)
        }
        let highlighted = table.all { $0.name == "tr" && $0["class"] == "worst" }.map {
            $0.all { $0.name == "td" }[0].text
        }
        #expect(highlighted == [meanDice.min { $0.value < $1.value }?.key ?? ""])

        // The statistics table holds aggregates.json's means.
        let aggregates = try cohort.json("results/aggregates.json")["labels"] as? [[String: Any]] ?? []
        let statistics = try #require(page.first { $0["id"] == "statistics-table" })
        let statisticRows = statistics.all { $0.name == "tr" }.dropFirst().map {
            $0.all { $0.name == "td" }.map(\.text)
        }
        for entry in aggregates {
            let label = String(describing: entry["label"]!)
            for (metric, values) in entry["metrics"] as? [String: [String: Any]] ?? [:] {
                let cells = try #require(statisticRows.first { $0[1] == label && $0[2] == metric })
                let mean = (values["mean"] as? NSNumber).map { "\($0.doubleValue)" } ?? ""
                #expect(Self.matches(cells[5], mean, digits: metric == "hd95" ? 2 : 4), "\(label) \(metric) mean")
            }
        }

        // The run: failed case with its reason, definitions.
        let failures = try #require(page.first { $0["id"] == "failures" })
        let failed = failures.all { $0.name == "tr" }.dropFirst().map { $0.all { $0.name == "td" }.map(\.text) }
        #expect(failed.count == 1)
        #expect(failed.first?[0] == "c1" && failed.first?[1] == "failed")
        #expect(failed.first?[2].contains("voxel grids differ") == true)
        let runSection = try #require(page.first { $0["id"] == "run" }).text
        for fact in ["ignore", "deepmind", "1.00 mm", "5 scored of 6, 1 failed", "segscore report"] {
            #expect(runSection.contains(fact), "\(fact)")
        }

        // The snapshot, embedded once, after the table that lists its case.
        let images = page.all { $0.name == "img" }
        #expect(images.count == 1)
        #expect(images.first?["src"] == "data:image/png;base64," + Self.png.base64EncodedString())
        let figures = page.all { $0.name == "figure" }
        #expect(figures.count == 1)
        #expect(figures.first?.text.hasPrefix("c3:") == true)
        let links = page.all { $0.name == "a" && $0["href"]?.hasPrefix("#snapshot-") == true }
        #expect(!links.isEmpty && links.allSatisfy { $0["href"] == "#" + (figures.first?["id"] ?? "") })

        // Hostile names stay text: one script element, the page's own.
        #expect(page.all { $0.name == "script" }.count == 1)
        try Self.expectSelfContained(text, page)
    }

    @Test func cohortReportWritesTheSamePageIntoTheOutputFolder() throws {
        let (cohort, output, run) = try Self.scoredCohort()
        #expect(run.status == 4)
        let text = try String(contentsOfFile: output + "/report.html", encoding: .utf8)
        let page = try Element.parse(text)
        let table = try #require(page.first { $0["id"] == "case-table" })
        #expect(table.all { $0.name == "tr" }.count == 1 + 5)
        #expect(page.all { $0.name == "img" }.isEmpty)  // no snapshots folder
        let command = try #require(page.first { $0.name == "code" }).text
        #expect(command.hasPrefix("segscore cohort --pred ") && command.hasSuffix("--report --quiet"))
        try Self.expectSelfContained(text, page)
        // A file of one's own, relative to the working directory.
        let named = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir", cohort.output("again"),
            "--report", cohort.output("named.html"), "--quiet",
        ])
        #expect(named.status == 4)
        #expect(FileManager.default.fileExists(atPath: cohort.output("named.html")))
        #expect(!FileManager.default.fileExists(atPath: cohort.output("again/report.html")))
    }

    @Test func cohortReportEmbedsTheSnapshotsOfTheSameRun() throws {
        let cohort = try TemporaryCohort()
        let output = cohort.output("drawn")
        let run = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir", output,
            "--snapshots", "2", "--report", "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let drawn = try FileManager.default.contentsOfDirectory(atPath: output + "/snapshots").sorted()
        #expect(drawn.count == 2)
        let page = try Element.parse(try String(contentsOfFile: output + "/report.html", encoding: .utf8))
        let sources = Set(page.all { $0.name == "img" }.compactMap { $0["src"] })
        let expected = try drawn.map { name in
            "data:image/png;base64,"
                + (try Data(contentsOf: URL(fileURLWithPath: output + "/snapshots/" + name))).base64EncodedString()
        }
        #expect(sources == Set(expected))
    }

    @Test func aBadResultsFolderIsOneLineAndExit3WithTheOldReportKept() throws {
        let (cohort, output, _) = try Self.scoredCohort()
        let page = cohort.output("page.html")
        try Data("old".utf8).write(to: URL(fileURLWithPath: page))
        func refused(_ expected: String, _ damage: () throws -> Void) throws {
            try FileManager.default.copyItem(atPath: output, toPath: cohort.output("damaged"))
            defer { try? FileManager.default.removeItem(atPath: cohort.output("damaged")) }
            try damage()
            let run = try Segscore.run(["report", cohort.output("damaged"), "--output", page])
            #expect(run.status == 3, "\(expected): \(run.stderr)")
            #expect(run.stderr.hasPrefix("segscore: error: ") && run.stderr.contains(expected), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(try String(contentsOfFile: page, encoding: .utf8) == "old")
        }
        let damaged = cohort.output("damaged")
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: damaged + "/" + name))
        }
        try refused("missing file") { try FileManager.default.removeItem(atPath: damaged + "/cases.csv") }
        try refused("not a segscore cohort.json") { try write("{}", "cohort.json") }
        try refused("malformed JSON") { try write("{\"labels\": [", "aggregates.json") }
        try refused("not a summary.json") { try write("[]", "summary.json") }
        try refused("quoted field is not closed") { try write("case,label\n\"c0,1\n", "cases.csv") }
        try refused("no column \"dice\"") { try write("case,label,name,fp,fn\nc0,1,,0,0\n", "cases.csv") }
        try refused("dice is not a number") {
            try write("case,label,name,fp,fn,dice\nc0,1,,0,0,high\n", "cases.csv")
        }
        try refused("not a PNG file") {
            try FileManager.default.createDirectory(atPath: damaged + "/snapshots", withIntermediateDirectories: true)
            try write("GIF89a", "snapshots/c0.png")
        }
        let missing = try Segscore.run(["report", cohort.output("nowhere")])
        #expect(missing.status == 3 && missing.stderr.contains("nowhere/cohort.json"))
    }

    @Test func bytesThatAreNotUTF8AndControlCharactersStayInsideTheirCell() throws {
        let (cohort, output, _) = try Self.scoredCohort()
        // A name column edited by another tool: Latin-1 bytes, an escape sequence, a NUL.
        let csv = try Data(contentsOf: URL(fileURLWithPath: output + "/cases.csv"))
        var edited = Data(
            String(decoding: csv, as: UTF8.self).replacingOccurrences(of: ",spleen,", with: ",SPLEEN,").utf8)
        let marker = Data("SPLEEN".utf8)
        while let range = edited.range(of: marker) {
            edited.replaceSubrange(range, with: [0x73, 0xE9, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x00, 0x3C])
        }
        try edited.write(to: URL(fileURLWithPath: output + "/cases.csv"))
        let run = try Segscore.run(["report", output, "--output", cohort.output("page.html"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let page = try Element.parse(try String(contentsOfFile: cohort.output("page.html"), encoding: .utf8))
        let headers = page.all { $0.name == "th" && $0["data-label"] == "2" }
        #expect(headers.first?["title"] == "s\u{FFFD}\\u{1B}[31m\\u{0}<")
    }

    /// No network or file reference of any kind: every `src` is a `data:` URL, every link a fragment, no style
    /// sheet or script from elsewhere.
    static func expectSelfContained(_ text: String, _ page: Element) throws {
        for needle in ["http:", "https:", "//", "<link", "@import", "url(", "<iframe", "<object", "<embed"] {
            #expect(!text.contains(needle), "\(needle)")
        }
        for element in page.all({ _ in true }) {
            if let source = element["src"] { #expect(source.hasPrefix("data:image/png;base64,")) }
            if let link = element["href"] { #expect(link.hasPrefix("#")) }
            #expect(element["style"] == nil && element["xmlns"] == nil)
        }
        // Each SVG on its own is a well-formed XML document (the whole page parsed as one already).
        var rest = text[...]
        var plots = 0
        while let start = rest.range(of: "<svg"),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            _ = try Element.parse(String(rest[start.lowerBound..<end.upperBound]))
            plots += 1
            rest = rest[end.upperBound...]
        }
        #expect(plots >= 1)
    }

    /// The median (numpy's), `nil` for no values.
    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Whether a cell shows `expected` (a `cases.csv` value, empty when undefined) to `digits` decimals.
    static func matches(_ cell: String, _ expected: String, digits: Int) -> Bool {
        guard let value = Double(expected) else { return expected.isEmpty && cell == "–" }
        guard let shown = Double(cell) else { return false }
        return abs(shown - value) <= 0.5 * pow(10, -Double(digits)) + 1e-9
    }
}

/// An XML element parsed by Foundation's `XMLParser`, which also proves the document well-formed.
final class Element {
    let name: String
    let attributes: [String: String]
    var children: [Element] = []
    /// Character data directly inside (an element named `#text`).
    var content = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    /// All character data inside, in document order.
    var text: String { name == "#text" ? content : children.map(\.text).joined() }

    /// Every element below (self included) that satisfies `predicate`, in document order.
    func all(_ predicate: (Element) -> Bool) -> [Element] {
        (predicate(self) ? [self] : []) + children.flatMap { $0.all(predicate) }
    }

    func first(_ predicate: (Element) -> Bool) -> Element? {
        if predicate(self) { return self }
        for child in children {
            if let found = child.first(predicate) { return found }
        }
        return nil
    }

    struct NotWellFormed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> Element {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        // Foundation on Linux may return `true` from `parse()` for a document that is not well-formed, with
        // `parserError` set.
        guard parser.parse(), parser.parserError == nil, builder.stack.isEmpty, let root = builder.root else {
            throw NotWellFormed(
                description: "\(parser.parserError.map { "\($0)" } ?? "no root") at line \(parser.lineNumber)")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            let element = Element(name: name, attributes: attributes)
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = stack.last?.children.last, last.name == "#text" {
                last.content += string
            } else {
                let text = Element(name: "#text", attributes: [:])
                text.content = string
                stack.last?.children.append(text)
            }
        }
    }
}

/// RFC 4180 rows, read independently of segscore's reader.
struct CSVRows {
    var header: [String] = []
    var rows: [[String]] = []

    init(_ text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append(characters.removeFirst())
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" {
                record.append(field)
                records.append(record)
                (record, field) = ([], "")
            } else {
                field.unicodeScalars.append(c)
            }
        }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }
}
