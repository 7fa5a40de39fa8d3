import DiceEngine
import Documents

/// Boundary options and metrics as cohort records, `summary.json` and `compare`'s `distance` object write them,
/// and read back.
extension BoundaryOptions {
    /// `{"metrics": ["hd95", "nsd"], "definition": "deepmind", "nsdToleranceMm": 2}`.
    package var json: JSONValue {
        .object([
            ("metrics", .array(metrics.map { .string($0.description) })),
            ("definition", .string(definition.rawValue)),
            ("nsdToleranceMm", nsdTolerance?.json ?? .null),
        ])
    }

    /// Reads ``json`` back; `nil` when a member is missing or malformed.
    package init?(json: JSONValue) {
        guard let names = json["metrics"]?.arrayValue,
            let definition = json["definition"]?.stringValue.flatMap(DistanceDefinition.init(rawValue:)),
            let toleranceValue = json["nsdToleranceMm"]
        else { return nil }
        let metrics = names.compactMap { $0.stringValue.flatMap(BoundaryMetric.init(name:)) }
        guard metrics.count == names.count, !metrics.isEmpty else { return nil }
        var tolerance: NSDTolerance? = nil
        if !toleranceValue.isNull {
            guard let parsed = NSDTolerance(json: toleranceValue) else { return nil }
            tolerance = parsed
        }
        self.init(metrics: metrics, definition: definition, nsdTolerance: tolerance)
    }
}

extension NSDTolerance {
    /// One value as a number (`2`); per-label values as `{"default": 2, "1": 1.5}` (labels ascending).
    package var json: JSONValue {
        guard !perLabelMm.isEmpty else { return .number(defaultMm) }
        var entries: [(String, JSONValue)] = defaultMm.map { [("default", .number($0))] } ?? []
        entries += perLabelMm.sorted { $0.key < $1.key }.map { (String($0.key), .number($0.value)) }
        return .object(entries)
    }

    /// Reads ``json`` back; `nil` when malformed.
    package init?(json: JSONValue) {
        if let value = json.doubleValue {
            self.init(defaultMm: value)
            return
        }
        guard let members = json.objectMembers else { return nil }
        var defaultMm: Double? = nil
        var perLabel: [Int64: Double] = [:]
        for (key, value) in members {
            guard let mm = value.doubleValue else { return nil }
            if key == "default" {
                defaultMm = mm
            } else {
                guard let label = Int64(key) else { return nil }
                perLabel[label] = mm
            }
        }
        self.init(defaultMm: defaultMm, perLabelMm: perLabel)
    }
}

extension BoundaryMetric {
    /// The key in `summary.json`, upper case as nnU-Net names its metrics: `HD95` for `hd95`.
    package var summaryKey: String { description.uppercased() }
}
