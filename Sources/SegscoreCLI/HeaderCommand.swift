import ArgumentParser
import DiceEngine
import NiftiIO
import Reporting

extension Segscore {
    /// `segscore header FILE [--json] [--labels]`.
    struct HeaderCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "header",
            abstract: "Show a NIfTI file's header, and with --labels audit its label values.",
            discussion: """
                Reads NIfTI-1 and NIfTI-2 (.nii, .nii.gz, .hdr/.img), either byte order. Only the header is read \
                (and an uncompressed file's size checked), so even a huge .nii.gz answers at once; --verify also \
                inflates the whole stream and checks its CRCs, and --labels streams every voxel.
                """
        )

        @Argument(help: "The NIfTI file (.nii, .nii.gz, .hdr or .img).", completion: .file())
        var file: String

        @Flag(help: "Print JSON instead of a readable summary.")
        var json = false

        @Flag(help: "Stream the voxels and count each label value (refuses files that are not label maps).")
        var labels = false

        @Flag(help: "Also read every voxel and check the gzip CRCs, so a file that passes can be evaluated.")
        var verify = false

        @OptionGroup var slab: SlabOption

        func run() throws {
            let nifti = try NiftiFile(path: file)
            var counts: [(label: Int64, voxels: Int)]? = nil
            if labels {
                counts = try Evaluator.labelCounts(of: nifti, slab: slab.size)
            } else if verify {
                try nifti.verifyData(slab: slab.size)
            }
            try Terminal.writeOutput(
                json
                    ? HeaderReport.json(of: nifti, labels: counts).rendered(pretty: true) + "\n"
                    : HeaderReport.text(of: nifti, labels: counts))
        }
    }
}
