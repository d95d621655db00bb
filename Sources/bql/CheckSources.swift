// CheckSources: for datasets written by `bql import`, where each finding of `bql check` was
// printed in the source document (page and line, from the dataset's provenance.csv).

import BudgetImport
import BudgetModel
import Foundation

enum CheckSources {
    /// Lines giving the page and line of each finding whose dataset records provenance; empty
    /// when no dataset does (the bundled datasets).
    static func render(_ findings: [Finding], budgets: [Budget], directory: URL) -> String {
        var lines: [String] = []
        let single = FileManager.default.fileExists(atPath: directory.appendingPathComponent("datapackage.json").path)
        for b in budgets {
            let id = b.department.id
            let folder = single ? directory : directory.appendingPathComponent(id)
            let provenance = ImportReport.provenance(in: folder)
            if provenance.isEmpty { continue }
            let mine = findings.filter { $0.dataset == id && $0.kind != .nameConflict }
            let places = ImportReport.places(of: mine, budget: b, provenance: provenance)
            for (i, f) in mine.enumerated() {
                guard let place = places[i] else { continue }
                lines.append("  \(id) · \(f.rule) · \(f.subject): \(place)")
            }
        }
        guard !lines.isEmpty else { return "" }
        return "\nWhere the findings are printed (from provenance.csv):\n" + lines.joined(separator: "\n") + "\n"
    }
}
