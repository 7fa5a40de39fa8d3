import NiftiIO

extension LesionScores {
    /// Every value given: a record read back (`cohort --resume`, `merge`) holds the values, not the components
    /// they came from.
    package init(
        label: Int64, reference: Int, prediction: Int, tp: Int, fn: Int, fp: Int, recall: Double?,
        precision: Double?, f1: Double?, fpVolumeMl: Double, fnVolumeMl: Double, lesionDice: Double?, pqTp: Int,
        pqFp: Int, pqFn: Int, sq: Double?, rq: Double?, pq: Double?
    ) {
        self.label = label
        self.reference = reference
        self.prediction = prediction
        self.tp = tp
        self.fn = fn
        self.fp = fp
        self.recall = recall
        self.precision = precision
        self.f1 = f1
        self.fpVolumeMl = fpVolumeMl
        self.fnVolumeMl = fnVolumeMl
        self.lesionDice = lesionDice
        self.pqTp = pqTp
        self.pqFp = pqFp
        self.pqFn = pqFn
        self.sq = sq
        self.rq = rq
        self.pq = pq
    }

    /// A label neither image holds (a cohort reports labels found in other cases): no lesion on either side.
    package static func absent(label: Int64) -> LesionScores {
        LesionScores(
            label: label, referenceVoxels: [], predictionVoxels: [], overlaps: [], referenceVoxelMl: 0,
            predictionVoxelMl: 0)
    }
}

extension Evaluator {
    /// The lesion-wise metrics of every label `reference` holds, and of every region, against an all-background
    /// prediction: what a cohort's `--missing worst` scores when a prediction is missing (every lesion missed).
    ///
    /// The reference is streamed once, as both images of the pass, for its components (the ignore label's voxels
    /// left out, as in a scored pair); the prediction's are then dropped, so the metrics follow the same
    /// definitions (and `minimumVoxels`) as a scored pair's.
    /// - Throws: ``EvaluationError`` for unreadable data or a file that is not a label map.
    package static func lesionsAgainstEmptyPrediction(
        of reference: NiftiFile, options: LesionOptions, regions: [Region] = [], ignoreLabel: Int64? = nil,
        slab: SlabSize, concurrent: Bool
    ) throws(EvaluationError) -> (labels: [LesionScores], regions: [LesionScores]) {
        let (confusion, gathered) = try pass(
            prediction: reference, reference: reference, slab: slab, concurrent: concurrent, boundary: nil,
            lesions: options.connectivity, regions: regions.map(\.labels), ignoreLabel: ignoreLabel)
        guard let gathered, let tables = gathered.lesions else {
            preconditionFailure("a pass with a connectivity returns lesion tables")
        }
        let voxelMl = reference.header.voxelVolumeMl
        func missed(_ tables: LesionTables, _ labels: [Int64]) -> [LesionScores] {
            LesionTables(reference: tables.reference, prediction: [], overlaps: [], labelOfCode: tables.labelOfCode)
                .scores(
                    of: labels, minimumVoxels: options.minimumVoxels, referenceVoxelMl: voxelMl,
                    predictionVoxelMl: voxelMl)
        }
        return (
            missed(tables, confusion.labels),
            gathered.regionLesions.enumerated().flatMap { k, tables in missed(tables, [Int64(k)]) }
        )
    }
}
