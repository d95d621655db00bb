// ThreadTests: a statement gives the same answer — values with their exact scale, or the same
// error — on one thread and split into morsels on several. Every corpus query and the batch
// edge queries run over the 120-department catalog with `maxThreads` 1 and 4, the morsel
// threshold lowered so that every `where` is split; and a `where` whose error lies in a later
// morsel than another kind of error reports what one thread reports.

import BudgetTestSupport
import Foundation
import Testing

@testable import BudgetQL

@Suite struct ThreadTests {
    static func render(_ query: String, threads: Int) -> String {
        var limits = QueryLimits()
        limits.maxThreads = threads
        limits.parallelMinimumRows = 2
        return BatchEvaluationTests.render(query, in: Session(catalog: BatchEvaluationTests.large, limits: limits))
    }

    @Test(
        arguments: BatchEvaluationTests.corpusQueries + BatchEvaluationTests.edgeQueries + [
            // Errors of two kinds in different morsels: one thread reports the inner operator's.
            "projects | where (100 / (amount - amount)) > 0 or (amount * 99999999999999999) > 0 | agg n = count()",
            "indicators | where value / 0 > 1 | agg n = count()",
            "indicators | where name ~ \"满意度\" and value >= 95 | agg n = count()",
            "projects | where any(indicators, value >= 90) and amount > 10 | select dept, id, amount",
        ])
    func oneThreadAndFourAgree(_ query: String) {
        let one = Self.render(query, threads: 1)
        let four = Self.render(query, threads: 4)
        #expect(one == four, "\(query)")
    }

    @Test func theLargeCatalogIsSplit() {
        // Large enough that every table's `where` takes the morsel path with four threads.
        #expect((BatchEvaluationTests.large.table("projects")?.count ?? 0) >= 16)
        #expect(Self.render("projects | where amount > 100 | agg n = count()", threads: 4).contains("n:integer"))
    }
}
