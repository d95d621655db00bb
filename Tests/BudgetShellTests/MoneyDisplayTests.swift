// MoneyDisplayTests: an amount is shown as published. A figure to the 元 or 分 (up to 6 decimals
// of 万元, as `bql import` stores tables printed in 元) is never rounded on screen; only a
// computed figure with more decimals (an average, a quotient) is rounded to 2 places.

import BudgetModel
import BudgetQL
import BudgetShell
import Testing

@Suite struct MoneyDisplayTests {
    func shown(_ text: String) -> String {
        ResultFormatter.display(.decimal(ExactDecimal(text) ?? .zero), .money)
    }

    @Test func publishedFiguresAreShownWhole() {
        #expect(shown("1788.7739") == "1,788.7739")  // 17,887,739 元
        #expect(shown("938.991300") == "938.9913")  // 9,389,913.00 元
        #expect(shown("12.345678") == "12.345678")  // to the 分
        #expect(shown("2220.40") == "2,220.40")
        #expect(shown("5") == "5.00")
    }

    @Test func computedFiguresAreRoundedForReading() {
        #expect(shown("4788.5215384615") == "4,788.52")
        #expect(shown("785.5666666667") == "785.57")
    }
}
