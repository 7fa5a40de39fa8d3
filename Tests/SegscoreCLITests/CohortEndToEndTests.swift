import Foundation
import Synchronization
import TestSupport
import Testing

/// `segscore cohort`, `gate` and `merge` run as a user runs them, on a small cohort of generated label maps.
///
/// Expected scores are computed here from the generated voxels, by the definitions, without segscore code.
@Suite struct CohortEndToEndTests {
    /// Grid of every generated volume: 6 × 5 × 4 voxels.
    static let shape = (x: 6, y: 5, z: 4)
    static var voxelCount: Int { shape.x * shape.y * shape.z }

    /// Five cases (prediction, reference) covering the empty rules:
    /// c0 ordinary overlap; c1 predicts label 2, absent from its reference (Dice null); c2 is the only case with
    /// label 3, so the others lack it in both images (null, TN = all voxels); c3 misses label 1 entirely
    /// (Dice 0); c4 is random noise.
    static func cases() -> [(name: String, prediction: [UInt8], reference: [UInt8])] {
        var random = SplitMix64(seed: 7)
        let n = voxelCount
        let blob = (0..<n).map { UInt8($0 % 6 < 3 ? 1 : ($0 / 30) % 2 == 0 ? 2 : 0) }
        var c0 = blob
        for i in stride(from: 0, to: n, by: 7) { c0[i] = c0[i] == 1 ? 2 : 1 }
        var c1Reference = blob.map { $0 == 2 ? 0 : $0 }
        c1Reference[0] = 1
        var c2Reference = blob
        for i in 40..<52 { c2Reference[i] = 3 }
        var c2Prediction = blob
        for i in 44..<58 { c2Prediction[i] = 3 }
        let c3Prediction = blob.map { $0 == 1 ? 0 : $0 }
        let c4Reference = (0..<n).map { _ in UInt8(random.next() % 3) }
        let c4Prediction = c4Reference.map { random.next() % 4 == 0 ? UInt8(random.next() % 3) : $0 }
        return [
            ("c0", c0, blob), ("c1", blob, c1Reference), ("c2", c2Prediction, c2Reference), ("c3", c3Prediction, blob),
            ("c4", c4Prediction, c4Reference),
        ]
    }

    @Test func summaryMatchesScoresComputedFromTheVoxels() throws {
        let cohort = try TemporaryCohort()
        let run = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
            "--output-dir", cohort.output("all"), "--jobs", "2", "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try cohort.json("all/summary.json")
        let perCase = try #require(summary["metric_per_case"] as? [[String: Any]])
        let cases = Self.cases()
        #expect(perCase.count == cases.count)
        let labels = Set(cases.flatMap { $0.prediction + $0.reference }).subtracting([0]).sorted()
        var diceByLabel: [UInt8: [Double?]] = [:]
        for (entry, item) in zip(perCase, cases) {
            #expect((entry["reference_file"] as? String)?.hasSuffix("/\(item.name).nii") == true)
            let metrics = try #require(entry["metrics"] as? [String: [String: Any]])
            #expect(Set(metrics.keys) == Set(labels.map { String($0) }))
            for label in labels {
                let expected = Expected(label: label, prediction: item.prediction, reference: item.reference)
                let actual = try #require(metrics[String(label)])
                let context = "\(item.name) label \(label)"
                #expect(actual["TP"] as? Int == expected.tp, "\(context)")
                #expect(actual["FP"] as? Int == expected.fp, "\(context)")
                #expect(actual["FN"] as? Int == expected.fn, "\(context)")
                #expect(actual["TN"] as? Int == expected.tn, "\(context)")
                #expect(actual["n_pred"] as? Int == expected.tp + expected.fp, "\(context)")
                #expect(actual["n_ref"] as? Int == expected.tp + expected.fn, "\(context)")
                #expect(Self.matches(actual["Dice"], expected.dice), "\(context): Dice \(actual["Dice"] ?? "absent")")
                #expect(Self.matches(actual["IoU"], expected.iou), "\(context): IoU")
                diceByLabel[label, default: []].append(expected.dice)
            }
        }
        // The empty rules are exercised: c1 label 2 and c0 label 3 are null, c3 label 1 is 0.
        #expect(Expected(label: 2, prediction: cases[1].prediction, reference: cases[1].reference).dice == nil)
        #expect(Expected(label: 3, prediction: cases[0].prediction, reference: cases[0].reference).dice == nil)
        #expect(Expected(label: 1, prediction: cases[3].prediction, reference: cases[3].reference).dice == 0)

        let means = try #require(summary["mean"] as? [String: [String: Any]])
        var labelMeans: [Double] = []
        for label in labels {
            let defined = diceByLabel[label]!.compactMap { $0 }
            let mean = defined.reduce(0, +) / Double(defined.count)
            labelMeans.append(mean)
            #expect(Self.matches(means[String(label)]?["Dice"], mean), "mean Dice of label \(label)")
        }
        let foreground = try #require(summary["foreground_mean"] as? [String: Any])
        #expect(Self.matches(foreground["Dice"], labelMeans.reduce(0, +) / Double(labelMeans.count)))
    }

