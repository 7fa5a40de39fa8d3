import Foundation
import NiftiIO
import TestSupport
import Testing

/// `segscore header` and `segscore compare` as a script sees them: stdout, stderr and exit status.
@Suite struct HeaderAndCompareEndToEndTests {
    static let headerKeys = [
        "path", "format", "byteOrder", "compressed", "dim", "datatype", "datatypeCode", "bitpix", "pixdim", "spacing",
        "voxOffset", "sclSlope", "sclInter", "qformCode", "sformCode", "affine", "intentCode", "description",
    ]

    /// The keys of a JSON object in document order (JSONSerialization forgets the order).
    static func topLevelKeys(_ json: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var lastString = ""
        for character in json {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                    lastString = current
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current = ""
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case ":": if depth == 1 { keys.append(lastString) }
            default: break
            }
        }
        return keys
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func headerJSONHasExactlyTheContractKeys() throws {
        let result = try SegscoreProcess.run(["header", "--json", "TestData/sample/ref.nii.gz"])
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(Self.topLevelKeys(result.stdout) == Self.headerKeys)
        let labelled = try SegscoreProcess.run(["header", "--json", "--labels", "TestData/sample/ref.nii.gz"])
        #expect(Self.topLevelKeys(labelled.stdout) == Self.headerKeys + ["labels"])
    }

    @Test func headerLabelsCountEveryValue() throws {
        let result = try SegscoreProcess.run(["header", "--json", "--labels", "TestData/sample/ref.nii.gz"])
        let labels = try #require(try Self.object(result.stdout)["labels"] as? [String: Int])
        let expected = try SampleExpectation.load()
        for (label, counts) in expected.labels {
            #expect(labels[label] == counts.tp + counts.fn, "label \(label)")
        }
        #expect(labels.values.reduce(0, +) == 64 * 64 * 40)
    }

    @Test func comparePrintsTheExpectedCountsAndScores() throws {
        let result = try SegscoreProcess.run([
            "compare", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz", "--format", "json",
            "--label-names", "TestData/sample/labels.csv",
        ])
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(
            Self.topLevelKeys(result.stdout) == ["pred", "ref", "shape", "spacing", "labels", "meanDice", "confusion"])
        let json = try Self.object(result.stdout)
        let labels = try #require(json["labels"] as? [[String: Any]])
        let expected = try SampleExpectation.load()
        #expect(labels.count == expected.labels.count)
        var diceSum = 0.0
        for entry in labels {
            let label = try #require(entry["label"] as? Int)
            let want = try #require(expected.labels[String(label)])
            #expect(entry["tp"] as? Int == want.tp && entry["fp"] as? Int == want.fp)
            #expect(entry["fn"] as? Int == want.fn && entry["tn"] as? Int == want.tn)
            let dice = try #require(entry["dice"] as? Double)
            #expect(abs(dice - want.dice) < 1e-12)
            #expect(entry["name"] as? String == want.name)
            diceSum += dice
        }
        let mean = try #require(json["meanDice"] as? Double)
        #expect(abs(mean - diceSum / Double(labels.count)) < 1e-12)
    }

