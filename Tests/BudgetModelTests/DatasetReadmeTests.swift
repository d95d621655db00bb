// DatasetReadmeTests: Datasets/README.md documents what the data and the schema say — every
// table and field of the schema (each table's summary, header and field table exactly as the
// declarations give them; BQL_RECORD=1 rewrites them), each dataset's summary row (recomputed from
// the data), and every name conflict of the classification catalog.

import BudgetModel
import Foundation
import Testing

@Suite struct DatasetReadmeTests {
    static func readme() throws -> String {
        try String(contentsOf: Paths.datasets.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// A table's documentation as the schema gives it: its summary, header and field table.
    static func fieldTable(_ table: TableSchema) -> String {
        var out = table.summary + "\n\nHeader: `" + table.fields.map(\.name).joined(separator: ",") + "`\n\n"
        out += "| column | 中文 | type | unit | required | meaning |\n|---|---|---|---|---|---|\n"
        for f in table.fields {
            let type =
                switch f.type {
                case .string: "text"
                case .decimal: "decimal"
                case .integer: "integer"
                }
            let choices = f.allowed.map { " One of " + $0.map { "`\($0)`" }.joined(separator: ", ") + "." } ?? ""
            out += "| `\(f.name)` | \(f.title) | \(type) | \(f.unit ?? "") | \(f.required ? "yes" : "") | "
            out += f.summary + choices + " |\n"
        }
        return out
    }

    @Test func documentsEveryTableAndField() throws {
        var text = try Self.readme()
        for table in DatasetSchema.tables {
            let heading = "### `\(table.file)` — \(table.title)\n\n"
            let expected = Self.fieldTable(table)
            if Paths.recording, let start = text.range(of: heading) {
                // The documentation runs to the first blank line after the field table.
                let rest = text[start.upperBound...]
                let tableStart = rest.range(of: "| column |")?.lowerBound ?? rest.startIndex
                let end = rest[tableStart...].range(of: "\n\n")?.lowerBound ?? rest.endIndex
                text.replaceSubrange(start.upperBound..<text.index(after: end), with: expected)
            }
            #expect(text.contains(heading + expected), "Datasets/README.md: \(table.file) differs from the schema")
        }
        if Paths.recording {
            try text.write(to: Paths.datasets.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        }
    }

    @Test func summaryRowsMatchTheData() throws {
        let text = try Self.readme()
        for b in try DatasetLoader.loadAll(from: Paths.datasets) {
            let d = b.department
            let total = try #require(b.spending.first { $0.code == nil })
            let projects = b.projects.filter(\.isProjectSpending).count
            let items = b.projects.count - projects
            let projectIndicators = b.indicators.filter { $0.project != nil }.count
            let three = try #require(b.threePublic.first { $0.unit == nil })
            let cells: [String] = [
                d.id, d.name, String(d.year), d.kind, String(b.units.count), "\(projects) / \(items)",
                "\(projectIndicators) / \(b.indicators.count - projectIndicators)",
                total.total?.description ?? "", total.basic?.description ?? "",
                b.fact("expense.personnel")?.description ?? "", b.fact("expense.public")?.description ?? "",
                total.project?.description ?? "", three.total?.description ?? "",
            ]
            let row = "| " + cells.joined(separator: " | ") + " |"
            #expect(text.contains(row), "README summary row for \(d.id) should be: \(row)")
            #expect(text.contains("[notes/\(d.id).md](notes/\(d.id).md)"))
        }
    }

    @Test func listsEveryNameConflict() throws {
        let text = try Self.readme()
        let budgets = try DatasetLoader.loadAll(from: Paths.datasets)
        let catalog = try ClassificationCatalog.load(from: Paths.datasets)
        for issue in catalog.compare(budgets) where issue.kind == .nameConflict {
            let row =
                "| \(issue.usage.code) | \(issue.catalogName ?? "") | \(issue.usage.name ?? "") | \(issue.usage.dataset)"
            #expect(text.contains(row), "README lists the name conflict \(row)")
        }
    }
}
