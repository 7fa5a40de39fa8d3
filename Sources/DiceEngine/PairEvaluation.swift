import BoundaryMetrics
import NiftiIO

/// Everything `compare` reports for one prediction/reference pair.
public struct PairEvaluation: Sendable {
    public let predictionPath: String
    public let referencePath: String
    /// The common grid's `dim` (spatial extents).
    public let shape: [Int]
    /// The reference's voxel size in millimetres.
    public let spacing: [Double]
    public let predictionVoxelVolumeMl: Double
    public let referenceVoxelVolumeMl: Double
    public let scores: [OverlapScores]
    /// The scores of ``EvaluationOptions/regions``, in order (``LabelConfusion/scores(of:rule:)``).
    public let regionScores: [OverlapScores]
    public let regions: [Region]
    /// The extra overlap metrics asked for (``EvaluationOptions/overlapMetrics``).
    public let overlapMetrics: [OverlapMetric]
    /// The voxels counted: without those whose reference is the ignore label, if one was given.
    public let confusion: LabelConfusion
    /// Labels of the confusion matrix: every label present in either image plus every label scored.
    public let confusionLabels: [Int64]
    /// The boundary metrics of every scored label, in the order of ``scores``, when they were asked for.
    public let boundaries: [BoundaryScores]?
    /// The boundary metrics of every region, in the order of ``regions`` (each ``BoundaryScores/label`` is the
    /// region's index), when they were asked for.
    public let regionBoundaries: [BoundaryScores]?
    /// How ``boundaries`` were computed (definition, NSD tolerance).
    public let boundaryOptions: BoundaryOptions?
    /// What a structure the prediction misses scores as a distance: the grid's diagonal in mm.
    public let emptyDistanceMm: Double
    /// The lesion-wise metrics of every scored label, in the order of ``scores``, when they were asked for.
    public let lesions: [LesionScores]?
    /// The lesion-wise metrics of every region, in the order of ``regions`` (each ``LesionScores/label`` is the
    /// region's index), when they were asked for.
    public let regionLesions: [LesionScores]?
    /// How ``lesions`` were found (connectivity, smallest lesion kept).
    public let lesionOptions: LesionOptions?

    public var meanDice: Double? { scores.meanDice }
}

/// How a pair is evaluated: which labels, the empty rule, the grid tolerance and the slab size.
public struct EvaluationOptions: Sendable {
    public var selection = LabelSelection()
    /// Dice and IoU of a label one or both images lack (``EmptyRule``).
    public var emptyRule = EmptyRule.ignore
    /// Overlap metrics reported beside Dice, IoU, precision and recall (`--metrics`).
    public var overlapMetrics: [OverlapMetric] = []
    /// Unions of labels scored beside the labels, like a label (a region's NSD takes the default τ only).
    public var regions: [Region] = []
    /// Largest affine difference (mm) still taken as the same grid.
    public var geometryTolerance = GridCheck.defaultTolerance
    /// Compare voxel by voxel even when the affines differ (shapes must still agree).
    public var ignoreGeometry = false
    public var slab = SlabSize.standard
    /// Boundary metrics to compute beside the overlap scores (`nil`: none, the pass is overlap only).
    public var boundary: BoundaryOptions?
    /// Lesion-wise metrics to compute beside the overlap scores (`nil`: none).
    public var lesions: LesionOptions?
    /// Read the pair on two threads (see ``Evaluator/hasSeveralCores``, decided when the options are made); a
    /// cohort scoring several pairs at once turns it off.
    public var decodeConcurrently = Evaluator.hasSeveralCores

    public init() {}
}

