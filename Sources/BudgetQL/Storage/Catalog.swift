// Catalog: the queryable tables built from the budget model — one row set per entity across
// all loaded budgets, with English and Chinese names, classification hierarchy fields
// (类/款/项 with names) and the relations a query can navigate. A table's columns for the
// model's fields come from the row type's field declarations (`Record.visitFields`: name,
// Chinese name, other names, kind, description); this file adds only what is derived — the
// `dept` reference, hierarchy names, levels, counts, facts — and places it among them.

import BudgetModel
import Foundation

/// The tables a query can read, built once from loaded budgets. Immutable and `Sendable`:
/// one catalog can serve many concurrent queries.
public final class Catalog: Sendable {
    /// The tables, in documentation order.
    public let tables: [Table]
    /// Classification code → name, across all budgets (functional and economic).
    public let codeNames: [String: String]
    /// The documented contradictions the `checks` table was built with.
    public let known: [KnownContradiction]
    /// Where the budget model is: in memory, or in a store that decodes it on first use.
    private let model: Deferred<Result<[Budget], StoreError>>
    /// The store the tables are read from, if they were opened from one.
    let store: StoreReader?

    /// The budgets the tables come from. A catalog opened from a store decodes them on first use;
    /// if that part of the store is damaged this is empty and ``storeDamage`` says why, so
    /// callers that must not mistake damage for "no budgets" use ``loadBudgets()``.
    public var budgets: [Budget] { (try? loadBudgets()) ?? [] }

    /// The budgets the tables come from, or why the store cannot give them.
    public func loadBudgets() throws(StoreError) -> [Budget] { try model.value.get() }

    /// The first damage found in the store this catalog reads (checksum, bounds, a file that
    /// changed underneath), or nil. A statement that touched damaged data fails with it.
    public var storeDamage: StoreError? { store?.damage }

    /// Loads every dataset under `directory` (and its known-contradictions list) into a catalog.
    /// With a `cacheDirectory`, the catalog is opened from a store kept there while the dataset
    /// files are unchanged, and the store is written when they are not.
    public static func open(directory: URL, cacheDirectory: URL? = nil) throws(DatasetError) -> Catalog {
        try openReporting(directory: directory, cacheDirectory: cacheDirectory).catalog
    }

    /// Builds the tables from budgets held in memory.
    public init(budgets: [Budget], known: [KnownContradiction] = []) {
        model = Deferred { .success(budgets) }
        store = nil
        self.known = known
        var names: [String: String] = [:]
        for b in budgets {
            for line in b.spending { if let c = line.code, names[c] == nil { names[c] = line.name } }
        }
        var econ: [String: String] = [:]
        for b in budgets {
            for line in b.economic {
                if let c = line.code, econ[c] == nil { econ[c] = line.name }
                if let g = line.govCode, let n = line.govName, econ[g] == nil { econ[g] = n }
            }
        }
        codeNames = names
        tables = CatalogBuilder(budgets: budgets, known: known, functionalNames: names, economicNames: econ).build()
    }

    /// A catalog whose tables read `store` on first use.
    init(store: StoreReader) {
        self.store = store
        known = store.directory.known
        codeNames = Dictionary(store.directory.codeNames, uniquingKeysWith: { a, _ in a })
        model = Deferred { store.budgets() }
        let entries = store.directory.tables
        let rowCounts = Dictionary(entries.map { ($0.name, $0.count) }, uniquingKeysWith: { a, _ in a })
        tables = entries.enumerated().map { t, entry in
            let columns = entry.fields.indices.map { f in Deferred { store.column(t, f) } }
            var references: [Int: ReferenceColumn] = [:]
            for (r, reference) in entry.references.enumerated() {
                let targetRows = entry.fields[reference.field].field.target.flatMap { rowCounts[$0] } ?? 0
                references[reference.field] = ReferenceColumn(
                    deferred: Deferred { store.reference(t, r, targetRows: targetRows) }, count: entry.count)
            }
            let relations = entry.relations.enumerated().map { r, relation in
                let targetRows = rowCounts[relation.target] ?? 0
                return Relation(
                    name: relation.name, alias: relation.alias, target: relation.target,
                    deferred: Deferred { store.relation(t, r, targetRows: targetRows) }, doc: relation.doc)
            }
            return Table(
                name: entry.name, alias: entry.alias, doc: entry.doc, fields: entry.fields.map(\.field),
                columns: ColumnList(deferred: columns), references: references, relations: relations,
                measure: entry.measure, count: entry.count)
        }
    }

