import Testing

@testable import Documents

@Suite struct JSONParsingTests {
    @Test func renderedDocumentsReadBackToTheSameText() throws {
        let value = JSONValue.object([
            ("text", .string("tab\t \"quoted\" é \u{1}")), ("int", .int(-12)), ("double", .number(0.1 + 0.2)),
            ("whole", .number(3)), ("null", .null), ("nested", .array([.bool(true), .object([]), .array([])])),
        ])
        for pretty in [false, true] {
            let text = value.rendered(pretty: pretty)
            #expect(try JSONValue(parsing: text).rendered(pretty: pretty) == text)
        }
    }

    @Test func acceptsPythonsNonFiniteLiteralsAndUnicodeEscapes() throws {
        let value = try JSONValue(parsing: #"[NaN, Infinity, -Infinity, "\u00e9\ud83d\ude00", 1e3]"#)
        let items = try #require(value.arrayValue)
        #expect(items[0].doubleValue?.isNaN == true)
        #expect(items[1].doubleValue == .infinity)
        #expect(items[2].doubleValue == -.infinity)
        #expect(items[3].stringValue == "é😀")
        #expect(items[4].intValue == 1000)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2", "{\"a\":1,}"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
    }

    /// A hostile file of 200,000 nested arrays is refused, not a stack overflow; 512 levels still read.
    @Test func deepNestingIsRefusedWithoutRecursingIntoIt() throws {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: deep) }
        let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: objects) }
        let limit = JSONValue.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try JSONValue(parsing: deepest).rendered() == deepest)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: "[" + deepest + "]") }
    }
}
