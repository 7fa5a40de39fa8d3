/// One label's lesion-wise metrics (definitions: README, "Lesion-wise metrics"; `../shared/lesion-golden`).
///
/// A lesion is a connected component of the voxels of the label. Detection is by any overlap: a reference lesion
/// is found (`tp`) when a predicted component shares a voxel with it, and a predicted component that shares none
/// with a reference lesion is a false positive. Panoptic quality matches a reference lesion and a predicted
/// component when their IoU exceeds 0.5, which pairs each with at most one. `nil` where undefined: recall without
/// reference lesions, precision without predicted ones, F1, RQ and PQ without either, lesion Dice when there is
/// nothing to average (no reference lesion and no false positive), SQ without a match.
public struct LesionScores: Sendable, Equatable {
    public let label: Int64
    public let reference: Int
    public let prediction: Int
    public let tp: Int
    public let fn: Int
    public let fp: Int
    public let recall: Double?
    public let precision: Double?
    public let f1: Double?
    public let fpVolumeMl: Double
    public let fnVolumeMl: Double
    public let lesionDice: Double?
    public let pqTp: Int
    public let pqFp: Int
    public let pqFn: Int
    public let sq: Double?
    public let rq: Double?
    public let pq: Double?

    /// The metrics of one label from its components' sizes and their overlaps.
    ///
    /// - Parameters:
    ///   - referenceVoxels, predictionVoxels: the size of each component (already without those dropped by
    ///     `--min-lesion-voxels`).
    ///   - overlaps: voxels shared by (index into `referenceVoxels`, index into `predictionVoxels`) pairs, each
    ///     pair once.
    init(
        label: Int64, referenceVoxels: [Int], predictionVoxels: [Int],
        overlaps: [(reference: Int, prediction: Int, voxels: Int)],
        referenceVoxelMl: Double, predictionVoxelMl: Double
    ) {
        self.label = label
        reference = referenceVoxels.count
        prediction = predictionVoxels.count
        // Per reference lesion: voxels shared with any predicted component, and the size of those components.
        var shared = [Int](repeating: 0, count: reference)
        var touching = [Int](repeating: 0, count: reference)
        var predictionHits = [Bool](repeating: false, count: prediction)
        var matches = 0
        var iouSum = 0.0
        for o in overlaps where o.voxels > 0 {
            shared[o.reference] += o.voxels
            touching[o.reference] += predictionVoxels[o.prediction]
            predictionHits[o.prediction] = true
            let union = referenceVoxels[o.reference] + predictionVoxels[o.prediction] - o.voxels
            // IoU > 1/2 exactly, in integers.
            if 2 * o.voxels > union {
                matches += 1
                iouSum += Double(o.voxels) / Double(union)
            }
        }
        tp = shared.count { $0 > 0 }
        fn = reference - tp
        fp = predictionHits.count { !$0 }
        recall = reference == 0 ? nil : Double(tp) / Double(reference)
        precision = prediction == 0 ? nil : Double(prediction - fp) / Double(prediction)
        if reference == 0 && prediction == 0 {
            f1 = nil
        } else if let recall, let precision, recall + precision > 0 {
            f1 = 2 * precision * recall / (precision + recall)
        } else {
            f1 = 0
        }
        var missed = 0
        var diceSum = 0.0
        for r in 0..<reference {
            if shared[r] == 0 {
                missed += referenceVoxels[r]
            } else {
                diceSum += Double(2 * shared[r]) / Double(referenceVoxels[r] + touching[r])
            }
        }
        var falseVoxels = 0
        for p in 0..<prediction where !predictionHits[p] { falseVoxels += predictionVoxels[p] }
        fnVolumeMl = Double(missed) * referenceVoxelMl
        fpVolumeMl = Double(falseVoxels) * predictionVoxelMl
        lesionDice = reference + fp == 0 ? nil : diceSum / Double(reference + fp)
        pqTp = matches
        pqFp = prediction - matches
        pqFn = reference - matches
        sq = matches == 0 ? nil : iouSum / Double(matches)
        if reference == 0 && prediction == 0 {
            rq = nil
            pq = nil
        } else {
            let rq = Double(matches) / (Double(matches) + Double(pqFp) / 2 + Double(pqFn) / 2)
            self.rq = rq
            pq = sq.map { $0 * rq } ?? 0
        }
    }
}

extension LesionTables {
    /// The lesion-wise metrics of each of `labels`, dropping components of fewer than `minimumVoxels` voxels.
    func scores(
        of labels: [Int64], minimumVoxels: Int, referenceVoxelMl: Double, predictionVoxelMl: Double
    ) -> [LesionScores] {
        // Per code: the kept components of each image (their new index within the code) and their overlaps.
        var codeOfLabel: [Int64: Int] = [:]
        for (code, label) in labelOfCode.enumerated() {
            if let label, codeOfLabel[label] == nil { codeOfLabel[label] = code }
        }
        func kept(_ components: [Component]) -> (sizes: [Int: [Int]], index: [Int]) {
            var sizes: [Int: [Int]] = [:]
            var index = [Int](repeating: -1, count: components.count)
            for (k, c) in components.enumerated() where c.voxels >= minimumVoxels {
                index[k] = sizes[Int(c.code), default: []].count
                sizes[Int(c.code), default: []].append(c.voxels)
            }
            return (sizes, index)
        }
        let r = kept(reference)
        let p = kept(prediction)
        var pairs: [Int: [(reference: Int, prediction: Int, voxels: Int)]] = [:]
        for o in overlaps {
            let ri = r.index[o.reference]
            let pi = p.index[o.prediction]
            guard ri >= 0, pi >= 0 else { continue }
            pairs[Int(reference[o.reference].code), default: []].append((ri, pi, o.voxels))
        }
        return labels.map { label in
            let code = codeOfLabel[label] ?? -1
            return LesionScores(
                label: label, referenceVoxels: r.sizes[code] ?? [], predictionVoxels: p.sizes[code] ?? [],
                overlaps: pairs[code] ?? [], referenceVoxelMl: referenceVoxelMl, predictionVoxelMl: predictionVoxelMl)
        }
    }
}
