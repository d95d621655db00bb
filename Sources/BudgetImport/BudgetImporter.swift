// BudgetImporter: the importer's entry point. A file is read (PDF through pdftotext, or text),
// its tables located and laid out, their figures placed into a dataset draft, the draft written
// and loaded back through the ordinary loader (so what `bql --data` will load is what is checked),
// checked with `Checker`, and reported. Nothing is printed here and nothing exits.

import BudgetModel
import Foundation

/// How to import.
public struct ImportOptions: Sendable {
    /// Replace an existing dataset folder of the same id.
    public var replace: Bool
    /// The dataset id (the folder name); by default the file's name without its extension.
    public var id: String?

    /// Creates options.
    public init(replace: Bool = false, id: String? = nil) {
        self.replace = replace
        self.id = id
    }
}

/// What importing one document gave.
public struct ImportResult: Sendable {
    /// The file as given.
    public var file: String
    /// The dataset id.
    public var id: String
    /// Who and which year.
    public var department: DepartmentInfo
    /// How the text was read.
    public var documentKind: DocumentKind
    /// Pages (1 for text).
    public var pages: Int
    /// Every table found, with what became of it.
    public var tables: [TableCoverage]
    /// Template tables not found in the document.
    public var missing: [TableKind]
    /// What the import itself noted (tables that disagree, empty-table notes over figures …).
    public var notes: [DocumentNote]
    /// `bql check`'s findings on the imported budget.
    public var findings: [Finding]
    /// The budget as loaded back from the written dataset.
    public var budget: Budget
    /// Narrative figures stated with a recognised keyword, and how many were keyed.
    public var narrativeFigures: Int
    /// The source of each figure finding, where it can be told (`finding index → place`).
    public var findingSources: [Int: String]
    /// Seconds the import took.
    public var seconds: Double
    /// The report (Markdown).
    public var report: String
    /// The dataset folder, once written.
    public var folder: URL?
    /// Provenance of stored figures: `table|row|field` → source.
    public var provenance: [String: FigureSource]

    /// Figures seen in the tables, placed, equal to a stored one, and not placed.
    public var figuresSeen: Int { tables.reduce(0) { $0 + $1.seen } }
    public var figuresPlaced: Int { tables.reduce(0) { $0 + $1.placed } }
    public var figuresConfirmed: Int { tables.reduce(0) { $0 + $1.confirmed } }
    public var figuresUnplaced: Int { figuresSeen - figuresPlaced - figuresConfirmed }
    /// The findings that are contradictions.
    public var contradictions: [Finding] { findings.filter { $0.kind == .contradiction } }
}

/// Imports published budget documents.
public enum BudgetImporter {
    /// The template tables a 部门预算 is expected to publish.
    public static let expectedTables: [TableKind] = [
        .summary, .income, .expenditure, .fiscal, .generalFunctional, .basicEconomic, .threePublic, .governmentFund,
        .stateCapital, .projects, .procurement, .purchaseServices, .performance,
    ]

    /// Tables whose figures make a document a budget.
    static let figureTables: Set<TableKind> = [
        .summary, .income, .expenditure, .fiscal, .generalFunctional, .basicEconomic, .economic, .threePublic,
        .governmentFund, .stateCapital, .projects,
    ]

    /// Imports the document at `url` into a dataset folder under `directory`.
    public static func importDocument(_ url: URL, into directory: URL, options: ImportOptions = ImportOptions())
        throws(ImportError) -> ImportResult
    {
        let start = DispatchTime.now()
        let file = url.lastPathComponent
        let id = options.id ?? datasetID(for: url)
        let final = directory.appendingPathComponent(id)
        if !options.replace && FileManager.default.fileExists(atPath: final.path) {
            throw .outputExists(file: file, folder: final.path)
        }
        var built = try build(url, id: id)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(file: file, detail: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        let temp = try DatasetWriter.writeTemporary(
            built.draft, id: id, title: built.department.title, into: directory, file: file)
        var result = try check(built: &built, folder: temp, file: file, id: id, start: start)
        do {
            try Data(result.report.utf8).write(to: temp.appendingPathComponent(ImportReport.fileName))
        } catch {
            DatasetWriter.discard(temp)
            throw .writeFailed(file: file, detail: error.localizedDescription)
        }
        result.folder = try DatasetWriter.moveIntoPlace(
            temp, id: id, in: directory, replace: options.replace, file: file)
        return result
    }

    /// Reads and checks the document at `url` without keeping a dataset (a temporary one is
    /// written, loaded and removed).
    public static func read(_ url: URL, id: String? = nil) throws(ImportError) -> ImportResult {
        let start = DispatchTime.now()
        let file = url.lastPathComponent
        let id = id ?? datasetID(for: url)
        var built = try build(url, id: id)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bql-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let temp = try DatasetWriter.writeTemporary(
            built.draft, id: id, title: built.department.title, into: scratch, file: file)
        return try check(built: &built, folder: temp, file: file, id: id, start: start)
    }

    /// The dataset id for a file: its name without extension, with characters a folder name
    /// should not have replaced by 「-」.
    public static func datasetID(for url: URL) -> String {
        let base = url.deletingPathExtension().lastPathComponent
        var out = ""
        for ch in base {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" || ch == "." {
                out.append(ch)
            } else if out.last != "-" {
                out.append("-")
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        return trimmed.isEmpty ? "budget" : trimmed
    }

    // MARK: - Stages

    /// Everything before writing: the read document, its tables and the draft.
    struct Built {
        var document: SourceDocument
        var department: DepartmentInfo
        var builder: DraftBuilder
        var draft: DatasetDraft
        var narrativeFigures: Int
    }

    /// Reads the file into a document.
    static func document(_ url: URL) throws(ImportError) -> SourceDocument {
        let file = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw .unreadable(file: file, reason: error.localizedDescription)
        }
        if data.isEmpty { throw .emptyFile(file: file) }
        if PDFReader.isPDF(data) {
            let (words, pages) = try PDFReader.words(of: url, file: file, data: data)
            return SourceDocument(file: file, kind: .pdf, lines: LineBuilder.lines(of: words), pageCount: pages)
        }
        guard let text = TextReader.decode(data) else { throw .unsupportedFormat(file: file) }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .emptyFile(file: file) }
        return TextReader.document(text, file: file)
    }

