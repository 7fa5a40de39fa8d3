import ArgumentParser
import NiftiIO

@main
struct Segscore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segscore",
        abstract: "Score medical image segmentations stored as NIfTI volumes.",
        subcommands: []
    )
}
