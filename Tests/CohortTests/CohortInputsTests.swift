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

    /// An imagesTs folder (`case_0000.nii.gz`) passed by mistake is pointed out, as are pairs whose names are one
    /// text in two Unicode normalisations (they pair, as Swift compares canonically, but other tools would not).
    @Test func suspiciousPairingsAreWarnedAbout() throws {
        let plain = try CohortInputs(
            predictionDirectory: "p", predictionFiles: ["a.nii.gz"], referenceDirectory: "r", referenceFiles: ["a.nii"])
        #expect(plain.warnings.isEmpty)
        let channels = try CohortInputs(
            predictionDirectory: "imagesTs", predictionFiles: ["a_0000.nii.gz", "b_0000.nii.gz"],
            referenceDirectory: "labelsTs", referenceFiles: ["a.nii.gz", "b.nii.gz"])
        #expect(channels.warnings.count == 1)
        #expect(
            channels.warnings.first?.hasPrefix("2 prediction file(s) end in nnU-Net's channel suffix _0000") == true)
        let nfc = "caf\u{E9}.nii.gz"
        let nfd = "cafe\u{301}.nii.gz"
        let mixed = try CohortInputs(
            predictionDirectory: "p", predictionFiles: [nfc], referenceDirectory: "r", referenceFiles: [nfd])
        #expect(mixed.cases.count == 1 && mixed.cases[0].prediction != nil && mixed.cases[0].reference != nil)
        #expect(mixed.warnings.count == 1 && mixed.warnings[0].contains("Unicode normalisation"))
    }
}