    /// Opens a store written by ``write(to:)`` (`bql build`). Only its header and directory are
    /// read now; each column is read when a query first needs it.
    public static func open(store url: URL) throws(StoreError) -> Catalog {
        Catalog(store: try StoreReader(path: url.path))
    }

    /// The digest of the catalog's shape — every table, field (name and type), reference and
    /// relation — and of the dataset schema. A store records it; one built by a `bql` with
    /// another shape is refused.
    static let layoutDigest: (UInt64, UInt64) = layoutDigest(of: Catalog(budgets: []).tables.map(Shape.init))

    /// A table's shape: what the layout digest covers.
    struct Shape {
        var name: String
        var fields: [(name: String, type: ValueType, target: String?)]
        var relations: [(name: String, target: String)]

        init(_ t: Table) {
            name = t.name
            fields = t.fields.map { ($0.name, $0.type, $0.target) }
            relations = t.relations.map { ($0.name, $0.target) }
        }

        init(_ t: TableEntry) {
            name = t.name
            fields = t.fields.map { ($0.field.name, $0.field.type, $0.field.target) }
            relations = t.relations.map { ($0.name, $0.target) }
        }
    }

    /// The digest of tables of these shapes, with the dataset schema's.
    static func layoutDigest(of shapes: [Shape]) -> (UInt64, UInt64) {
        var text = "\(ModelCache.schemaFingerprint)"
        for t in shapes {
            text +=
                "\n\(t.name):"
                + t.fields.map { "\($0.name)/\($0.type.rawValue)/\($0.target ?? "")" }.joined(separator: ",")
            text += ";" + t.relations.map { "\($0.name)>\($0.target)" }.joined(separator: ",")
        }
        let sum = text.utf8CString.withUnsafeBytes { ModelCache.checksum($0) }
        let reversed = String(text.reversed()).utf8CString.withUnsafeBytes { ModelCache.checksum($0) }
        return (sum, reversed)
    }

    /// The table called `name` (English or Chinese).
    public func table(_ name: String) -> Table? { tables.first { $0.matches(name) } }

    /// Every table name, English then Chinese, for suggestions and completion.
    public var tableNames: [String] { tables.flatMap { [$0.name, $0.alias] } }
}

/// The rows of one model collection (`\.indicators`, …) across budgets, in budget order.
private struct ModelRows<T>: Sequence {
    let budgets: [Budget]
    let collection: (Budget) -> [T]

    func makeIterator() -> FlattenSequence<LazyMapSequence<[Budget], [T]>>.Iterator {
        budgets.lazy.map(collection).joined().makeIterator()
    }

    /// `field` of every row. Reads each budget's array through its buffer, so a row struct
    /// (an `Indicator` holds 14 strings) is never copied to read one field of it.
    func map<V>(_ field: (T) -> V) -> [V] {
        var out: [V] = []
        for b in budgets {
            collection(b).withUnsafeBufferPointer { rows in
                for i in rows.indices { out.append(field(rows[i])) }
            }
        }
        return out
    }
}

/// The cells of a record type's rows, gathered in one pass over the rows: row-major per type,
/// in field order, as the declarations visit them.
private struct RecordCells<R: Record>: FieldVisitor {
    private(set) var texts: [String?] = []
    private(set) var decimals: [ExactDecimal?] = []
    private(set) var integers: [Int?] = []

    init(_ rows: [R]) { R.read(rows, with: &self) }

