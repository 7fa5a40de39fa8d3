/// The `deepmind` statistics a report asks for, for one label: the same values as ``SurfaceDistanceStats``
/// at fixed percentiles and tolerances, computed one direction at a time so that a label's distances are
/// dropped as soon as they are reduced (half the memory of holding both directions).
public struct SurfaceDistanceSummary: Sendable, Equatable {
    /// Hausdorff distance (mm).
    public var hd: Double
    /// The robust Hausdorff distance at each requested percentile, in request order (mm).
    public var percentiles: [Double]
    /// Mean average surface distance (mm).
    public var masd: Double
    /// Average symmetric surface distance (mm).
    public var assd: Double
    /// The normalised surface Dice at each requested tolerance, in request order.
    public var nsd: [Double]

    /// Combines the two directions' reductions as ``SurfaceDistanceStats`` does.
    init(referenceToPrediction r: DirectedSummary, predictionToReference p: DirectedSummary) {
        hd = max(r.maximum, p.maximum)
        percentiles = zip(r.percentiles, p.percentiles).map { max($0, $1) }
        masd = (r.weightedSum / r.total + p.weightedSum / p.total) / 2
        assd = (r.weightedSum + p.weightedSum) / (r.total + p.total)
        nsd = zip(r.areasWithin, p.areasWithin).map { ($0 + $1) / (r.total + p.total) }
    }
}

/// What the summary needs of one direction, without its samples.
struct DirectedSummary: Sendable {
    let total: Double
    let weightedSum: Double
    let maximum: Double
    let percentiles: [Double]
    let areasWithin: [Double]

    /// - Parameter runs: one direction's samples, sorted, as runs
    ///   (``RepeatedSampleSort/runs(count:distance:code:weight:)``).
    init(_ runs: [SampleRun], percentiles: [Double], tolerances: [Double]) {
        let side = AreaWeightedDistances(runs: runs)
        total = side.total
        weightedSum = side.weightedSum
        maximum = side.percentile(100)
        self.percentiles = percentiles.map(side.percentile)
        areasWithin = tolerances.map(side.area(within:))
    }
}
