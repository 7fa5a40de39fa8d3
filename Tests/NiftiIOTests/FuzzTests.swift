import Foundation
import NiftiIO
import TestSupport
import Testing

/// Thousands of deterministic mutations of valid files: every one must end in a header or a ``NiftiError``,
/// never a trap or a hang, and accepted files must really hold the data their header promises.
///
/// Files stay a few hundred bytes, so a mutated `dim` that claims terabytes must be refused from the header
/// and file size alone; reading never allocates by what a header claims.
@Suite(.timeLimit(.minutes(2)))
struct FuzzTests {
    /// Little-endian NIfTI-1 and NIfTI-2 bases (int16, 6×5×4) and a gzip one.
    static let nifti1 = "dtype-int16-le.nii"
    static let nifti2 = "nifti2-int16-le.nii"
    static let gzip = "gzip-single.nii.gz"

    @Test func truncatedHeadersAndDataAreRefusedAtEveryLength() throws {
        let fuzzer = try Fuzzer()
        for base in [Self.nifti1, Self.nifti2] {
            let bytes = try Fuzzer.fixture(base)
            for length in 0...600 where length < bytes.count {
                let outcome = fuzzer.run(Array(bytes[..<length]), name: "cut.nii")
                #expect(!outcome.accepted, "\(base) cut at \(length) was accepted")
            }
            #expect(fuzzer.run(bytes, name: "whole.nii").accepted)
        }
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5))")
    }

    @Test func storedGzipOfAValidFileIsAccepted() throws {
        let fuzzer = try Fuzzer()
        #expect(fuzzer.run(StoredGzip.wrap(try Fuzzer.fixture(Self.nifti2)), name: "stored.nii.gz").accepted)
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures)")
    }

    @Test func truncatedGzipStreamsAreRefusedAtEveryLength() throws {
        let fuzzer = try Fuzzer()
        let bytes = try Fuzzer.fixture(Self.gzip)
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 600)) {
            #expect(!fuzzer.run(Array(bytes[..<length]), name: "cut.nii.gz").accepted, "cut at \(length)")
        }
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5))")
    }

    @Test func randomByteChangesGiveAHeaderOrATypedError() throws {
        let fuzzer = try Fuzzer()
        var random = SplitMix64(seed: 0x5E65_C0DE)
        var accepted = 0
        for round in 0..<1200 {
            let base = round % 3 == 0 ? Self.nifti2 : Self.nifti1
            var bytes = try Fuzzer.fixture(base)
            let headerEnd = base == Self.nifti2 ? 544 : 352
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<headerEnd, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if fuzzer.run(bytes, name: "flip.nii").accepted { accepted += 1 }
        }
        // Most flips land in fields nobody checks (descrip, intent_name, …); many hit checked ones.
        #expect(accepted > 100 && accepted < 1200, "\(accepted) of 1200 accepted")
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5))")
    }

    @Test func extremeFieldValuesGiveAHeaderOrATypedError() throws {
        let fuzzer = try Fuzzer()
        var random = SplitMix64(seed: 0xF1E1D)
        var outcomes = (accepted: 0, refused: 0)
        for round in 0..<1000 {
            let isNifti2 = round % 2 == 1
            var bytes = try Fuzzer.fixture(isNifti2 ? Self.nifti2 : Self.nifti1)
            let fields = isNifti2 ? HeaderField.nifti2 : HeaderField.nifti1
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                fields.randomElement(using: &random)!.write(into: &bytes, using: &random)
            }
            // Half the files go through gzip, where the data size is only known by inflating: a header
            // claiming terabytes must fail on the short stream, not allocate for it.
            let outcome =
                round % 4 < 2
                ? fuzzer.run(bytes, name: "field.nii") : fuzzer.run(StoredGzip.wrap(bytes), name: "field.nii.gz")
            if outcome.accepted { outcomes.accepted += 1 } else { outcomes.refused += 1 }
        }
        #expect(outcomes.accepted > 0 && outcomes.refused > 0, "\(outcomes)")
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5))")
    }

    @Test func corruptedGzipStreamsGiveAHeaderOrATypedError() throws {
        let fuzzer = try Fuzzer()
        var random = SplitMix64(seed: 0x6219)
        let base = try Fuzzer.fixture(Self.gzip)
        var refused = 0
        for _ in 0..<400 {
            var bytes = base
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            if !fuzzer.run(bytes, name: "flip.nii.gz").accepted { refused += 1 }
        }
        // Only flips in the gzip header's MTIME/XFL/OS bytes leave a valid stream.
        #expect(refused > 350, "\(refused) of 400 refused")
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5))")
    }
}

/// Writes mutated files into a private temporary folder and checks what the reader makes of them.
private final class Fuzzer {
    let folder: String
    /// Broken invariants, one line each.
    private(set) var failures: [String] = []

