import DiceEngine
import Documents
import NiftiIO

/// A structure a snapshot can show: a label, or a region (the union of its labels).
package struct SnapshotStructure: Sendable {
    /// The tile's first caption line: `3 liver`, or a region's key and name, `(1, 2, 3) whole tumour`.
    package let title: String
    /// Its labels: one for a label, the members of a region.
    package let labels: [Int64]
    package let scores: OverlapScores
}

/// A scored pair drawn as one PNG: each of its worst structures on the slice where the images disagree most.
package enum PairSnapshot {
    /// The `count` worst of the scored labels (`labels`, ascending) and regions: those with a Dice, lowest first,
    /// ties to labels before regions, then in order — for labels alone the order of `compare`'s “worst” line.
    package static func worst(
        labels: [OverlapScores], regions: [(region: Region, scores: OverlapScores)], names: LabelNames, count: Int
    ) -> [SnapshotStructure] {
        let all =
            labels.map { s in
                SnapshotStructure(
                    title: "\(s.label)" + (names[s.label].map { " " + $0 } ?? ""), labels: [s.label], scores: s)
            }
            + regions.map {
                SnapshotStructure(
                    title: $0.region.key + " " + $0.region.name, labels: $0.region.labels, scores: $0.scores)
            }
        return Array(
            all.enumerated().filter { $0.element.scores.dice != nil }
                .sorted { ($0.element.scores.dice ?? 0, $0.offset) < ($1.element.scores.dice ?? 0, $1.offset) }
                .prefix(count).map(\.element))
    }

    /// The PNG of `structures` (already chosen, e.g. by ``worst(_:count:)``) of a pair whose grids were checked,
    /// with `image` (checked here against the reference's grid) underneath when given.
    ///
    /// Streams the pair twice, or more with nested regions (``Evaluator/disagreementPlanes(prediction:reference:structures:axis:ignoreLabel:slab:concurrent:)``)
    /// and the image twice (``Evaluator/intensityPlanes(of:onGridOf:axis:indices:geometryTolerance:ignoreGeometry:slab:)``).
    /// - Throws: ``EvaluationError`` when a file cannot be read, or the image is on another grid.
    package static func png(
        prediction: NiftiFile, reference: NiftiFile, image: NiftiFile?, structures: [SnapshotStructure],
        axis: SliceAxis, evaluation: EvaluationOptions
    ) throws(EvaluationError) -> [UInt8] {
        // The image first: a mismatched grid fails before the pair is read again.
        if let image {
            try Evaluator.checkIntensityImage(
                image, onGridOf: reference, geometryTolerance: evaluation.geometryTolerance,
                ignoreGeometry: evaluation.ignoreGeometry)
        }
        let planes = try Evaluator.disagreementPlanes(
            prediction: prediction, reference: reference, structures: structures.map(\.labels), axis: axis,
            ignoreLabel: evaluation.selection.ignoreLabel, slab: evaluation.slab,
            concurrent: evaluation.decodeConcurrently)
        let intensity = try image.map { image throws(EvaluationError) in
            try Evaluator.intensityPlanes(
                of: image, onGridOf: reference, axis: axis, indices: planes.map(\.index),
                geometryTolerance: evaluation.geometryTolerance, ignoreGeometry: evaluation.ignoreGeometry,
                slab: evaluation.slab)
        }
        let tiles = zip(structures, planes).enumerated().map { n, pair in
            let (structure, plane) = pair
            return SnapshotTile(
                plane: plane, title: structure.title, detail: detail(structure.scores, plane),
                intensity: intensity?.planes[n])
        }
        let sheet = SnapshotSheet(tiles: tiles, axis: axis, header: reference.header, window: intensity?.window)
        return PNGEncoder.encode(sheet.render())
    }

    /// `Dice 0.6667  z 12`, or the structure's absence.
    static func detail(_ scores: OverlapScores, _ plane: StructurePlane) -> String {
        let dice = "Dice " + (scores.dice.map(fourDecimals) ?? "-")
        if plane.isAbsent { return dice + "  absent" }
        return dice + "  \(plane.axis.indexName) \(plane.index)"
    }

    /// `0.6667`: a value in [0, 1] to four decimals.
    static func fourDecimals(_ value: Double) -> String {
        let scaled = Int((value * 10_000).rounded())
        let fraction = String(scaled % 10_000)
        return "\(scaled / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
