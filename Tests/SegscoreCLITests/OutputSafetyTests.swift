import Foundation
import NiftiIO
import TestSupport
import Testing

/// `--output` never replaces what is not a regular file, never overwrites an input, and every result write is
/// checked (issue 10, items 1, 2 and 15). Device nodes are never touched: FIFOs and links live in a temporary
/// folder, and `/dev/full` is only written to.
@Suite struct OutputSafetyTests {
    /// A pair of 4³ label maps and a label-name file in a temporary folder.
    final class Pair {
        let folder = TemporaryDirectory()
        var prediction: String { folder.file("pred.nii") }
        var reference: String { folder.file("ref.nii") }
        var names: String { folder.file("names.csv") }

        init() throws {
            let fixture = NiftiFixture(shape: [4, 4, 4], dataType: .uint8)
            try fixture.write((0..<64).map { Int64($0 % 3) }, to: prediction)
            try fixture.write((0..<64).map { Int64($0 % 4 == 0 ? 0 : $0 % 3) }, to: reference)
            try "1,liver\n2,spleen\n".write(toFile: names, atomically: true, encoding: .utf8)
        }

        func compare(_ extra: [String]) -> [String] {
            ["compare", prediction, reference, "--format", "csv"] + extra
        }
    }

    @Test func aFIFOIsWrittenThroughAndStaysAFIFO() throws {
        let pair = try Pair()
        let fifo = pair.folder.file("out.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading waits for the writer, so the reader runs beside segscore.
        let received = ThreadResult<Data>()
        Thread.detachNewThread {
            received.set(FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data())
        }
        let run = try SegscoreProcess.run(pair.compare(["--output", fifo]))
        // Had segscore never opened the FIFO, the reader would wait forever: a writer that comes and goes ends it.
        let unblock = open(fifo, O_WRONLY | O_NONBLOCK)
        if unblock >= 0 { close(unblock) }
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try SegscoreProcess.run(pair.compare([]))
        #expect(String(decoding: received.wait(), as: UTF8.self) == expected.stdout)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func aSymbolicLinkKeepsPointingAtItsReplacedTarget() throws {
        let pair = try Pair()
        let target = pair.folder.file("target.csv")
        let link = pair.folder.file("link.csv")
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.csv")
        let run = try SegscoreProcess.run(pair.compare(["--output", link]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.csv")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == SegscoreProcess.run(pair.compare([])).stdout)

        let dangling = pair.folder.file("dangling.csv")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "missing/none.csv")
        let refused = try SegscoreProcess.run(pair.compare(["--output", dangling]))
        #expect(refused.status == 3)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "missing/none.csv")
    }

    @Test func anOutputThatIsAnInputIsRefusedWithExit2() throws {
        let pair = try Pair()
        let alias = pair.folder.file("alias.nii")
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: pair.reference)
        let before = try [pair.prediction, pair.reference, pair.names].map { try Data(contentsOf: URL(filePath: $0)) }
        for output in [pair.prediction, alias, pair.names] {
            let run = try SegscoreProcess.run(pair.compare(["--label-names", pair.names, "--output", output]))
            #expect(run.status == 2, "\(output): \(run.stderr)")
            #expect(run.stderr.hasPrefix("segscore: error: --output would overwrite the input"))
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        let after = try [pair.prediction, pair.reference, pair.names].map { try Data(contentsOf: URL(filePath: $0)) }
        #expect(after == before)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func resultsThatCannotBeWrittenAreExit3() throws {
        let pair = try Pair()
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let run = try ChildProcess.run(pair.compare(["--format", "json"]), stdout: full)
        #expect(run.status == 3)
        #expect(run.stderr.hasPrefix("segscore: error: cannot write the results (No space left on device)"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    /// `cohort … 2>&1 | head -1`: the reader goes away; the run still scores every case and writes every file.
    @Test func aClosedPipeStillGivesEveryResultFile() throws {
        let pair = try Pair()
        let predictions = pair.folder.file("p")
        let references = pair.folder.file("r")
        for folder in [predictions, references] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for i in 0..<6 {
            try FileManager.default.copyItem(atPath: pair.prediction, toPath: "\(predictions)/c\(i).nii")
            try FileManager.default.copyItem(atPath: pair.reference, toPath: "\(references)/c\(i).nii")
        }
        let output = pair.folder.file("out")
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let run = try ChildProcess.run(
            ["cohort", "--pred", predictions, "--ref", references, "--output-dir", output, "--jobs", "1"],
            stdout: pipe.fileHandleForWriting, stderr: pipe.fileHandleForWriting)
        // The Dice table could not be printed (exit 3), but it was not a signal and every file is there.
        #expect(run.status == 3)
        #expect(run.reason == .exit)
        for file in ["summary.json", "cases.csv", "aggregates.json", "cohort.json", "cases/c5.json"] {
            #expect(FileManager.default.fileExists(atPath: output + "/" + file), "\(file)")
        }
    }
}

/// A value handed over from another thread.
final class ThreadResult<Value: Sendable>: @unchecked Sendable {  // the condition guards `value`
    private let condition = NSCondition()
    private var value: Value?

    func set(_ newValue: Value) {
        condition.lock()
        value = newValue
        condition.signal()
        condition.unlock()
    }

    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value { return value }
            condition.wait()
        }
    }
}

/// `segscore` with its standard streams connected to given files (a full device, a closed pipe).
enum ChildProcess {
    struct Result {
        let status: Int32
        let reason: Process.TerminationReason
        let stderr: String
    }

    /// Runs `segscore arguments…`; standard error is captured unless `stderr` is given.
    static func run(_ arguments: [String], stdout: FileHandle, stderr: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SegscoreProcess.executable)
        process.arguments = arguments
        process.standardOutput = stdout
        let errors = Pipe()
        process.standardError = stderr ?? errors
        try process.run()
        try errors.fileHandleForWriting.close()
        let text = stderr == nil ? errors.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, reason: process.terminationReason,
            stderr: String(decoding: text, as: UTF8.self))
    }
}
