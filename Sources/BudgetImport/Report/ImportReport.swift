// ImportReport: what an import found, as Markdown — printed by `bql import` and written into the
// dataset folder. It lists the tables found (with their units and what became of their figures),
// the template's tables not found, the coverage (figures placed against figures printed), the
// figures not placed and why, and `bql check`'s result with the document's own contradictions
// labelled as such and each finding's page.

import BudgetModel
import Foundation

/// Renders import reports.
public enum ImportReport {
    /// The report's file name in the dataset folder.
    public static let fileName = "import-report.md"

    /// The report of `r`.
    public static func render(_ r: ImportResult) -> String {
        var out: [String] = []
        let d = r.department
        out.append("# Import report: \(r.file)")
        out.append("")
        out.append("- Dataset `\(r.id)`: \(d.name), \(d.year), \(d.kind) (\(regionText(d)))")
        out.append("- Source: \(sourceText(r)), title 「\(d.title)」")
        let coverage =
            r.figuresSeen == 0 ? 0 : Double(r.figuresPlaced + r.figuresConfirmed) / Double(r.figuresSeen) * 100
        out.append(
            "- Coverage: \(r.figuresSeen) figures printed in the tables found; \(r.figuresPlaced) placed, "
                + "\(r.figuresConfirmed) equal to a figure already placed (a table printed twice is stored once), "
                + "\(r.figuresUnplaced) not placed — \(String(format: "%.1f", coverage))% accounted for")
        out.append("- Narrative: \(r.narrativeFigures) figures of the 情况说明 keyed and checked against the tables")
        let performance = r.tables.filter { $0.kind == .performance }
        if !performance.isEmpty {
            let b = r.budget
            out.append(
                "- 绩效目标: \(performance.count) 绩效目标表, \(b.indicators.count) indicators "
                    + "(\(b.indicators.filter { $0.project != nil }.count) of projects), \(b.tasks.count) tasks, "
                    + "\(b.projects.filter { $0.goal != nil }.count) project goals")
        }
        let contradictions = r.findings.filter { $0.kind == .contradiction }
        let rounding = r.findings.filter { $0.kind == .rounding }
        out.append(
            "- Check: \(contradictions.count) contradiction\(contradictions.count == 1 ? "" : "s") "
                + "(the document's own, kept as printed), \(rounding.count) rounding difference\(rounding.count == 1 ? "" : "s")"
                + (r.notes.isEmpty ? "" : ", \(r.notes.count) note\(r.notes.count == 1 ? "" : "s") of the import"))
        out.append("")
        out.append("## Tables found")
        out.append("")
        out.append("| table | kind | where | unit | rows | figures | placed | same as placed | not placed | status |")
        out.append("|---|---|---|---|---:|---:|---:|---:|---:|---|")
        for t in r.tables {
            let place = r.documentKind == .pdf ? "p. \(t.page)" : "line \(t.line)"
            let notPlaced = t.seen - t.placed - t.confirmed
            out.append(
                "| \(t.table) | \(t.kind.rawValue) | \(place) | \(t.unit ?? "—") | \(t.rows) | \(t.seen) | \(t.placed) | "
                    + "\(t.confirmed) | \(notPlaced) | \(t.status) |")
        }
        out.append("")
        out.append("## Expected tables not found")
        out.append("")
        if r.missing.isEmpty {
            out.append("Every table of the national template was found.")
        } else {
            out.append(
                "The national template's \(r.missing.map(\.rawValue).joined(separator: ", ")): not found by title and header "
                    + "(many regions leave some out, or print them only as a note).")
        }
        let unplaced = r.tables.filter { !$0.unplaced.isEmpty }
        if !unplaced.isEmpty {
            out.append("")
            out.append("## Figures not placed")
            out.append("")
            out.append("Printed figures that went into no field of the dataset (columns the model has no place for):")
            out.append("")
            for t in unplaced {
                for (label, n) in t.unplaced.sorted(by: { $0.key < $1.key }) {
                    out.append("- \(t.table) · \(label): \(n)")
                }
            }
        }
        out.append("")
        out.append("## Check")
        out.append("")
        if r.findings.isEmpty {
            out.append("`bql check` finds nothing: every total the tables imply adds up.")
        }
        if !contradictions.isEmpty {
            out.append("### The document's own contradictions (kept as printed, not fixed)")
            out.append("")
            for (i, f) in r.findings.enumerated() where f.kind == .contradiction {
                out.append("- " + findingLine(f, source: r.findingSources[i], result: r))
            }
            out.append("")
        }
        if !rounding.isEmpty {
            out.append("### Rounding differences (at most 0.01 万元 per summed figure printed in 万元)")
            out.append("")
            for (i, f) in r.findings.enumerated() where f.kind == .rounding {
                out.append("- " + findingLine(f, source: r.findingSources[i], result: r))
            }
            out.append("")
        }
        if !r.notes.isEmpty {
            out.append("### Noted by the import")
            out.append("")
            for n in r.notes { out.append("- \(n.kind.rawValue): \(n.text)") }
            out.append("")
        }
        out.append("")
        out.append(
            "Figures are stored in 万元, converted exactly from the unit each table states (元 ÷ 10,000, no rounding); "
                + "`provenance.csv` gives every stored figure's page, line, printed text and unit.")
        return out.joined(separator: "\n") + "\n"
    }

