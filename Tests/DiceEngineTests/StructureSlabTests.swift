import DiceEngine
import NiftiIO
import TestSupport
import Testing

/// Boundary and lesion-wise metrics of regions and under an ignore label, against their definitions made
/// concrete: a region scores exactly as one label painted over its members' voxels, and the ignore label
/// exactly as a pair with both images cleared wherever the reference holds it.
@Suite struct StructureSlabTests {
    static let shape = [9, 7, 6]
    static let ignore: Int64 = 4

    /// Boxes of labels 1–3 in both images, the reference also with boxes of the ignore label.
    static func pair(seed: UInt64) -> (prediction: [Int64], reference: [Int64]) {
        var random = SplitMix64(seed: seed)
        func image(labels: [Int64], boxes: Int) -> [Int64] {
            var voxels = [Int64](repeating: 0, count: shape.reduce(1, *))
            for _ in 0..<boxes {
                let label = labels[Int(random.next() % UInt64(labels.count))]
                let lower = shape.map { Int(random.next() % UInt64($0)) }
                let upper = zip(lower, shape).map { min($1, $0 + 1 + Int(random.next() % 4)) }
                for z in lower[2]..<upper[2] {
                    for y in lower[1]..<upper[1] {
                        for x in lower[0]..<upper[0] { voxels[(z * shape[1] + y) * shape[0] + x] = label }
                    }
                }
            }
            return voxels
        }
        return (image(labels: [1, 2, 3], boxes: 9), image(labels: [1, 2, 3, 1, 2, 3, ignore], boxes: 12))
    }

    static func evaluate(
        _ prediction: [Int64], _ reference: [Int64], dataType: NiftiDataType, slab: Int, definition: DistanceDefinition,
        labels: [Int64]?, regions: [Region] = [], ignoreLabel: Int64? = nil
    ) throws -> PairEvaluation {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: shape, dataType: dataType)
        try fixture.write(prediction, to: directory.file("p.nii"))
        try fixture.write(reference, to: directory.file("r.nii"))
        var options = EvaluationOptions()
        options.selection = LabelSelection(labels: labels, ignoreLabel: ignoreLabel)
        options.regions = regions
        options.slab = SlabSize(voxels: slab * shape[0] * shape[1])
        options.boundary = BoundaryOptions(
            metrics: [.hd, .percentile(95), .masd, .assd, .nsd], definition: definition,
            nsdTolerance: NSDTolerance(defaultMm: 1, perLabelMm: [0: 3, 1: 0.5]))
        options.lesions = LesionOptions(connectivity: .faces)
        return try Evaluator.evaluate(
            prediction: NiftiFile(path: directory.file("p.nii")), reference: NiftiFile(path: directory.file("r.nii")),
            options: options)
    }

    static let variants: [(NiftiDataType, Int, DistanceDefinition)] = [
        (.uint8, 1, .deepmind), (.uint8, 4, .monai), (.int16, 1, .monai), (.int16, 6, .deepmind),
        (.uint8, 6, .deepmind),
    ]

    @Test(arguments: 0..<variants.count)
    func aRegionScoresAsOneLabelOverItsMembers(variant: Int) throws {
        let (dataType, slab, definition) = Self.variants[variant]
        for seed in UInt64(1)...4 {
            let (p, r) = Self.pair(seed: seed &* 7919 &+ UInt64(variant))
            let regions = [
                Region(name: "a", labels: [1, 2]), Region(name: "b", labels: [3]),
                Region(name: "c", labels: [1, 2, 3]),
            ]
            let result = try Self.evaluate(
                p, r, dataType: dataType, slab: slab, definition: definition, labels: nil, regions: regions)
            for (k, region) in regions.enumerated() {
                let members = Set(region.labels)
                // Painted as label 2, which takes the default τ as a region does (label 1 has its own).
                let painted = try Self.evaluate(
                    p.map { members.contains($0) ? 2 : 0 }, r.map { members.contains($0) ? 2 : 0 }, dataType: dataType,
                    slab: slab, definition: definition, labels: [2])
                #expect(
                    result.regionBoundaries?[k].values.map(\.value) == painted.boundaries?.first?.values.map(\.value))
                #expect(result.regionLesions?[k].values == painted.lesions?.first?.values, "seed \(seed)")
                #expect(result.regionScores[k].tp == painted.scores.first?.tp)
            }
        }
    }

    @Test func aRegionTakesTheDefaultToleranceNotTheLabelsOwn() throws {
        let (p, r) = Self.pair(seed: 11)
        let result = try Self.evaluate(
            p, r, dataType: .uint8, slab: 2, definition: .deepmind, labels: [1],
            regions: [Region(name: "one", labels: [1])])
        let label = try #require(result.boundaries?.first)
        let region = try #require(result.regionBoundaries?.first)
        #expect(label.value(.hd) == region.value(.hd) && label.value(.assd) == region.value(.assd))
        // NSD of the region over label 1 at the default 1 mm: label 1 measured under the default τ, as label 2.
        let relabelled = try Self.evaluate(
            p.map { $0 == 1 ? 2 : 0 }, r.map { $0 == 1 ? 2 : 0 }, dataType: .uint8, slab: 2, definition: .deepmind,
            labels: [2])
        #expect(region.value(.nsd) == relabelled.boundaries?.first?.value(.nsd))
    }

    @Test(arguments: 0..<variants.count)
    func theIgnoreLabelScoresAsAPairClearedWhereTheReferenceHoldsIt(variant: Int) throws {
        let (dataType, slab, definition) = Self.variants[variant]
        for seed in UInt64(1)...4 {
            let (p, r) = Self.pair(seed: seed &* 104_729 &+ UInt64(variant))
            let regions = [Region(name: "a", labels: [2, 3])]
            let result = try Self.evaluate(
                p, r, dataType: dataType, slab: slab, definition: definition, labels: [1, 2, 3], regions: regions,
                ignoreLabel: Self.ignore)
            let cleared = try Self.evaluate(
                zip(p, r).map { $1 == Self.ignore ? 0 : $0 }, r.map { $0 == Self.ignore ? 0 : $0 }, dataType: dataType,
                slab: slab, definition: definition, labels: [1, 2, 3], regions: regions)
            #expect(result.boundaries == cleared.boundaries, "seed \(seed)")
            #expect(result.lesions == cleared.lesions, "seed \(seed)")
            #expect(result.regionBoundaries == cleared.regionBoundaries, "seed \(seed)")
            #expect(result.regionLesions == cleared.regionLesions, "seed \(seed)")
            #expect(result.scores.map(\.tp) == cleared.scores.map(\.tp))
        }
    }

    @Test func onlyRegionsMeansNoLabelIsMeasured() throws {
        let (p, r) = Self.pair(seed: 5)
        let result = try Self.evaluate(
            p, r, dataType: .uint8, slab: 3, definition: .deepmind, labels: [],
            regions: [Region(name: "all", labels: [1, 2, 3])])
        #expect(result.boundaries == [] && result.lesions == [])
        #expect(result.regionBoundaries?.count == 1 && result.regionLesions?.count == 1)
    }
}

extension LesionScores {
    /// Every value but the label (a region is known by its index, a painted label by its value).
    fileprivate var values: [Double?] {
        [
            Double(reference), Double(prediction), Double(tp), Double(fn), Double(fp), recall, precision, f1,
            fpVolumeMl, fnVolumeMl, lesionDice, Double(pqTp), Double(pqFp), Double(pqFn), sq, rq, pq,
        ]
    }
}
