import Testing

@testable import CohortReport

/// Hostile names become inert text; CSV written by segscore reads back field for field.
@Suite struct MarkupTests {
    @Test func markupQuotesAndControlCharactersAreEscaped() {
        #expect(Markup.escape("a<script>&\"'b") == "a&lt;script&gt;&amp;&quot;&#39;b")
        #expect(Markup.escape("x\u{1B}[31m\ny\t\u{7F}\u{85}") == "x\\u{1B}[31m\\u{A}y\\u{9}\\u{7F}\\u{85}")
        #expect(Markup.escape("\u{FFFD}é日本") == "\u{FFFD}é日本")
        #expect(Markup.truncated("abcdefgh", limit: 5) == "abcd…")
        #expect(Markup.truncated("a<b", limit: 5) == "a&lt;b")
    }

    @Test func cellsAreFixedDecimalsOrADash() {
        #expect(Markup.number(0.123456, digits: 4) == "0.1235")
        #expect(Markup.number(nil, digits: 4) == "–")
        #expect(Markup.coordinate(12.34) == "12.3")
    }

    @Test func csvFieldsWithQuotesCommasAndLineBreaksReadBack() throws {
        let text = "case,label,name\r\n\"a,b\",1,\"say \"\"hi\"\"\"\nc,2,\"two\nlines\"\n\"\",3,\n"
        let table = try CSVTable(parsing: text, path: "t.csv")
        #expect(table.header == ["case", "label", "name"])
        #expect(table.rows == [["a,b", "1", "say \"hi\""], ["c", "2", "two\nlines"], ["", "3", ""]])
        #expect(throws: ReportError.self) { try CSVTable(parsing: "a,b\n\"x,1\n", path: "t.csv") }
        #expect(throws: ReportError.self) { try CSVTable(parsing: "a,b\n1,2,3\n", path: "t.csv") }
        #expect(throws: ReportError.self) { try CSVTable(parsing: "", path: "t.csv") }
    }

    @Test func theCommandLineIsQuotedAsAShellNeedsIt() {
        let context = ReportContext(
            arguments: ["segscore", "report", "my results/", "it's", "a=b,c"], version: "0", writtenAt: 0)
        #expect(context.commandLine == "segscore report 'my results/' 'it'\\''s' a=b,c")
        #expect(ReportContext.date(86_400 + 3_661) == "1970-01-02 01:01 UTC")
    }
}
