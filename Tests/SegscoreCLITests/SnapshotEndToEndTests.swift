import Foundation
import NiftiIO
import TestSupport
import Testing

/// `compare --snapshot` and `cohort --snapshots` (issue 13): the PNG is decoded here independently (every chunk's
/// CRC, zlib inflate, unfiltering) and its colours checked at pixels computed by hand from the layout.
///
/// The pair: a 6×4×3 grid of 1×2×3 mm voxels, affine diag(1, 2, 3) (RAS, so both in-plane axes are flipped for
/// the radiological view). Label 1 on slice z = 1, row y = 1: reference at x = 1, 2, prediction at x = 2, 3 (TP x
/// = 2, FP x = 3, FN x = 1; Dice 0.5). Label 2 on z = 2, y = 3: reference x = 4, 5, prediction x = 4 (Dice 0.6667).
///
/// Layout (SnapshotSheet): margin 8, caption 40 px, cells at least 240 px wide with the plane centred.
/// Axial: 6 mm × 8 mm at 1/32 mm per pixel → a 192×256 tile (true aspect), voxel x = 5 − u/32, y = 3 − r/64, tile
/// 0 at (32, 48), tile 1 at (280, 48). Coronal (x across, z up): 6 mm × 9 mm at 1/28 mm → 168×252, x = 5 − u/28,
/// z = 2 − r/84, tile 0 at (44, 48).
@Suite struct SnapshotEndToEndTests {
    static let tp: [UInt8] = [86, 180, 233]
    static let fp: [UInt8] = [213, 94, 0]
    static let fn: [UInt8] = [240, 228, 66]
    static let black: [UInt8] = [0, 0, 0]
    static let sheet: [UInt8] = [32, 32, 32]

    final class Pair {
        let folder = TemporaryDirectory()
        var prediction: String { folder.file("pred.nii.gz") }
        var reference: String { folder.file("ref.nii.gz") }
        var image: String { folder.file("ct.nii.gz") }
        var snapshot: String { folder.file("snap.png") }
        static let shape = [6, 4, 3]

        init() throws {
            let fixture = Self.fixture(.uint8)
            var p = [Int64](repeating: 0, count: 72)
            var r = p
            func at(_ x: Int, _ y: Int, _ z: Int) -> Int { x + 6 * y + 24 * z }
            r[at(1, 1, 1)] = 1
            r[at(2, 1, 1)] = 1
            p[at(2, 1, 1)] = 1
            p[at(3, 1, 1)] = 1
            r[at(4, 3, 2)] = 2
            r[at(5, 3, 2)] = 2
            p[at(4, 3, 2)] = 2
            try fixture.write(p, to: prediction, gzip: true)
            try fixture.write(r, to: reference, gzip: true)
            // An int16 image whose value is the voxel index: window 0…71 exactly (1st and 99th percentiles).
            try Self.fixture(.int16).write((0..<72).map(Int64.init), to: image, gzip: true)
        }

        static func fixture(_ type: NiftiDataType, shape: [Int] = shape) -> NiftiFixture {
            var fixture = NiftiFixture(shape: shape, dataType: type)
            fixture.spacing = [1, 2, 3]
            fixture.sform = [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0]]
            return fixture
        }

