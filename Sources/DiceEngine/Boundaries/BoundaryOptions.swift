import BoundaryMetrics

/// A boundary metric `compare` can report per structure, named as on the command line and in JSON.
public enum BoundaryMetric: Hashable, Sendable, CustomStringConvertible {
    /// Hausdorff distance (mm).
    case hd
    /// The p-th percentile Hausdorff distance (`hd95`, `hd99`, `hd99.5`…), 0 < p < 100.
    case percentile(Double)
    /// Mean of the two directed average surface distances (mm).
    case masd
    /// Average symmetric surface distance (mm).
    case assd
    /// Normalised surface distance (surface Dice) at a tolerance in mm.
    case nsd

    /// Parses `hd`, `hdNN`, `masd`, `assd` or `nsd`; `nil` for anything else.
    public init?(name: String) {
        switch name {
        case "hd": self = .hd
        case "masd": self = .masd
        case "assd": self = .assd
        case "nsd": self = .nsd
        default:
            guard name.hasPrefix("hd"), let p = Double(name.dropFirst(2)), p > 0, p < 100,
                name.dropFirst(2).allSatisfy({ $0.isNumber || $0 == "." })
            else { return nil }
            self = .percentile(p)
        }
    }

    /// The name (`hd95`), which is also the JSON key and the column header.
    public var description: String {
        switch self {
        case .hd: "hd"
        case .percentile(let p): "hd" + (p == p.rounded() ? String(Int(p)) : String(p))
        case .masd: "masd"
        case .assd: "assd"
        case .nsd: "nsd"
        }
    }
}

/// Which surface-distance definition the numbers follow (see the README's "Boundary metrics").
public enum DistanceDefinition: String, Sendable, CaseIterable {
    /// google-deepmind/surface-distance 0.1: area-weighted surfels of the 2×2×2 neighbourhood codes.
    case deepmind
    /// MONAI 1.6.1: edge voxels (mask XOR its erosion), unweighted, float32 distances, linear percentiles.
    case monai

    var kind: BoundaryKind { self == .deepmind ? .surfels : .edgeVoxels }
}

/// The NSD tolerance τ in mm: one value for every label, per-label values, or both (a default plus exceptions).
public struct NSDTolerance: Sendable, Equatable {
    public var defaultMm: Double?
    public var perLabelMm: [Int64: Double]

    public init(defaultMm: Double?, perLabelMm: [Int64: Double] = [:]) {
        self.defaultMm = defaultMm
        self.perLabelMm = perLabelMm
    }

    /// Parses `2`, `1=1.5,2=3` or `2,5=1` (a default and exceptions); `nil` when malformed or negative.
    public init?(parsing text: String) {
        var defaultMm: Double?
        var perLabel: [Int64: Double] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard let value = parts.last.flatMap({ Double($0.trimmingWhitespace) }), value >= 0, value.isFinite
            else { return nil }
            switch parts.count {
            case 1 where defaultMm == nil: defaultMm = value
            case 2:
                guard let label = Int64(parts[0].trimmingWhitespace), perLabel[label] == nil else { return nil }
                perLabel[label] = value
            default: return nil
            }
        }
        self.init(defaultMm: defaultMm, perLabelMm: perLabel)
    }

    /// τ for `label`, if one was given.
    public func mm(for label: Int64) -> Double? { perLabelMm[label] ?? defaultMm }
}

/// The boundary metrics a pair evaluation computes, and how.
public struct BoundaryOptions: Sendable, Equatable {
    public var metrics: [BoundaryMetric]
    public var definition: DistanceDefinition
    /// Required when ``metrics`` holds ``BoundaryMetric/nsd``.
    public var nsdTolerance: NSDTolerance?

    public init(metrics: [BoundaryMetric], definition: DistanceDefinition = .deepmind, nsdTolerance: NSDTolerance?) {
        self.metrics = metrics
        self.definition = definition
        self.nsdTolerance = nsdTolerance
    }

    /// The options a region is measured with: a region has no label of its own to look a per-label τ up by, so
    /// only the default τ applies.
    public var forRegions: BoundaryOptions {
        var options = self
        options.nsdTolerance = nsdTolerance.map { NSDTolerance(defaultMm: $0.defaultMm) }
        return options
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
