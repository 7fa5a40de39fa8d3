extension SlabAccumulator {
    /// The sums of every batch item of two in-memory tensors, `[B][classes]`.
    ///
    /// - Parameters:
    ///   - input: `[B, C, spatial…]` with C = `plan.predictionChannels`.
    ///   - target: `[B, C_ref, spatial…]` with the same B and spatial shape.
    static func sums(
        input: Tensor,
        target: Tensor,
        plan: OverlapPlan,
        capacity: Int = defaultCapacity
    ) throws(MonaiError) -> [[OverlapSums]] {
        let batch = input.shape[0]
        let voxels = input.shape.dropFirst(2).reduce(1, *)
        precondition(input.shape[1] == plan.predictionChannels && target.shape[1] == plan.referenceChannels)
        precondition(target.shape[0] == batch && target.shape.dropFirst(2).reduce(1, *) == voxels)
        var result: [[OverlapSums]] = []
        for b in 0..<batch {
            let accumulator = SlabAccumulator(plan: plan, capacity: min(capacity, max(voxels, 1)))
            for start in stride(from: 0, to: voxels, by: accumulator.capacity) {
                let count = min(accumulator.capacity, voxels - start)
                input.scalars.withUnsafeBufferPointer { values in
                    for c in 0..<plan.predictionChannels {
                        let offset = (b * plan.predictionChannels + c) * voxels + start
                        _ = UnsafeMutableBufferPointer(start: accumulator.predictionSlab(c), count: count)
                            .initialize(fromContentsOf: values[offset..<(offset + count)])
                    }
                }
                target.scalars.withUnsafeBufferPointer { values in
                    for c in 0..<plan.referenceChannels {
                        let offset = (b * plan.referenceChannels + c) * voxels + start
                        _ = UnsafeMutableBufferPointer(start: accumulator.referenceSlab(c), count: count)
                            .initialize(fromContentsOf: values[offset..<(offset + count)])
                    }
                }
                try accumulator.accumulate(count: count)
            }
            result.append(accumulator.sums)
        }
        return result
    }
}