        func compare(_ extra: [String]) throws -> SegscoreProcess.Result {
            try SegscoreProcess.run(["compare", prediction, reference, "--snapshot", snapshot] + extra)
        }
    }

    @Test func axialTilesShowTheClassesAtTheTrueAspectRatio() throws {
        let pair = try Pair()
        let run = try pair.compare([])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        #expect(png.chunkTypes.first == "IHDR" && png.chunkTypes.contains("IDAT") && png.chunkTypes.last == "IEND")
        // Two cells of 240 + margins; one row of cells (296) + legend (22) + margins.
        #expect(png.width == 504 && png.height == 342)
        // Tile 0, label 1 (the worst) on z = 1, voxel row y = 1 → pixel rows 176…239.
        #expect(png[140, 200] == Self.tp)  // x = 2
        #expect(png[110, 200] == Self.fp)  // x = 3
        #expect(png[170, 200] == Self.fn)  // x = 1
        #expect(png[200, 290] == Self.black)  // x = 0, y = 0: no structure
        // The tile is 192 × 256 pixels: 6 mm across, 8 mm up.
        #expect(png[32, 48] == Self.black && png[223, 303] == Self.black)
        #expect(png[31, 48] == Self.sheet && png[224, 48] == Self.sheet && png[32, 304] == Self.sheet)
        // Tile 1, label 2 on z = 2, y = 3 → pixel rows 48…111.
        #expect(png[330, 80] == Self.tp)  // x = 4
        #expect(png[290, 80] == Self.fn)  // x = 5
    }

    /// Region (1, 2): tp 2, fp 1, fn 2, Dice 4/7 — between label 1 (0.5) and label 2 (0.6667), so the middle
    /// tile; it disagrees most on z = 1 (label 1's fp and fn), where it looks as label 1 does.
    @Test func regionsAreStructuresToo() throws {
        let pair = try Pair()
        let run = try pair.compare(["--region", "both=1,2"])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        #expect(png.width == 504 + 248)
        for (u, colour) in [(140, Self.tp), (110, Self.fp), (170, Self.fn)] {
            #expect(png[u, 200] == colour && png[u + 248, 200] == colour)
        }
        #expect(png[330, 80] == Self.black && png[330 + 248, 80] == Self.tp)
    }

    @Test func aCoronalSnapshotCutsRowsOutOfTheSlabs() throws {
        let pair = try Pair()
        let run = try pair.compare(["--snapshot-axis", "coronal", "--snapshot-structures", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        // One cell (240 + margins; the legend is wider) of 40 + 252 pixels.
        #expect(png.height == 8 + 292 + 8 + 22 + 8)
        // Label 1 on y = 1; z = 1 → pixel rows 132…215.
        #expect(png[140, 170] == Self.tp)  // x = 2
        #expect(png[110, 170] == Self.fp)  // x = 3
        #expect(png[170, 170] == Self.fn)  // x = 1
        #expect(png[140, 100] == Self.black)  // z = 2
        #expect(png[44, 48] == Self.black && png[211, 299] == Self.black)
        #expect(png[43, 48] == Self.sheet && png[212, 48] == Self.sheet && png[44, 300] == Self.sheet)
    }

    @Test func theImageLiesUnderneathInItsPercentileWindow() throws {
        let pair = try Pair()
        let run = try pair.compare(["--image", pair.image])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        // Voxel (0, 0, 1) holds 24: 24/71 of the way from black to white → 86.
        #expect(png[200, 290] == [86, 86, 86])
        // Voxel (2, 1, 1) holds 32 → grey 115, under the TP colour at 176/256: (86·176 + 115·80) / 256 …
        #expect(png[140, 200] == [95, 159, 196])
    }

    @Test func aFloatImageWithScalingIsWindowedToo() throws {
        let pair = try Pair()
        var fixture = Pair.fixture(.float32)
        fixture.slope = 2
        fixture.intercept = -1000
        // Stored −500…−429 → real −2000…−1858; NaN at voxel 0 is left out of the window and drawn black.
        try fixture.write(floats: [.nan] + (1..<72).map { Double($0) - 500 }, to: pair.folder.file("float.nii"))
        let run = try pair.compare(["--image", pair.folder.file("float.nii")])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        // Window: 1st percentile ≈ stored −499 (rank 1 of 71), 99th ≈ −429; voxel 24 → (24 − 1) / 70 · 255 ≈ 83.8.
        #expect((83...84).contains(png[200, 290][0]))
    }

    @Test func hostileNamesAbsentStructuresAndLargeK() throws {
        let pair = try Pair()
        let names = pair.folder.file("names.csv")
        let long = String(repeating: "very long structure name ", count: 40)
        try "1,Leber Ä→ü 肝臓\n2,\(long)\n9,nowhere\n".write(toFile: names, atomically: true, encoding: .utf8)
        let run = try pair.compare([
            "--label-names", names, "--labels", "1,2,9", "--empty-rule", "one-zero", "--snapshot-structures", "50",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let png = try DecodedPNG(contentsOf: pair.snapshot)
        // Three tiles (K = 50 > 3 labels), captions cut to the cell: names never widen the sheet.
        #expect(png.width == 8 + 3 * 248 && png.height == 342)
        #expect(png[140, 200] == Self.tp)
        // Label 9 (Dice 1: absent from both) last, its middle slice empty.
        #expect(png[528 + 100, 200] == Self.black)

        // No structure with a Dice (label 9 under the default rule): the legend alone, and a warning.
        let none = try pair.compare(["--labels", "9"])
        #expect(none.status == 0 && none.stderr.contains("no structure has a Dice"), "\(none.stderr)")
        let legend = try DecodedPNG(contentsOf: pair.snapshot)
        #expect(legend.height == 8 + 22 + 8 && legend[0, 0] == Self.sheet)
    }

    @Test func badSnapshotRequestsFailWithOneLine() throws {
        let pair = try Pair()
        let missing = try SegscoreProcess.run([
            "compare", pair.prediction, pair.reference, "--snapshot", pair.folder.file("no/such/dir/s.png"),
        ])
        #expect(missing.status == 3)
        #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("does not exist"))
        #expect(missing.stdout.isEmpty)

        let zero = try pair.compare(["--snapshot-structures", "0"])
        #expect(zero.status == 2 && zero.stderr.split(separator: "\n").count == 1)

        let overwrite = try pair.compare(["--image", pair.snapshot])
        #expect(overwrite.status != 0)

        // An image on another grid: another shape, or the same shape on another affine.
        let other = pair.folder.file("other.nii.gz")
        try Pair.fixture(.int16, shape: [6, 4, 2]).write([Int64](repeating: 0, count: 48), to: other, gzip: true)
        let shape = try pair.compare(["--image", other])
        #expect(shape.status == 4 && shape.stderr.split(separator: "\n").count == 1, "\(shape.stderr)")
        var moved = Pair.fixture(.int16)
        moved.sform = [[1, 0, 0, 5], [0, 2, 0, 0], [0, 0, 3, 0]]
        try moved.write([Int64](repeating: 0, count: 72), to: other, gzip: true)
        let affine = try pair.compare(["--image", other])
        #expect(affine.status == 4 && affine.stderr.contains("voxel grids differ"), "\(affine.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pair.snapshot))
    }

    @Test func aCohortDrawsItsWorstCasesWithTheirImages() throws {
        let pair = try Pair()
        let folder = pair.folder
        try folder.makeFolders("pred", "ref", "img", "out")
        func copy(_ from: String, _ to: String) throws {
            try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: folder.file(to)))
        }
        // case_a: perfect, no image; case_b and case_c: the pair above (equally bad), case_b's image under nnU-Net's
        // channel suffix, case_c's on another grid; case_d: perfect.
        for name in ["case_a", "case_b", "case_c", "case_d"] { try copy(pair.reference, "ref/\(name).nii.gz") }
        for name in ["case_a", "case_d"] { try copy(pair.reference, "pred/\(name).nii.gz") }
        for name in ["case_b", "case_c"] { try copy(pair.prediction, "pred/\(name).nii.gz") }
        try copy(pair.image, "img/case_b_0000.nii.gz")
        try Pair.fixture(.int16, shape: [6, 4, 2]).write(
            [Int64](repeating: 0, count: 48), to: folder.file("img/case_c.nii.gz"), gzip: true)
        let run = try SegscoreProcess.run([
            "cohort", "--pred", folder.file("pred"), "--ref", folder.file("ref"), "--output-dir", folder.file("out"),
            "--snapshots", "3", "--images", folder.file("img"), "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        // The three worst: case_b, case_c (tied, in case order), then case_a (before case_d, tied at 1).
        #expect(run.stderr.contains("no snapshot of case case_c: voxel grids differ"), "\(run.stderr)")
        #expect(run.stderr.contains("no image for case case_a"), "\(run.stderr)")
        let drawn = try FileManager.default.contentsOfDirectory(atPath: folder.file("out/snapshots")).sorted()
        #expect(drawn == ["case_a.png", "case_b.png"])
        let png = try DecodedPNG(contentsOf: folder.file("out/snapshots/case_b.png"))
        #expect(png[200, 290] == [86, 86, 86] && png[140, 200] == [95, 159, 196])
    }
}
