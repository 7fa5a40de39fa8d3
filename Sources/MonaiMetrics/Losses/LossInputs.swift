import NiftiIO

/// The input options MONAI's DiceLoss and GeneralizedDiceLoss share, and the per-item sums they lead to.
///
/// Order of operations, as in MONAI: sigmoid; softmax over channels (skipped for one channel); one-hot
/// encoding of a label-map target into the input's C classes (skipped for one channel); dropping channel 0
/// without background (skipped for one channel). Prediction and target must then have equal shapes. A target
/// that is not one-hot encoded is used as numbers (MONAI needs it as floats).
///
/// Public only so that ``OverlapLoss`` can require it; every member stays internal.
public struct LossInputs: Sendable {
    var includeBackground: Bool
    var toOnehotY: Bool
    var sigmoid: Bool
    var softmax: Bool

    /// Rejects `sigmoid` together with `softmax`, as MONAI's constructors do.
    func validated() throws(MonaiError) -> LossInputs {
        if sigmoid && softmax { throw .invalidOption("sigmoid and softmax are mutually exclusive") }
        return self
    }

    func plan(predictionChannels: Int, referenceChannels: Int) throws(MonaiError) -> OverlapPlan {
        try OverlapPlan.channelPair(
            predictionChannels: predictionChannels,
            referenceChannels: referenceChannels,
            includeBackground: includeBackground,
            toOnehotY: toOnehotY,
            activation: sigmoid ? .sigmoid : softmax ? .softmax : .none
        ).validated()
    }

    /// The sums of two `[B, C, spatial…]` tensors.
    func sums(input: Tensor, target: Tensor) throws(MonaiError) -> BatchSums {
        try Tensor.checkPair(input, target)
        let plan = try plan(predictionChannels: input.shape[1], referenceChannels: target.shape[1])
        let items = try SlabAccumulator.sums(input: input, target: target, plan: plan)
        return BatchSums(items: items, spatialRank: input.rank - 2)
    }

    /// The sums of file pairs (batch item i is pair i), streamed; NIfTI images have 3 spatial axes.
    ///
    /// Items may differ in spatial size (MONAI would need them stacked), but not in channel count.
    func sums(predictionPaths: [String], referencePaths: [String], slab: SlabSize?) throws -> BatchSums {
        guard !predictionPaths.isEmpty, predictionPaths.count == referencePaths.count else {
            throw MonaiError.invalidOption(
                "need one reference per prediction, got \(predictionPaths.count) and \(referencePaths.count)"
            )
        }
        var channels: Int?
        var result: [[OverlapSums]] = []
        for (predictionPath, referencePath) in zip(predictionPaths, referencePaths) {
            let prediction = try ChannelImage(path: predictionPath)
            let reference = try ChannelImage(path: referencePath)
            if let channels, channels != prediction.channelCount {
                throw MonaiError.invalidInput(
                    "\(prediction.channelCount) channels where the first prediction has \(channels)",
                    path: predictionPath
                )
            }
            channels = prediction.channelCount
            let plan: OverlapPlan
            do {
                plan = try self.plan(
                    predictionChannels: prediction.channelCount,
                    referenceChannels: reference.channelCount
                )
            } catch {
                throw error.naming(referencePath)
            }
            result.append(
                try SlabAccumulator.sums(
                    prediction: prediction, reference: reference, plan: plan,
                    slab: slab ?? SlabAccumulator.defaultSlab))
        }
        return BatchSums(items: result, spatialRank: 3)
    }
}

/// A batch's per-item class sums `[B][C']`, with the number of spatial axes its inputs had: the `none`
/// reduction keeps one trailing axis per spatial axis, as MONAI does.
///
/// Public only so that ``OverlapLoss`` can name it; every member stays internal.
public struct BatchSums {
    var items: [[OverlapSums]]
    var spatialRank: Int

    /// The rows a loss scores: one per item, or with its `batch` option one row of the sums over the batch.
    func rows(pooled: Bool) -> [[OverlapSums]] {
        pooled ? [items.pooled] : items
    }
}

extension Array where Element == [OverlapSums] {
    /// The per-class sums added over the batch (a loss's `batch` option).
    var pooled: [OverlapSums] {
        guard let first else { return [] }
        return dropFirst().reduce(first) { zip($0, $1).map(+) }
    }
}
