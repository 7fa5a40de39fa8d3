/// How generalized Dice weights a class by its reference volume V = Σ g (MONAI's `Weight`).
public enum WeightType: String, Sendable, CaseIterable {
    /// w = 1 / V² (the default): small structures count as much as large ones.
    case square
    /// w = 1 / V.
    case simple
    /// w = 1.
    case uniform

    /// The weight of a class with reference volume `volume`; +∞ for an empty class unless ``uniform``.
    func weight<T: BinaryFloatingPoint>(volume: T) -> T {
        switch self {
        case .square: 1 / (volume * volume)
        case .simple: 1 / volume
        case .uniform: 1
        }
    }

    /// Weights for `volumes` with every infinite weight (an empty class) replaced by the largest finite one,
    /// or by `allEmpty` when no weight is finite.
    func weights<T: BinaryFloatingPoint>(volumes: [T], allEmpty: T) -> [T] {
        let raw = volumes.map { weight(volume: $0) }
        let largest = raw.filter { $0.isFinite }.max() ?? allEmpty
        return raw.map { $0.isFinite ? $0 : largest }
    }
}
