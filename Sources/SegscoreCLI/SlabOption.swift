import ArgumentParser
import NiftiIO

/// `--slab-voxels`, which every command that reads voxels takes: the one place the slab size is named.
struct SlabOption: ParsableArguments {
    /// `.unconditional`: `--slab-voxels -5` is a bad value, not a missing one.
    @Option(
        parsing: .unconditional,
        help: "Voxels per slab (rounded down to whole slices); memory grows with it, results do not.")
    var slabVoxels: Int?

    func validate() throws {
        if let slabVoxels, slabVoxels <= 0 { throw ValidationError("--slab-voxels must be positive") }
    }

    /// The requested size, or the standard one when the option is absent.
    var size: SlabSize { slabVoxels.map(SlabSize.init(voxels:)) ?? .standard }
}
