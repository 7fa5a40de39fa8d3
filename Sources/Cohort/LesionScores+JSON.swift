import DiceEngine
import Documents

/// Lesion options and values as cohort records, `cohort.json` and `compare`'s `lesions` objects write them, and
/// read back.
extension LesionOptions {
    /// `{"connectivity": 26, "minLesionVoxels": 1}`.
    package var json: JSONValue {
        .object([("connectivity", .int(connectivity.rawValue)), ("minLesionVoxels", .int(minimumVoxels))])
    }

    /// Reads ``json`` back; `nil` when a member is missing or out of range.
    package init?(json: JSONValue) {
        guard let connectivity = json["connectivity"]?.intValue.flatMap(LesionConnectivity.init(rawValue:)),
            let minimum = json["minLesionVoxels"]?.intValue, minimum >= 1
        else { return nil }
        self.init(connectivity: connectivity, minimumVoxels: minimum)
    }
}

extension LesionScores {
    /// The keys of a label's `lesions` object, in order (README, "Lesion-wise metrics").
    package static let keys = [
        "ref", "pred", "tp", "fn", "fp", "recall", "precision", "f1", "fpVolumeMl", "fnVolumeMl", "lesionDice",
        "pqTp", "pqFp", "pqFn", "sq", "rq", "pq",
    ]

    /// The values under ``keys``: counts as integers, `null` where undefined; ratios and volumes as the shortest
    /// decimals that read back as the same doubles.
    package var jsonMembers: [(String, JSONValue)] {
        let values: [JSONValue] = [
            .int(reference), .int(prediction), .int(tp), .int(fn), .int(fp), .number(recall), .number(precision),
            .number(f1), .number(fpVolumeMl), .number(fnVolumeMl), .number(lesionDice), .int(pqTp), .int(pqFp),
            .int(pqFn), .number(sq), .number(rq), .number(pq),
        ]
        return Array(zip(Self.keys, values))
    }

    /// Reads a `lesions` object back as `label`'s; `nil` when a key is missing, a count is not an integer, or a
    /// value is neither a number nor `null` (the volumes may not be `null`).
    package init?(json: JSONValue, label: Int64) {
        var counts: [String: Int] = [:]
        for key in ["ref", "pred", "tp", "fn", "fp", "pqTp", "pqFp", "pqFn"] {
            guard let count = json[key]?.intValue else { return nil }
            counts[key] = count
        }
        var ratios: [String: Double?] = [:]
        for key in ["recall", "precision", "f1", "fpVolumeMl", "fnVolumeMl", "lesionDice", "sq", "rq", "pq"] {
            guard let value = json[key], value.isNull || value.doubleValue != nil else { return nil }
            ratios[key] = value.doubleValue
        }
        guard let fpVolume = ratios["fpVolumeMl"] ?? nil, let fnVolume = ratios["fnVolumeMl"] ?? nil else {
            return nil
        }
        func count(_ key: String) -> Int { counts[key] ?? 0 }
        func ratio(_ key: String) -> Double? { ratios[key] ?? nil }
        self.init(
            label: label, reference: count("ref"), prediction: count("pred"), tp: count("tp"), fn: count("fn"),
            fp: count("fp"), recall: ratio("recall"), precision: ratio("precision"), f1: ratio("f1"),
            fpVolumeMl: fpVolume, fnVolumeMl: fnVolume, lesionDice: ratio("lesionDice"), pqTp: count("pqTp"),
            pqFp: count("pqFp"), pqFn: count("pqFn"), sq: ratio("sq"), rq: ratio("rq"), pq: ratio("pq"))
    }

    /// Why these values cannot be what segscore computed, or `nil` when they are consistent: counts
    /// non-negative and adding up (`tp + fn = ref`, `fp ≤ pred`, `pqTp + pqFn = ref`, `pqTp + pqFp = pred`),
    /// fractions in [0, 1], volumes finite and non-negative.
    package var inconsistency: String? {
        let counts = [reference, prediction, tp, fn, fp, pqTp, pqFp, pqFn]
        guard counts.allSatisfy({ (0...CaseRecord.maximumVoxels).contains($0) }), tp + fn == reference,
            fp <= prediction, pqTp + pqFn == reference, pqTp + pqFp == prediction
        else { return "label \(label): lesion counts do not add up" }
        let fractions = [recall, precision, f1, lesionDice, sq, rq, pq].compactMap { $0 }
        guard fractions.allSatisfy({ (0...1).contains($0) }),
            [fpVolumeMl, fnVolumeMl].allSatisfy({ $0.isFinite && $0 >= 0 })
        else { return "label \(label): a lesion value out of range" }
        return nil
    }
}