    init(_ rows: ModelRows<R>) {
        for b in rows.budgets { R.read(rows.collection(b), with: &self) }
    }

    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) { texts.append(value) }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) { texts.append(value) }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) { integers.append(value) }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) {
        decimals.append(value)
    }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) {
        decimals.append(value)
    }
}

/// Adds columns to a table beside the declared ones: a closure per declared field name.
private typealias ColumnHooks = [String: (inout TableBuilder) -> Void]

private struct CatalogBuilder {
    let budgets: [Budget]
    let known: [KnownContradiction]
    let functionalNames: [String: String]
    let economicNames: [String: String]

    func build() -> [Table] {
        // The tables, in documentation order. They are independent, so they are built on all
        // cores, largest first (indicators is about half of the work at scale).
        let makers: [@Sendable (CatalogBuilder) -> Table] = [
            { $0.departments() }, { $0.units() }, { $0.income() }, { $0.spending() }, { $0.spendingLines() },
            { $0.economic(all: false) }, { $0.economic(all: true) },
            { $0.projectTable(name: "projects", alias: "项目", all: false) },
            { $0.projectTable(name: "items", alias: "预算项目", all: true) },
            { $0.plans() },
            { $0.indicators() }, { $0.threePublic() }, { $0.procurement() }, { $0.purchaseServices() }, { $0.assets() },
            { $0.tasks() }, { $0.narrative() }, { $0.totals() }, { $0.checks() },
        ]
        let largestFirst = [10, 8, 7, 18, 3, 4, 5, 6] + [0, 1, 2, 9, 11, 12, 13, 14, 15, 16, 17]
        let built = parallelMap(makers.count) { k in makers[largestFirst[k]](self) }
        var tables = [Table?](repeating: nil, count: makers.count)
        for (k, table) in built.enumerated() { tables[largestFirst[k]] = table }
        return tables.map { $0! }
    }

    /// Every row of one model collection across the budgets (read in place, not copied), with
    /// the index of its budget.
    func gather<T>(_ collection: @escaping (Budget) -> [T]) -> (dept: [Int], rows: ModelRows<T>) {
        var dept: [Int] = []
        for (i, b) in budgets.enumerated() { dept += repeatElement(i, count: collection(b).count) }
        return (dept, ModelRows(budgets: budgets, collection: collection))
    }

    /// Adds a column for every field of `R` that queries show, in declaration order, with the
    /// names, kind and description its declaration gives. `docs[f]` replaces field `f`'s
    /// description in this table; `replacing[f]` adds its own columns instead of field `f`'s;
    /// `after[f]` adds columns right after field `f`'s.
    func addFields<R: Record>(
        _ t: inout TableBuilder, _ cells: RecordCells<R>, docs: [String: String] = [:],
        replacing: ColumnHooks = [:], after: ColumnHooks = [:]
    ) {
        let fields = R.schema.fields
        let widths = (
            text: fields.count { $0.type == .string }, decimal: fields.count { $0.type == .decimal },
            integer: fields.count { $0.type == .integer }
        )
        var slots = (text: 0, decimal: 0, integer: 0)
        for field in fields {
            let slot: Int
            switch field.type {
            case .string:
                slot = slots.text
                slots.text += 1
            case .decimal:
                slot = slots.decimal
                slots.decimal += 1
            case .integer:
                slot = slots.integer
                slots.integer += 1
            }
            if let replace = replacing[field.name] {
                replace(&t)
            } else if let column = field.query {
                let doc = docs[field.name] ?? column.doc
                func every<T>(_ cells: [T], _ width: Int) -> LazyMapSequence<StrideTo<Int>, T> {
                    stride(from: slot, to: cells.count, by: max(width, 1)).lazy.map { cells[$0] }
                }
                switch column.kind {
                case .text where field.name == "origin":
                    // A blank origin cell means printed (DatasetSchema.origins).
                    t.text(
                        column.name, column.title,
                        every(cells.texts, widths.text).map { $0 ?? DatasetSchema.origins[0] },
                        other: column.otherNames, doc: doc)
                case .text:
                    t.text(
                        column.name, column.title, every(cells.texts, widths.text), other: column.otherNames, doc: doc)
                case .code:
                    t.code(
                        column.name, column.title, every(cells.texts, widths.text), other: column.otherNames, doc: doc)
                case .money:
                    t.money(
                        column.name, column.title, every(cells.decimals, widths.decimal), other: column.otherNames,
                        doc: doc)
                case .number:
                    t.number(
                        column.name, column.title, every(cells.decimals, widths.decimal), other: column.otherNames,
                        doc: doc)
                case .integer:
                    t.integer(
                        column.name, column.title, every(cells.integers, widths.integer), other: column.otherNames,
                        doc: doc)
                }
            }
            after[field.name]?(&t)
        }
    }

