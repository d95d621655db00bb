// DraftBuilder: the located tables made into the dataset's rows. Each printed figure is placed
// in one field, stored once (a table printed twice, or a 支出总表 equal to the 一般公共预算支出表,
// is compared and not added again), kept exactly as printed, and counted for the coverage.
// Disagreements between two tables that print the same figure are recorded, never resolved.

import BudgetModel

/// A contradiction or oddity the import itself sees (the arithmetic ones are `bql check`'s).
public struct DocumentNote: Sendable, Hashable {
    /// What kind of note it is.
    public enum Kind: String, Sendable, Hashable {
        /// Two tables print different figures for the same line.
        case tablesDisagree = "tables disagree"
        /// A table's note says it is empty, yet it prints figures.
        case emptyNoteWithFigures = "empty-table note over figures"
        /// Figures whose columns the text cannot tell (a converted text without cell positions).
        case ambiguousColumns = "columns not determinable"
        /// Something the reader skipped, for the record.
        case skipped = "skipped"
        /// A table states no unit: it was read in the unit the others state.
        case unitAssumed = "unit assumed"
        /// A table printed with no rows (「本部门无政府购买服务预算」, a 合计 of 0 over no rows).
        case emptyTable = "table printed empty"
    }

    /// The kind.
    public var kind: Kind
    /// One line saying what and where.
    public var text: String
}

/// What became of one located table.
public struct TableCoverage: Sendable, Hashable {
    /// The table name (title without numbering and year).
    public var table: String
    /// Its kind.
    public var kind: TableKind
    /// Where its title is.
    public var page: Int
    public var line: Int
    /// The unit it states (`nil`: not stated).
    public var unit: String?
    /// Rows read.
    public var rows: Int
    /// Figures printed in it.
    public var seen: Int
    /// Figures stored in the dataset from it.
    public var placed: Int
    /// Figures equal to one stored from another table (a duplicate stored once).
    public var confirmed: Int
    /// Figures not placed, by reason.
    public var unplaced: [String: Int]
    /// What was done with it.
    public var status: String
}

/// Builds the dataset rows from located tables.
struct DraftBuilder {
    let file: String
    let document: SourceDocument
    var grids: [TableGrid]
    var draft = DatasetDraft()
    var coverage: [TableCoverage] = []
    var notes: [DocumentNote] = []
    /// The department's name (a 整体绩效目标表 naming it is the department's own).
    var departmentName = ""
    /// The 整体绩效目标表s' goals, by the unit each names.
    var overallGoals: [OverallGoal] = []
    /// The coverage of each 绩效目标表, by its title's line index.
    var performanceCoverage: [Int: TableCoverage] = [:]
    /// The default unit: the one most tables state.
    var defaultUnit: PublishedUnit = .wanYuan

    /// Placed and confirmed figure words, and why some were left out.
    private var placedWords: Set<WordKey> = []
    private var confirmedWords: Set<WordKey> = []
    private var leftOut: [WordKey: String] = [:]
    /// Stored spending lines: "fund|code" (code "" for 合计) → row index.
    private var spendingIndex: [String: Int] = [:]
    /// The 类 names of the stored functional table, by code.
    private(set) var className: [String: String] = [:]
    /// Every stored classification line's name, by code.
    private(set) var lineName: [String: String] = [:]

    init(file: String, document: SourceDocument, grids: [TableGrid]) {
        self.file = file
        self.document = document
        self.grids = DraftBuilder.mergeContinuations(grids)
        var counts: [PublishedUnit: Int] = [:]
        for g in self.grids { if let u = g.unit { counts[u, default: 0] += 1 } }
        defaultUnit = counts.max { $0.value < $1.value }?.key ?? .wanYuan
    }

    /// Consecutive tables of one name and kind (a title repeated on every page) joined into one.
    static func mergeContinuations(_ grids: [TableGrid]) -> [TableGrid] {
        var out: [TableGrid] = []
        for g in grids {
            // A 绩效目标表 per project or unit: the reader follows them (PerformanceReader).
            if var last = out.last, last.kind == g.kind, g.kind != .performance, last.name == g.name,
                g.page >= last.lastPage,
                g.page <= last.lastPage + 1 || last.rows.isEmpty
            {
                last.rows += g.rows
                last.notes += g.notes
                last.lastPage = g.lastPage
                if last.columns.isEmpty { last.columns = g.columns }
                out[out.count - 1] = last
            } else {
                out.append(g)
            }
        }
        return out
    }

    func unit(_ g: TableGrid) -> PublishedUnit { g.unit ?? defaultUnit }

    func source(_ p: PlacedFigure, _ g: TableGrid) -> FigureSource {
        FigureSource(
            page: document.kind == .pdf ? p.word.page : 0, line: p.line, table: g.name, printed: p.figure.printed,
            unit: p.figure.unit.rawValue)
    }

    mutating func place(_ p: PlacedFigure) { placedWords.insert(WordKey(p.word)) }
    mutating func leaveOut(_ words: [Word], _ reason: String) { for w in words { leftOut[WordKey(w)] = reason } }
    mutating func confirm(_ p: PlacedFigure) { confirmedWords.insert(WordKey(p.word)) }

    // MARK: - Building

