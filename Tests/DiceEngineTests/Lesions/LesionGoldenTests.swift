import DiceEngine
import Foundation
import NiftiIO
import TestSupport
import Testing

/// Every case of `../shared/lesion-golden` (cc3d components, numpy metrics) at connectivity 6, 18 and 26, with
/// slabs of one slice and of the whole volume: counts exact, ratios and volumes within 1e-9 relative.
@Suite(.enabled(if: LesionGolden.isAvailable, "../shared/lesion-golden is absent"))
struct LesionGoldenTests {
    @Test(arguments: LesionGolden.caseIDs)
    func valuesMatchTheGoldenSet(id: String) throws {
        let golden = try #require(LesionGolden.golden.case(id))
        let prediction = try NiftiFile(path: LesionGolden.golden.path(golden["pred"] as? String ?? ""))
        let reference = try NiftiFile(path: LesionGolden.golden.path(golden["ref"] as? String ?? ""))
        let expected = try #require(golden["expected"] as? [String: [[String: Any]]])
        for connectivity in LesionConnectivity.allCases {
            let rows = try #require(expected[String(connectivity.rawValue)])
            for slab in [1, reference.header.voxelCount] {
                var options = EvaluationOptions()
                options.slab = SlabSize(voxels: slab)
                options.lesions = LesionOptions(connectivity: connectivity)
                let result = try Evaluator.evaluate(prediction: prediction, reference: reference, options: options)
                let got = try #require(result.lesions)
                #expect(got.map { Int($0.label) } == rows.compactMap { $0["label"] as? Int }, "\(id) C\(connectivity)")
                for (scores, row) in zip(got, rows) {
                    for (key, value) in LesionGolden.values(of: scores) {
                        let place = "\(id) C\(connectivity.rawValue) slab \(slab) label \(scores.label) \(key)"
                        #expect(
                            LesionGolden.matches(value, row[key]),
                            "\(place): \(String(describing: value)) vs \(String(describing: row[key]))")
                    }
                }
            }
        }
    }
}

/// The lesion golden set and how its values compare.
enum LesionGolden {
    static let golden = SharedGoldenSet("lesion-golden")
    static var isAvailable: Bool { golden.isAvailable }
    static var caseIDs: [String] { golden.caseIDs }

    /// The golden keys of one label's scores (counts as `Double`).
    static func values(of s: LesionScores) -> [(String, Double?)] {
        [
            ("ref", Double(s.reference)), ("pred", Double(s.prediction)), ("tp", Double(s.tp)), ("fn", Double(s.fn)),
            ("fp", Double(s.fp)), ("recall", s.recall), ("precision", s.precision), ("f1", s.f1),
            ("fpVolumeMl", s.fpVolumeMl), ("fnVolumeMl", s.fnVolumeMl), ("lesionDice", s.lesionDice),
            ("pqTp", Double(s.pqTp)), ("pqFp", Double(s.pqFp)), ("pqFn", Double(s.pqFn)), ("sq", s.sq),
            ("rq", s.rq), ("pq", s.pq),
        ]
    }

    /// Equal within 1e-9 relative (1e-12 absolute near 0); `nil` only against JSON `null`. Counts are integers,
    /// so for them this is exact.
    static func matches(_ value: Double?, _ golden: Any?) -> Bool {
        guard let value else { return golden is NSNull }
        guard let want = (golden as? NSNumber)?.doubleValue else { return false }
        return abs(value - want) <= max(1e-9 * abs(want), 1e-12)
    }
}
