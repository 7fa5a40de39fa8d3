import DiceEngine
import Foundation
import NiftiIO
import TestSupport
import Testing

/// Every same-grid pair of real label maps in `../shared/corpus`, against the counts and scores nibabel/numpy
/// computed; and the one pair of equal shapes on different grids, which must be refused.
@Suite(.enabled(if: TestPaths.isCorpusAvailable, "\(TestPaths.corpus) is absent: corpus pair tests skipped"))
struct CorpusPairTests {
    /// The `pairs` and `geometryMismatch` sections of the corpus's `expected.json`.
    struct Expected: Decodable {
        struct Pair: Decodable, CustomTestStringConvertible {
            struct Label: Decodable {
                let label: Int64
                let tp: Int
                let fp: Int
                let fn: Int
                let tn: Int
                let dice: Double
                let iou: Double
            }

            let pred: String
            let ref: String
            let labels: [Label]

            var testDescription: String { "\(pred) vs \(ref)" }
        }

        struct Mismatch: Decodable {
            let pred: String
            let ref: String
            let expectExit: Int
        }

        let pairs: [Pair]
        let geometryMismatch: [Mismatch]

        static let corpus: Expected? = try? JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: URL(fileURLWithPath: TestPaths.corpus("expected.json"))))
    }

    @Test(arguments: Expected.corpus?.pairs ?? [])
    func countsAndScoresMatchNumpy(_ pair: Expected.Pair) throws {
        let result = try Evaluator.evaluate(
            prediction: NiftiFile(path: TestPaths.corpus(pair.pred)),
            reference: NiftiFile(path: TestPaths.corpus(pair.ref)), options: EvaluationOptions())
        #expect(result.scores.map(\.label) == pair.labels.map(\.label))
        for (scores, expected) in zip(result.scores, pair.labels) {
            let counts: [Int] = [scores.tp, scores.fp, scores.fn, scores.tn]
            let expectedCounts: [Int] = [expected.tp, expected.fp, expected.fn, expected.tn]
            #expect(counts == expectedCounts, "label \(expected.label)")
            if expected.tp + expected.fn == 0 {
                // numpy's value is 0; the default empty rule reports no score (MONAI's ignore_empty).
                #expect(scores.dice == nil && scores.iou == nil, "label \(expected.label)")
            } else {
                #expect(abs(try #require(scores.dice) - expected.dice) <= 1e-9, "label \(expected.label)")
                #expect(abs(try #require(scores.iou) - expected.iou) <= 1e-9, "label \(expected.label)")
            }
        }
    }

    @Test func sameShapeOnDifferentGridsIsRefused() throws {
        let mismatches = try #require(Expected.corpus?.geometryMismatch)
        #expect(!mismatches.isEmpty)
        for mismatch in mismatches {
            #expect(mismatch.expectExit == 4)
            #expect {
                _ = try Evaluator.evaluate(
                    prediction: NiftiFile(path: TestPaths.corpus(mismatch.pred)),
                    reference: NiftiFile(path: TestPaths.corpus(mismatch.ref)), options: EvaluationOptions())
            } throws: { error in
                if case EvaluationError.gridMismatch = error { true } else { false }
            }
        }
    }
}