    init() throws {
        folder = NSTemporaryDirectory() + "segscore-fuzz-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static func fixture(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: URL(fileURLWithPath: TestPaths.testData(name))))
    }

    /// Opens `bytes` as a file called `name` and streams every voxel.
    ///
    /// An accepted uncompressed file must be exactly header-promised size; an error must name the file.
    func run(_ bytes: [UInt8], name: String) -> (accepted: Bool, error: NiftiError?) {
        let path = folder + "/" + name
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            failures.append("cannot write \(path): \(error)")
            return (false, nil)
        }
        do throws(NiftiError) {
            let file = try NiftiFile(path: path)
            let header = file.header
            _ = (header.affine, header.spacing, header.voxelVolumeMl, header.scaling)
            try file.verifyData()
            if !file.isDataCompressed && bytes.count != header.voxOffset + header.dataByteCount {
                failures.append("\(name): \(bytes.count) bytes accepted for vox_offset \(header.voxOffset) + data")
            }
            return (true, nil)
        } catch {
            if error.path != path || !"\(error)".hasSuffix(": \(path)") {
                failures.append("\(name): error does not name the file: \(error)")
            }
            return (false, error)
        }
    }
}

/// A header field and the extreme values the fuzzer writes into it (offsets from nifti-format.md §1–2).
private struct HeaderField {
    enum Kind { case int16, int32, int64, float32, float64 }
    let offset: Int
    let kind: Kind

    static let nifti1: [HeaderField] =
        [HeaderField(offset: 0, kind: .int32)]
        + (0..<8).map { HeaderField(offset: 40 + 2 * $0, kind: .int16) }  // dim
        + [70, 72, 252, 254, 68].map { HeaderField(offset: $0, kind: .int16) }  // datatype, bitpix, codes, intent
        + (0..<8).map { HeaderField(offset: 76 + 4 * $0, kind: .float32) }  // pixdim
        + [108, 112, 116].map { HeaderField(offset: $0, kind: .float32) }  // vox_offset, scl_slope, scl_inter
        + (0..<18).map { HeaderField(offset: 256 + 4 * $0, kind: .float32) }  // quatern, qoffset, srow

    static let nifti2: [HeaderField] =
        [HeaderField(offset: 0, kind: .int32)]
        + (0..<8).map { HeaderField(offset: 16 + 8 * $0, kind: .int64) }  // dim
        + [12, 14].map { HeaderField(offset: $0, kind: .int16) }  // datatype, bitpix
        + (0..<8).map { HeaderField(offset: 104 + 8 * $0, kind: .float64) }  // pixdim
        + [HeaderField(offset: 168, kind: .int64)]  // vox_offset
        + [176, 184].map { HeaderField(offset: $0, kind: .float64) }  // scl_slope, scl_inter
        + [344, 348, 504].map { HeaderField(offset: $0, kind: .int32) }  // codes, intent
        + (0..<18).map { HeaderField(offset: 352 + 8 * $0, kind: .float64) }  // quatern, qoffset, srow

    static let integers: [Int64] = [
        0, 1, -1, 2, 3, 7, 8, 16, 348, 352, 540, 544, 1536, 32767, -32768, 65535, 1 << 31 - 1, -(1 << 31), 1 << 40,
        Int64.max, Int64.min,
    ]
    static let floats: [Double] = [
        0, -0.0, 1, -1, 0.5, 352, 352.5, 544, 1e7, 1e30, -1e30, 1e-40, .nan, .infinity, -.infinity,
        Double(Float.greatestFiniteMagnitude), 16_777_217,
    ]

    /// Writes an extreme value (or a random one) in this field's type, little-endian.
    func write(into bytes: inout [UInt8], using random: inout SplitMix64) {
        let pickRandom = Bool.random(using: &random)
        let integer =
            pickRandom
            ? Int64(bitPattern: random.next()) : Self.integers[Int.random(in: Self.integers.indices, using: &random)]
        let real =
            pickRandom
            ? Double(bitPattern: random.next()) : Self.floats[Int.random(in: Self.floats.indices, using: &random)]
        let raw: (UInt64, Int) =
            switch kind {
            case .int16: (UInt64(UInt16(truncatingIfNeeded: integer)), 2)
            case .int32: (UInt64(UInt32(truncatingIfNeeded: integer)), 4)
            case .int64: (UInt64(bitPattern: integer), 8)
            case .float32: (UInt64(Float(real).bitPattern), 4)
            case .float64: (real.bitPattern, 8)
            }
        for i in 0..<raw.1 { bytes[offset + i] = UInt8(truncatingIfNeeded: raw.0 >> (8 * UInt64(i))) }
    }
}
