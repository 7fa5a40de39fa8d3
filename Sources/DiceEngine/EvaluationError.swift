import NiftiIO

/// Why an image or a pair could not be evaluated: DiceEngine's only error type.
///
/// Like every segscore error it says ``what`` went wrong and, where a file is involved, its ``path``; the
/// command line prints ``description`` after `segscore: error:` and maps the case to an exit code. Reader
/// failures pass through unchanged as ``unreadable(_:)``.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read as NIfTI (see ``NiftiError``).
    case unreadable(NiftiError)
    /// The image is not a single 3D volume (time series, vector data).
    case notAVolume(reason: String, path: String)
    /// The voxels cannot be read as labels (soft values, NaN, unsupported datatype, too many values).
    case notALabelMap(reason: String, path: String)
    /// The header gives no usable voxel-to-world mapping (NaN or infinite spacing with no sform/qform), so two
    /// grids cannot be checked against each other.
    case noUsableGeometry(reason: String, path: String)
    /// Two images that cannot be compared voxel by voxel: different shapes (`shapesDiffer`: a resampled grid),
    /// or the same shape on different affines.
    case gridMismatch(difference: String, shapesDiffer: Bool, predictionPath: String, referencePath: String)

    /// What went wrong, without the path.
    public var what: String {
        switch self {
        case .unreadable(let error): error.what
        case .notAVolume(let reason, _): reason
        case .notALabelMap(let reason, _): "not a label map: \(reason)"
        case .noUsableGeometry(let reason, _): "no usable geometry: \(reason)"
        case .gridMismatch(let difference, _, _, _): "voxel grids differ: \(difference)"
        }
    }

    /// The file (or, for a grid mismatch, the pair of files) the error is about.
    public var path: String {
        switch self {
        case .unreadable(let error): error.path
        case .notAVolume(_, let path), .notALabelMap(_, let path), .noUsableGeometry(_, let path): path
        case .gridMismatch(_, _, let prediction, let reference): "\(prediction) vs \(reference)"
        }
    }

    public var description: String { "\(what): \(path)" }
}

/// A value that is no label, found where the path is not known (the coder's inner loops); the caller that
/// knows the file turns it into ``EvaluationError/notALabelMap(reason:path:)``.
struct NotALabelMap: Error {
    let reason: String

    func naming(_ path: String) -> EvaluationError { .notALabelMap(reason: reason, path: path) }
}
