// BatchEvaluationTests: the batch engine (typed columns, dictionary evaluation, top-N, integer
// grouping) must answer exactly as the row-by-row definition does. Every query of the corpus,
// and queries aimed at the batch paths' edge cases, run both ways over a catalog large enough
// to take every batch path (the bundled budgets repeated under other names), and the answers —
// values with their exact scale, or the error — must be identical.

import BudgetQL
import BudgetTestSupport
import Foundation
import Testing

@Suite struct BatchEvaluationTests {
    /// The five bundled budgets repeated `copies` times as distinct departments (some with the
    /// same name, so equal texts from different departments are exercised too).
    static let large: Catalog = {
        var budgets: [Budget] = []
        for copy in 0..<24 {
            for var b in Fixture.catalog.budgets {
                b.department.id += "-\(copy)"
                if copy % 3 != 0 { b.department.name += "\(copy)" }
                if copy % 4 == 1 { b.department.province = "省\(copy % 7)" }
                budgets.append(b)
            }
        }
        return Catalog(budgets: budgets)
    }()

    /// Every query record of Tests/Corpus/*.test.
    static let corpusQueries: [String] = Corpus.records.map(\.query)

    /// Queries aimed at the batch paths: conditions under `and`/`or` with errors on other rows,
    /// nulls through references, relations with and without filters, top-N with ties and nulls,
    /// grouping on nullable and many keys, sums of mixed scales.
    static let edgeQueries = [
        "projects | where amount > 0 and 100 / amount > 2 | agg n = count()",
        "projects | where amount = 0 or 100 / amount > 2 | agg n = count()",
        "items | where amount >= 0 and 1 / (amount - amount) > 0 | agg n = count()",
        "indicators | where project.amount is null | agg n = count()",
        "indicators | where not (project.amount > 10) | agg n = count()",
        "indicators | where project.dept.province = \"辽宁省\" | group by province = project.dept.province | agg n = count()",
        "indicators | group by p = project.name | agg n = count() | sort -n, p | take 7",
        "indicators | where project.category ~ \"运转\" or value > 90 | agg n = count(), s = sum(value), a = avg(value)",
        "projects | where any(indicators, name ~ \"满意度\" and value >= 95) | agg n = count(), total = sum(amount)",
        "projects | where all(indicators, value is not null) | agg n = count()",
        "projects | derive k = count(indicators, unit = \"%\"), s = sum(indicators.value), m = max(indicators.name) | sort -k, -s, id, dept | take 12",
        "departments | derive n = count(projects, amount > 50), t = sum(projects.amount) | select name, n, t",
        "projects | sort -amount, dept, id | take 20 | select dept, id, name, amount",
        "projects | sort goal_amount, -name | take 9 | select dept, name, goal_amount",
        "projects | sort -goal_amount, dept | take 9 | select dept, name, goal_amount",
        "indicators | sort -value, name, dept | take 15 | select dept, name, value",
        "indicators | sort unit, -weight | take 15 | select dept, name, unit, weight",
        "projects | group by category, 款 | agg n = count(), total = sum(amount), g = sum(goal_amount)",
        "projects | group by 类, 款, 项, category, unit | agg n = count(), d = count(distinct name), lo = min(amount), hi = max(amount)",
        "indicators | group by op, unit | agg n = count(), s = sum(weight), sh = share(weight) | sort -n, op, unit",
        "indicators | group by quantified, level1 | agg n = count()",
        "indicators | where name ~ \"满意度\" | agg n = count()",
        "indicators | where name =~ \"^[0-9A-Za-z]\" or text ^= \"≥\" | agg n = count()",
        "indicators | where level2 in (\"数量指标\", \"质量指标\") and value between 1 and 100 | agg n = count()",
        "spending | group by 款 | agg n = count(), total = sum(amount)",
        "spending | where 款 = 20801 or 项 = \"2101101\" | select dept, code, amount",
        "spending | where amount > $min | sort -amount | take 5 | select dept, code, amount",
        "economic | where amount > 1 and personnel is null | group by code | agg s = sum(amount) | sort -s, code | take 10",
        "projects | derive sh = share(amount) | sort -sh, dept, id | take 5 | select dept, id, sh",
        "projects | where lower(name) ~ \"a\" or length(name) > 12 | agg n = count()",
        "indicators | where round(value / 3, 1) > 10 | agg n = count()",
        "projects | distinct category, unit | sort category, unit",
        "projects | rollup",
        "projects | derive d = goal_amount - amount, p = amount * 1.5, q = amount / 3, r = 2 - amount | sort -d, id, dept | take 12 | select dept, id, d, p, q, r",
        "indicators | derive x = value * 2 + weight, y = (value - weight) * weight | where x > 100 or y < 0 | agg n = count(), sx = sum(x), sy = sum(y)",
        "projects | where amount - goal_amount != 0 | derive ratio = goal_amount / amount * 100 | sort -ratio, dept, id | take 5 | select dept, id, ratio",
        "projects | derive z = amount / (goal_amount - goal_amount) | agg n = count()",
        "departments | derive per = total / n_projects | select name, per",
        // Functions with a batch implementation in the registry (round, abs over decimal columns).
        "projects | derive r = round(amount / 7, 3), a = abs(0 - amount), z = round(goal_amount, 1), w = round(amount) | sort -r, dept, id | take 12 | select dept, id, r, a, z, w",
        "projects | where amount > 100 and round(100 / (amount - 0.001), 2) > 0 | agg n = count()",
        "indicators | derive a = abs(value - 50), r = round(weight, 1) | agg sa = sum(a), sr = sum(r), n = count(r)",
        // On purpose: an overflow, the same error both ways.
        "projects | derive a = abs(amount * 900000000000000) | agg n = count()",
        // Conditionals: branches evaluated only where chosen, over columns of mixed scales.
        "indicators | derive x = case when value > 100 then value / 3 when unit = \"%\" then value * 2 else 0 end, y = if(weight is null, null, 1 / weight) | agg n = count(x), s = sum(x), t = sum(y)",
        "projects | derive k = if(amount > 10, name, unit), j = if(amount > 10, amount > 100, null) | group by k, j | agg n = count() | sort -n, k | take 10",
        // Aggregates folded from typed vectors: quantiles, count/avg of conditions, string_agg of codes.
        "indicators | group by dept | agg m = median(value), q = quantile(weight, 0.3), p = percentile(value, 95), c = count(quantified), a = avg(value > 50), u = string_agg(unit, \"|\")",
        // Windows per partition, over mixed scales and nulls; top-N per group with ties.
        "narrative | group by dept (sort amount | derive r = running_sum(amount), p = lag(amount), q = lead(amount, 2), s = share(amount), k = rank()) | select dept, key, amount, r, p, q, s, k",
        "indicators | sort value | derive k = rank(), d = dense_rank(), n = row_number() | where k < 40 | select name, value, k, d, n",
        "projects | sort amount | take 2 by dept, category | select dept, category, id, amount",
        // Joins: numeric keys of different scales, a residual on the pairs, left joins, two joins.
        "narrative | join t = totals on dept = t.dept and amount = t.amount | select dept, key, amount, t.key, t.amount",
        "narrative | join left t = totals on key = t.key and dept = t.dept and amount != t.amount | select dept, key, amount, t.table, t.amount",
        "spending | join p = projects on code = p.项 | join left d = departments on p.dept = d.name and d.year = 2025 | select code, p.name, d.id",
        // pivot and unpivot.
        "indicators | group by dept | pivot unit in (\"%\", \"万元\", \"次\") agg n = count(), m = median(value)",
        "projects | unpivot amount, goal_amount into k, v | where v is not null | group by k | agg s = sum(v)",
    ]

