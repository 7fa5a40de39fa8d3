import Documents
import Reporting
import Testing

@testable import Cohort

@Suite struct CohortInputsTests {
    @Test func pairsByCaseNameAcrossNiftiEndings() throws {
        let inputs = try CohortInputs(
            predictionDirectory: "p", predictionFiles: ["b.nii", "a.nii.gz", "extra.nii.gz", "notes.txt", ".a.nii"],
            referenceDirectory: "r/", referenceFiles: ["a.nii.gz", "b.nii.gz", "c.nii"])
        #expect(inputs.cases.map(\.name) == ["a", "b", "c", "extra"])
        #expect(inputs.cases[1] == .init(name: "b", prediction: "p/b.nii", reference: "r/b.nii.gz"))
        #expect(inputs.missingPredictions.map(\.name) == ["c"])
        #expect(inputs.unmatchedPredictions.map(\.name) == ["extra"])
        #expect(inputs.evaluated(missing: .skip).map(\.name) == ["a", "b"])
        #expect(inputs.evaluated(missing: .worst).map(\.name) == ["a", "b", "c"])
    }

    @Test func aCaseStoredTwiceInOneFolderIsRefused() {
        #expect(throws: CohortError.self) {
            try CohortInputs(
                predictionDirectory: "p", predictionFiles: ["a.nii", "a.nii.gz"], referenceDirectory: "r",
                referenceFiles: ["a.nii"])
        }
    }

    @Test func namesSortByBytesNotByLocale() {
        #expect(["b", "B", "a", "_", "10", "9"].sorted(by: CohortInputs.precedes) == ["10", "9", "B", "_", "a", "b"])
    }
}
