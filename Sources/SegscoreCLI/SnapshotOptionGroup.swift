import ArgumentParser
import DiceEngine

/// Options shared by `compare --snapshot` and `cohort --snapshots`: how many structures, along which axis.
struct SnapshotOptionGroup: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Structures per snapshot: the worst by Dice, one tile each, on the slice where they disagree most.",
            valueName: "K"))
    var snapshotStructures: Int = 6

    @Option(help: "Axis the snapshot slices along: axial, coronal or sagittal (voxel planes; see the README).")
    var snapshotAxis: SliceAxis = .axial

    func validate() throws {
        guard snapshotStructures >= 1 else { throw ValidationError("--snapshot-structures must be at least 1") }
    }
}

extension SliceAxis: ExpressibleByArgument {}