    /// Builds every table's rows.
    mutating func build() {
        buildFunctional()
        for g in grids {
            switch g.kind {
            case .summary: buildSummary(g)
            case .fiscal: buildFiscal(g)
            case .income: buildIncome(g)
            case .basicEconomic, .economic: buildEconomic(g)
            case .threePublic: buildThreePublic(g)
            case .projects: buildProjects(g)
            case .procurement: buildProcurement(g)
            case .purchaseServices: buildPurchaseServices(g)
            case .assets: buildAssets(g)
            default: break
            }
        }
        buildPerformance()
        draft.sortIncome()
        let unstated = grids.filter { g in
            g.unit == nil && g.kind != .performance
                && g.rows.contains { r in r.cells.values.contains { $0.contains { Figures.number($0.text) != nil } } }
        }
        if !unstated.isEmpty {
            notes.append(
                DocumentNote(
                    kind: .unitAssumed,
                    text:
                        "no 单位 line found for \(unstated.map(\.name).joined(separator: ", ")): read in \(defaultUnit.rawValue), the unit \(grids.contains { $0.unit != nil } ? "the other tables state" : "assumed when a document states none")"
                ))
        }
        for g in grids {
            checkEmptyNote(g)
            coverage.append(tableCoverage(g))
        }
    }

    // MARK: - Functional classification

    /// The functional tables: per fund, the richest table is stored; the others are compared.
    mutating func buildFunctional() {
        let functional = grids.indices.filter {
            [.expenditure, .generalFunctional, .governmentFund, .stateCapital].contains(grids[$0].kind)
        }
        var read: [Int: [ClassRow]] = [:]
        for i in functional { read[i] = RowReading.classRows(grids[i], economic: false, unit: unit(grids[i])) }
        func hasFigures(_ i: Int) -> Bool { read[i]?.contains { !$0.figures.isEmpty } ?? false }
        func richness(_ i: Int) -> Int {
            let fields: [FieldMeaning] = [.total, .basic, .personnel, .publicCost, .project]
            return fields.filter { f in read[i]?.contains { $0.figures[f] != nil } ?? false }.count
        }
        let otherFunds = functional.filter {
            [.governmentFund, .stateCapital].contains(grids[$0].kind) && hasFigures($0)
        }
        var candidates: [String: [Int]] = [:]
        for i in functional where hasFigures(i) {
            if let fund = grids[i].kind.fund {
                candidates[fund, default: []].append(i)
            } else if otherFunds.isEmpty {
                // The all-funds 支出总表 of a budget paid from 一般公共预算 alone.
                candidates["一般公共预算", default: []].append(i)
            }
        }
        for fund in DatasetSchema.funds {
            guard let list = candidates[fund], !list.isEmpty else { continue }
            let chosen =
                list.max { a, b in richness(a) < richness(b) || richness(a) == richness(b) && a > b } ?? list[0]
            store(read[chosen] ?? [], grid: grids[chosen], fund: fund)
            for other in list where other != chosen {
                compare(read[other] ?? [], grid: grids[other], fund: fund)
            }
        }
        // An all-funds table beside per-fund tables: compared line by line with their sum.
        for i in functional where grids[i].kind == .expenditure && !otherFunds.isEmpty {
            compare(read[i] ?? [], grid: grids[i], fund: nil)
        }
    }

    mutating func store(_ rows: [ClassRow], grid g: TableGrid, fund: String) {
        let fields: [(FieldMeaning, String)] = [
            (.total, "total"), (.basic, "basic"), (.personnel, "personnel"), (.publicCost, "public"),
            (.project, "project"),
        ]
        for r in rows {
            guard r.isTotal || r.code != nil else { continue }
            let key = "\(fund)|\(r.code ?? "")"
            if let existing = spendingIndex[key] {
                // The same line printed again (a table printed twice): compared, not added.
                compareLine(r, with: existing, grid: g)
                continue
            }
            var row = DraftRow()
            row["code"] = r.code ?? ""
            row["name"] = r.isTotal ? TextNormal.compact(r.name.isEmpty ? "合计" : r.name) : r.name
            row["fund"] = fund
            row["table"] = g.name
            if r.inferred { row["origin"] = "inferred" }
            for (meaning, field) in fields {
                guard let p = r.figures[meaning] else { continue }
                row.values[field] = p.figure.value.description
                row.sources[field] = source(p, g)
                place(p)
            }
            spendingIndex[key] = draft.append("spending", row)
            if let code = r.code {
                lineName[code] = r.name
                if code.count == 3 { className[code] = r.name }
            }
            // Project categories (其他运转类, 特定目标类): published totals with no field of their own.
            for (meaning, p) in r.figures {
                guard case .projectCategory(let category) = meaning else { continue }
                var t = DraftRow()
                t["key"] = category == "其他运转类" ? "other.project_other_operating" : "other.project_specific_target"
                t["label"] = r.isTotal ? "合计" : r.name
                t["table"] = g.name
                t["amount"] = p.figure.value.description
                t.sources["amount"] = source(p, g)
                draft.append("totals", t)
                place(p)
            }
        }
    }

    /// Compares a line printed again with the stored one: equal figures are confirmed, different
    /// ones recorded as the document disagreeing with itself.
    mutating func compareLine(_ r: ClassRow, with index: Int, grid g: TableGrid) {
        let stored = draft.rows("spending")[index]
        let fields: [(FieldMeaning, String)] = [
            (.total, "total"), (.basic, "basic"), (.personnel, "personnel"), (.publicCost, "public"),
            (.project, "project"),
        ]
        for (meaning, field) in fields {
            guard let p = r.figures[meaning] else { continue }
            if let text = stored.values[field], let v = ExactDecimal(text), v == p.figure.value {
                confirm(p)
            } else {
                let other = stored.sources[field].map { " (\($0.table), \($0.place))" } ?? ""
                notes.append(
                    DocumentNote(
                        kind: .tablesDisagree,
                        text:
                            "\(r.code ?? "合计") \(r.name) · \(field): \(g.name) prints \(p.figure.printed) \(p.figure.unit.rawValue) (\(source(p, g).place)); stored \(stored.values[field] ?? "blank") 万元\(other)"
                    ))
            }
        }
    }