    /// A result as exact text: decimals keep their scale.
    static func render(_ query: String, _ mode: EvaluationMode) -> String {
        var session = Session(catalog: large)
        session.evaluation = mode
        return render(query, in: session)
    }

    /// `query`'s results over the large catalog in `session` (given the corpus parameters), as
    /// exact text, or its error.
    static func render(_ query: String, in session: Session) -> String {
        var session = session
        session.parameters = ["min": .decimal(ExactDecimal(100)), "dept": .text("鞍山")]
        do {
            var out = ""
            for outcome in try session.run(query) {
                guard case .result(let r) = outcome else { continue }
                out += r.columns.map { "\($0.name):\($0.type)" }.joined(separator: "|") + "\n"
                for row in r.rows { out += row.map(Fixture.text).joined(separator: "|") + "\n" }
            }
            return out
        } catch {
            return "error: \(error)"
        }
    }

    @Test func theLargeCatalogTakesTheBatchPaths() {
        #expect(Self.large.budgets.count == 120)
        #expect(
            Self.large.table("indicators").map(\.count) == Fixture.catalog.table("indicators").map { $0.count * 24 })
    }

    @Test(arguments: corpusQueries + edgeQueries)
    func batchAndRowByRowAgree(_ query: String) {
        let batch = Self.render(query, .batch)
        let rows = Self.render(query, .rowByRow)
        #expect(batch == rows, "\(query)")
    }

    @Test func edgeQueriesAnswer() {
        // The aimed queries are meant to produce answers, not errors (except those on purpose).
        for q in Self.edgeQueries
        where !q.contains("1 / (amount - amount)") && !q.contains("(goal_amount - goal_amount)")
            && !q.contains("900000000000000")
        {
            #expect(!Self.render(q, .batch).hasPrefix("error"), "\(q)")
        }
        #expect(Self.render(Self.edgeQueries[2], .batch).hasPrefix("error"))
        #expect(
            Self.render("projects | derive z = amount / (goal_amount - goal_amount) | agg n = count()", .batch)
                .contains("divisionByZero"))
    }
}
