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
        lhs.label == rhs.label
            && lhs.values.elementsEqual(rhs.values) { $0.metric == $1.metric && $0.value == $1.value }
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
        // The empty rule settles every label one image lacks; only the others are measured.
        let settled = overlap.map {
            BoundaryScores.unmeasured(
                label: $0.label, predictionHasLabel: $0.predictionVoxels > 0, referenceHasLabel: $0.referenceVoxels > 0,
                options: options, ignoreEmpty: ignoreEmpty, emptyDistanceMm: emptyDistanceMm)
        }
        let measured = overlap.indices.filter { settled[$0] == nil }
        let codes = measured.map { code(of: overlap[$0].label) ?? 0 }
        let tolerances = measured.map { options.nsdTolerance?.mm(for: overlap[$0].label) }
        let values = measuredValues(codes: codes, tolerances: tolerances, options: options, spacing: spacing)
        var valuesOf: [Int: [Double?]] = [:]
        for (index, row) in zip(measured, values) { valuesOf[index] = row }
        return overlap.indices.map { index in
            if let fixed = settled[index] { return fixed }
            let row = valuesOf[index] ?? options.metrics.map { _ in nil }
            return BoundaryScores(label: overlap[index].label, values: Array(zip(options.metrics, row)))
        }
    }

    /// The requested metrics of labels both images hold, one row per code (columns as `options.metrics`),
    /// computed on both cores with one label's distances in memory per core.
    private func measuredValues(
        codes: [UInt32], tolerances: [Double?], options: BoundaryOptions, spacing: Spacing
    ) -> [[Double?]] {
        let metrics = options.metrics
        switch options.definition {
        case .deepmind:
            let percentiles = metrics.compactMap { if case .percentile(let p) = $0 { p } else { nil } }
            let distinct = Array(Set(tolerances.compactMap { $0 })).sorted()
            let summaries = sets.surfaceDistanceSummaries(
                codes: codes, spacing: spacing, percentiles: percentiles, tolerances: distinct)
            return zip(summaries, tolerances).map { summary, tolerance in
                metrics.map { metric -> Double? in
                    switch metric {
                    case .hd: summary.hd
                    case .percentile(let p): percentiles.firstIndex(of: p).map { summary.percentiles[$0] }
                    case .masd: summary.masd
                    case .assd: summary.assd
                    case .nsd: tolerance.flatMap { distinct.firstIndex(of: $0) }.map { summary.nsd[$0] }
                    }
                }
            }
        case .monai:
            let byCode = Dictionary(zip(codes, tolerances), uniquingKeysWith: { first, _ in first })
            return sets.map(codes: codes, kind: .edgeVoxels, spacing: spacing) { code, d in
                metrics.map { Self.monaiValue($0, of: d, tolerance: byCode[code] ?? nil) }
            }
        }
    }

    /// One metric by MONAI 1.6.1's rules (float32 distances), widened to `Double`.
    private static func monaiValue(_ metric: BoundaryMetric, of d: SurfaceDistances, tolerance: Double?) -> Double? {
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
            return tolerance.map { Double(MonaiBoundaryMetrics.surfaceDice(d, threshold: $0, useSubvoxels: false)) }
        }
    }
}