    /// Compares a table that is not stored with the stored lines of `fund` (or of all funds).
    mutating func compare(_ rows: [ClassRow], grid g: TableGrid, fund: String?) {
        for r in rows where r.isTotal || r.code != nil {
            let funds = fund.map { [$0] } ?? DatasetSchema.funds
            let indices = funds.compactMap { spendingIndex["\($0)|\(r.code ?? "")"] }
            if indices.count == 1 {
                compareLine(r, with: indices[0], grid: g)
            } else if indices.count > 1 {
                for (meaning, field) in [(FieldMeaning.total, "total"), (.basic, "basic"), (.project, "project")] {
                    guard let p = r.figures[meaning] else { continue }
                    let parts = indices.compactMap {
                        draft.rows("spending")[$0].values[field].flatMap { ExactDecimal($0) }
                    }
                    let sum = parts.reduce(ExactDecimal.zero) { $0.adding($1) ?? $0 }
                    if sum == p.figure.value { confirm(p) }
                }
            }
        }
    }

    // MARK: - 收支总表, 财政拨款收支总表, 收入总表

    /// Reads a two-sided table: (income label, figure) and (expense label, figures by meaning).
    func twoSidedRows(_ g: TableGrid) -> [(
        income: (String, PlacedFigure?)?, expense: (String, [FieldMeaning: PlacedFigure])?
    )] {
        var out: [(income: (String, PlacedFigure?)?, expense: (String, [FieldMeaning: PlacedFigure])?)] = []
        let u = unit(g)
        for row in g.rows {
            let (incomeCols, expenseCols) = ColumnMeaning.twoSided(row.columns)
            let stubs = row.columns.indices.filter { ColumnMeaning.isStub(row.columns[$0]) }
            // The stub left of the first expense column is the expense label.
            let firstExpense = expenseCols.keys.min() ?? Int.max
            let incomeStubs = stubs.filter { $0 < (incomeCols.max() ?? -1) || $0 < firstExpense && stubs.count == 1 }
            let expenseStubs = stubs.filter { !incomeStubs.contains($0) }
            let incomeLabel = GridRow.join(
                incomeStubs.flatMap { row.cells[$0] ?? [] }.filter { !Figures.isFigure($0.text) })
            let expenseLabel = GridRow.join(
                expenseStubs.flatMap { row.cells[$0] ?? [] }.filter { !Figures.isFigure($0.text) })
            var incomeFigure: PlacedFigure?
            for c in incomeCols {
                for w in row.cells[c] ?? [] {
                    if let f = Figures.figure(w.text, unit: u), incomeFigure == nil {
                        incomeFigure = PlacedFigure(figure: f, word: w, line: row.line)
                    }
                }
            }
            var expense: [FieldMeaning: PlacedFigure] = [:]
            for (c, meaning) in expenseCols.sorted(by: { $0.key < $1.key }) {
                for w in row.cells[c] ?? [] {
                    if let f = Figures.figure(w.text, unit: u), expense[meaning] == nil {
                        expense[meaning] = PlacedFigure(figure: f, word: w, line: row.line)
                    }
                }
            }
            out.append(
                (
                    incomeLabel.isEmpty && incomeFigure == nil ? nil : (incomeLabel, incomeFigure),
                    expenseLabel.isEmpty && expense.isEmpty ? nil : (expenseLabel, expense)
                ))
        }
        return out
    }

    mutating func addTotal(key: String, label: String, grid g: TableGrid, figure: PlacedFigure?) {
        var t = DraftRow()
        t["key"] = key
        t["label"] = label
        t["table"] = g.name
        if let p = figure {
            t["amount"] = p.figure.value.description
            t.sources["amount"] = source(p, g)
            place(p)
        }
        draft.append("totals", t)
    }

    /// The code of a 类 named in a label (「一、一般公共服务支出」): from the stored functional
    /// table's 类 names, else from the national list of 类.
    func classCode(for label: String) -> String? {
        let name = Classification.stripOrdinal(label)
        guard !name.isEmpty else { return nil }
        for (code, n) in className where Classification.sameName(n, name) { return code }
        return Classification.functionalClass(named: name)
    }

    mutating func buildSummary(_ g: TableGrid) {
        var seenSources: Set<String> = []
        for (income, expense) in twoSidedRows(g) {
            if let (label, figure) = income {
                let key = TextNormal.key(label)
                if key.contains("总计") {
                    addTotal(key: "income.grand_total", label: label, grid: g, figure: figure)
                } else if key.contains("合计") {
                    addTotal(key: "income.total", label: label, grid: g, figure: figure)
                } else if let src = ColumnMeaning.incomeSource(key), !key.contains("其中") {
                    if src == "财政拨款" || src == "单位资金" {
                        addTotal(
                            key: src == "财政拨款" ? "other.fiscal_appropriation_income" : "other.unit_funds_income",
                            label: label, grid: g, figure: figure)
                    } else if !seenSources.contains(src) {
                        seenSources.insert(src)
                        var row = DraftRow()
                        row["source"] = src
                        if let p = figure {
                            row["amount"] = p.figure.value.description
                            row.sources["amount"] = source(p, g)
                            place(p)
                        }
                        draft.append("income", row)
                    } else {
                        addTotal(
                            key: "other.income_\(Classification.sourceKey(src))", label: label, grid: g, figure: figure)
                    }
                } else if !label.isEmpty || figure != nil {
                    addTotal(key: "other.income_line", label: label, grid: g, figure: figure)
                }
            }
            if let (label, figures) = expense {
                let key = TextNormal.key(label)
                let figure = figures[.total] ?? figures.sorted(by: { $0.value.word.x0 < $1.value.word.x0 }).first?.value
                confirmSplit(figures, code: key.contains("计") ? nil : classCode(for: label), grid: g)
                if key.contains("总计") {
                    addTotal(key: "expense.grand_total", label: label, grid: g, figure: figure)
                } else if key.contains("结转") || key.contains("结余") {
                    addTotal(key: "expense.carry_forward", label: label, grid: g, figure: figure)
                } else if key.contains("合计") {
                    addTotal(key: "expense.total", label: label, grid: g, figure: figure)
                } else if let code = classCode(for: label) {
                    classTotal(code: code, label: label, grid: g, figure: figure)
                } else if figure != nil {
                    addTotal(key: "other.expense_line", label: label, grid: g, figure: figure)
                }
            }
        }
    }

