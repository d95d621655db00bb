// DepartmentReport: an example program that embeds the BudgetQL engine through its public API
// and prints a one-page report per department — the kind of tool an analyst builds on top.
// Usage: swift run department-report [DATASETS_DIR]

import BudgetQL
import BundledDatasets
import Foundation

let directory = CommandLine.arguments.dropFirst().first.map { URL(fileURLWithPath: $0) } ?? BundledDatasets.directory!
let catalog: Catalog
do {
    catalog = try Catalog.open(directory: directory)
} catch {
    FileHandle.standardError.write(Data("department-report: \(error)\n".utf8))
    exit(3)
}

/// Runs one query with parameters, exiting with the rendered diagnostic on error.
func run(_ query: String, _ parameters: [String: Value]) -> QueryResult {
    var session = Session(catalog: catalog, parameters: parameters)
    do { return try session.query(query) } catch {
        FileHandle.standardError.write(Data(Diagnostic(error, source: query).render(name: "report").utf8))
        exit(2)
    }
}

func money(_ v: Value) -> String {
    guard let d = v.decimal else { return "—" }
    return d.formatted(places: 2, grouping: true) + " 万元"
}

let departments = run("departments | select id, name, year, total, basic, project, three_public", [:])
for row in departments.rows {
    let id = row[0]
    print("\(row[1].text ?? "") · \(row[2].decimal?.description ?? "") 年")
    print("  收支总预算 \(money(row[3]))  基本支出 \(money(row[4]))  项目支出 \(money(row[5]))  三公经费 \(money(row[6]))")
    let classes = run(
        "spending | where dept.id = $id | group by 类 | agg amount = sum(amount), share = share(amount) | sort 类",
        ["id": id])
    for c in classes.rows {
        let share = c[3].decimal?.formatted(places: 2, grouping: false) ?? "—"
        print("  \(c[0].text ?? "") \(c[1].text ?? "")  \(money(c[2]))  (\(share)%)")
    }
    let top = run("projects | where dept.id = $id | sort -amount | take 3 | select name, amount", ["id": id])
    for (i, p) in top.rows.enumerated() { print("  项目 \(i + 1). \(p[0].text ?? "")  \(money(p[1]))") }
    print("")
}

// The same result as JSON, through Codable, for other languages.
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
let json = try encoder.encode(run("three_public | select dept, total | sort -total | take 2", [:]))
print(String(decoding: json, as: UTF8.self))
