import ArgumentParser
import Cohort
import NiftiIO

#if canImport(Glibc)
import Glibc
#endif

/// The `segscore` command: parses arguments, runs a subcommand, and maps every failure onto the documented
/// exit codes (0 ok, 1 gate failure, 2 usage, 3 input error, 4 geometry mismatch) with one line on stderr.
@main
struct Segscore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segscore",
        abstract: "Score medical image segmentations stored as NIfTI volumes.",
        version: segscoreVersion,
        subcommands: [CompareCommand.self, HeaderCommand.self, MonaiCommand.self, CohortCommand.self, GateCommand.self,
            MergeCommand.self]
    )

    /// ArgumentParser's own exits (`Error: …`, status 1 or 64) do not match the contract, so `main` is ours.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CommandError {
            Terminal.writeError("segscore: error: \(error.message)")
            Glibc.exit(error.exitCode)
        } catch let error as CohortError {
            Terminal.writeError("segscore: error: \(error)")
            Glibc.exit(CommandError.ExitCode.input)
        } catch let error as NiftiError {
            Terminal.writeError("segscore: error: \(error)")
            Glibc.exit(CommandError.ExitCode.input)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Terminal.writeError(fullMessage(for: error))
                Glibc.exit(CommandError.ExitCode.usage)
            }
            exit(withError: error)
        }
    }
}

/// The version printed by `--version` and recorded in result files.
let segscoreVersion = "0.1.0"