    /// The 基本支出 / 人员经费 / 公用经费 / 项目支出 columns of a 收支总表's expense side: each
    /// compared with the stored functional line (the 合计 line for a total row); where they
    /// differ, the difference is noted, never resolved.
    mutating func confirmSplit(_ figures: [FieldMeaning: PlacedFigure], code: String?, grid g: TableGrid) {
        let fields: [(FieldMeaning, String)] = [
            (.basic, "basic"), (.personnel, "personnel"), (.publicCost, "public"), (.project, "project"),
        ]
        for (meaning, field) in fields {
            guard let p = figures[meaning] else { continue }
            let lines = DatasetSchema.funds.compactMap { spendingIndex["\($0)|\(code ?? "")"] }
            let stored = lines.compactMap { draft.rows("spending")[$0].values[field].flatMap { ExactDecimal($0) } }
            let sum = stored.reduce(ExactDecimal.zero) { $0.adding($1) ?? $0 }
            if !stored.isEmpty && sum == p.figure.value {
                confirm(p)
            } else if stored.isEmpty {
                leaveOut([p.word], "columns the functional table does not print")
            } else {
                notes.append(
                    DocumentNote(
                        kind: .tablesDisagree,
                        text:
                            "\(code ?? "合计") · \(field): \(g.name) prints \(p.figure.printed) \(p.figure.unit.rawValue) (\(source(p, g).place)); the functional table \(sum) 万元"
                    ))
            }
        }
    }

    /// A 类 total printed outside the functional table: confirmed against the stored 类 line, or
    /// kept as `class.<code>` when the functional table prints no 类 lines.
    mutating func classTotal(code: String, label: String, grid g: TableGrid, figure: PlacedFigure?) {
        let lines = DatasetSchema.funds.compactMap { spendingIndex["\($0)|\(code)"] }
        guard let figure else { return }
        if lines.isEmpty {
            addTotal(key: "class.\(code)", label: label, grid: g, figure: figure)
            return
        }
        let sum = lines.compactMap { draft.rows("spending")[$0].values["total"].flatMap { ExactDecimal($0) } }
            .reduce(ExactDecimal.zero) { $0.adding($1) ?? $0 }
        if sum == figure.figure.value {
            confirm(figure)
        } else {
            addTotal(key: "class.\(code)", label: label, grid: g, figure: figure)
        }
    }

    mutating func buildFiscal(_ g: TableGrid) {
        var incomeParent = "income"
        for (income, expense) in twoSidedRows(g) {
            if let (label, figure) = income {
                let key = TextNormal.key(label)
                let top = Classification.isTopLevel(label)
                var name: String
                if key.contains("总计") {
                    name = "other.fiscal_income_grand_total"
                } else if key.contains("本年收入") {
                    // 一、本年收入 or 本年收入合计: the 财政拨款 headline figure (Headline.fiscalIncome).
                    incomeParent = "income"
                    name = "fiscal.income"
                } else if key.contains("合计") {
                    name = "other.fiscal_income_total"
                } else if key.contains("上年结转") || key.contains("结转") {
                    incomeParent = "carryover"
                    name = "other.fiscal_carryover"
                } else if let source = ColumnMeaning.incomeSource(key) {
                    if top && incomeParent == "carryover" && !key.contains("结转") { incomeParent = "income" }
                    name = "other.fiscal_\(incomeParent)_\(Classification.sourceKey(source))"
                } else {
                    name = "other.fiscal_income_line"
                }
                if !label.isEmpty || figure != nil { addTotal(key: name, label: label, grid: g, figure: figure) }
            }
            if let (label, figures) = expense {
                let key = TextNormal.key(label)
                var base: String?
                if key.contains("总计") {
                    base = "other.fiscal_expense_grand_total"
                } else if key.contains("结转") || key.contains("结余") {
                    base = "other.fiscal_carry_forward"
                } else if key.contains("合计") {
                    base = "other.fiscal_expense_total"
                } else if key.contains("本年支出") {
                    base = "other.fiscal_expense_current"
                } else if let code = classCode(for: label) {
                    // A 类 line: its 合计 confirmed against the functional table; fund columns kept.
                    if let total = figures[.total] {
                        let lines = DatasetSchema.funds.compactMap { spendingIndex["\($0)|\(code)"] }
                        let sum = lines.compactMap {
                            draft.rows("spending")[$0].values["total"].flatMap { ExactDecimal($0) }
                        }
                        .reduce(ExactDecimal.zero) { $0.adding($1) ?? $0 }
                        if !lines.isEmpty && sum == total.figure.value {
                            confirm(total)
                        } else {
                            addTotal(key: "other.fiscal_class_\(code)", label: label, grid: g, figure: total)
                        }
                    }
                    for (meaning, p) in figures {
                        guard case .fund(let fund) = meaning else { continue }
                        let line = spendingIndex["\(fund)|\(code)"].map { draft.rows("spending")[$0] }
                        if let t = line?.values["total"], ExactDecimal(t) == p.figure.value {
                            confirm(p)
                        } else {
                            addTotal(
                                key: "other.fiscal_class_\(code)_\(Classification.fundKey(fund))", label: label,
                                grid: g, figure: p)
                        }
                    }
                    continue
                }
                guard let base else {
                    if let p = figures[.total] ?? figures.values.first {
                        addTotal(key: "other.fiscal_expense_line", label: label, grid: g, figure: p)
                    }
                    continue
                }
                addTotal(key: base, label: label, grid: g, figure: figures[.total])
                for (meaning, p) in figures.sorted(by: { "\($0.key)" < "\($1.key)" }) {
                    guard case .fund(let fund) = meaning else { continue }
                    addTotal(key: "\(base)_\(Classification.fundKey(fund))", label: label, grid: g, figure: p)
                }
            }
        }
    }

