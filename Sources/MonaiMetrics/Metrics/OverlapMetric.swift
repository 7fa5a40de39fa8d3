import NiftiIO

/// A metric whose per-item scores are a function of per-class ``OverlapSums``.
///
/// The conformers supply MONAI's rules (which classes, how voxels are read, the score formula); this extension
/// supplies the two ways of getting sums, from tensors in memory and from NIfTI files streamed slab by slab.
protocol OverlapMetric {
    /// The plan for a prediction and a reference with these channel counts.
    func plan(predictionChannels: Int, referenceChannels: Int) throws(MonaiError) -> OverlapPlan
    /// One row of raw scores from the sums of one batch item's scored classes.
    func scoreRow(_ sums: [OverlapSums]) -> [Float]
}

extension OverlapMetric {
    /// The raw `[B, C']` scores of two `[B, C, spatial…]` tensors.
    public func _rawScores(input: Tensor, target: Tensor) throws(MonaiError) -> Tensor {
        try Tensor.checkPair(input, target)
        let plan = try plan(predictionChannels: input.shape[1], referenceChannels: target.shape[1]).validated()
        let rows = try SlabAccumulator.sums(input: input, target: target, plan: plan).map(scoreRow)
        return Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
    }

    /// The raw `[1, C']` scores of one prediction/reference file pair, streamed in bounded memory.
    /// - Parameter slab: voxels per slab (``SlabAccumulator/defaultSlab`` when `nil`).
    public func _rawScores(predictionPath: String, referencePath: String, slab: SlabSize?) throws -> Tensor {
        let prediction = try ChannelImage(path: predictionPath)
        let reference = try ChannelImage(path: referencePath)
        let plan: OverlapPlan
        do {
            plan = try self.plan(
                predictionChannels: prediction.channelCount,
                referenceChannels: reference.channelCount
            ).validated()
        } catch {
            throw error.naming(referencePath)
        }
        let row = scoreRow(
            try SlabAccumulator.sums(
                prediction: prediction, reference: reference, plan: plan, slab: slab ?? SlabAccumulator.defaultSlab))
        return Tensor(shape: [1, row.count], scalars: row)
    }
}
