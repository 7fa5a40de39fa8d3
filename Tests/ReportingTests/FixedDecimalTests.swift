import Reporting
import Testing

/// The one fixed-decimal spelling every table uses.
@Suite struct FixedDecimalTests {
    @Test func negativeValuesKeepTheirSign() {
        // `compare`'s table once printed −0.5 as "0.5000": the sign was lost when the whole part was 0.
        #expect(FixedDecimal.string(-0.5, digits: 4) == "-0.5000")
        #expect(FixedDecimal.string(-1.25, digits: 2) == "-1.25")
    }

    @Test func roundsToTheGivenDecimals() {
        #expect(FixedDecimal.string(0.81249, digits: 4) == "0.8125")
        #expect(FixedDecimal.string(2, digits: 6) == "2.000000")
        #expect(FixedDecimal.string(0.05, digits: 1) == "0.1")
    }

    @Test func aValueRoundingToZeroHasNoSign() {
        #expect(FixedDecimal.string(-0.00001, digits: 4) == "0.0000")
    }

    @Test func undefinedIsADash() {
        #expect(FixedDecimal.cell(nil, digits: 4) == "-")
        #expect(FixedDecimal.cell(1, digits: 4) == "1.0000")
    }

    /// The gate prints whatever a summary holds: values beyond fixed decimals fall back to the shortest form.
    @Test func hugeAndNonFiniteValuesDoNotTrap() {
        #expect(FixedDecimal.string(1e308, digits: 6) == "1e+308")
        #expect(FixedDecimal.string(-.infinity, digits: 4) == "-inf")
        #expect(FixedDecimal.string(.nan, digits: 4) == "nan")
        #expect(FixedDecimal.string(9e11, digits: 6) == "900000000000.000000")
    }
}