    /// 收入总表: by classification line (compared with the stored lines; its 合计 line kept) or
    /// by unit (each unit's 合计 kept).
    mutating func buildIncome(_ g: TableGrid) {
        let rows = RowReading.classRows(g, economic: false, unit: unit(g))
        let byCode = rows.contains { $0.code != nil }
        for r in rows {
            if byCode, let code = r.code {
                if let p = r.figures[.total] {
                    let lines = DatasetSchema.funds.compactMap { spendingIndex["\($0)|\(code)"] }
                    let sum = lines.compactMap {
                        draft.rows("spending")[$0].values["total"].flatMap { ExactDecimal($0) }
                    }
                    .reduce(ExactDecimal.zero) { $0.adding($1) ?? $0 }
                    if !lines.isEmpty && sum == p.figure.value {
                        confirm(p)
                    } else if !lines.isEmpty {
                        notes.append(
                            DocumentNote(
                                kind: .tablesDisagree,
                                text:
                                    "\(code) \(r.name) · total: \(g.name) prints \(p.figure.printed) \(p.figure.unit.rawValue) (\(source(p, g).place)); the functional table \(sum) 万元"
                            ))
                    }
                }
                continue
            }
            if r.isTotal {
                if let p = r.figures[.total] {
                    addTotal(key: "other.income_table_total", label: r.name, grid: g, figure: p)
                }
                for (meaning, p) in r.figures.sorted(by: { $0.value.word.x0 < $1.value.word.x0 }) {
                    guard case .incomeSource(let s) = meaning else { continue }
                    if DatasetSchema.incomeSources.contains(s) {
                        incomeBySource(s, figure: p, grid: g)
                    } else {
                        addTotal(
                            key: "other.income_table_\(Classification.sourceKey(s))", label: "\(r.name)（\(s)）", grid: g,
                            figure: p)
                    }
                }
                // A source column the 合计 row leaves blank: the source is listed, with no amount.
                let meanings = ColumnMeaning.classification(g.columns, economic: false)
                for case .incomeSource(let s)? in meanings where DatasetSchema.incomeSources.contains(s) {
                    if !draft.rows("income").contains(where: { $0["source"] == s }) {
                        var row = DraftRow()
                        row["source"] = s
                        draft.append("income", row)
                    }
                }
            } else if !r.name.isEmpty, let p = r.figures[.total] {
                addTotal(key: "other.income_unit", label: r.name, grid: g, figure: p)
            }
        }
    }

    /// An income source's total from the 收入总表: compared with the 收支总表's figure when that
    /// lists the source (a blank there is compared as zero), else added to `income`.
    mutating func incomeBySource(_ s: String, figure p: PlacedFigure, grid g: TableGrid) {
        if let existing = draft.rows("income").first(where: { $0["source"] == s }) {
            let stored = existing["amount"].flatMap { ExactDecimal($0) } ?? .zero
            if stored == p.figure.value {
                confirm(p)
            } else {
                notes.append(
                    DocumentNote(
                        kind: .tablesDisagree,
                        text:
                            "income \(s): \(g.name) prints \(p.figure.printed) \(p.figure.unit.rawValue) (\(source(p, g).place)); the 收支总表 \(existing["amount"] ?? "blank")"
                    ))
            }
            return
        }
        var row = DraftRow()
        row["source"] = s
        row["amount"] = p.figure.value.description
        row.sources["amount"] = source(p, g)
        place(p)
        draft.append("income", row)
    }

    // MARK: - Economic classification

    mutating func buildEconomic(_ g: TableGrid) {
        let rows = RowReading.classRows(g, economic: true, unit: unit(g))
        guard rows.contains(where: { !$0.figures.isEmpty }) else { return }
        // A table printed twice under one name: stored once.
        let existing = draft.rows("economic").filter { $0["table"] == g.name }
        if !existing.isEmpty {
            for r in rows { for p in r.figures.values { confirm(p) } }
            return
        }
        let fields: [(FieldMeaning, String)] = [
            (.total, "total"), (.basic, "basic"), (.personnel, "personnel"), (.publicCost, "public"),
            (.project, "project"),
        ]
        var stored: Set<String> = []
        for r in rows {
            var code = r.code
            if code == nil && !r.isTotal { code = Classification.economicClass(named: r.name) }
            guard r.isTotal || code != nil else {
                leaveOut(r.allWords, "rows without a classification code")
                continue
            }
            var government: (code: String, name: String)?
            if let rowIndex = r.rowIndex, rowIndex < g.rows.count {
                let (govCode, govName) = RowReading.codeAndName(g.rows[rowIndex], previous: nil, government: true)
                if let govCode, !(code?.hasPrefix("5") ?? true) { government = (govCode, govName) }
            }
            // Rows printed with the code of the 款 above them are its 子目, which have no code of
            // their own: adding them would count the 款 twice. A 部门 code printed again beside a
            // different 政府 code is another line of the table (the two schemes do not nest).
            let key = (code ?? "") + "|" + (government?.code ?? "")
            if code != nil, stored.contains(key) {
                leaveOut(r.allWords, "子目 rows printed under their 款's code")
                continue
            }
            stored.insert(key)
            var row = DraftRow()
            row["table"] = g.name
            row["scheme"] = (code?.hasPrefix("5") ?? false) ? "政府" : "部门"
            if let government {
                row["gov_code"] = government.code
                row["gov_name"] = government.name
            }
            row["code"] = code ?? ""
            row["name"] = r.isTotal ? TextNormal.compact(r.name.isEmpty ? "合计" : r.name) : r.name
            if r.inferred { row["origin"] = "inferred" }
            for (meaning, field) in fields {
                guard let p = r.figures[meaning] else { continue }
                row.values[field] = p.figure.value.description
                row.sources[field] = source(p, g)
                place(p)
            }
            draft.append("economic", row)
        }
    }

