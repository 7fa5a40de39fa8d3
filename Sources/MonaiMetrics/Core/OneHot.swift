/// MONAI's `one_hot`: `[B, 1, spatial…]` labels to `[B, numClasses, spatial…]` indicator channels.
///
/// Labels are truncated toward zero (MONAI casts to int64), so 2.7 is class 2 and −0.5 is class 0. Nothing is
/// clipped: a label outside `0..<numClasses`, or NaN, is an error, as MONAI's indexing fails there.
///
/// - Throws: ``MonaiError/invalidInput(_:path:)`` when the channel axis is not 1 long or `numClasses` < 1;
///   ``MonaiError/labelOutOfRange(value:classCount:path:)`` for a label that indexes no class.
public func oneHot(_ labels: Tensor, numClasses: Int) throws(MonaiError) -> Tensor {
    guard labels.rank >= 2, labels.shape[1] == 1, numClasses >= 1 else {
        throw .invalidInput(
            "one_hot needs [B, 1, …] labels and at least one class, got \(labels.shape) and \(numClasses)",
            path: nil
        )
    }
    let batch = labels.shape[0]
    let voxels = labels.shape.dropFirst(2).reduce(1, *)
    var scalars = [Float](repeating: 0, count: batch * numClasses * voxels)
    for b in 0..<batch {
        for v in 0..<voxels {
            let label = labels.scalars[b * voxels + v]
            guard label > -1, label < Float(numClasses) else {
                throw .labelOutOfRange(value: label, classCount: numClasses, path: nil)
            }
            scalars[(b * numClasses + Int(label.rounded(.towardZero))) * voxels + v] = 1
        }
    }
    return Tensor(shape: [batch, numClasses] + labels.shape.dropFirst(2), scalars: scalars)
}
