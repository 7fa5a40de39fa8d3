import Foundation

/// The contents of an `expected.json`: `TestData/expected.json` (written by `scripts/make-testdata.py`) or the
/// shared corpus's, which has the same shape minus the `malformed` section and the `description` key.
public struct ExpectedValues: Decodable, Sendable {
    /// Readable files by path relative to the folder holding `expected.json`.
    public var files: [String: ExpectedFile]
    /// Files that must be refused, by relative path.
    public var malformed: [String: ExpectedFailure]?

    /// Decodes `path` with Foundation's `JSONDecoder` (tests only; the library avoids Foundation).
    public static func load(_ path: String) throws -> ExpectedValues {
        try JSONDecoder().decode(ExpectedValues.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// `TestData/expected.json`, or `nil` if it cannot be read (a test reports why).
    public static let testData: ExpectedValues? = try? load(TestPaths.testData("expected.json"))

    /// The shared corpus's `expected.json`, or `nil` when the corpus is absent.
    public static let corpus: ExpectedValues? = try? load(TestPaths.corpus("expected.json"))
}

/// What one readable file must give.
public struct ExpectedFile: Decodable, Sendable {
    public var header: ExpectedHeader
    public var labelMap: LabelMapVerdict?
    public var labels: ExpectedLabels?
    /// How many voxels are not finite / not integral after scaling (TestData only).
    public var values: ValueKinds?
    /// `"lenient"` when nibabel's load-time fixes may make its header differ from the stored one (corpus only).
    public var headerCheck: String?
}

/// The `segscore header --json` fields (`path` is implied by the key; NaN is `null`).
public struct ExpectedHeader: Decodable, Sendable {
    public var format: String
    public var byteOrder: String
    public var compressed: Bool
    public var dim: [Int]
    public var datatype: String
    public var datatypeCode: Int
    public var bitpix: Int
    public var pixdim: [Double]
    public var spacing: [Double]
    public var voxOffset: Int
    public var sclSlope: Double?
    public var sclInter: Double?
    public var qformCode: Int
    public var sformCode: Int
    public var affine: [[Double]]
    public var intentCode: Int
    /// Absent from the corpus's expected values.
    public var description: String?
}

/// Whether a file is usable as a label map, and the reason when not.
public struct LabelMapVerdict: Decodable, Sendable {
    public var acceptable: Bool
    public var reason: String?
}

/// Non-finite and non-integral voxel counts after scaling.
public struct ValueKinds: Decodable, Sendable, Equatable {
    public var nonFinite: Int
    public var nonIntegral: Int

    public init(nonFinite: Int, nonIntegral: Int) {
        self.nonFinite = nonFinite
        self.nonIntegral = nonIntegral
    }
}

/// Per-label voxel counts, either listed or (for images with many values) summarised by a digest.
public enum ExpectedLabels: Decodable, Sendable {
    /// Voxels per value, keys the decimal value (label 0 included).
    case counts([String: Int])
    /// `sha256` of the lines `"<value>:<count>\n"` in ascending numeric order, plus a summary.
    case digest(nLabels: Int, min: Int, max: Int, nonzeroVoxels: Int, sha256: String)

    private enum DigestKeys: String, CodingKey { case nLabels, min, max, nonzeroVoxels, sha256 }

    public init(from decoder: any Decoder) throws {
        if let counts = try? decoder.singleValueContainer().decode([String: Int].self) {
            self = .counts(counts)
            return
        }
        let c = try decoder.container(keyedBy: DigestKeys.self)
        self = .digest(
            nLabels: try c.decode(Int.self, forKey: .nLabels), min: try c.decode(Int.self, forKey: .min),
            max: try c.decode(Int.self, forKey: .max), nonzeroVoxels: try c.decode(Int.self, forKey: .nonzeroVoxels),
            sha256: try c.decode(String.self, forKey: .sha256))
    }
}

/// The `NiftiError` case a malformed file must raise, and when.
public struct ExpectedFailure: Decodable, Sendable {
    /// The case name (``NiftiError/caseName``).
    public var error: String
    /// For `invalidField`, the field's name (`"vox_offset"`, `"dim[2]"`).
    public var field: String?
    /// `"open"`: `NiftiFile(path:)` throws. `"stream"`: opening or `verifyData()` throws (gzip damage zlib
    /// meets only while inflating). `"labels"`: the file opens, but its datatype holds no plain numbers.
    public var stage: String
    public var exitCode: Int
}
