/// How many voxels carry each (prediction label, reference label) pair: everything per-label scores and the
/// label confusion matrix are computed from.
public struct LabelConfusion: Sendable, Equatable {
    public struct Pair: Hashable, Sendable {
        public let prediction: Int64
        public let reference: Int64

        public init(prediction: Int64, reference: Int64) {
            self.prediction = prediction
            self.reference = reference
        }
    }

    /// Voxels in the image.
    public let voxelCount: Int
    /// Non-zero cells only.
    public let counts: [Pair: Int]

    public init(voxelCount: Int, counts: [Pair: Int]) {
        self.voxelCount = voxelCount
        self.counts = counts
    }

    /// Every label value present in either image, ascending (background included).
    public var labels: [Int64] {
        Array(Set(counts.keys.flatMap { [$0.prediction, $0.reference] })).sorted()
    }

    /// The confusion without the voxels whose reference label is `label`, as nnU-Net's ignore label leaves them
    /// out of every count (TN included): dropping those cells before scoring does it for every label at once.
    public func ignoringReference(_ label: Int64) -> LabelConfusion {
        var kept = counts
        var dropped = 0
        for (pair, n) in counts where pair.reference == label {
            kept[pair] = nil
            dropped += n
        }
        return LabelConfusion(voxelCount: voxelCount - dropped, counts: kept)
    }

    /// Per label: voxels in the prediction, in the reference, and in both (one pass over the cells).
    public var marginals: [Int64: (prediction: Int, reference: Int, both: Int)] {
        var result: [Int64: (prediction: Int, reference: Int, both: Int)] = [:]
        for (pair, n) in counts {
            result[pair.prediction, default: (0, 0, 0)].prediction += n
            result[pair.reference, default: (0, 0, 0)].reference += n
            if pair.prediction == pair.reference { result[pair.prediction, default: (0, 0, 0)].both += n }
        }
        return result
    }
}
