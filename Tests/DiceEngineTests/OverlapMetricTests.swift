import DiceEngine
import Testing

/// The optional overlap metrics by their definitions, and their empty cases.
@Suite struct OverlapMetricTests {
    @Test func valuesFollowTheDefinitions() throws {
        // P = 40, R = 50, N = 1000.
        let s = OverlapScores(label: 1, tp: 30, fp: 10, fn: 20, tn: 940, rule: .ignore)
        #expect(OverlapMetric.specificity.value(of: s) == 940.0 / 950.0)
        #expect(OverlapMetric.fpr.value(of: s) == 10.0 / 950.0)
        #expect(OverlapMetric.fnr.value(of: s) == 20.0 / 50.0)
        #expect(OverlapMetric.vs.value(of: s) == 1 - 10.0 / 90.0)
        #expect(OverlapMetric.rvd.value(of: s) == -10.0 / 50.0)
        let mcc = try #require(OverlapMetric.mcc.value(of: s))
        #expect(abs(mcc - (30.0 * 940 - 10 * 20) / (40.0 * 50 * 950 * 960).squareRoot()) < 1e-15)
    }

    @Test func emptyCases() {
        let none = OverlapScores(label: 1, tp: 0, fp: 0, fn: 0, tn: 100, rule: .ignore)
        #expect(OverlapMetric.specificity.value(of: none) == 1 && OverlapMetric.fpr.value(of: none) == 0)
        #expect(OverlapMetric.fnr.value(of: none) == nil && OverlapMetric.rvd.value(of: none) == nil)
        #expect(OverlapMetric.mcc.value(of: none) == nil && OverlapMetric.vs.value(of: none) == nil)
        // vs is undefined, 1 or 0 exactly where Dice is.
        let bothEmpty = OverlapScores(label: 1, tp: 0, fp: 0, fn: 0, tn: 100, rule: .oneZero)
        let onlyPredicted = OverlapScores(label: 1, tp: 0, fp: 5, fn: 0, tn: 95, rule: .nnunet)
        #expect(OverlapMetric.vs.value(of: bothEmpty) == 1 && OverlapMetric.vs.value(of: onlyPredicted) == 0)
        let everything = OverlapScores(label: 1, tp: 10, fp: 0, fn: 0, tn: 0, rule: .ignore)
        #expect(OverlapMetric.specificity.value(of: everything) == nil)
        #expect(OverlapMetric.fpr.value(of: everything) == nil)
    }
}
