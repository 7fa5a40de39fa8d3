import ArgumentParser
import DiceEngine

/// `--empty-rule`, with MONAI's `--ignore-empty` / `--no-ignore-empty` kept as aliases of its first two values;
/// shared by `compare`, `cohort` and `gate`.
struct EmptyRuleOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Dice/IoU of a label an image lacks: ignore (null when the reference lacks it), one-zero (1 when both "
                + "lack it, 0 when only the prediction has it) or nnunet (null when both lack it, else 0).",
            valueName: "rule"))
    var emptyRule: EmptyRule?

    @Flag(
        inversion: .prefixedNo,
        help: "Aliases of --empty-rule ignore and --empty-rule one-zero (MONAI's ignore_empty).")
    var ignoreEmpty: Bool?

    /// The rule asked for, `ignore` by default.
    ///
    /// - Throws: `ValidationError` when an alias contradicts `--empty-rule`.
    func rule() throws -> EmptyRule {
        let alias = ignoreEmpty.map(EmptyRule.init(ignoreEmpty:))
        if let alias, let emptyRule, alias != emptyRule {
            throw ValidationError(
                "--\(ignoreEmpty == true ? "" : "no-")ignore-empty contradicts --empty-rule \(emptyRule.rawValue)")
        }
        return emptyRule ?? alias ?? .ignore
    }

    /// The rule given on the command line, `nil` when none was.
    func givenRule() throws -> EmptyRule? {
        emptyRule == nil && ignoreEmpty == nil ? nil : try rule()
    }
}

extension EmptyRule: ExpressibleByArgument {}
