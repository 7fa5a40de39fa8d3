/// What segscore reports for a label that one or both masks lack, on top of the `deepmind` definition (which
/// would give inf/NaN there).
public enum EmptyStructureOutcome: Sendable, Equatable {
    /// Both masks hold the label: compute the statistics from the distances.
    case measured
    /// Not defined (reported as `null`): the reference lacks the label under `--ignore-empty`.
    case undefined
    /// Every distance statistic is `distance` (mm) and NSD is `nsd`.
    case fixed(distance: Double, nsd: Double)
}

/// segscore's rule for empty structures.
///
/// A prediction that misses a structure gets the grid's diagonal as its distances and NSD 0: finite, so cohort
/// means and regression gates see the failure (BraTS uses the same idea, 373.13 mm for 240×240×155 at 1 mm).
/// | case | ignoreEmpty (default) | noIgnoreEmpty |
/// |---|---|---|
/// | reference lacks it, prediction too | undefined | distances 0, NSD 1 |
/// | reference lacks it, prediction has it | undefined | diagonal, NSD 0 |
/// | prediction lacks it, reference has it | diagonal, NSD 0 | diagonal, NSD 0 |
public enum EmptyStructureRule {
    /// What to report for one label, from whether each mask holds it (has any boundary element).
    ///
    /// - Parameters:
    ///   - predictionHasLabel: the prediction holds at least one voxel of the label.
    ///   - referenceHasLabel: the reference holds at least one voxel of the label.
    ///   - ignoreEmpty: `--ignore-empty` (the default): a label the reference lacks is undefined.
    ///   - diagonalMm: ``diagonalMm(width:height:depth:spacing:)`` of the grid.
    /// - Returns: `.measured`, `.undefined`, or the fixed distance and NSD of the table above.
    public static func outcome(
        predictionHasLabel: Bool,
        referenceHasLabel: Bool,
        ignoreEmpty: Bool,
        diagonalMm: Double
    ) -> EmptyStructureOutcome {
        switch (predictionHasLabel, referenceHasLabel) {
        case (true, true): .measured
        case (false, true): .fixed(distance: diagonalMm, nsd: 0)
        case (_, false) where ignoreEmpty: .undefined
        case (true, false): .fixed(distance: diagonalMm, nsd: 0)
        case (false, false): .fixed(distance: 0, nsd: 1)
        }
    }

    /// The grid's diagonal in mm, √Σ(nᵢ·sᵢ)².
    public static func diagonalMm(width: Int, height: Int, depth: Int, spacing: Spacing) -> Double {
        let x = Double(width) * spacing.x
        let y = Double(height) * spacing.y
        let z = Double(depth) * spacing.z
        return (x * x + y * y + z * z).squareRoot()
    }
}
