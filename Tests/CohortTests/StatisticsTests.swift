import Documents
import Reporting
import Testing

@testable import Cohort

/// Expected values are numpy 2.4's `nanmean`, `nanstd`, `nanmedian` and `nanpercentile` (default `linear`
/// method) on the same samples, as printed by Python's `repr`.
@Suite struct StatisticsTests {
    @Test func quartilesInterpolateLinearlyAsNumpyDoes() {
        let s = Statistics([1, 2, 3, 4])
        #expect(s.q1 == 1.75)
        #expect(s.median == 2.5)
        #expect(s.q3 == 3.25)
        #expect(s.std == 1.118033988749895)
    }

    @Test func undefinedValuesAreCountedNotAveraged() {
        let s = Statistics([0.9, nil, 0.1, .nan, 0.5, 0.7])
        #expect(s.count == 4)
        #expect(s.nanCount == 2)
        #expect(s.mean == 0.55)
        #expect(s.std == 0.2958039891549808)
        #expect(s.median == 0.6)
        // numpy interpolates from the upper neighbour when the weight is ≥ ½; bit-equal results need the same.
        #expect(s.q1 == 0.4)
        #expect(s.q3 == 0.75)
        #expect(s.min == 0.1)
        #expect(s.max == 0.9)
    }

    @Test func aSingleValueIsEveryStatistic() {
        let s = Statistics([0.3])
        #expect([s.mean, s.median, s.q1, s.q3, s.min, s.max].allSatisfy { $0 == 0.3 })
        #expect(s.std == 0)
    }

    @Test func noDefinedValueLeavesEveryStatisticUndefined() {
        let s = Statistics([nil, .nan])
        #expect(s.count == 0)
        #expect(s.nanCount == 2)
        #expect([s.mean, s.std, s.median, s.q1, s.q3, s.min, s.max].allSatisfy { $0 == nil })
    }

    /// 40 values, every fifth undefined: numpy's pairwise sum over the zero-filled array gives 7.013257575757576,
    /// a plain left-to-right sum of the defined values 7.013257575757574.
    @Test func meansSumPairwiseInCaseOrderAsNumpyDoes() {
        let values: [Double?] = (1...40).map { (i: Int) -> Double? in
            guard i % 5 != 0 else { return nil }
            let fraction = Double(i * i % 11) / 11
            return fraction + Double(i) / 3
        }
        let s = Statistics(values)
        #expect(s.mean == 7.013257575757576)
        #expect(s.std == 3.8046291572982276)
    }
}
