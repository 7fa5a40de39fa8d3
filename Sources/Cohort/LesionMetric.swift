import DiceEngine

/// The lesion-wise values `summary.json` holds per case and label beside nnU-Net's metrics, which `gate
/// --metric` can compare.
///
/// F1, lesion Dice and PQ are fractions where higher is better; the false-positive and false-negative volumes
/// are millilitres where lower is better.
package enum LesionMetric: String, Sendable, CaseIterable {
    case f1 = "lesion-f1"
    case dice = "lesion-dice"
    case pq
    case fpVolume = "fp-volume"
    case fnVolume = "fn-volume"

    /// Parses the command-line name (`lesion-f1`) or, in any case, the `summary.json` key (`LesionF1`).
    package init?(name: String) {
        let lowered = name.lowercased()
        guard
            let metric = Self.allCases.first(where: { $0.rawValue == lowered || $0.summaryKey.lowercased() == lowered })
        else { return nil }
        self = metric
    }

    /// The key in `summary.json`: `LesionF1`, `LesionDice`, `PQ`, `FPVolume`, `FNVolume`.
    package var summaryKey: String {
        switch self {
        case .f1: "LesionF1"
        case .dice: "LesionDice"
        case .pq: "PQ"
        case .fpVolume: "FPVolume"
        case .fnVolume: "FNVolume"
        }
    }

    /// A volume in mL rather than a fraction.
    package var isVolume: Bool { self == .fpVolume || self == .fnVolume }

    /// The value in one label's scores (`nil` where undefined).
    package func value(of scores: LesionScores) -> Double? {
        switch self {
        case .f1: scores.f1
        case .dice: scores.lesionDice
        case .pq: scores.pq
        case .fpVolume: scores.fpVolumeMl
        case .fnVolume: scores.fnVolumeMl
        }
    }
}