    static func build(_ url: URL, id: String) throws(ImportError) -> Built {
        let file = url.lastPathComponent
        let document = try self.document(url)
        let grids = TableLocator.tables(in: document)
        let core = grids.filter { figureTables.contains($0.kind) }
        if core.isEmpty { throw .notABudget(file: file) }
        var builder = DraftBuilder(file: file, document: document, grids: grids)
        let department = DepartmentInfo.read(document, grids: builder.grids)
        builder.departmentName = department.name
        builder.build()
        let seen = builder.coverage.filter { figureTables.contains($0.kind) }.reduce(0) { $0 + $1.seen }
        if seen == 0 { throw .emptyTables(file: file, tables: Array(Set(core.map(\.name))).sorted()) }
        var draft = builder.draft
        // The department, its units, and the narrative.
        var d = DraftRow()
        d["id"] = id
        d["code"] = department.code ?? ""
        d["name"] = department.name
        d["province"] = department.province
        d["city"] = department.city ?? ""
        d["county"] = department.county ?? ""
        d["year"] = String(department.year)
        d["kind"] = department.kind
        d["source"] = department.title
        // The department's own 整体绩效目标表 (or, in a 单位预算, the unit's, which is the body's).
        d["goal"] =
            builder.overallGoals.first { $0.unit.isEmpty }?.goal
            ?? builder.overallGoals.first { $0.unit == department.name }?.goal ?? ""
        draft.append("department", d)
        var units: [String] = []
        for table in ["projects", "three_public", "procurement", "purchase_services", "tasks", "indicators"] {
            for r in draft.rows(table) {
                if let u = r["unit"], !u.isEmpty, !units.contains(u) { units.append(u) }
            }
        }
        if units.isEmpty { units = [department.name] }
        for u in units {
            var row = DraftRow()
            row["name"] = u
            let overall = builder.overallGoals.first { $0.unit == u }
            row["code"] = u == department.name ? department.code ?? overall?.code ?? "" : overall?.code ?? ""
            row["goal"] = overall?.goal ?? ""
            draft.append("units", row)
        }
        var tableLines = IndexSet()
        for g in builder.grids { tableLines.insert(integersIn: g.lineRange) }
        let clauses = NarrativeReader.clauses(document.lines, excluding: tableLines, pdf: document.kind == .pdf)
        let statements =
            NarrativeReader.statements(
                clauses, xiang: { builder.xiangCode(category: $0, section: $1, item: $2) },
                klass: { builder.classCode(for: $0) },
                classNames: builder.className.map { (name: Classification.stripOrdinal($0.value), code: $0.key) }
                    .filter { $0.name.count >= 4 })
            + ComparisonReader.statements(
                clauses, year: department.year,
                named: { NarrativeReader.paths($0, xiang: { builder.xiangCode(category: $0, section: $1, item: $2) }) })
        // Projects described only in prose, with their 用款计划.
        let prose = ProseProjects.read(document.lines, excluding: tableLines, pdf: document.kind == .pdf)
        ProseProjects.place(prose.projects, into: &draft, notes: &builder.notes)
        for s in prose.skipped { builder.notes.append(DocumentNote(kind: .skipped, text: s)) }
        if !prose.projects.isEmpty {
            builder.notes.append(
                DocumentNote(
                    kind: .skipped,
                    text:
                        "\(prose.projects.count) project\(prose.projects.count == 1 ? "" : "s") described in the 情况说明 (\(prose.projects.map(\.name).joined(separator: ", "))): stored with the total stated, named in totals as projects.described"
                ))
        }
        // Without an asset table, the vehicles and equipment the narrative counts.
        if !builder.grids.contains(where: { $0.kind == .assets }) {
            for row in AssetStatements.rows(clauses) { draft.append("assets", row) }
        }
        // A statement about a table the import could not read is kept, but not under a key that
        // `check` would compare with an empty table.
        let hasSpending = !draft.rows("spending").isEmpty
        let hasIncome = !draft.rows("income").isEmpty || draft.rows("totals").contains { $0["key"] == "income.total" }
        var unchecked = 0
        for s in statements {
            var key = s.key
            if !hasSpending && (key.hasPrefix("expense.") || key.hasPrefix("kuan.") || key.hasPrefix("xiang."))
                || !hasIncome && key.hasPrefix("income.")
            {
                key = "other.unread_" + key.replacingOccurrences(of: ".", with: "_")
                unchecked += 1
            }
            var row = DraftRow()
            row["key"] = key
            row["label"] = s.label
            row["amount"] = s.amount.description
            row["measure"] = s.measure
            row["section"] = s.section
            row["vs_year"] = s.vsYear.map(String.init) ?? ""
            row["vs_basis"] = s.vsBasis ?? ""
            row["quote"] = s.quote
            row.sources["amount"] = FigureSource(
                page: s.page, line: s.line, table: "情况说明", printed: s.printed,
                unit: s.measure == "%" ? "%" : PublishedUnit.wanYuan.rawValue)
            draft.append("narrative", row)
        }
        if unchecked > 0 {
            builder.notes.append(
                DocumentNote(
                    kind: .skipped,
                    text:
                        "\(unchecked) narrative figure\(unchecked == 1 ? "" : "s") kept as other.unread_*, not checked: the table it restates was not read"
                ))
        }
        return Built(
            document: document, department: department, builder: builder, draft: draft,
            narrativeFigures: statements.count)
    }