    @Test func threeMergedShardsEqualOneRunByteForByte() throws {
        let cohort = try TemporaryCohort()
        let common = ["--pred", cohort.predictions, "--ref", cohort.references, "--quiet"]
        let whole = try Segscore.run(["cohort", "--output-dir", cohort.output("whole")] + common)
        #expect(whole.status == 0, "\(whole.stderr)")
        for k in 1...3 {
            let shard = try Segscore.run(
                ["cohort", "--output-dir", cohort.output("shard\(k)"), "--shard", "\(k)/3", "--jobs", "1"] + common)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let shardCases = try (1...3).map { try cohort.files(in: "shard\($0)/cases").count }
        #expect(shardCases == [2, 2, 1])
        let merge = try Segscore.run(
            [
                "merge", cohort.output("shard1"), cohort.output("shard2"), cohort.output("shard3"),
                "--output-dir", cohort.output("merged"),
            ])
        #expect(merge.status == 0, "\(merge.stderr)")
        let expected = try cohort.files(in: "whole")
        #expect(try cohort.files(in: "merged") == expected)
        #expect(expected.keys.contains("summary.json") && expected.keys.contains("cases/c4.json"))

        let incomplete = try Segscore.run(
            ["merge", cohort.output("shard1"), cohort.output("shard3"), "--output-dir", cohort.output("bad")])
        #expect(incomplete.status == 3)
        #expect(incomplete.stderr.contains("c1"))
    }

    @Test func gateFailsOnADegradedPredictionAndPassesOnIdenticalSummaries() throws {
        let cohort = try TemporaryCohort()
        let baselineRun = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
            "--output-dir", cohort.output("baseline"), "--quiet",
        ])
        #expect(baselineRun.status == 0)
        let baseline = cohort.output("baseline/summary.json")
        let same = try Segscore.run(["gate", baseline, cohort.output("baseline")])
        #expect(same.status == 0, "\(same.stdout)")
        #expect(same.stdout.contains("gate passed"))