    /// Adds the `dept` reference field (first) for rows that each belong to budget `deptIndex[i]`.
    func addDept(_ t: inout TableBuilder, _ deptIndex: [Int]) {
        // Encode each department's name once, then give every row its department's code.
        var encoder = TextEncoder()
        let deptCodes = budgets.map { encoder.code($0.department.name) }
        t.reference(
            "dept", "部门", target: "departments",
            labels: Column(.coded(deptIndex.map { deptCodes[$0] }, encoder.dictionary())),
            targets: ReferenceColumn(deptIndex), other: ["department"], doc: "The department (部门) the row belongs to.")
    }

    func prefix(_ code: String?, _ n: Int) -> String? {
        guard let c = code, c.count >= n else { return nil }
        return String(c.prefix(n))
    }

    /// Adds 类/款/项 code and name fields derived from a 7-digit functional code.
    func addHierarchy(_ t: inout TableBuilder, _ codes: [String?]) {
        let lei = codes.map { prefix($0, 3) }
        let kuan = codes.map { prefix($0, 5) }
        let xiang = codes.map { prefix($0, 7) }
        t.code("lei", "类", lei, doc: "功能分类 类 code (3 digits).")
        t.text("lei_name", "类名称", lei.map { $0.flatMap { functionalNames[$0] } }, doc: "类 name.")
        t.code("kuan", "款", kuan, doc: "功能分类 款 code (5 digits).")
        t.text("kuan_name", "款名称", kuan.map { $0.flatMap { functionalNames[$0] } }, doc: "款 name.")
        t.code("xiang", "项", xiang, doc: "功能分类 项 code (7 digits).")
        t.text("xiang_name", "项名称", xiang.map { $0.flatMap { functionalNames[$0] } }, doc: "项 name.")
    }

    /// Adds `name_key`: the normalised grouping key of a printed name (`NameKey.fold`). When the
    /// name column `field` is dictionary-encoded (as text columns are), each distinct name is
    /// folded once and the rows keep their codes: 10 M indicators fold their few thousand distinct
    /// names, not 10 M strings.
    func addNameKey(_ t: inout TableBuilder, from field: String, _ names: @autoclosure () -> [String]) {
        let doc =
            "The name folded for grouping: full-width punctuation to half-width, spaces removed (the printed name is unchanged)."
        guard let i = t.fields.lastIndex(where: { $0.name == field }),
            case .coded(let codes, let dictionary) = t.columns[i].storage
        else {
            t.text("name_key", "名称键", names().map { Optional(NameKey.fold($0)) }, doc: doc)
            return
        }
        var encoder = TextEncoder()
        var folded = [UInt32](repeating: 0, count: dictionary.count + 1)
        for (k, name) in dictionary.strings.enumerated() { folded[k + 1] = encoder.code(NameKey.fold(name)) }
        // A name stored as null (code 0) was printed empty: its key is the empty name's fold.
        if codes.contains(0) { folded[0] = encoder.code(NameKey.fold("")) }
        t.add("name_key", "名称键", .text, Column(.coded(codes.map { folded[Int($0)] }, encoder.dictionary())), doc: doc)
    }

