import DiceEngine
import Testing

/// The three empty rules on the three empty cases, and the formula elsewhere.
@Suite struct EmptyRuleTests {
    /// (tp, fp, fn) → Dice under ignore, one-zero, nnunet (`nil`: undefined).
    static let cases: [(counts: (Int, Int, Int), ignore: Double?, oneZero: Double?, nnunet: Double?)] = [
        ((0, 0, 0), nil, 1, nil),  // absent from both
        ((0, 5, 0), nil, 0, 0),  // only predicted
        ((0, 0, 7), 0, 0, 0),  // missed
        ((3, 1, 2), 6.0 / 9.0, 6.0 / 9.0, 6.0 / 9.0),
    ]

    @Test func diceFollowsEachRule() {
        for c in Self.cases {
            let (tp, fp, fn) = c.counts
            for (rule, expected) in [(EmptyRule.ignore, c.ignore), (.oneZero, c.oneZero), (.nnunet, c.nnunet)] {
                let s = OverlapScores(label: 1, tp: tp, fp: fp, fn: fn, tn: 100, rule: rule)
                #expect(s.dice == expected, "\(rule) \(c.counts)")
                #expect((s.iou == nil) == (expected == nil), "\(rule) \(c.counts)")
            }
        }
    }

    @Test func monaiFlagMapsToTheFirstTwoRules() {
        #expect(EmptyRule(ignoreEmpty: true) == .ignore && EmptyRule(ignoreEmpty: false) == .oneZero)
        #expect(EmptyRule.nnunet.boundaryIgnoresEmptyReference && !EmptyRule.oneZero.boundaryIgnoresEmptyReference)
    }
}

@Suite struct IgnoreLabelTests {
    @Test func cellsWithTheIgnoredReferenceAreDroppedBeforeScoring() {
        typealias Pair = LabelConfusion.Pair
        let confusion = LabelConfusion(
            voxelCount: 10,
            counts: [
                Pair(prediction: 1, reference: 1): 3, Pair(prediction: 1, reference: 9): 2,
                Pair(prediction: 0, reference: 9): 1, Pair(prediction: 0, reference: 0): 4,
            ]
        ).ignoringReference(9)
        #expect(confusion.voxelCount == 7)
        let scores = confusion.scores(selection: LabelSelection(ignoreLabel: 9), rule: .ignore)
        #expect(scores.map(\.counts) == [LabelCounts(label: 1, tp: 3, fp: 0, fn: 0, tn: 4)])
    }
}
