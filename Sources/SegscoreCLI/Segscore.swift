import ArgumentParser
import DiceEngine
import MonaiMetrics
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
        } catch {
            if let failure = failure(for: error) {
                Terminal.writeError("segscore: error: \(failure.message)")
                Glibc.exit(failure.exitCode)
            }
            if exitCode(for: error) == .validationFailure {
                Terminal.writeError(fullMessage(for: error))
                Glibc.exit(CommandError.ExitCode.usage)
            }
            exit(withError: error)
        }
    }

    /// The one place an error becomes an exit code: every module's error type, mapped onto the contract's
    /// 2 (usage), 3 (input) and 4 (geometry); `nil` for ArgumentParser's own errors (help, usage, version).
    static func failure(for error: any Error) -> CommandError? {
        switch error {
        case let error as CommandError:
            return error
        case let error as NiftiError:
            return .input(error.description)
        case EvaluationError.gridMismatch:
            return .geometry("\(error) (--ignore-geometry compares voxel by voxel anyway)")
        case let error as EvaluationError:
            return .input(error.description)
        case let error as MonaiError:
            switch error {
            case .invalidOption: return .usage(error.description)
            case .spatialShapeMismatch: return .geometry(error.description)
            case .invalidInput, .labelOutOfRange, .noData: return .input(error.description)
            }
        default:
            return nil
        }
    }
}

/// The version printed by `--version` and recorded in result files.
let segscoreVersion = "0.1.0"
