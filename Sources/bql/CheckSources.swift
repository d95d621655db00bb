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
        func folder(_ id: String) -> URL { single ? directory : directory.appendingPathComponent(id) }
        for b in budgets {
            let id = b.department.id
            let provenance = ImportReport.provenance(in: folder(id))
            if provenance.isEmpty { continue }
            let mine = findings.filter { $0.dataset == id && $0.kind != .nameConflict }
            let places = ImportReport.places(of: mine, budget: b, provenance: provenance)
            for (i, f) in mine.enumerated() {
                guard var place = places[i] else { continue }
                // A rule across documents: where the other document printed its figure too.
                if let other = f.versus, let o = budgets.first(where: { $0.department.id == other }),
                    let key = f.subject.split(separator: " ").first,
                    let (_, subject) = YearStatement.parse(String(key)),
                    let there = ImportReport.place(
                        ofSubject: subject, budget: o, provenance: ImportReport.provenance(in: folder(other)))
                {
                    place += "; \(other): \(there)"
                }
                lines.append("  \(id) · \(f.rule) · \(f.subject): \(place)")
            }
        }
        guard !lines.isEmpty else { return "" }
        return "\nWhere the findings are printed (from provenance.csv):\n" + lines.joined(separator: "\n") + "\n"
    }
}
