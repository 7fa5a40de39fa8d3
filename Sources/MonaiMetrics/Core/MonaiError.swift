/// Why a metric or loss could not be computed.
///
/// The cases mirror the exceptions MONAI raises (ValueError for options, AssertionError or RuntimeError for
/// shapes and labels). When a file is involved, ``description`` is one sentence in the form `<what>: <path>`,
/// so the command-line tool can print it unchanged.
public enum MonaiError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option MONAI's constructor or forward pass rejects with a ValueError.
    case invalidOption(String)
    /// An input whose rank or channel count the computation cannot take.
    case invalidInput(String, path: String?)
    /// Prediction and reference do not have the same spatial shape.
    case spatialShapeMismatch(prediction: [Int], reference: [Int], path: String?)
    /// A label outside `0..<classCount` where a one-hot encoding is made (MONAI's `one_hot` fails to index).
    case labelOutOfRange(value: Float, classCount: Int, path: String?)
    /// ``DiceMetric/aggregate(reduction:)`` and its siblings were called before any data were recorded.
    case noData

    /// The file the error is about, if any.
    public var path: String? {
        switch self {
        case .invalidInput(_, let path), .spatialShapeMismatch(_, _, let path), .labelOutOfRange(_, _, let path):
            return path
        case .invalidOption, .noData:
            return nil
        }
    }

    /// What went wrong, without the path.
    public var what: String {
        switch self {
        case .invalidOption(let message):
            return message
        case .invalidInput(let message, _):
            return message
        case .spatialShapeMismatch(let prediction, let reference, _):
            return "spatial shape \(reference) does not match the prediction's \(prediction)"
        case .labelOutOfRange(let value, let classCount, _):
            return "label \(value) is outside 0..<\(classCount) and cannot be one-hot encoded"
        case .noData:
            return "no data recorded: call the metric before aggregate()"
        }
    }

    public var description: String {
        path.map { "\(what): \($0)" } ?? what
    }
}

extension MonaiError {
    /// The same error naming `path`, unless it already names a file.
    func naming(_ path: String) -> MonaiError {
        switch self {
        case .invalidInput(let message, nil):
            return .invalidInput(message, path: path)
        case .spatialShapeMismatch(let prediction, let reference, nil):
            return .spatialShapeMismatch(prediction: prediction, reference: reference, path: path)
        case .labelOutOfRange(let value, let classCount, nil):
            return .labelOutOfRange(value: value, classCount: classCount, path: path)
        default:
            return self
        }
    }
}
