import Documents
import Foundation
import TestSupport
import Testing

/// `--label-names` in each format people already have.
@Suite struct LabelNamesTests {
    static func names(from text: String, named file: String) throws -> LabelNames {
        let directory = TemporaryDirectory()
        let path = directory.file(file)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try LabelNames(contentsOf: path)
    }

    @Test func nnUNetDatasetJSONMapsNamesToValuesAndSkipsRegions() throws {
        let names = try Self.names(
            from: """
                {"channel_names": {"0": "CT"}, "labels": {"background": 0, "liver": 1, "liver tumour": 2,
                 "whole liver": [1, 2]}, "numTraining": 131}
                """, named: "dataset.json")
        #expect(names.names == [0: "background", 1: "liver", 2: "liver tumour"])
    }

    @Test func jsonListIsIndexedByValue() throws {
        let names = try Self.names(from: #"{"labels": ["background", "left", "right"]}"#, named: "aal.json")
        #expect(names[2] == "right" && names[0] == "background")
    }

    @Test func itkSnapLabelFileKeepsQuotedNamesWithSpaces() throws {
        let names = try Self.names(
            from: """
                # ITK-SNAP Label Description File
                #  IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL
                    0     0    0    0        0  0  0    "Clear Label"
                    1   255    0    0        1  1  1    "Left hippocampus"
                   12     0  255    0        1  1  1    "Right amygdala"
                """, named: "labels.txt")
        #expect(names.names == [0: "Clear Label", 1: "Left hippocampus", 12: "Right amygdala"])
    }

    @Test func freeSurferLookupTableTakesTheSecondColumn() throws {
        let names = try Self.names(
            from: """
                #No. Label Name:                            R   G   B   A
                0   Unknown                                 0   0   0   0
                2   Left-Cerebral-White-Matter              245 245 245 0
                11145  ctx_lh_G_and_S_cingul-Mid-Ant        255 240 200 0
                """, named: "FreeSurferColorLUT.txt")
        #expect(names.names == [0: "Unknown", 2: "Left-Cerebral-White-Matter", 11145: "ctx_lh_G_and_S_cingul-Mid-Ant"])
    }

    @Test func csvWithHeaderRowAndQuotes() throws {
        let names = try Self.names(from: "id,name\n1,liver\n2,\"kidney, left\"\n\n", named: "labels.csv")
        #expect(names.names == [1: "liver", 2: "kidney, left"])
    }

    @Test func unusableFilesAreRefusedWithTheirPath() throws {
        #expect(throws: LabelNames.ParseError.self) { try Self.names(from: "{\"name\": 3}", named: "x.json") }
        #expect(throws: LabelNames.ParseError.self) { try Self.names(from: "1,a\nfoo,b\n", named: "x.csv") }
        #expect(throws: LabelNames.ParseError.self) { try Self.names(from: "# only comments\n", named: "x.txt") }
        #expect(throws: LabelNames.ParseError.self) { try LabelNames(contentsOf: "/nonexistent/names.csv") }
    }

    /// The README's "a JSON list of names" works bare, not only under `labels`.
    @Test func bareJSONListIsIndexedByValue() throws {
        let names = try Self.names(from: #"  ["background", "liver", "spleen"]"#, named: "names.json")
        #expect(names.names == [0: "background", 1: "liver", 2: "spleen"])
    }

    /// An ITK-SNAP name with a comma stays one ITK-SNAP name (it used to be read as CSV).
    @Test func itkSnapNamesMayHoldCommas() throws {
        let names = try Self.names(
            from: """
                # ITK-SnAP Label Description File
                    0     0    0    0        0  0  0    "Clear Label"
                    1   255    0    0        1  1  1    "Kidney, left"
                    2     0  255    0        1  1  1    "Kidney, right"
                """, named: "labels.txt")
        #expect(names.names == [0: "Clear Label", 1: "Kidney, left", 2: "Kidney, right"])
    }

    /// RFC 4180: a quoted CSV cell may hold commas, and `""` is a quote.
    @Test func csvQuotedNamesReadBackExactly() throws {
        let names = try Self.names(from: "id,name\n1,\"say \"\"hi\"\", twice\"\n2,plain\r\n", named: "n.csv")
        #expect(names.names == [1: "say \"hi\", twice", 2: "plain"])
    }

    /// A label named twice is refused in every format, naming the label.
    @Test(arguments: [
        ("1,liver\n1,spleen\n", "n.csv"), (#"{"labels": {"liver": 1, "spleen": 1}}"#, "dataset.json"),
        ("1 liver 0 0 0 0\n1 spleen 0 0 0 0\n", "lut.txt"),
    ])
    func duplicateLabelsAreRefused(text: String, file: String) throws {
        #expect {
            _ = try Self.names(from: text, named: file)
        } throws: { error in
            (error as? LabelNames.ParseError)?.reason.hasPrefix("label 1 is named twice") == true
        }
    }
}

/// What a dataset.json says nnU-Net scores.
@Suite struct DatasetStructureTests {
    @Test func regionsIgnoreAndPlainLabels() throws {
        let brats = try LabelNamesTests.names(
            from: """
                {"labels": {"background": 0, "whole tumor": [1, 2, 3], "tumor core": [2, 3], "enhancing tumor": 3,
                 "ignore": 4}, "regions_class_order": [1, 2, 3]}
                """, named: "dataset.json")
        let dataset = try #require(brats.dataset)
        #expect(dataset.hasRegions && dataset.ignoreLabel == 4 && brats.ignoreLabel == 4)
        #expect(dataset.structures.map(\.labels) == [[1, 2, 3], [2, 3], [3]])
        #expect(dataset.structures.map(\.isList) == [true, true, false])
        let plain = try LabelNamesTests.names(from: #"{"labels": {"background": 0, "a": 1, "b": 2}}"#, named: "d.json")
        #expect(plain.dataset?.hasRegions == false && plain.dataset?.structures.map(\.labels) == [[1], [2]])
        #expect(try LabelNamesTests.names(from: "1,a\n", named: "n.csv").dataset == nil)
    }
}
