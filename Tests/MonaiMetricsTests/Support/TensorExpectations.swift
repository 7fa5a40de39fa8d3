import MonaiMetrics
import Testing

/// Builds a `[B, C, N]` tensor (one spatial axis) from nested arrays: items, then channels, then voxels.
func tensor(_ items: [[[Float]]]) -> Tensor {
    let channels = items.first?.count ?? 0
    let voxels = items.first?.first?.count ?? 0
    precondition(items.allSatisfy { $0.count == channels && $0.allSatisfy { $0.count == voxels } })
    return Tensor(shape: [items.count, channels, voxels], scalars: items.flatMap { $0.flatMap { $0 } })
}

/// Whether two values agree: both NaN, or within `relative` of `expected` (exactly equal when 0).
func agrees(_ actual: Float, _ expected: Float, relative: Float) -> Bool {
    if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
    return abs(actual - expected) <= relative * abs(expected)
}

/// Expects `actual` to have `shape` and values within `relative` of `expected` (NaN matching NaN only).
func expectValues(
    _ actual: Tensor,
    _ expected: [Float],
    shape: [Int],
    relative: Float = 0,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == shape, sourceLocation: sourceLocation)
    #expect(actual.scalars.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual.scalars, expected) {
        #expect(agrees(a, e, relative: relative), "\(a) is not \(e)", sourceLocation: sourceLocation)
    }
}