    func departments() -> Table {
        var t = TableBuilder(
            "departments", "部门",
            "One row per loaded budget: the department (or unit, for a 单位预算) and its headline totals.", measure: "total"
        )
        addFields(
            &t, RecordCells(budgets.map(\.department)),
            after: [
                "name": { t in
                    t.text(
                        "body", "主体", budgets.map { $0.department.bodyKey }, other: ["机构"],
                        doc:
                            "The body across years: `department.csv`'s `body`, else the name without spaces, full-width forms folded. Its budgets of different years share it."
                    )
                },
                "source": { t in
                    t.money(
                        "total", "合计", budgets.map { $0.fact("total") }, other: ["收支总预算", "amount", "金额"],
                        doc: "收支总预算 (the functional table's 合计).")
                    t.money("basic", "基本支出", budgets.map { $0.fact("expense.basic") }, doc: "基本支出.")
                    t.money("personnel", "人员经费", budgets.map { $0.fact("expense.personnel") }, doc: "人员经费.")
                    t.money("public", "公用经费", budgets.map { $0.fact("expense.public") }, doc: "公用经费.")
                    t.money("project", "项目支出", budgets.map { $0.fact("expense.project") }, doc: "项目支出.")
                    t.money(
                        "three_public", "三公经费", budgets.map { $0.fact("three_public.total") }, doc: "“三公”经费合计.")
                    let headlines: [(Headline, String, String, [String], String)] = [
                        (
                            .procurement, "procurement_total", "政府采购", ["政府采购合计"],
                            "政府采购 total as printed (null: not printed)."
                        ),
                        (.operatingCost, "operating_cost", "机关运行经费", [], "机关运行经费 as printed (null: not printed)."),
                        (.incomeTotal, "income_total", "收入合计", ["本年收入合计"], "本年收入合计 as printed (收支总表)."),
                        (.expenseTotal, "expense_total", "支出合计", ["本年支出合计"], "本年支出合计 as printed (收支总表)."),
                        (.fiscalIncome, "fiscal", "财政拨款", ["财政拨款收入"], "财政拨款: 本年收入 of the 财政拨款收支总表, as printed."),
                    ]
                    for (h, name, title, other, doc) in headlines {
                        let figures = budgets.map { $0.published(h) }
                        t.money(name, title, figures.map { $0?.amount }, other: other, doc: doc)
                        t.text(
                            name + "_source", title + "出处", figures.map { $0?.source },
                            doc: "Where \(name) is printed: the table, or 情况说明 (the narrative only).")
                    }
                    t.integer("n_units", "单位数", budgets.map { $0.units.count }, doc: "Number of units.")
                    t.integer(
                        "n_projects", "项目数", budgets.map { $0.projectSpending.count },
                        doc: "Number of projects of 项目支出.")
                    t.integer(
                        "n_indicators", "指标数", budgets.map { $0.indicators.count },
                        doc: "Number of 绩效指标 (project and 整体).")
                },
            ])
        var projectOffsets = [0]
        var indicatorOffsets = [0]
        for b in budgets {
            projectOffsets.append(projectOffsets[projectOffsets.count - 1] + b.projectSpending.count)
            indicatorOffsets.append(indicatorOffsets[indicatorOffsets.count - 1] + b.indicators.count)
        }
        // Both tables list rows in budget order, so each department's rows are one range.
        let projectRows = RelationIndex(
            offsets: projectOffsets, targets: (0..<projectOffsets[projectOffsets.count - 1]).map { Int32($0) })
        let indicatorRows = RelationIndex(
            offsets: indicatorOffsets, targets: (0..<indicatorOffsets[indicatorOffsets.count - 1]).map { Int32($0) })
        t.relation("projects", "项目", target: "projects", rows: projectRows, doc: "The department's projects of 项目支出.")
        t.relation("indicators", "指标", target: "indicators", rows: indicatorRows, doc: "All its 绩效指标.")
        return t.build()
    }

