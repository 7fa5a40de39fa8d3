import BoundaryMetrics
import NiftiIO

/// MONAI 1.6.1's boundary metrics on label-map files: `HausdorffDistanceMetric`, `SurfaceDistanceMetric` and
/// `SurfaceDiceMetric`, as one cumulative metric whose ``Measure`` picks the class.
///
/// Both images are label maps one-hot encoded into `numClasses` classes, as MONAI's `one_hot` would; the
/// classes' edges (or, for surface Dice with `useSubvoxels`, surfels) are gathered in one streaming pass over
/// both files, and each class scores one entry of the `[1, C']` row (background excluded unless asked for,
/// MONAI's default for these three). Empty masks give MONAI's NaN/inf, kept in the buffer; ``aggregate()``
/// skips NaN as MONAI's reduction does.
public struct MonaiBoundaryMetric: Sendable {
    /// Which MONAI metric, with its own options.
    public enum Measure: Sendable, Equatable {
        /// `HausdorffDistanceMetric(percentile, directed)`; `nil` percentile: the maximum.
        case hausdorff(percentile: Double?, directed: Bool)
        /// `SurfaceDistanceMetric(symmetric)`.
        case surfaceDistance(symmetric: Bool)
        /// `SurfaceDiceMetric(class_thresholds, use_subvoxels)`: one threshold (mm) per class scored.
        case surfaceDice(classThresholds: [Double], useSubvoxels: Bool)
    }

    public let measure: Measure
    public let includeBackground: Bool
    public let distanceMetric: DistanceMetric
    public let reduction: MetricReduction
    private var storage = ScoreBuffer()

    public init(
        _ measure: Measure, includeBackground: Bool = false, distanceMetric: DistanceMetric = .euclidean,
        reduction: MetricReduction = .mean
    ) throws(MonaiError) {
        if case .hausdorff(let percentile?, _) = measure, !(0...100).contains(percentile) {
            throw .invalidOption("percentile should be a value between 0 and 100, got \(percentile)")
        }
        if case .surfaceDice(let thresholds, _) = measure, thresholds.contains(where: { !($0 >= 0) }) {
            throw .invalidOption("class_thresholds must be non-negative, got \(thresholds)")
        }
        self.measure = measure
        self.includeBackground = includeBackground
        self.distanceMetric = distanceMetric
        self.reduction = reduction
    }

    /// Scores one prediction/reference pair of label maps and records the `[1, C']` row.
    ///
    /// - Parameters:
    ///   - numClasses: classes of the one-hot encoding; labels must lie in `0..<numClasses`.
    ///   - spacing: voxel spacing in mm; the reference file's `pixdim` when `nil`.
    /// - Throws: `NiftiError` for unreadable files, ``MonaiError`` for a shape mismatch, a label out of
    ///   range, or thresholds that do not match the classes scored.
    @discardableResult
    public mutating func callAsFunction(
        predictionPath: String, referencePath: String, numClasses: Int, spacing: Spacing? = nil,
        slab: SlabSize? = nil
    ) throws -> Tensor {
        let classes = Array((includeBackground ? 0 : 1)..<numClasses)
        if case .surfaceDice(let thresholds, _) = measure, thresholds.count != classes.count {
            throw MonaiError.invalidOption(
                "class_thresholds has \(thresholds.count) values for \(classes.count) classes scored")
        }
        let kind: BoundaryKind = if case .surfaceDice(_, true) = measure { .surfels } else { .edgeVoxels }
        let pass = try LabelMapPair(
            predictionPath: predictionPath, referencePath: referencePath, numClasses: numClasses)
        let sets = try pass.boundaries(kind: kind, background: includeBackground ? nil : 0, slab: slab)
        let distances = sets.distances(
            codes: classes.map(UInt32.init), kind: kind, spacing: spacing ?? pass.spacing, metric: distanceMetric)
        let row = zip(classes.indices, distances).map { index, d in score(d, classIndex: index) }
        return try storage.append(Tensor(shape: [1, row.count], scalars: row))
    }

    /// The recorded `[N, C']` rows, or `nil` before the first call.
    public var buffer: Tensor? { storage.scores }

    /// The rows reduced by ``reduction``.
    public func aggregate() throws(MonaiError) -> MetricAggregate { try storage.reduced(by: reduction) }

    public mutating func reset() { storage.removeAll() }

    private func score(_ d: SurfaceDistances, classIndex: Int) -> Float {
        switch measure {
        case .hausdorff(let percentile, let directed):
            MonaiBoundaryMetrics.hausdorffDistance(d, percentile: percentile, directed: directed)
        case .surfaceDistance(let symmetric):
            MonaiBoundaryMetrics.averageSurfaceDistance(d, symmetric: symmetric)
        case .surfaceDice(let thresholds, let useSubvoxels):
            MonaiBoundaryMetrics.surfaceDice(d, threshold: thresholds[classIndex], useSubvoxels: useSubvoxels)
        }
    }
}