        // c0 loses half of label 1.
        let degraded = try cohort.copyPredictions(to: "degraded") { name, voxels in
            guard name == "c0" else { return voxels }
            return voxels.enumerated().map { $0.offset % 2 == 0 && $0.element == 1 ? 0 : $0.element }
        }
        let gated = try Segscore.run([
            "cohort", "--pred", degraded, "--ref", cohort.references,
            "--output-dir", cohort.output("current"), "--quiet",
            "--baseline", baseline, "--tolerance", "0.01",
        ])
        #expect(gated.status == 1, "\(gated.stderr)")
        let regression = gated.stdout.split(separator: "\n").first { $0.hasPrefix("dropped") }
        #expect(regression?.split(separator: " ").prefix(3) == ["dropped", "c0", "1"], "\(gated.stdout)")
        let separate = try Segscore.run(["gate", baseline, cohort.output("current/summary.json")])
        #expect(separate.status == 1)
        #expect(gated.stdout.hasSuffix(separate.stdout))  // cohort prints its Dice table first
        let lenient = try Segscore.run(["gate", baseline, cohort.output("current"), "--tolerance", "1"])
        #expect(lenient.status == 0)
    }

    /// Eight workers write case files at once; each file must get the mode the umask gives, which a worker
    /// reading the umask by setting it (as `umask(0)` then back) could have left at 0 for the others.
    @Test func eightWorkersWriteEveryFileWithTheUmasksMode() throws {
        let cohort = try TemporaryCohort()
        let blob = CohortEndToEndTests.cases()[0]
        for i in 0..<40 {
            try NiftiWriter.write(blob.prediction, shape: Self.shape, to: "\(cohort.predictions)/extra\(i).nii")
            try NiftiWriter.write(blob.reference, shape: Self.shape, to: "\(cohort.references)/extra\(i).nii")
        }
        let run = try Segscore.run(
            [
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
                "--output-dir", cohort.output("masked"), "--jobs", "8", "--quiet",
            ], umask: "077")
        #expect(run.status == 0, "\(run.stderr)")
        let files = try cohort.files(in: "masked")
        #expect(files.count == 5 + 45)
        for path in files.keys {
            let attributes = try FileManager.default.attributesOfItem(atPath: cohort.output("masked/" + path))
            #expect(attributes[.posixPermissions] as? Int == 0o600, "\(path)")
        }
    }

    @Test func resumeReusesOnlyCasesNewerThanTheirInputs() throws {
        let cohort = try TemporaryCohort()
        try cohort.backdateInputs()
        let arguments = [
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
            "--output-dir", cohort.output("out"), "--quiet",
        ]
        #expect(try Segscore.run(arguments).status == 0)
        let before = try cohort.files(in: "out")
        let written = try cohort.modificationDates(in: "out/cases")
        // c2's prediction changes (to c2's reference, so its scores change too).
        try cohort.copyPredictions(to: nil) { name, voxels in
            name == "c2" ? Self.cases()[2].reference : voxels
        }
        let resumed = try Segscore.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let rewritten = try cohort.modificationDates(in: "out/cases").filter { written[$0.key] != $0.value }
        #expect(rewritten.keys.sorted() == ["c2.json"])
        let after = try cohort.files(in: "out")
        #expect(after["summary.json"] != before["summary.json"])
        #expect(
            after.filter { $0.key != "cases/c2.json" && $0.key.hasPrefix("cases/") }
                == before.filter { $0.key != "cases/c2.json" && $0.key.hasPrefix("cases/") })
        // The resumed result is the one a fresh run gives.
        #expect(
            try Segscore.run([
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
                "--output-dir", cohort.output("fresh"), "--quiet",
            ]).status == 0)
        #expect(try cohort.files(in: "fresh") == after)
    }

    @Test func failedCasesAreReportedWhileTheOthersAreScored() throws {
        let cohort = try TemporaryCohort()
        try NiftiWriter.write(
            [UInt8](repeating: 1, count: 24), shape: (2, 3, 4), to: cohort.predictions + "/c1.nii")
        let geometry = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
            "--output-dir", cohort.output("geometry"), "--quiet",
        ])
        #expect(geometry.status == 4, "\(geometry.stderr)")
        #expect(geometry.stderr.contains("case c1 failed: voxel grids differ"))
        let scored = try #require(try cohort.json("geometry/summary.json")["metric_per_case"] as? [Any])
        #expect(scored.count == 4)
        let failed = try #require(try cohort.json("geometry/cohort.json")["failed"] as? [[String: Any]])
        #expect(failed.map { $0["case"] as? String } == ["c1"])

        try Data("not a NIfTI file".utf8).write(to: URL(fileURLWithPath: cohort.predictions + "/c3.nii"))
        let input = try Segscore.run([
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references,
            "--output-dir", cohort.output("input"), "--quiet",
        ])
        #expect(input.status == 3, "\(input.stderr)")
        #expect(input.stderr.contains("case c3 failed"))
    }

    @Test func referencesWithoutPredictionsAreAnErrorUnlessSkippedOrScoredAsMisses() throws {
        let cohort = try TemporaryCohort()
        try FileManager.default.removeItem(atPath: cohort.predictions + "/c0.nii")
        try NiftiWriter.write(Self.cases()[0].prediction, shape: Self.shape, to: cohort.predictions + "/stray.nii")
        let base = ["cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--quiet"]
        let refused = try Segscore.run(base + ["--output-dir", cohort.output("error")])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("without a prediction") && refused.stderr.contains("c0"))
        #expect(refused.stderr.contains("warning") && refused.stderr.contains("stray"))

        #expect(try Segscore.run(base + ["--output-dir", cohort.output("skip"), "--missing", "skip"]).status == 0)
        #expect((try cohort.json("skip/summary.json")["metric_per_case"] as? [Any])?.count == 4)

        #expect(try Segscore.run(base + ["--output-dir", cohort.output("worst"), "--missing", "worst"]).status == 0)
        let worst = try #require(try cohort.json("worst/summary.json")["metric_per_case"] as? [[String: Any]])
        let c0 = try #require(worst.first { ($0["reference_file"] as? String)?.hasSuffix("/c0.nii") == true })
        let label1 = try #require((c0["metrics"] as? [String: [String: Any]])?["1"])
        let reference = Self.cases()[0].reference
        #expect(label1["Dice"] as? Double == 0)
        #expect(label1["TP"] as? Int == 0 && label1["FP"] as? Int == 0)
        #expect(label1["FN"] as? Int == reference.filter { $0 == 1 }.count)
    }

    // MARK: - Oracle

    /// Counts and scores of one label by the definitions; Dice and IoU `nil` when the reference lacks the label.
    struct Expected {
        var tp = 0, fp = 0, fn = 0, tn = 0

        init(label: UInt8, prediction: [UInt8], reference: [UInt8]) {
            for (p, r) in zip(prediction, reference) {
                switch (p == label, r == label) {
                case (true, true): tp += 1
                case (true, false): fp += 1
                case (false, true): fn += 1
                case (false, false): tn += 1
                }
            }
        }

        var dice: Double? { tp + fn == 0 ? nil : 2 * Double(tp) / Double(2 * tp + fp + fn) }
        var iou: Double? { tp + fn == 0 ? nil : Double(tp) / Double(tp + fp + fn) }
    }

    static func matches(_ json: Any?, _ expected: Double?) -> Bool {
        guard let expected else { return json is NSNull }
        guard let number = json as? NSNumber else { return false }
        return abs(number.doubleValue - expected) <= 1e-12
    }
}