    // MARK: - “三公”经费

    mutating func buildThreePublic(_ g: TableGrid) {
        let u = unit(g)
        var dataRows: [(name: String, figures: [FieldMeaning: PlacedFigure])] = []
        for row in g.rows {
            let meanings = ColumnMeaning.threePublic(row.columns)
            let (figures, _) = RowReading.figures(row, meanings: meanings, unit: u)
            let (_, name) = RowReading.codeAndName(row, previous: nil)
            if figures.isEmpty { continue }
            // A row without a name that repeats the row above (a blank-named department subtotal).
            if name.isEmpty, let last = dataRows.last, last.figures.count == figures.count,
                figures.allSatisfy({ last.figures[$0.key]?.figure.value == $0.value.figure.value })
            {
                for p in figures.values { confirm(p) }
                continue
            }
            dataRows.append((name, figures))
        }
        guard !dataRows.isEmpty else { return }
        // A table printed as a list, one row per part, its figures in 合计 / fund columns.
        let partColumns = dataRows.contains { r in
            r.figures.keys.contains { if case .threePublic(let f) = $0 { return f != "total" } else { return false } }
        }
        if !partColumns, dataRows.contains(where: { ColumnMeaning.threePublicPart($0.name) != nil }) {
            buildThreePublicList(g)
            return
        }
        let departmentIndex =
            dataRows.firstIndex { n in
                let k = TextNormal.key(n.name)
                return k.isEmpty || k.contains("合计") || k.contains("总计")
            } ?? 0
        let fields = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
        for (i, r) in dataRows.enumerated() {
            var row = DraftRow()
            row["unit"] = i == departmentIndex ? "" : r.name
            for f in fields {
                guard let p = r.figures[.threePublic(f)] else { continue }
                row.values[f] = p.figure.value.description
                row.sources[f] = source(p, g)
                place(p)
            }
            draft.append("three_public", row)
            if let p = r.figures[.operatingCost] {
                var label =
                    g.columns.first { ColumnMeaning.threePublic([$0]).first == .operatingCost }?.label ?? "机关运行经费"
                label = TextNormal.compact(label)
                if i == departmentIndex {
                    addTotal(key: "operating_cost", label: label, grid: g, figure: p)
                } else {
                    addTotal(key: "other.operating_cost_unit", label: r.name, grid: g, figure: p)
                }
            }
        }
    }

    /// A “三公” table printed as a list: each row names a part; its figure is the row's first
    /// figure column (合计, or the only fund column).
    mutating func buildThreePublicList(_ g: TableGrid) {
        let u = unit(g)
        var row = DraftRow()
        row["unit"] = ""
        var operating: PlacedFigure?
        for r in g.rows {
            let (_, name) = RowReading.codeAndName(r, previous: nil)
            guard let part = ColumnMeaning.threePublicPart(name) else { continue }
            let figureColumns = r.cells.keys.sorted().filter {
                $0 < r.columns.count && !ColumnMeaning.isStub(r.columns[$0])
            }
            guard let c = figureColumns.first, let w = r.cells[c]?.first, let f = Figures.figure(w.text, unit: u) else {
                continue
            }
            let p = PlacedFigure(figure: f, word: w, line: r.line)
            if part == "operating_cost" {
                if operating == nil { operating = p }
                continue
            }
            guard row.values[part] == nil else {
                if row.values[part].flatMap({ ExactDecimal($0) }) == f.value { confirm(p) }
                continue
            }
            row.values[part] = f.value.description
            row.sources[part] = source(p, g)
            place(p)
            // The same figure in the other fund columns of the row is the same money.
            for other in figureColumns.dropFirst() {
                for w2 in r.cells[other] ?? [] where Figures.figure(w2.text, unit: u)?.value == f.value {
                    confirm(PlacedFigure(figure: f, word: w2, line: r.line))
                }
            }
        }
        if row.sources.isEmpty && operating == nil { return }
        draft.append("three_public", row)
        if let operating { addTotal(key: "operating_cost", label: "机关运行经费", grid: g, figure: operating) }
    }

    // MARK: - 项目支出

