import NiftiIO

/// MONAI's cumulative metric API (its `CumulativeIterationMetric`): each call scores a batch, records its rows
/// and returns them; ``buffer`` holds every row since ``reset()``; each metric's `aggregate` reduces them.
///
/// ``DiceMetric``, ``MeanIoU`` and ``GeneralizedDiceScore`` conform and get these calls from this one place.
/// The two underscored requirements are public only because Swift lets a protocol extension declare public
/// methods over public requirements alone; they are not meant to be called.
public protocol CumulativeMetric {
    /// The rows recorded so far (an opaque buffer; its members are internal).
    var _scores: ScoreBuffer { get set }
    /// The raw `[B, C']` scores of a batch of tensors.
    func _rawScores(input: Tensor, target: Tensor) throws(MonaiError) -> Tensor
    /// The raw `[1, C']` scores of a file pair, streamed.
    func _rawScores(predictionPath: String, referencePath: String, slab: SlabSize?) throws -> Tensor
}

extension CumulativeMetric {
    /// Scores a batch of `[B, C, spatial…]` tensors, appends its rows to the buffer and returns them.
    ///
    /// - Parameters:
    ///   - yPred: the prediction: a label map (C = 1) or channels.
    ///   - y: the reference, same B and spatial shape: a label map (C = 1) or one-hot channels.
    @discardableResult
    public mutating func callAsFunction(_ yPred: Tensor, _ y: Tensor) throws(MonaiError) -> Tensor {
        try _scores.append(_rawScores(input: yPred, target: y))
    }

    /// Scores one prediction/reference pair of NIfTI files as a batch of one, streaming both in bounded memory,
    /// appends its row and returns it.
    ///
    /// Each file is C channels of x·y·z voxels (a 3D label map, or `dim[4]` or `dim[5]` = C).
    /// - Parameter slab: voxels per slab (whole slices; a cache-sized default when `nil`).
    /// - Throws: `NiftiError` for unreadable files, ``MonaiError`` for mismatched shapes or channels.
    @discardableResult
    public mutating func callAsFunction(
        predictionPath: String, referencePath: String, slab: SlabSize? = nil
    ) throws -> Tensor {
        try _scores.append(_rawScores(predictionPath: predictionPath, referencePath: referencePath, slab: slab))
    }

    /// Every row recorded since the last ``reset()``, `[N, C']`, or `nil` before the first call.
    public var buffer: Tensor? { _scores.scores }

    /// Empties the buffer.
    public mutating func reset() {
        _scores.removeAll()
    }
}