    /// Loads the written dataset back, checks it and writes the report text.
    static func check(built: inout Built, folder: URL, file: String, id: String, start: DispatchTime)
        throws(ImportError) -> ImportResult
    {
        let budget: Budget
        do throws(DatasetError) { budget = try DatasetLoader.load(from: folder) } catch {
            DatasetWriter.discard(folder)
            throw .writeFailed(file: file, detail: "the written dataset does not load: \(error)")
        }
        let findings = Checker.check(budget)
        var provenance: [String: FigureSource] = [:]
        for table in DatasetSchema.tables {
            for (i, r) in built.draft.rows(table.name).enumerated() {
                for (field, s) in r.sources { provenance["\(table.name)|\(i)|\(field)"] = s }
            }
        }
        let found = Set(built.builder.grids.map(\.kind))
        let missing = expectedTables.filter { !found.contains($0) }
        var result = ImportResult(
            file: file, id: id, department: built.department, documentKind: built.document.kind,
            pages: built.document.pageCount, tables: built.builder.coverage, missing: missing,
            notes: built.builder.notes,
            findings: findings, budget: budget, narrativeFigures: built.narrativeFigures, findingSources: [:],
            seconds: 0, report: "", folder: nil, provenance: provenance)
        result.findingSources = ImportReport.sources(of: findings, in: result)
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        result.report = ImportReport.render(result)
        return result
    }
}

extension DraftBuilder {
    /// The 7-digit code whose 类, 款 and 项 names are the ones given (a narrative's
    /// “X（类）Y（款）Z（项）”), when exactly one stored line matches.
    func xiangCode(category: String, section: String, item: String) -> String? {
        let z = Classification.nameKey(item)
        let matches = lineName.keys.filter { code in
            guard code.count == 7, let name = lineName[code], Classification.nameKey(name) == z else { return false }
            let k = String(code.prefix(5))
            let c = String(code.prefix(3))
            if let y = lineName[k], !Classification.sameName(y, section) { return false }
            if let x = className[c] ?? Classification.functionalClasses.first(where: { $0.0 == c })?.1.first {
                return Classification.sameName(x, category)
            }
            return false
        }
        return matches.count == 1 ? matches[0] : nil
    }
}

extension BudgetImporter {
    /// How the importer sees a document's tables: each table's title, unit, columns (label,
    /// centre, text or figure) and rows with the words placed in each column. For diagnosing a
    /// document the importer misreads.
    public static func layout(of url: URL) throws(ImportError) -> String {
        let document = try self.document(url)
        var out =
            "\(document.file): \(document.kind.rawValue), \(document.pageCount) pages, \(document.lines.count) lines\n"
        for g in TableLocator.tables(in: document) {
            out +=
                "\n== \(g.name) [\(g.kind.rawValue)] p.\(g.page)–\(g.lastPage) line \(g.line), unit \(g.unit?.rawValue ?? "?")\n"
            for (i, c) in g.columns.enumerated() {
                let role = ColumnMeaning.isStub(c) ? "text" : "figure"
                out += "  col \(i): \(c.label) @\(Int(c.center)) (\(role))\n"
            }
            for n in g.notes { out += "  note: \(n)\n" }
            for r in g.rows {
                let cells = r.cells.keys.sorted().map { "\($0)=\(r.text($0))" }.joined(separator: " | ")
                let extra =
                    r.unplacedFigures.isEmpty ? "" : "  ?? " + r.unplacedFigures.map(\.text).joined(separator: " ")
                out += "  p\(r.page) l\(r.line): \(cells)\(extra)\n"
            }
        }
        return out
    }
}