/// A temporary folder with `pred/` and `ref/` holding generated cases (by default
/// ``CohortEndToEndTests/cases()``) as uncompressed NIfTI-1 files.
struct TemporaryCohort {
    typealias Case = (name: String, prediction: [UInt8], reference: [UInt8])

    let root: String
    let cases: [Case]
    let shape: (x: Int, y: Int, z: Int)
    var predictions: String { root + "/pred" }
    var references: String { root + "/ref" }

    init(cases: [Case] = CohortEndToEndTests.cases(), shape: (x: Int, y: Int, z: Int) = CohortEndToEndTests.shape)
        throws
    {
        root = NSTemporaryDirectory() + "segscore-cohort-" + UUID().uuidString
        self.cases = cases
        self.shape = shape
        for folder in [predictions, references] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for item in cases {
            try NiftiWriter.write(item.prediction, shape: shape, to: "\(predictions)/\(item.name).nii")
            try NiftiWriter.write(item.reference, shape: shape, to: "\(references)/\(item.name).nii")
        }
    }

    func output(_ name: String) -> String { root + "/" + name }

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: output(path)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every file under `folder`, by relative path, with its bytes.
    func files(in folder: String) throws -> [String: Data] {
        let base = output(folder)
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: base) {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: base + "/" + path))
            }
        }
        return files
    }

    func modificationDates(in folder: String) throws -> [String: Date] {
        var dates: [String: Date] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: output(folder)) {
            dates[name] =
                try FileManager.default.attributesOfItem(atPath: output(folder) + "/" + name)[.modificationDate]
                as? Date
        }
        return dates
    }

    /// Scores every case into `whole`, then as two shards merged into `merged`, then resumes `whole`: the merged
    /// and the resumed results must hold exactly the fresh run's bytes, and the resume must re-score no case.
    /// - Parameter options: `cohort`'s options besides the folders (`--pred`, `--ref`, `--quiet`, `--jobs 2` added).
    /// - Returns: the fresh run's files.
    func expectMergeAndResumeKeepEveryByte(_ options: [String]) throws -> [String: Data] {
        try backdateInputs()
        let common = ["--pred", predictions, "--ref", references, "--quiet", "--jobs", "2"] + options
        let whole = ["cohort", "--output-dir", output("whole")] + common
        #expect(try Segscore.run(whole).status == 0)
        for k in 1...2 {
            let shard = try Segscore.run(
                ["cohort", "--output-dir", output("shard\(k)"), "--shard", "\(k)/2"] + common)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merge = try Segscore.run(
            ["merge", output("shard1"), output("shard2"), "--output-dir", output("merged")])
        #expect(merge.status == 0, "\(merge.stderr)")
        let expected = try files(in: "whole")
        #expect(try files(in: "merged") == expected)
        let written = try modificationDates(in: "whole/cases")
        let resumed = try Segscore.run(whole + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try modificationDates(in: "whole/cases") == written)
        #expect(try files(in: "whole") == expected)
        return expected
    }

    /// Expects `rows` (a `cases.csv`) to have `compare --format csv OPTIONS`'s header after `case`, and every row
    /// `compare` prints for case `name`'s pair, prefixed with the name.
    func expectRows(_ rows: [String], holdCompareOf name: String, options: [String]) throws {
        let pair = ["\(predictions)/\(name).nii", "\(references)/\(name).nii"]
        let lines = try Segscore.run(["compare"] + pair + ["--format", "csv"] + options).stdout.split(separator: "\n")
        #expect(rows.first == "case," + (lines.first ?? ""))
        for line in lines.dropFirst() {
            #expect(rows.contains("\(name),\(line)"), "\(name): \(line)")
        }
    }

    /// Sets every input's modification time an hour back, so results written now are clearly newer.
    func backdateInputs() throws {
        for folder in [predictions, references] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: folder + "/" + name)
            }
        }
    }

    /// Writes the predictions, changed by `transform`, into a new folder `name` (or over the originals for `nil`).
    @discardableResult
    func copyPredictions(to name: String?, _ transform: (String, [UInt8]) -> [UInt8]) throws -> String {
        let folder = name.map(output) ?? predictions
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for item in cases {
            let voxels = transform(item.name, item.prediction)
            if name != nil || voxels != item.prediction {
                try NiftiWriter.write(voxels, shape: shape, to: "\(folder)/\(item.name).nii")
            }
        }
        return folder
    }
}