extension Evaluator {
    /// Opens, checks and evaluates a pair in one call.
    ///
    /// - Throws: ``EvaluationError/gridMismatch(difference:predictionPath:referencePath:)`` when the grids
    ///   differ (shape always; affine unless `ignoreGeometry`), or another ``EvaluationError`` when either file
    ///   cannot be read as a label map.
    public static func evaluate(
        prediction: NiftiFile, reference: NiftiFile, options: EvaluationOptions
    ) throws(EvaluationError) -> PairEvaluation {
        // What each file is comes before how the two relate: a 4D series is no label volume, whatever its grid.
        for file in [prediction, reference] {
            _ = try VoxelFormat(labelMapOf: file)
            if !options.ignoreGeometry, let reason = GridCheck.unusableGeometry(file.header) {
                throw .noUsableGeometry(reason: reason, path: file.path)
            }
        }
        let grid = GridCheck(
            prediction: prediction.header, reference: reference.header, tolerance: options.geometryTolerance)
        if let mismatch = grid.mismatch, !options.ignoreGeometry || !grid.sameShape {
            throw .gridMismatch(
                difference: mismatch, shapesDiffer: !grid.sameShape, predictionPath: prediction.path,
                referencePath: reference.path)
        }
        let (counted, gathered) = try pass(
            prediction: prediction, reference: reference, slab: options.slab,
            concurrent: options.decodeConcurrently, boundary: options.boundary.map { [$0.definition.kind] },
            lesions: options.lesions?.connectivity, labelsScored: !options.selection.scoresNoLabel,
            regions: options.regions.map(\.labels), ignoreLabel: options.selection.ignoreLabel)
        let confusion = options.selection.ignoreLabel.map(counted.ignoringReference) ?? counted
        let scores = confusion.scores(selection: options.selection, rule: options.emptyRule)
        let regionScores = confusion.scores(of: options.regions, rule: options.emptyRule)
        let header = reference.header
        let spacing = Spacing(header.spacing.map { $0 * header.millimetresPerUnit })
        let diagonal = emptyDistanceMm(of: header)
        let ignoreEmpty = options.emptyRule.boundaryIgnoresEmptyReference
        var boundaryScores: [BoundaryScores]? = nil
        var regionBoundaries: [BoundaryScores]? = nil
        if let request = options.boundary, let gathered {
            boundaryScores =
                gathered.boundaries?.scores(
                    of: scores, options: request, spacing: spacing, ignoreEmpty: ignoreEmpty, emptyDistanceMm: diagonal)
                ?? []
            let regionRequest = request.forRegions
            regionBoundaries = zip(gathered.regionBoundaries, regionScores).flatMap { sets, s in
                sets.scores(
                    of: [s], options: regionRequest, spacing: spacing, ignoreEmpty: ignoreEmpty,
                    emptyDistanceMm: diagonal)
            }
        }
        var lesions: [LesionScores]? = nil
        var regionLesions: [LesionScores]? = nil
        if let request = options.lesions, let gathered {
            let (referenceMl, predictionMl) = (reference.header.voxelVolumeMl, prediction.header.voxelVolumeMl)
            lesions =
                gathered.lesions?.scores(
                    of: scores.map(\.label), minimumVoxels: request.minimumVoxels, referenceVoxelMl: referenceMl,
                    predictionVoxelMl: predictionMl) ?? []
            regionLesions = gathered.regionLesions.enumerated().flatMap { k, tables in
                tables.scores(
                    of: [Int64(k)], minimumVoxels: request.minimumVoxels, referenceVoxelMl: referenceMl,
                    predictionVoxelMl: predictionMl)
            }
        }
        return PairEvaluation(
            predictionPath: prediction.path, referencePath: reference.path,
            shape: reference.header.spatialShape, spacing: reference.header.spacing,
            predictionVoxelVolumeMl: prediction.header.voxelVolumeMl,
            referenceVoxelVolumeMl: reference.header.voxelVolumeMl,
            scores: scores, regionScores: regionScores,
            regions: options.regions, overlapMetrics: options.overlapMetrics, confusion: confusion,
            confusionLabels: Array(Set(confusion.labels + scores.map(\.label))).sorted(),
            boundaries: boundaryScores, regionBoundaries: regionBoundaries, boundaryOptions: options.boundary,
            emptyDistanceMm: diagonal, lesions: lesions, regionLesions: regionLesions, lesionOptions: options.lesions)
    }
}

extension Evaluator {
    /// What a structure the prediction misses scores as a distance on `header`'s grid: its diagonal in mm.
    public static func emptyDistanceMm(of header: NiftiHeader) -> Double {
        let spacing = Spacing(header.spacing.map { $0 * header.millimetresPerUnit })
        let shape = header.spatialShape
        return EmptyStructureRule.diagonalMm(width: shape[0], height: shape[1], depth: shape[2], spacing: spacing)
    }
}
