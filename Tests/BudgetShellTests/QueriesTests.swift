// QueriesTests: every saved script in Queries/ runs through `bql run`, matches its golden CSV
// (Queries/golden/NAME.csv, checked by hand; BQL_RECORD=1 re-records), and its CSV and JSON
// outputs parse back with standard parsers and hold the same values.

import BudgetModel
import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

@Suite struct QueriesTests {
    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Repo.queries.path)) ?? []).filter {
            $0.hasSuffix(".bql")
        }.sorted()
    }

    @Test func thereAreAtLeastTwelveScriptsEachStatingItsQuestion() throws {
        #expect(Self.scripts.count >= 12)
        for s in Self.scripts {
            let text = try String(contentsOf: Repo.queries.appendingPathComponent(s), encoding: .utf8)
            #expect(text.hasPrefix("# Question:"), "\(s) must open with a comment stating its question")
        }
    }

    @Test(arguments: scripts)
    func scriptMatchesGolden(_ script: String) throws {
        let path = "Queries/" + script
        let r = try runBQL(["run", path, "--format", "csv", "--param", "dept=鞍山", "--data", "Datasets"])
        #expect(r.status == 0, "\(script): \(r.stderr)")
        #expect(r.stderr.isEmpty)
        let golden = Repo.queries.appendingPathComponent(
            "golden/" + script.replacingOccurrences(of: ".bql", with: ".csv"))
        try assertGolden(r.stdout, golden)
    }

    @Test(arguments: scripts)
    func csvAndJSONParseBackWithTheSameValues(_ script: String) throws {
        let text = try String(contentsOf: Repo.queries.appendingPathComponent(script), encoding: .utf8)
        var session = Session(catalog: Repo.catalog, parameters: ["dept": .text("鞍山")])
        for case .result(let result) in try session.run(text) {
            // CSV: a standard RFC 4180 reader gets the header and every value back exactly.
            let records = try CSVReader.parse(Array(ResultFormatter.render(result, as: .csv).utf8)).get()
            #expect(records.first?.fields == result.columns.map(\.name))
            #expect(records.count == result.rows.count + 1)
            for (row, rec) in zip(result.rows, records.dropFirst()) {
                #expect(rec.fields == row.map(ResultFormatter.exact), "\(script)")
            }
            // JSON: Foundation's parser reads an array of objects with the same values.
            let data = Data(ResultFormatter.render(result, as: .json).utf8)
            let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            #expect(array.count == result.rows.count)
            for (row, object) in zip(result.rows, array) {
                for (column, value) in zip(result.columns, row) {
                    let parsed = object[column.name]
                    switch value {
                    case .null: #expect(parsed is NSNull, "\(script) \(column.name)")
                    case .text(let t): #expect(parsed as? String == t, "\(script) \(column.name)")
                    case .bool(let b): #expect((parsed as? Bool) == b, "\(script) \(column.name)")
                    case .integer, .decimal:
                        let n = try #require(parsed as? NSNumber, "\(script) \(column.name)")
                        #expect(ExactDecimal("\(n)") == value.decimal, "\(script) \(column.name): \(n)")
                    }
                }
            }
        }
    }
}
