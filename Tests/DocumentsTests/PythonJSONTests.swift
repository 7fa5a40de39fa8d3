import Documents
import Testing

/// `json.dump(…, sort_keys=True, indent=4)` as Python writes it (expected texts from CPython 3.12).
@Suite struct PythonJSONTests {
    @Test func floatsAreSpelledAsPythonsRepr() {
        let cases: [(Double, String)] = [
            (0, "0.0"), (1, "1.0"), (0.5, "0.5"), (1e-4, "0.0001"), (1e-5, "1e-05"), (1.5e-7, "1.5e-07"),
            (1e15, "1000000000000000.0"), (1e16, "1e+16"), (9_007_199_254_740_992, "9007199254740992.0"),
            (123.25, "123.25"), (-2.5, "-2.5"), (2.0 / 3.0, "0.6666666666666666"), (1e100, "1e+100"),
            (.nan, "NaN"), (-.infinity, "-Infinity"),
        ]
        for (value, expected) in cases {
            #expect(JSONValue.pythonFloat(value) == expected, "\(value)")
        }
    }

    @Test func documentsAreIndentedSortedAndASCII() {
        let value = JSONValue.object([
            ("mean", .object([("2", .number(nil)), ("10", .int(3)), ("1", .number(0.25))])),
            ("a", .array([.string("é\n"), .array([])])),
        ])
        #expect(
            value.renderedAsPythonJSON() == """
                {
                    "a": [
                        "\\u00e9\\n",
                        []
                    ],
                    "mean": {
                        "1": 0.25,
                        "10": 3,
                        "2": NaN
                    }
                }
                """)
    }
}
