import DiceEngine

/// The score `gate --metric` compares: Dice (the default), IoU, a boundary metric of a cohort scored with
/// `--metrics`, or a lesion-wise metric of one scored with `--metrics lesions`.
///
/// Dice, IoU, NSD, lesion F1, lesion Dice and PQ are fractions in [0, 1] where higher is better; the distances
/// (mm) and the false-positive and false-negative volumes (mL) are where lower is better, so for them a
/// regression is a rise.
package enum GateMetric: Sendable, Equatable, CustomStringConvertible {
    case dice
    case iou
    case boundary(BoundaryMetric)
    case lesion(LesionMetric)

    /// Parses `dice`, `iou`, `hd`, `hd95` (or any `hdNN`), `masd`, `assd`, `nsd`, or a lesion-wise metric:
    /// `lesion-f1`, `lesion-dice`, `pq`, `fp-volume`, `fn-volume` (or its `summary.json` key, `LesionF1`…).
    package init?(name: String) {
        switch name.lowercased() {
        case "dice": self = .dice
        case "iou": self = .iou
        default:
            if let metric = LesionMetric(name: name) {
                self = .lesion(metric)
            } else if let metric = BoundaryMetric(name: name.lowercased()) {
                self = .boundary(metric)
            } else {
                return nil
            }
        }
    }

    /// The metric's key in a `summary.json`: `Dice`, `IoU`, `HD95`, `NSD`, `LesionF1`, `FPVolume`…
    package var summaryKey: String {
        switch self {
        case .dice: "Dice"
        case .iou: "IoU"
        case .boundary(let metric): metric.summaryKey
        case .lesion(let metric): metric.summaryKey
        }
    }

    /// Fractions: higher is better; distances and volumes: lower is better.
    package var higherIsBetter: Bool { unit == nil }

    /// What a value that is not a fraction measures, and so the tolerance: `mm` for a distance, `mL` for a
    /// volume; `nil` for a fraction in [0, 1].
    package var unit: String? {
        switch self {
        case .dice, .iou, .boundary(.nsd): nil
        case .boundary: "mm"
        case .lesion(let metric): metric.isVolume ? "mL" : nil
        }
    }

    package var description: String { summaryKey }
}
