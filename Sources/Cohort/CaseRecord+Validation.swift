import DiceEngine

extension CaseRecord {
    /// The largest grid a record may claim, 2⁴⁰ voxels (a terabyte of uint8): far beyond any scan, and small
    /// enough that summing the counts of millions of cases cannot overflow.
    package static let maximumVoxels = 1 << 40

    /// Why the record cannot be what segscore wrote, or `nil` when it is consistent.
    ///
    /// A case file is read back by `--resume` and `merge`, and may have been edited or damaged: every count
    /// must be non-negative, and each label's tp + fp + fn + tn must be the grid's voxels (summed without
    /// overflow, so a tampered 2⁶³ − 1 is refused rather than trapping later).
    package var inconsistency: String? {
        if status == .failed {
            return counts.isEmpty && voxels == 0 ? nil : "a failed case with counts"
        }
        guard (0...Self.maximumVoxels).contains(voxels) else { return "voxels \(voxels) out of range" }
        guard predictionVoxelVolumeMl.isFinite, predictionVoxelVolumeMl >= 0, referenceVoxelVolumeMl.isFinite,
            referenceVoxelVolumeMl >= 0
        else { return "voxel volume not a non-negative number" }
        var previous: Int64? = nil
        for c in counts {
            if let previous, c.label <= previous { return "label \(c.label) repeated or out of order" }
            previous = c.label
            guard [c.tp, c.fp, c.fn, c.tn].allSatisfy({ $0 >= 0 }) else { return "label \(c.label): negative count" }
            let (sum, overflow) = [c.fp, c.fn, c.tn].reduce((c.tp, false)) { partial, count in
                let next = partial.0.addingReportingOverflow(count)
                return (next.partialValue, partial.1 || next.overflow)
            }
            guard !overflow, sum == voxels else { return "label \(c.label): tp + fp + fn + tn is not \(voxels)" }
        }
        guard lesions.isEmpty || lesions.map(\.label) == counts.map(\.label) else {
            return "lesion values not for the labels counted"
        }
        if let problem = (lesions + regionLesions).lazy.compactMap(\.inconsistency).first { return problem }
        for c in regionCounts {
            guard [c.tp, c.fp, c.fn, c.tn].allSatisfy({ (0...Self.maximumVoxels).contains($0) }),
                c.tp + c.fp + c.fn + c.tn == voxels
            else { return "region \(c.label + 1): counts do not add up to \(voxels)" }
        }
        return nil
    }
}
