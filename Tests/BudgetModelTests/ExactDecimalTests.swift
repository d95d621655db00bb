// ExactDecimalTests: exact decimal parsing, arithmetic, rounding and formatting.

import BudgetModel
import Testing

@Suite struct ExactDecimalTests {
    @Test func parsesAndPrintsAsWritten() {
        #expect(ExactDecimal("2220.40")?.description == "2220.40")
        #expect(ExactDecimal("2220.4") == ExactDecimal("2220.40"))
        #expect(ExactDecimal("-0.5")?.description == "-0.5")
        #expect(ExactDecimal("2,220.40") == nil)
        #expect(ExactDecimal("2,220.40", allowGrouping: true)?.description == "2220.40")
        #expect(ExactDecimal("1e3") == nil)
        #expect(ExactDecimal("") == nil)
        #expect(ExactDecimal(".") == nil)
        #expect(ExactDecimal("99999999999999999999") == nil)
    }

    @Test func sumsAreExact() {
        // 0.1 + 0.2 is exactly 0.3, unlike binary floating point.
        let sum = ExactDecimal("0.1")!.adding(ExactDecimal("0.2")!)!
        #expect(sum == ExactDecimal("0.3")!)
        let rows = ["242.99", "1761.18", "216.23"].map { ExactDecimal($0)! }
        let total = rows.dropFirst().reduce(rows[0]) { $0.adding($1)! }
        #expect(total.description == "2220.40")
    }

    @Test func divisionRoundsHalfEven() {
        let a = ExactDecimal("1")!
        let b = ExactDecimal("3")!
        #expect(a.dividing(by: b, places: 4)?.description == "0.3333")
        #expect(ExactDecimal("2.5")!.rounded(toPlaces: 0)?.description == "2")
        #expect(ExactDecimal("3.5")!.rounded(toPlaces: 0)?.description == "4")
        #expect(ExactDecimal("-2.345")!.rounded(toPlaces: 2)?.description == "-2.34")
        #expect(a.dividing(by: .zero) == nil)
    }

    @Test func formatsMoney() {
        #expect(ExactDecimal("63564.63")!.formatted(places: 2, grouping: true) == "63,564.63")
        #expect(ExactDecimal("-1234567.5")!.formatted(places: 2, grouping: true) == "-1,234,567.50")
        #expect(ExactDecimal("0.005")!.formatted(places: 2, grouping: true) == "0.00")
        #expect(ExactDecimal("100")!.formatted(places: 2, grouping: false) == "100.00")
    }

    @Test func overflowIsReported() {
        let big = ExactDecimal(mantissa: .max, scale: 0)
        #expect(big.adding(ExactDecimal(1)) == nil)
        #expect(big.multiplying(ExactDecimal(2)) == nil)
    }
}