    /// 项目支出表: a 合计 row, unit rows (a unit's subtotal), project rows. Where the table has no
    /// 项目名称 column, the rows that carry a classification code are the projects and the other
    /// named rows are the unit's and the 项's subtotals.
    mutating func buildProjects(_ g: TableGrid) {
        let u = unit(g)
        var count = draft.rows("projects").count
        var currentUnit = ""
        var lastFigures: [String] = []
        let hasNameColumn = g.rows.contains { r in r.columns.contains { $0.leaf.contains("项目名称") } }
        var previousCode: String?
        let firstProject = count
        var unitTotals: [Int] = []
        for row in g.rows {
            var fields: [String: String] = [:]
            var amount: PlacedFigure?
            for ci in row.cells.keys.sorted() {
                guard ci < row.columns.count else { continue }
                let col = row.columns[ci]
                let leaf = col.leaf
                let text = row.text(ci)
                if ColumnMeaning.isStub(col) {
                    let field: String? =
                        if leaf.contains("项目名称") || leaf == "项目" {
                            "name"
                        } else if leaf.contains("单位代码") || leaf.contains("单位编码") {
                            "unit_code"
                        } else if leaf.contains("内容") || leaf.contains("概况") {
                            "content"
                        } else if leaf.contains("类别") || leaf.contains("类型") {
                            "category"
                        } else if leaf.contains("项目编码") || leaf.contains("项目代码") {
                            "code"
                        } else if leaf.contains("单位") {
                            "unit"
                        } else {
                            nil
                        }
                    if let field { fields[field] = text }
                    continue
                }
                guard amount == nil, let w = row.cells[ci]?.first, let f = Figures.figure(w.text, unit: u) else {
                    continue
                }
                let path = col.pathKey
                if path.contains("合计") || path.contains("总计") || path.contains("金额") || path.contains("预算数")
                    || path.contains("项目支出") || path.contains("小计") || path.contains("预算")
                {
                    amount = PlacedFigure(figure: f, word: w, line: row.line)
                }
            }
            let (code, stubName) = RowReading.codeAndName(row, previous: previousCode)
            if let code { previousCode = code }
            let figuresText = row.cells.values.flatMap { $0 }.filter { Figures.isFigure($0.text) }.map(\.text)
            let name = fields["name"] ?? ""
            let unitName = fields["unit"] ?? ""
            let label = hasNameColumn ? (name.isEmpty ? unitName : name) : (unitName.isEmpty ? stubName : unitName)
            let key = TextNormal.key(label)
            if key == "合计" || key == "总计" {
                if let amount {
                    addTotal(key: "projects.total", label: TextNormal.compact(label), grid: g, figure: amount)
                }
                lastFigures = figuresText
                continue
            }
            if label.isEmpty && lastFigures.isEmpty && count == draft.rows("projects").count && currentUnit.isEmpty,
                let amount,
                !draft.rows("totals").contains(where: { $0["key"] == "projects.total" && $0["table"] == g.name })
            {
                // The table's first row, its label cell left blank: the 合计.
                addTotal(key: "projects.total", label: "", grid: g, figure: amount)
                lastFigures = figuresText
                continue
            }
            if label.isEmpty {
                // A row with no name repeating the row above (a blank-named subtotal).
                if figuresText == lastFigures, let amount { confirm(amount) }
                continue
            }
            lastFigures = figuresText
            let isProject = hasNameColumn ? !name.isEmpty : code != nil
            if !isProject {
                guard let amount else { continue }
                let isUnit =
                    hasNameColumn || fields["unit_code"].map { !$0.isEmpty } == true || currentUnit.isEmpty
                    || draft.rows("department").first?["name"] == label
                if isUnit {
                    currentUnit = label
                    addTotal(key: "projects.unit", label: label, grid: g, figure: amount)
                    unitTotals.append(draft.rows("totals").count - 1)
                } else {
                    addTotal(key: "other.projects_xiang", label: label, grid: g, figure: amount)
                }
                continue
            }
            guard let amount else { continue }
            count += 1
            var p = DraftRow()
            p["id"] = String(format: "P%02d", count)
            p["unit"] = unitName.isEmpty || !hasNameColumn ? currentUnit : unitName
            p["code"] = fields["code"] ?? ""
            p["name"] = hasNameColumn ? name : stubName
            if let c = fields["category"], ["人员类", "运转类", "其他运转类", "特定目标类"].contains(c) { p["category"] = c }
            p["spending_type"] = "项目支出"
            p["content"] = fields["content"] ?? ""
            p["amount"] = amount.figure.value.description
            p.sources["amount"] = source(amount, g)
            if let code, code.count == 7 { p["function_code"] = code }
            place(amount)
            draft.append("projects", p)
        }
        // A subtotal equal to the 合计 over projects of two or more units is the department's own
        // row (部门 above its 单位), not one unit's.
        let units = Set(draft.rows("projects").dropFirst(firstProject).map { $0["unit"] ?? "" })
        let total = draft.rows("totals").last { $0["key"] == "projects.total" && $0["table"] == g.name }?["amount"]
        if units.count >= 2, let total {
            for i in unitTotals where draft.rows("totals")[i]["amount"] == total {
                draft.set("totals", row: i, field: "key", value: "other.projects_department_row")
            }
        }
    }

    // MARK: - 政府采购

