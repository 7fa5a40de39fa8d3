import NiftiIO

extension NiftiError {
    /// The case's name, the token `expected.json` uses for it. Written out so that a new case fails to compile
    /// here instead of silently matching nothing.
    public var caseName: String {
        switch self {
        case .io: "io"
        case .emptyFile: "emptyFile"
        case .truncatedHeader: "truncatedHeader"
        case .notNifti: "notNifti"
        case .badMagic: "badMagic"
        case .analyzeHeader: "analyzeHeader"
        case .inconsistentByteOrder: "inconsistentByteOrder"
        case .invalidField: "invalidField"
        case .voxelCountOverflow: "voxelCountOverflow"
        case .unknownDataType: "unknownDataType"
        case .unsupportedDataType: "unsupportedDataType"
        case .bitpixMismatch: "bitpixMismatch"
        case .missingImageFile: "missingImageFile"
        case .truncatedData: "truncatedData"
        case .trailingData: "trailingData"
        case .notARegularFile: "notARegularFile"
        case .fileChanged: "fileChanged"
        case .notGzip: "notGzip"
        case .corruptGzip: "corruptGzip"
        case .truncatedGzip: "truncatedGzip"
        case .trailingGarbage: "trailingGarbage"
        }
    }

    /// Whether this is the failure `expected` describes (case, and field name for `invalidField`).
    public func matches(_ expected: ExpectedFailure) -> Bool {
        guard caseName == expected.error else { return false }
        if case .invalidField(let name, _, _, _) = self { return name == expected.field }
        return true
    }
}
