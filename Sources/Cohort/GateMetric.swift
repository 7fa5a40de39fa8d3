import DiceEngine

/// The score `gate --metric` compares: Dice (the default), IoU, or a boundary metric of a cohort scored with
/// `--metrics`.
///
/// Dice, IoU and NSD are fractions in [0, 1] where higher is better; the distances are millimetres where lower
/// is better, so for them a regression is a rise.
package enum GateMetric: Sendable, Equatable, CustomStringConvertible {
    case dice
    case iou
    case boundary(BoundaryMetric)

    /// Parses `dice`, `iou`, `hd`, `hd95` (or any `hdNN`), `masd`, `assd` or `nsd`.
    package init?(name: String) {
        switch name.lowercased() {
        case "dice": self = .dice
        case "iou": self = .iou
        default:
            guard let metric = BoundaryMetric(name: name.lowercased()) else { return nil }
            self = .boundary(metric)
        }
    }

    /// The metric's key in a `summary.json`: `Dice`, `IoU`, `HD95`, `NSD`…
    package var summaryKey: String {
        switch self {
        case .dice: "Dice"
        case .iou: "IoU"
        case .boundary(let metric): metric.summaryKey
        }
    }

    /// Dice, IoU and NSD: higher is better; distances: lower is better.
    package var higherIsBetter: Bool {
        switch self {
        case .dice, .iou, .boundary(.nsd): true
        case .boundary: false
        }
    }

    /// A distance in mm rather than a fraction.
    package var isDistance: Bool { !higherIsBetter }

    package var description: String { summaryKey }
}
