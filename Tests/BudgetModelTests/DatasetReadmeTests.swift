// DatasetReadmeTests: Datasets/README.md documents what the data and the schema say — every
// table and field of the schema, each dataset's summary row (recomputed from the data), and
// every name conflict of the classification catalog.

import BudgetModel
import Foundation
import Testing

@Suite struct DatasetReadmeTests {
    static func readme() throws -> String {
        try String(contentsOf: Paths.datasets.appendingPathComponent("README.md"), encoding: .utf8)
    }

    @Test func documentsEveryTableAndField() throws {
        let text = try Self.readme()
        for table in DatasetSchema.tables {
            #expect(text.contains("### `\(table.file)` — \(table.title)"), "\(table.file)")
            #expect(
                text.contains("Header: `\(table.fields.map(\.name).joined(separator: ","))`"), "\(table.file) header")
            for field in table.fields {
                #expect(text.contains("| `\(field.name)` | \(field.title) |"), "\(table.file) \(field.name)")
            }
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