    static func regionText(_ d: DepartmentInfo) -> String {
        [d.province, d.city, d.county].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func sourceText(_ r: ImportResult) -> String {
        let secs = String(format: "%.2f", r.seconds)
        switch r.documentKind {
        case .pdf: return "PDF, \(r.pages) pages, read in \(secs) s"
        case .cells: return "converted text with cells, read in \(secs) s"
        case .plain: return "converted text without cell positions, read in \(secs) s"
        }
    }

    /// One finding: rule, subject, both figures (in 元 too when the table was printed in 元), and where.
    static func findingLine(_ f: Finding, source: String?, result: ImportResult) -> String {
        var line = "\(f.rule) · \(f.subject): printed \(f.published), the parts give \(f.computed)"
        line += " (difference \(f.difference) 万元"
        if let yuan = f.difference.multiplying(ExactDecimal(10000))?.normalized, f.published.scale > 2 {
            line += " = \(yuan) 元"
        }
        line += ")"
        if let source { line += " — \(source)" }
        return line
    }

    /// Where each finding's published figure was printed, where it can be told.
    static func sources(of findings: [Finding], in r: ImportResult) -> [Int: String] {
        places(of: findings, budget: r.budget, provenance: r.provenance)
    }

    /// Where each finding about `budget` has its published figure printed, from the provenance
    /// of its figures (`table|row|field`, row 0-based): finding index → 「table, p. N line M (printed …)」.
    public static func places(of findings: [Finding], budget b: Budget, provenance: [String: FigureSource])
        -> [Int: String]
    {
        var out: [Int: String] = [:]
        func place(_ table: String, _ row: Int, _ field: String) -> String? {
            guard let s = provenance["\(table)|\(row)|\(field)"] else { return nil }
            return "\(s.table), \(s.place) (printed \(s.printed) \(s.unit))"
        }
        let fields = ["total", "basic", "personnel", "public", "project"]
        for (i, f) in findings.enumerated() {
            let parts = f.subject.components(separatedBy: " · ")
            switch f.table {
            case "spending":
                let head = parts.first ?? ""
                let code = head.split(separator: " ").first.map(String.init)
                let field =
                    parts.count > 1 && fields.contains(parts[parts.count - 1]) ? parts[parts.count - 1] : "total"
                let row = b.spending.firstIndex { ($0.code ?? "合计") == code }
                if let row { out[i] = place("spending", row, field) }
            case "economic":
                guard parts.count >= 2 else { continue }
                let code = parts[1].split(separator: " ").first.map(String.init)
                let field = parts.count > 2 && fields.contains(parts[2]) ? parts[2] : "total"
                let row = b.economic.firstIndex { $0.table == parts[0] && ($0.code ?? "合计") == code }
                if let row { out[i] = place("economic", row, field) }
            case "three_public":
                let row = b.threePublic.firstIndex { ($0.unit ?? "部门") == f.subject }
                if let row { out[i] = place("three_public", row, f.rule.hasPrefix("公务用车") ? "vehicle" : "total") }
            case "narrative":
                if let r = f.subject.range(of: "narrative row "),
                    let n = Int(f.subject[r.upperBound...].prefix { $0.isNumber })
                {
                    out[i] = place("narrative", n - 1, "amount")
                }
            case "totals":
                let code = f.subject.split(separator: " ").first.map(String.init) ?? ""
                if let row = b.totals.firstIndex(where: { $0.key == "class.\(code)" }) {
                    out[i] = place("totals", row, "amount")
                }
            default:
                break
            }
        }
        return out
    }

    /// Where a document printed the figure of a narrative subject (`three_public.total`,
    /// `xiang.2120101`, `fiscal.income`, …) that `Budget.figure` reads: its table's row, else
    /// its own narrative's statement of it.
    public static func place(ofSubject subject: String, budget b: Budget, provenance: [String: FigureSource])
        -> String?
    {
        func place(_ table: String, _ row: Int, _ field: String) -> String? {
            guard let s = provenance["\(table)|\(row)|\(field)"] else { return nil }
            return "\(s.table), \(s.place) (printed \(s.printed) \(s.unit))"
        }
        let parts = subject.split(separator: ".", maxSplits: 1).map(String.init)
        let head = parts.first ?? ""
        let tail = parts.count > 1 ? parts[1] : ""
        switch head {
        case "three_public":
            if let row = b.threePublic.firstIndex(where: { $0.unit == nil }) ?? (b.threePublic.isEmpty ? nil : 0),
                let p = place("three_public", row, tail)
            {
                return p
            }
        case "class", "kuan", "xiang":
            if let row = b.spending.firstIndex(where: { $0.code == tail }), let p = place("spending", row, "total") {
                return p
            }
        default:
            break
        }
        if let row = b.totals.firstIndex(where: { $0.key == subject }), let p = place("totals", row, "amount") {
            return p
        }
        if let row = b.narrative.firstIndex(where: { $0.key == subject }) { return place("narrative", row, "amount") }
        return nil
    }

    /// The provenance recorded in a dataset folder's `provenance.csv` (empty when it has none),
    /// keyed `table|row|field` with rows counted from 0.
    public static func provenance(in folder: URL) -> [String: FigureSource] {
        guard
            let text = try? String(
                contentsOf: folder.appendingPathComponent(DatasetWriter.provenanceFile), encoding: .utf8)
        else { return [:] }
        var out: [String: FigureSource] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = DatasetWriter.csvFields(String(line))
            guard f.count == DatasetWriter.provenanceHeader.count, let row = Int(f[1]), let lineNo = Int(f[4]) else {
                continue
            }
            out["\(f[0])|\(row - 1)|\(f[2])"] = FigureSource(
                page: Int(f[3]) ?? 0, line: lineNo, table: f[7], printed: f[5], unit: f[6])
        }
        return out
    }
}
