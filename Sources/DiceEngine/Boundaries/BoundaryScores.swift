import BoundaryMetrics

/// One structure's boundary metrics, in the order they were asked for; `nil` where undefined (the reference
/// lacks the label under `ignoreEmpty`, or no NSD tolerance was given for it).
public struct BoundaryScores: Sendable, Equatable {
    public let label: Int64
    public let values: [(metric: BoundaryMetric, value: Double?)]

    public init(label: Int64, values: [(metric: BoundaryMetric, value: Double?)]) {
        self.label = label
        self.values = values
    }

    public func value(_ metric: BoundaryMetric) -> Double? {
        values.first { $0.metric == metric }?.value ?? nil
    }

    public static func == (lhs: BoundaryScores, rhs: BoundaryScores) -> Bool {
        lhs.label == rhs.label && lhs.values.elementsEqual(rhs.values) { $0.metric == $1.metric && $0.value == $1.value }
    }

    /// The values segscore's empty rule (``EmptyStructureRule``) gives a label that one or both images lack,
    /// without measuring anything; `nil` when both hold it and it must be measured. A cohort scores a missing
    /// prediction (and a label only other cases hold) this way.
    public static func unmeasured(
        label: Int64, predictionHasLabel: Bool, referenceHasLabel: Bool, options: BoundaryOptions, ignoreEmpty: Bool,
        emptyDistanceMm: Double
    ) -> BoundaryScores? {
        let outcome = EmptyStructureRule.outcome(
            predictionHasLabel: predictionHasLabel, referenceHasLabel: referenceHasLabel, ignoreEmpty: ignoreEmpty,
            diagonalMm: emptyDistanceMm)
        let tolerance = options.nsdTolerance?.mm(for: label)
        let values: [(metric: BoundaryMetric, value: Double?)]
        switch outcome {
        case .measured: return nil
        case .undefined: values = options.metrics.map { ($0, nil) }
        case .fixed(let distance, let nsd):
            values = options.metrics.map { ($0, $0 == .nsd ? (tolerance == nil ? nil : nsd) : distance) }
        }
        return BoundaryScores(label: label, values: values)
    }
}

extension LabelBoundaries {
    /// The requested metrics of every scored label.
    ///
    /// Labels that both images hold are measured (their distances computed in parallel, largest surfaces
    /// first); the others follow segscore's empty rule (``EmptyStructureRule``): `nil` when the reference
    /// lacks the label under `ignoreEmpty`, else the grid's diagonal (`emptyDistanceMm`) and NSD 0, or 0 and 1
    /// when neither image has it.
    func scores(
        of overlap: [OverlapScores], options: BoundaryOptions, spacing: Spacing, ignoreEmpty: Bool,
        emptyDistanceMm: Double
    ) -> [BoundaryScores] {
        let outcomes = overlap.map {
            EmptyStructureRule.outcome(
                predictionHasLabel: $0.predictionVoxels > 0, referenceHasLabel: $0.referenceVoxels > 0,
                ignoreEmpty: ignoreEmpty, diagonalMm: emptyDistanceMm)
        }
        let measured = overlap.indices.filter { outcomes[$0] == .measured }
        let kind = options.definition.kind
        let codes = measured.map { code(of: overlap[$0].label) ?? 0 }
        let distances = sets.distances(codes: codes, kind: kind, spacing: spacing)
        var distanceOf: [Int: SurfaceDistances] = [:]
        for (index, d) in zip(measured, distances) { distanceOf[index] = d }
        return overlap.indices.map { index in
            let s = overlap[index]
            if let fixed = BoundaryScores.unmeasured(
                label: s.label, predictionHasLabel: s.predictionVoxels > 0, referenceHasLabel: s.referenceVoxels > 0,
                options: options, ignoreEmpty: ignoreEmpty, emptyDistanceMm: emptyDistanceMm)
            {
                return fixed
            }
            let tolerance = options.nsdTolerance?.mm(for: s.label)
            let d = distanceOf[index] ?? SurfaceDistances(
                predictionToReference: .init(distances: [], weights: []),
                referenceToPrediction: .init(distances: [], weights: []))
            return BoundaryScores(
                label: s.label,
                values: options.metrics.map { metric in
                    (metric, Self.value(metric, of: d, definition: options.definition, tolerance: tolerance))
                })
        }
    }

    private static func value(
        _ metric: BoundaryMetric, of d: SurfaceDistances, definition: DistanceDefinition, tolerance: Double?
    ) -> Double? {
        switch definition {
        case .deepmind:
            let stats = SurfaceDistanceStats(d)
            switch metric {
            case .hd: return stats.hd
            case .percentile(let p): return stats.percentile(p)
            case .masd: return stats.masd
            case .assd: return stats.assd
            case .nsd: return tolerance.map { stats.nsd(tolerance: $0) }
            }
        case .monai:
            switch metric {
            case .hd: return Double(MonaiBoundaryMetrics.hausdorffDistance(d, percentile: nil, directed: false))
            case .percentile(let p):
                return Double(MonaiBoundaryMetrics.hausdorffDistance(d, percentile: p, directed: false))
            case .masd:
                let swapped = SurfaceDistances(
                    predictionToReference: d.referenceToPrediction, referenceToPrediction: d.predictionToReference)
                let forward = MonaiBoundaryMetrics.averageSurfaceDistance(d, symmetric: false)
                let backward = MonaiBoundaryMetrics.averageSurfaceDistance(swapped, symmetric: false)
                return (Double(forward) + Double(backward)) / 2
            case .assd: return Double(MonaiBoundaryMetrics.averageSurfaceDistance(d, symmetric: true))
            case .nsd:
                return tolerance.map {
                    Double(MonaiBoundaryMetrics.surfaceDice(d, threshold: $0, useSubvoxels: false))
                }
            }
        }
    }
}
