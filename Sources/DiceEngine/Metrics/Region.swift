/// A union of labels scored as one structure: nnU-Net's region (BraTS whole tumour = labels 1, 2, 3).
///
/// A voxel belongs to the region in an image when its label is one of ``labels``; the counts follow from the
/// confusion cells (tp: both labels in the region, fp: only the prediction's, fn: only the reference's).
public struct Region: Sendable, Hashable {
    public let name: String
    /// In the order given: nnU-Net's key keeps it.
    public let labels: [Int64]
    /// nnU-Net's summary key: Python's `str(tuple(labels))`, `(1, 2, 3)` (`(3,)` for one label), or the bare
    /// label (`3`) for a region a dataset.json gives as a bare value.
    public let key: String

    /// - Parameter bare: the region is one label given as a bare value, keyed `3` rather than `(3,)`.
    public init(name: String, labels: [Int64], bare: Bool = false) {
        self.name = name
        self.labels = labels
        let list = labels.map(String.init).joined(separator: ", ")
        key = bare && labels.count == 1 ? list : "(" + list + (labels.count == 1 ? ",)" : ")")
    }
}

extension LabelConfusion {
    /// The scores of each region, in order; each score's ``OverlapScores/label`` is the region's index in
    /// `regions`, since a region has no label of its own.
    public func scores(of regions: [Region], rule: EmptyRule) -> [OverlapScores] {
        regions.enumerated().map { index, region in
            let members = Set(region.labels)
            var (tp, fp, fn) = (0, 0, 0)
            for (pair, n) in counts {
                switch (members.contains(pair.prediction), members.contains(pair.reference)) {
                case (true, true): tp += n
                case (true, false): fp += n
                case (false, true): fn += n
                case (false, false): break
                }
            }
            return OverlapScores(
                label: Int64(index), tp: tp, fp: fp, fn: fn, tn: voxelCount - tp - fp - fn, rule: rule)
        }
    }
}