    func units() -> Table {
        var t = TableBuilder("units", "单位", "One row per 预算单位.")
        let (dept, rows) = gather { $0.units }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func income() -> Table {
        var t = TableBuilder("income", "收入", "Income by source (收支预算总表), one row per source listed.", measure: "amount")
        let (dept, rows) = gather { $0.income }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func spending() -> Table {
        var t = TableBuilder(
            "spending", "支出", "Spending by functional classification: one row per 项 line, so sums never double-count.",
            measure: "amount")
        let (dept, rows) = gather { $0.spending.filter { $0.level == .item } }
        addDept(&t, dept)
        addFields(
            &t, RecordCells(rows),
            docs: ["code": "7-digit 项 code.", "name": "项 name as printed.", "fund": "一般公共预算, 政府性基金 or 国有资本经营."],
            after: [
                "name": { t in
                    addNameKey(&t, from: "name", rows.map(\.name))
                    addHierarchy(&t, rows.map(\.code))
                }
            ])
        return t.build()
    }

    func spendingLines() -> Table {
        var t = TableBuilder(
            "spending_lines", "功能分类表",
            "Every printed line of the functional table, as published: 合计, 类 and 款 subtotals, and 项 lines; a 类 total printed only in another table (收支总表) is a 类 line tagged with that table.",
            measure: "amount")
        let (dept, rows) = gather { $0.functionalLines }
        addDept(&t, dept)
        t.text("level", "级次", rows.map { $0.level.rawValue }, doc: "合计, 类, 款 or 项.")
        addFields(&t, RecordCells(rows), after: ["name": { t in addNameKey(&t, from: "name", rows.map(\.name)) }])
        return t.build()
    }

    /// `economic` (all: false): the lines of one table per dataset that add up to 基本支出;
    /// `economic_lines` (all: true): every printed line.
    func economic(all: Bool) -> Table {
        var t =
            all
            ? TableBuilder(
                "economic_lines", "经济分类表",
                "Every printed line of the economic classification tables: 合计, 类, 款 and 子目 lines of every table (filter by table and level to avoid double counting).",
                measure: "amount")
            : TableBuilder(
                "economic", "经济分类",
                "Spending by economic classification without double counting: one published table per dataset (its 基本支出 table), at its finest level, so sums add up to 基本支出.",
                measure: "amount")
        let (dept, rows) = all ? gather { $0.economic } : gather { $0.economicBasis }
        addDept(&t, dept)
        addFields(
            &t, RecordCells(rows),
            after: [
                "scheme": { t in
                    t.text(
                        "level", "级次",
                        rows.map { l in
                            switch l.code?.count {
                            case nil: "合计"
                            case 3: "类"
                            case 5: "款"
                            default: "子目"
                            }
                        },
                        doc: "合计, 类, 款 or 子目.")
                },
                "name": { t in
                    addNameKey(&t, from: "name", rows.map(\.name))
                    t.code("lei", "类", rows.map { prefix($0.code, 3) }, doc: "Economic 类 (3 digits).")
                    t.text(
                        "lei_name", "类名称", rows.map { prefix($0.code, 3).flatMap { economicNames[$0] } },
                        doc: "类 name.")
                },
            ])
        return t.build()
    }

    /// Rows of `items` (every project and 基本支出 item) in budget order, with their budget index.
    var allItems: [(Int, Project)] {
        var out: [(Int, Project)] = []
        for (i, b) in budgets.enumerated() { for p in b.projects { out.append((i, p)) } }
        return out
    }

    /// For each budget, its projects' indicator rows (indicator rows are numbered in budget order).
    func indicatorRows(of b: Budget, from base: Int) -> [String: [Int32]] {
        var rows: [String: [Int32]] = [:]
        for (k, ind) in b.indicators.enumerated() {
            if let pid = ind.project { rows[pid, default: []].append(Int32(base + k)) }
        }
        return rows
    }

    func projectTable(name: String, alias: String, all: Bool) -> Table {
        let doc =
            all
            ? "Every project and every performance item paid from 基本支出 (人员类/运转类)."
            : "Projects of 项目支出, exactly as the 项目支出 tables list them."
        var t = TableBuilder(name, alias, doc, measure: "amount")
        let rows = allItems.filter { all || $0.1.isProjectSpending }
        addDept(&t, rows.map(\.0))
        let p = rows.map(\.1)
        addFields(
            &t, RecordCells(p),
            after: [
                "name": { t in addNameKey(&t, from: "name", p.map(\.name)) },
                "function_code": { t in addHierarchy(&t, p.map(\.functionCode)) },
            ])
        // Relation to indicators, built one budget at a time (project ids are unique per budget).
        var offsets = [0]
        var targets: [Int32] = []
        var counts: [Int] = []
        var base = 0
        for b in budgets {
            let byProject = indicatorRows(of: b, from: base)
            for p in b.projects where all || p.isProjectSpending {
                let related = byProject[p.id] ?? []
                targets += related
                offsets.append(targets.count)
                counts.append(related.count)
            }
            base += b.indicators.count
        }
        t.integer("n_indicators", "指标数", counts.lazy.map { Optional($0) }, doc: "Number of 绩效指标.")
        t.relation(
            "indicators", "指标", target: "indicators", rows: RelationIndex(offsets: offsets, targets: targets),
            doc: "The project's 绩效指标.")
        return t.build()
    }

    /// Adds `project`, a reference to `items` (every project and 基本支出 item) from each row of a
    /// per-budget table, resolved one budget at a time: `rows(b)` gives each of budget `b`'s rows
    /// its project id (nil for none); an id the budget does not list is null.
    func addItemReference(_ t: inout TableBuilder, rows: (Budget) -> [String?], doc: String) {
        var itemNames = TextEncoder()
        var itemTargets: [Int] = []
        var labelCodes: [UInt32] = []
        var itemBase = 0
        for b in budgets {
            var local: [String: Int] = [:]
            for (k, p) in b.projects.enumerated() { local[p.id] = k }
            let codes = b.projects.map { itemNames.code($0.name) }
            for id in rows(b) {
                if let id, let k = local[id] {
                    itemTargets.append(itemBase + k)
                    labelCodes.append(codes[k])
                } else {
                    itemTargets.append(-1)
                    labelCodes.append(0)
                }
            }
            itemBase += b.projects.count
        }
        t.reference(
            "project", "项目", target: "items", labels: Column(.coded(labelCodes, itemNames.dictionary())),
            targets: ReferenceColumn(itemTargets), doc: doc)
    }

    func plans() -> Table {
        var t = TableBuilder(
            "plans", "用款计划",
            "Spending plans: one row per project and period as printed, cumulative (累计) or for the period (当期).",
            measure: "amount")
        let (dept, rows) = gather { $0.plans }
        addDept(&t, dept)
        addItemReference(
            &t, rows: { $0.plans.map { Optional($0.project) } }, doc: "The project or item the plan is for.")
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func indicators() -> Table {
        var t = TableBuilder(
            "indicators", "指标", "Every 绩效指标: project indicators and 整体绩效 indicators of departments and units.",
            measure: "value")
        let (dept, rows) = gather { $0.indicators }
        addDept(&t, dept)
        addItemReference(&t, rows: { $0.indicators.map(\.project) }, doc: "The project or item (null for 整体绩效).")
        addFields(
            &t, RecordCells(rows),
            after: [
                "project": { t in
                    t.text("scope", "范围", rows.map { $0.project == nil ? "整体" : "项目" }, doc: "项目 or 整体.")
                },
                "level3": { t in addNameKey(&t, from: "name", rows.map(\.level3)) },
            ])
        t.bool(
            "quantified", "量化", rows.map { $0.value != nil && $0.measure != nil },
            doc: "Whether the indicator has a numeric value and a unit.")
        return t.build()
    }

    func threePublic() -> Table {
        var t = TableBuilder(
            "three_public", "三公经费",
            "财政拨款“三公”经费, one row per department (unit rows where a budget publishes only those).", measure: "total")
        var dept: [Int] = []
        var rows: [ThreePublic] = []
        for (i, b) in budgets.enumerated() {
            let deptRows = b.threePublic.filter { $0.unit == nil }
            for r in deptRows.isEmpty ? b.threePublic : deptRows {
                dept.append(i)
                rows.append(r)
            }
        }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func procurement() -> Table {
        var t = TableBuilder("procurement", "政府采购", "政府采购预算 item rows.", measure: "amount")
        let (dept, rows) = gather { $0.procurement }
        addDept(&t, dept)
        addFields(
            &t, RecordCells(rows),
            replacing: [
                "category": { t in
                    // The category as printed, else the one the catalog code's letter implies.
                    t.text(
                        "category", "类别",
                        rows.map { r in
                            r.category
                                ?? r.catalogCode.flatMap { ["A": "货物", "B": "工程", "C": "服务"][String($0.prefix(1))] }
                        }, doc: "货物, 工程 or 服务 (from the catalog code's letter when not printed).")
                }
            ],
            after: [
                "catalog_code": { t in
                    t.code(
                        "catalog_class", "目录大类", rows.map { prefix($0.catalogCode, 3) },
                        doc: "First three characters of the catalog code (e.g. A05).")
                }
            ])
        return t.build()
    }

    func purchaseServices() -> Table {
        var t = TableBuilder("purchase_services", "政府购买服务", "政府购买服务 rows.", measure: "amount")
        let (dept, rows) = gather { $0.purchaseServices }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func assets() -> Table {
        var t = TableBuilder(
            "assets", "国有资产", "国有资产 rows as published (vehicles, equipment, fixed assets).", measure: "amount")
        let (dept, rows) = gather { $0.assets }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func tasks() -> Table {
        var t = TableBuilder("tasks", "年度任务", "年度主要任务 rows of 整体绩效目标表.", measure: "amount")
        let (dept, rows) = gather { $0.tasks }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func narrative() -> Table {
        var t = TableBuilder(
            "narrative", "情况说明", "Every figure the narrative states, with the figure the tables give for the same key.",
            measure: "amount")
        let (dept, rows) = gather { $0.narrative }
        let facts = zip(dept, rows).map { budgets[$0].fact($1.key) }
        addDept(&t, dept)
        addFields(
            &t, RecordCells(rows),
            after: [
                "measure": { t in
                    t.number(
                        "table_value", "表内数值", facts,
                        doc: "The figure the tables give for the same key (null if no table says).")
                }
            ])
        return t.build()
    }

    func totals() -> Table {
        var t = TableBuilder(
            "totals", "表内合计", "Published total lines with no home in another table.", measure: "amount")
        let (dept, rows) = gather { $0.totals }
        addDept(&t, dept)
        addFields(&t, RecordCells(rows))
        return t.build()
    }

    func checks() -> Table {
        var t = TableBuilder(
            "checks", "核对", "The findings of `check`: every rounding difference and contradiction.",
            measure: "difference")
        let findings = Checker.check(budgets, known: known)
        let index = Dictionary(uniqueKeysWithValues: budgets.enumerated().map { ($0.element.department.id, $0.offset) })
        addDept(&t, findings.map { index[$0.dataset] ?? 0 })
        t.text("rule", "规则", findings.map(\.rule), doc: "The rule.")
        t.text("table", "表", findings.map(\.table), doc: "Table checked.")
        t.text("subject", "对象", findings.map(\.subject), doc: "Row and column.")
        t.money("published", "公布数", findings.map { Optional($0.published) }, doc: "Figure as published.")
        t.money("computed", "计算数", findings.map { Optional($0.computed) }, doc: "Figure computed from other rows.")
        t.money("difference", "差额", findings.map { Optional($0.difference) }, doc: "published − computed.")
        t.text(
            "kind", "类型", findings.map(\.kind.rawValue),
            doc: "rounding, contradiction, nameConflict or differentBasis (a statement against another year's 执行数).")
        t.bool(
            "documented", "已说明", findings.map { $0.documentation != nil },
            doc: "Whether Datasets/known-contradictions.csv explains it.")
        t.text("explanation", "说明", findings.map(\.documentation), doc: "The explanation.")
        return t.build()
    }
}
