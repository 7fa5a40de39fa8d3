import DiceEngine
import Documents
import NiftiIO

/// A scored pair drawn as one PNG: each of its worst structures on the slice where the images disagree most.
package enum PairSnapshot {
    /// The `count` worst structures of `scores`: those with a Dice, lowest first, ties by label — the order of
    /// `compare`'s “worst” line.
    package static func worst(_ scores: [OverlapScores], count: Int) -> [OverlapScores] {
        Array(
            scores.filter { $0.dice != nil }.sorted { ($0.dice ?? 0, $0.label) < ($1.dice ?? 0, $1.label) }
                .prefix(count))
    }

    /// The PNG of `structures` (already chosen, e.g. by ``worst(_:count:)``) of a pair whose grids were checked,
    /// with `image` (checked here against the reference's grid) underneath when given.
    ///
    /// Streams the pair twice (``Evaluator/disagreementPlanes(prediction:reference:labels:axis:ignoreLabel:slab:concurrent:)``)
    /// and the image twice (``Evaluator/intensityPlanes(of:onGridOf:axis:indices:geometryTolerance:ignoreGeometry:slab:)``).
    /// - Throws: ``EvaluationError`` when a file cannot be read, or the image is on another grid.
    package static func png(
        prediction: NiftiFile, reference: NiftiFile, image: NiftiFile?, structures: [OverlapScores],
        names: LabelNames, axis: SliceAxis, evaluation: EvaluationOptions
    ) throws(EvaluationError) -> [UInt8] {
        // The image first: a mismatched grid fails before the pair is read again.
        if let image {
            try Evaluator.checkIntensityImage(
                image, onGridOf: reference, geometryTolerance: evaluation.geometryTolerance,
                ignoreGeometry: evaluation.ignoreGeometry)
        }
        let planes = try Evaluator.disagreementPlanes(
            prediction: prediction, reference: reference, labels: structures.map(\.label), axis: axis,
            ignoreLabel: evaluation.selection.ignoreLabel, slab: evaluation.slab,
            concurrent: evaluation.decodeConcurrently)
        let intensity = try image.map { image throws(EvaluationError) in
            try Evaluator.intensityPlanes(
                of: image, onGridOf: reference, axis: axis, indices: planes.map(\.index),
                geometryTolerance: evaluation.geometryTolerance, ignoreGeometry: evaluation.ignoreGeometry,
                slab: evaluation.slab)
        }
        let tiles = zip(structures, planes).enumerated().map { n, pair in
            let (scores, plane) = pair
            return SnapshotTile(
                plane: plane, title: "\(scores.label)" + (names[scores.label].map { " " + $0 } ?? ""),
                detail: detail(scores, plane), intensity: intensity?.planes[n])
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
