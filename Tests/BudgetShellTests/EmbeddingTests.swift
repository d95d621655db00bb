// EmbeddingTests: the library API as an embedder uses it — eight threads querying one catalog
// at once, Codable results, and prepared statements run with different parameters.

import BudgetQL
import BudgetTestSupport
import Foundation
import Testing

@Suite struct EmbeddingTests {
    static let queries = [
        "projects | where amount > 100 | sort -amount | take 5",
        "spending | group by 款 | agg total = sum(amount), n = count()",
        "indicators | where name ~ \"满意度\" and value >= 90 | select project, name, op, value, unit",
        "projects | where any(indicators, name ~ \"满意度\" and value >= 95) | select dept, name, amount",
        "spending | where dept ~ \"鞍山\" | rollup",
        "departments | select name, year, total",
        "three_public | select dept, total, reception",
        "spending | group by 类 | agg amount = sum(amount), share = share(amount)",
    ]

    @Test func eightThreadsQueryOneCatalog() throws {
        let catalog = Repo.catalog
        // Sequential answers first.
        var expected: [String] = []
        for q in Self.queries {
            var s = Session(catalog: catalog)
            expected.append(render(try s.query(q)))
        }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var byThread: [Int: [String]] = [:]
            var errors: [String] = []
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var answers: [String] = []
            // Each thread runs every query 10 times, starting at a different one.
            for round in 0..<10 {
                for k in 0..<Self.queries.count {
                    let q = Self.queries[(k + thread + round) % Self.queries.count]
                    var s = Session(catalog: catalog)
                    do { answers.append(q + "\n" + render(try s.query(q))) } catch {
                        results.lock.lock()
                        results.errors.append("\(error)")
                        results.lock.unlock()
                    }
                }
            }
            results.lock.lock()
            results.byThread[thread] = answers
            results.lock.unlock()
        }
        #expect(results.errors.isEmpty)
        #expect(results.byThread.count == 8)
        for (_, answers) in results.byThread {
            #expect(answers.count == 80)
            for a in answers {
                let q = String(a.prefix { $0 != "\n" })
                let i = try #require(Self.queries.firstIndex(of: q))
                #expect(String(a.dropFirst(q.count + 1)) == expected[i], "\(q)")
            }
        }
    }

    func render(_ r: QueryResult) -> String {
        r.columns.map(\.name).joined(separator: ",") + "\n"
            + r.rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n")
    }

    @Test func resultsAreCodableWithExactDecimals() throws {
        var s = Session(catalog: Repo.catalog)
        let r = try s.query("departments | select name, total | take 1")
        let data = try JSONEncoder().encode(r)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("2220.4"))
        let back = try JSONDecoder().decode(QueryResult.self, from: data)
        #expect(back.rows == r.rows)
        #expect(back.columns == r.columns)
    }

    @Test func preparedStatementRunsWithDifferentParameters() throws {
        // Parse and resolve once; run with three values of $min and two of $who.
        var s = Session(catalog: Repo.catalog, parameters: ["min": .decimal(ExactDecimal(1000)), "who": .text("抚顺")])
        let source = "projects | where amount >= $min and dept ~ $who | select name"
        let statement = try #require(try Session.parse(source).first)
        let prepared = try s.prepare(statement, source: source)
        #expect(prepared.parameterTypes == ["min": .decimal, "who": .text])
        func count(_ p: [String: Value]) throws -> Int {
            guard case .result(let r) = try s.execute(prepared, parameters: p) else { return -1 }
            return r.rows.count
        }
        #expect(try count([:]) == 8)
        #expect(try count(["min": .decimal(ExactDecimal(5000))]) == 4)
        #expect(try count(["min": .decimal(ExactDecimal(0)), "who": .text("乐山")]) == 7)
        // A value of another kind than the statement was prepared with is an error, not a wrong answer.
        var kind: String?
        do { _ = try s.execute(prepared, parameters: ["min": .text("lots")]) } catch { kind = error.kind }
        #expect(kind == "wrong-type")
        var t = Session(catalog: Repo.catalog)
        kind = nil
        do { _ = try t.query(source) } catch { kind = error.kind }
        #expect(kind == "unbound-parameter")
    }
}