    @Test func compareCSVHasOneRowPerLabel() throws {
        let result = try SegscoreProcess.run([
            "compare", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz", "--format", "csv", "--labels",
            "1,5,9",
        ])
        let lines = result.stdout.split(separator: "\n")
        #expect(
            lines.first
                == "label,name,tp,fp,fn,tn,predVoxels,refVoxels,predVolumeMl,refVolumeMl,dice,iou,precision,recall")
        #expect(lines.dropFirst().map { $0.prefix(while: { $0 != "," }) } == ["1", "5", "9"])
        // Label 9 is in neither image: reported, with empty Dice (null) under the default --ignore-empty.
        #expect(lines.last?.hasSuffix(",,,,") == true)
    }

    @Test func mirroredGridExitsFourUnlessIgnored() throws {
        let directory = TemporaryDirectory()
        var fixture = NiftiFixture(shape: [6, 5, 4], dataType: .uint8)
        let values = (0..<120).map { Int64($0 % 3) }
        try fixture.write(values, to: directory.file("ras.nii"))
        fixture.sform = [[-1, 0, 0, 5], [0, 1, 0, 0], [0, 0, 1, 0]]
        try fixture.write(values, to: directory.file("las.nii"))
        let refused = try SegscoreProcess.run(["compare", directory.file("las.nii"), directory.file("ras.nii")])
        #expect(refused.status == 4)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("segscore: error: voxel grids differ: affine[0][3] 5.0 vs 0.0"))
        #expect(refused.stderr.contains("prediction LAS from sform, reference RAS from sform"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let forced = try SegscoreProcess.run([
            "compare", "--ignore-geometry", "--format", "csv", directory.file("las.nii"), directory.file("ras.nii"),
        ])
        #expect(forced.status == 0)
    }

    @Test(arguments: [
        "malformed/empty.nii", "malformed/gzip-bad-crc.nii.gz", "malformed/gzip-cut-short.nii.gz",
        "malformed/magic-xyz.nii", "malformed/dims-32767-pow7.nii", "malformed/pair-img-missing.hdr",
        "malformed/plain-named.nii.gz", "malformed/data-short-100.nii", "malformed/datatype-complex64.nii",
    ])
    func badInputExitsThreeWithOneLine(file: String) throws {
        let result = try SegscoreProcess.run(["header", "--labels", "TestData/" + file])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("segscore: error: ") && result.stderr.hasSuffix(": TestData/\(file)\n"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// Every command that reads voxels takes `--slab-voxels`, and its output does not depend on it (one slice,
    /// an odd size, the whole volume).
    @Test(arguments: [
        ["header", "--json", "--labels", "TestData/sample/ref.nii.gz"],
        ["compare", "--format", "json", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz"],
        [
            "compare", "--format", "json", "--metrics", "hd,hd95,masd,assd,nsd", "--nsd-tolerance", "1.5",
            "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz",
        ],
        [
            "compare", "--format", "json", "--metrics", "hd95,nsd", "--nsd-tolerance", "1", "--distance-definition",
            "monai",
            "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz",
        ],
        [
            "monai", "hausdorff", "--pred", "TestData/sample/pred.nii.gz", "--ref", "TestData/sample/ref.nii.gz",
            "--num-classes", "6", "--percentile", "95",
        ],
        [
            "monai", "dice", "--pred", "TestData/sample/pred.nii.gz", "--ref", "TestData/sample/ref.nii.gz",
            "--num-classes", "6",
        ],
        [
            "monai", "dice-loss", "--pred", "TestData/sample/pred.nii.gz", "--ref", "TestData/sample/ref.nii.gz",
            "--to-onehot-y",
        ],
    ])
    func everyVoxelReaderHonoursTheSlabSize(command: [String]) throws {
        let standard = try SegscoreProcess.run(command)
        #expect(standard.status == 0)
        for voxels in ["1", "5000", "100000000"] {
            let result = try SegscoreProcess.run(command + ["--slab-voxels", voxels])
            #expect(result.status == 0 && result.stdout == standard.stdout, "--slab-voxels \(voxels)")
        }
        let refused = try SegscoreProcess.run(command + ["--slab-voxels", "0"])
        #expect(refused.status == 2)
    }

    /// Names with CR LF, commas and quotes come back exactly through `compare --format csv` (quoting decided on
    /// bytes: Swift reads "\r\n" as one Character).
    @Test func csvRoundTripsHostileNames() throws {
        let folder = TemporaryDirectory()
        let labels = folder.file("dataset.json")
        try #"{"labels": {"background": 0, "liver\r\nleft": 1, "spleen, \"big\"": 2}}"#
            .write(toFile: labels, atomically: true, encoding: .utf8)
        let result = try SegscoreProcess.run([
            "compare", "--format", "csv", "--label-names", labels, "TestData/sample/pred.nii.gz",
            "TestData/sample/ref.nii.gz",
        ])
        #expect(result.status == 0)
        let rows = Self.parseCSV(result.stdout)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        #expect(rows.first { $0.first == "1" }?[1] == "liver\r\nleft")
        #expect(rows.first { $0.first == "2" }?[1] == "spleen, \"big\"")
    }

    /// RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        cell.append(b)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: ",") {
                row.append(String(decoding: cell, as: UTF8.self))
                cell = []
            } else if b == 0x0A {
                row.append(String(decoding: cell, as: UTF8.self))
                rows.append(row)
                (row, cell) = ([], [])
            } else {
                cell.append(b)
            }
            i += 1
        }
        return rows
    }

    /// Tens of thousands of labels (random int16 maps) need memory linear in labels and non-zero cells: the
    /// sparse `confusion.cells` stands in for the dense matrix (57,000² cells would be 26 GB), so the debug
    /// binary finishes under a 2 GiB address-space limit.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func manyLabelsStayLinearInMemory() throws {
        let folder = TemporaryDirectory()
        var random = SplitMix64(seed: 65_536)
        let shape = [64, 64, 32]
        let count = shape.reduce(1, *)
        let paths = [folder.file("a.nii"), folder.file("b.nii")]
        for path in paths {
            let values = (0..<count).map { _ in Int64(Int16(truncatingIfNeeded: random.next())) }
            try NiftiFixture(shape: shape, dataType: .int16).write(values, to: path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments =
            ["--as=2147483648", "--", SegscoreProcess.executable, "compare", "--format", "json"] + paths
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let document = try Self.object(String(decoding: data, as: UTF8.self))
        let confusion = try #require(document["confusion"] as? [String: Any])
        #expect(confusion["counts"] == nil)
        let cells = try #require(confusion["cells"] as? [[Int]])
        #expect(cells.reduce(0) { $0 + $1[2] } == count)
        #expect((confusion["labels"] as? [Int])?.count ?? 0 > 50_000)
    }

    /// A CT passed as the prediction still scores (exit 0), with warnings on stderr naming the file.
    @Test func anIntensityImageAsPredictionIsWarnedAbout() throws {
        let folder = TemporaryDirectory()
        let ct = folder.file("ct.nii")
        let zeros = folder.file("zeros.nii")
        try NiftiFixture(shape: [20, 20, 3], dataType: .int16).write((0..<1200).map { Int64($0) - 100 }, to: ct)
        try NiftiFixture(shape: [20, 20, 3], dataType: .int16).write([Int64](repeating: 0, count: 1200), to: zeros)
        let result = try SegscoreProcess.run(["compare", "--format", "json", ct, zeros])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines.first
                == "segscore: warning: the prediction has 1200 distinct labels — is it an intensity image?: \(ct)")
        #expect(lines.last == "segscore: warning: the prediction has 100 negative label values (lowest -100): \(ct)")
    }

    /// `header` reads the header alone (a damaged gzip body still shows its header); `--verify` reads it all.
    @Test func headerReadsOnlyTheHeaderUnlessAskedToVerify() throws {
        let file = "TestData/malformed/gzip-bad-crc.nii.gz"
        let quick = try SegscoreProcess.run(["header", file])
        #expect(quick.status == 0)
        let verified = try SegscoreProcess.run(["header", "--verify", file])
        #expect(verified.status == 3)
        #expect(verified.stderr.contains("corrupt gzip stream") && verified.stderr.hasSuffix(": \(file)\n"))
    }

    @Test func softProbabilityMapIsRefusedWithAHint() throws {
        let result = try SegscoreProcess.run(["compare", "TestData/float32-soft.nii", "TestData/float32-soft.nii"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("non-integral values") && result.stderr.contains("thresholded"))
    }

    /// Usage errors are one line, `segscore: error: … (see --help)`, and a negative number reaches the option's
    /// own check instead of being read as a missing value.
    @Test(arguments: [
        ["compare", "a.nii"], ["compare", "--labels", "1,x", "a", "b"], ["header", "--bogus", "f"],
        ["compare", "--format", "xml", "a", "b"], ["compare", "--slab-voxels", "0", "a", "b"],
        ["header", "--slab-voxels", "-5", "f"],
        ["cohort", "--pred", "p", "--ref", "r", "--output-dir", "o", "--jobs", "-1"],
        ["gate", "a", "b", "--tolerance", "-1"], ["compare", "--geometry-tolerance", "-1", "a", "b"],
    ])
    func badOptionsExitTwo(arguments: [String]) throws {
        let result = try SegscoreProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("segscore: error: ") && result.stderr.hasSuffix(" (see --help)\n"))
        #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("Missing value"))
    }

    @Test func outputFileIsWrittenWholeOrNotAtAll() throws {
        let directory = TemporaryDirectory()
        let target = directory.file("result.json")
        let ok = try SegscoreProcess.run([
            "compare", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz", "--format", "json", "--output",
            target,
        ])
        #expect(ok.status == 0 && ok.stdout.isEmpty)
        #expect(try Self.object(String(contentsOfFile: target, encoding: .utf8))["meanDice"] is Double)

        // Same grid, but the reference's gzip stream stops halfway: found only while streaming.
        let fixture = NiftiFixture(shape: [16, 16, 16], dataType: .uint8)
        let values = (0..<4096).map { Int64($0 / 1000) }
        try fixture.write(values, to: directory.file("p.nii"))
        try fixture.write(values, to: directory.file("r.nii.gz"), gzip: true)
        let whole = try Data(contentsOf: URL(fileURLWithPath: directory.file("r.nii.gz")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: directory.file("r.nii.gz")))
        let failed = try SegscoreProcess.run([
            "compare", directory.file("p.nii"), directory.file("r.nii.gz"), "--output", directory.file("never.json"),
        ])
        #expect(failed.status == 3)
        #expect(failed.stderr.hasPrefix("segscore: error: truncated gzip stream"))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["p.nii", "r.nii.gz", "result.json"])
    }
}

/// The sample pair's per-label values in `TestData/expected.json`, computed with numpy by make-testdata.py.
struct SampleExpectation: Decodable {
    struct Counts: Decodable {
        let tp: Int
        let fp: Int
        let fn: Int
        let tn: Int
        let dice: Double
        let name: String
    }

    let labels: [String: Counts]

    static func load() throws -> SampleExpectation {
        struct Document: Decodable { let sample: SampleExpectation }
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.testData("expected.json")))
        return try JSONDecoder().decode(Document.self, from: data).sample
    }
}
