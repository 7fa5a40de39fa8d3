/// A per-case metric the report plots: Dice always, HD95 and NSD when the cohort computed them.
package enum ReportMetric: String, Sendable, CaseIterable {
    case dice
    case hd95
    case nsd

    /// The heading of its plot and columns.
    var title: String {
        switch self {
        case .dice: "Dice"
        case .hd95: "HD95 (mm)"
        case .nsd: "NSD"
        }
    }

    /// Dice and NSD are better high, a distance is better low; "worst" follows.
    var higherIsBetter: Bool { self != .hd95 }

    /// Whether `a` is a worse score than `b`.
    func isWorse(_ a: Double, than b: Double) -> Bool { higherIsBetter ? a < b : a > b }

    /// The digits shown: scores to 4 decimals, millimetres to 2.
    var digits: Int { self == .hd95 ? 2 : 4 }
}
