import ArgumentParser
import Cohort
import CohortReport
import DiceEngine
import Documents
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
        subcommands: [
            CompareCommand.self, HeaderCommand.self, MonaiCommand.self, CohortCommand.self, GateCommand.self,
            MergeCommand.self, ReportCommand.self,
        ]
    )

    /// ArgumentParser's own exits (`Error: …`, status 1 or 64) do not match the contract, so `main` is ours.
    static func main() {
        Terminal.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let failure = failure(for: error) {
                Terminal.writeError("segscore: error: \(oneLine(failure.message))")
                Glibc.exit(failure.exitCode)
            }
            if exitCode(for: error) == .validationFailure {
                // One line, like every other error; the usage is one `--help` away.
                Terminal.writeError("segscore: error: \(oneLine(message(for: error))) (see --help)")
                Glibc.exit(CommandError.ExitCode.usage)
            }
            exit(withError: error)
        }
    }

    /// `message` with control characters escaped (`\n`, `\u{1B}`…), so a hostile file name cannot split the
    /// error line or drive the terminal.
    static func oneLine(_ message: String) -> String {
        var result = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The one place an error becomes an exit code: every module's error type, mapped onto the contract's
    /// 2 (usage), 3 (input) and 4 (geometry); `nil` for ArgumentParser's own errors (help, usage, version).
    static func failure(for error: any Error) -> CommandError? {
        switch error {
        case let error as CommandError:
            return error
        case let error as NiftiError:
            return .input(error.description)
        case let error as CohortError:
            return .input(error.description)
        case let error as LabelNames.ParseError:
            return .input(error.description)
        case let error as ReportError:
            return .input(error.description)
        case EvaluationError.gridMismatch(_, shapesDiffer: true, _, _):
            return .geometry(
                "\(error) (resample the prediction onto the reference grid, nearest-neighbour for labels; for a "
                    + "softmax with one channel per class, use segscore monai)")
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