    /// 政府采购预算表: item rows; 合计 and per-unit 小计 rows as totals (with their 预留中小企业
    /// share). The category is the one printed, else the catalog code's letter (A 货物, B 工程,
    /// C 服务), as the format prescribes.
    mutating func buildProcurement(_ g: TableGrid) {
        let u = unit(g)
        var currentUnit = ""
        for row in g.rows {
            var text: [String: String] = [:]
            var money: [String: PlacedFigure] = [:]
            var quantity: String?
            for ci in row.cells.keys.sorted() {
                guard ci < row.columns.count, let first = row.cells[ci]?.first else { continue }
                let col = row.columns[ci]
                let leaf = col.leaf
                let path = col.pathKey
                let cell = row.text(ci)
                if leaf.contains("数量") {
                    quantity = Figures.number(first.text)?.description
                    continue
                }
                if ColumnMeaning.isStub(col) || Figures.figure(first.text, unit: u) == nil {
                    let field: String? =
                        if leaf.contains("目录") || leaf.contains("品目编码") || leaf.contains("序号") {
                            "catalog_code"
                        } else if leaf.contains("计量") {
                            "measure"
                        } else if leaf.contains("类别") {
                            "category"
                        } else if leaf.contains("物品") || leaf.contains("品目") || leaf.contains("采购项目")
                            || leaf.contains("采购内容")
                        {
                            "item"
                        } else if path.contains("项目") || leaf.contains("单位") {
                            "project"
                        } else {
                            nil
                        }
                    if let field, !cell.isEmpty { text[field] = cell }
                    continue
                }
                guard let f = Figures.figure(first.text, unit: u) else { continue }
                let p = PlacedFigure(figure: f, word: first, line: row.line)
                let field: String? =
                    if path.contains("中小") {
                        "sme_reserved"
                    } else if leaf.contains("单价") {
                        "unit_price"
                    } else if path.contains("项目来源") || leaf.contains("预算资金") && !path.contains("采购金额") {
                        "project_amount"
                    } else if leaf.contains("合计") || leaf.contains("金额") || leaf.contains("预算") || leaf.contains("总计") {
                        "amount"
                    } else {
                        nil
                    }
                if let field, money[field] == nil { money[field] = p }
            }
            let label = text["project"] ?? text["item"] ?? ""
            let key = TextNormal.key(label)
            if text["item"] == nil || key == "合计" || key == "总计" || key.hasSuffix("小计") {
                let total = key == "合计" || key == "总计"
                let name =
                    total
                    ? TextNormal.compact(label)
                    : String(TextNormal.compact(label).dropLast(key.hasSuffix("小计") ? 2 : 0))
                if !total && !name.isEmpty { currentUnit = name }
                if let amount = money["amount"] {
                    addTotal(
                        key: total ? "procurement.total" : "procurement.unit", label: name, grid: g, figure: amount)
                } else if total {
                    // A 合计 line printed with a blank amount (an empty table): kept blank.
                    addTotal(key: "procurement.total", label: name, grid: g, figure: nil)
                }
                if let sme = money["sme_reserved"] {
                    addTotal(
                        key: total ? "other.procurement_sme_reserved_total" : "other.procurement_unit_sme_reserved",
                        label: name, grid: g, figure: sme)
                }
                continue
            }
            var r = DraftRow()
            r["unit"] = currentUnit
            r["project"] = text["project"] ?? ""
            r["item"] = text["item"] ?? ""
            r["catalog_code"] = text["catalog_code"] ?? ""
            r["measure"] = text["measure"] ?? ""
            r["quantity"] = quantity ?? ""
            let code = text["catalog_code"] ?? ""
            if let c = text["category"], ["货物", "工程", "服务"].contains(c) {
                r["category"] = c
            } else if let letter = code.first {
                r["category"] = ["A": "货物", "B": "工程", "C": "服务"][String(letter)] ?? ""
            }
            for (field, p) in money {
                r.values[field] = p.figure.value.description
                r.sources[field] = source(p, g)
                place(p)
            }
            draft.append("procurement", r)
        }
    }

    // MARK: - Notes and coverage

    /// A table whose note says it is empty but which prints figures: both kept, the note recorded.
    mutating func checkEmptyNote(_ g: TableGrid) {
        let saysEmpty = g.notes.contains { n in
            ["空表", "无数据", "没有数据", "无此项", "此表无"].contains { n.contains($0) }
        }
        guard saysEmpty else { return }
        let figures = g.rows.flatMap { $0.cells.values.flatMap { $0 } }.filter {
            if let n = Figures.number($0.text) { return !n.isZero } else { return false }
        }
        let nonCode = figures.filter { w in
            !(g.columns.firstIndex { ColumnMeaning.isStub($0) && $0.center == w.center } != nil)
        }
        if !nonCode.isEmpty {
            let note = g.notes.first { ["空表", "无数据", "没有数据", "此表无"].contains(where: $0.contains) } ?? ""
            let place = document.kind == .pdf ? "p. \(g.page)" : "line \(g.line)"
            notes.append(
                DocumentNote(
                    kind: .emptyNoteWithFigures,
                    text:
                        "\(g.name) (\(place)): its note says 「\(note)」 but it prints \(nonCode.count) non-zero figures; both kept as printed"
                ))
        }
    }

    func tableCoverage(_ g: TableGrid) -> TableCoverage {
        if g.kind == .performance, let c = performanceCoverage[g.lineRange.lowerBound] { return c }
        var seen = 0
        var placed = 0
        var confirmed = 0
        var unplaced: [String: Int] = [:]
        for row in g.rows {
            for (ci, words) in row.cells {
                let col = ci < row.columns.count ? row.columns[ci] : nil
                if let col, ColumnMeaning.isStub(col) { continue }
                for w in words where Figures.isFigure(w.text) {
                    seen += 1
                    let k = WordKey(w)
                    if placedWords.contains(k) {
                        placed += 1
                    } else if confirmedWords.contains(k) {
                        confirmed += 1
                    } else if let reason = leftOut[k] {
                        unplaced[reason, default: 0] += 1
                    } else {
                        unplaced[col.map { TextNormal.compact($0.label) } ?? "(no column)", default: 0] += 1
                    }
                }
            }
            if !row.unplacedFigures.isEmpty {
                seen += row.unplacedFigures.count
                unplaced["(columns not determinable in plain text)", default: 0] += row.unplacedFigures.count
            }
        }
        let status: String
        if g.kind == .performance && document.kind == .plain && placed == 0 {
            // A text without cell positions: its 绩效目标表s are recognised but not read.
            status = "recognised, not read (\(g.kind.rawValue))"
        } else if g.rows.isEmpty || seen == 0 {
            status = g.notes.isEmpty ? "empty" : "empty (\(g.notes[0].prefix(40)))"
        } else if placed > 0 {
            status = "stored"
        } else if confirmed > 0 {
            status = "equal to a stored table: stored once"
        } else if [.performance, .other].contains(g.kind) {
            status = "recognised, not read (\(g.kind.rawValue))"
        } else {
            status = "not placed"
        }
        return TableCoverage(
            table: g.name, kind: g.kind, page: g.page, line: g.line, unit: g.unit?.rawValue, rows: g.rows.count,
            seen: seen,
            placed: placed, confirmed: confirmed, unplaced: unplaced, status: status)
    }
}