/// Writes uint8 NIfTI-1 files: a 348-byte header, a 4-byte empty extender, then the voxels (vox_offset 352).
enum NiftiWriter {
    static func write(_ voxels: [UInt8], shape: (x: Int, y: Int, z: Int), to path: String) throws {
        precondition(voxels.count == shape.x * shape.y * shape.z)
        var header = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { header.replaceSubrange(offset..<offset + $0.count, with: $0) }
        }
        func put(_ value: Float, at offset: Int) { put(value.bitPattern, at: offset) }
        put(Int32(348), at: 0)  // sizeof_hdr
        for (i, d) in [3, shape.x, shape.y, shape.z, 1, 1, 1, 1].enumerated() { put(Int16(d), at: 40 + 2 * i) }
        put(Int16(2), at: 70)  // datatype: DT_UNSIGNED_CHAR
        put(Int16(8), at: 72)  // bitpix
        for (i, p) in [Float(1), 1, 1, 1, 0, 0, 0, 0].enumerated() { put(p, at: 76 + 4 * i) }  // pixdim
        put(Float(352), at: 108)  // vox_offset
        put(Float(1), at: 112)  // scl_slope
        put(UInt8(2), at: 123)  // xyzt_units: mm
        put(Int16(1), at: 254)  // sform_code: scanner
        for (row, offset) in [280, 296, 312].enumerated() {
            for column in 0..<4 { put(Float(row == column ? 1 : 0), at: offset + 4 * column) }
        }
        header.replaceSubrange(344..<348, with: Array("n+1\0".utf8))
        try Data(header + voxels).write(to: URL(fileURLWithPath: path))
    }
}

/// The built `segscore` executable, run as a child process.
enum Segscore {
    /// `segscore` in the build folder of the running tests (`<scratch>/debug/`, where the test runner
    /// `segscorePackageTests.xctest` lives), whatever `--scratch-path` was used.
    static let executable: String = {
        let runner =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("segscore").path
    }()

    /// Runs `segscore arguments…`; with `umask`, through `/bin/sh` after setting it (octal digits).
    static func run(
        _ arguments: [String], umask: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MissingExecutable(path: executable)
        }
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask); exec \"$0\" \"$@\"", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes before waiting, so a full pipe cannot block the child.
        let errorData = Mutex(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData.withLock { $0 }, as: UTF8.self)
        )
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "segscore executable not found at \(path): build it (`swift build`) with the same scratch path as the tests"
        }
    }
}
