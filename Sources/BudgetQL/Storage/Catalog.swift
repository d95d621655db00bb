// Catalog: the queryable tables built from the budget model — one row set per entity across
// all loaded budgets, with English and Chinese names, classification hierarchy fields
// (类/款/项 with names) and the relations a query can navigate.

import BudgetModel
import Foundation

/// The tables a query can read, built once from loaded budgets. Immutable and `Sendable`:
/// one catalog can serve many concurrent queries.
public final class Catalog: Sendable {
    /// The budgets the tables come from.
    public let budgets: [Budget]
    /// The tables, in documentation order.
    public let tables: [Table]
    /// Classification code → name, across all budgets (functional and economic).
    public let codeNames: [String: String]

    /// Loads every dataset under `directory` (and its known-contradictions list) into a catalog.
    /// With a `cacheDirectory`, budgets are read from the binary load cache there when the
    /// dataset files are unchanged, and the cache is written when they are not (`ModelCache`).
    public static func open(directory: URL, cacheDirectory: URL? = nil) throws(DatasetError) -> Catalog {
        let budgets = try ModelCache.loadAll(from: directory, cacheDirectory: cacheDirectory)
        let known = try KnownContradiction.load(from: directory)
        return Catalog(budgets: budgets, known: known)
    }

    /// Builds the tables from budgets held in memory.
    public init(budgets: [Budget], known: [KnownContradiction] = []) {
        self.budgets = budgets
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
            { $0.economic() },
            { $0.projectTable(name: "projects", alias: "项目", all: false) },
            { $0.projectTable(name: "items", alias: "预算项目", all: true) },
            { $0.indicators() }, { $0.threePublic() }, { $0.procurement() }, { $0.purchaseServices() }, { $0.assets() },
            { $0.tasks() }, { $0.narrative() }, { $0.totals() }, { $0.checks() },
        ]
        let largestFirst = [8, 7, 6, 16, 3, 4, 5] + [0, 1, 2, 9, 10, 11, 12, 13, 14, 15]
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

    /// Adds the money columns shared by the functional and economic tables.
    func addAmounts(
        _ t: inout TableBuilder, total: [ExactDecimal?], basic: [ExactDecimal?], personnel: [ExactDecimal?],
        publicCost: [ExactDecimal?], project: [ExactDecimal?]
    ) {
        t.money("amount", "金额", total, other: ["合计", "total"], doc: "合计.")
        t.money("basic", "基本支出", basic, doc: "基本支出.")
        t.money("personnel", "人员经费", personnel, doc: "人员经费.")
        t.money("public", "公用经费", publicCost, doc: "公用经费.")
        t.money("project", "项目支出", project, doc: "项目支出.")
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

    func departments() -> Table {
        var t = TableBuilder(
            "departments", "部门",
            "One row per loaded budget: the department (or unit, for a 单位预算) and its headline totals.", measure: "total"
        )
        let d = budgets.map(\.department)
        t.text("id", "标识", d.map(\.id), doc: "Dataset id (folder name).")
        t.code("code", "编码", d.map(\.code), doc: "Department code where published.")
        t.text("name", "名称", d.map(\.name), other: ["部门名称"], doc: "Published name.")
        t.text("province", "省", d.map(\.province), doc: "Province.")
        t.text("city", "市", d.map(\.city), doc: "City.")
        t.text("county", "县", d.map(\.county), other: ["区"], doc: "County or district.")
        t.integer("year", "年度", d.map(\.year), other: ["预算年度"], doc: "Budget year.")
        t.text("kind", "类型", d.map(\.kind), other: ["预算类型"], doc: "部门预算 or 单位预算.")
        t.text("source", "来源", d.map(\.source), doc: "Published document title.")
        t.money(
            "total", "合计", budgets.map { $0.fact("total") }, other: ["收支总预算", "amount", "金额"],
            doc: "收支总预算 (the functional table's 合计).")
        t.money("basic", "基本支出", budgets.map { $0.fact("expense.basic") }, doc: "基本支出.")
        t.money("personnel", "人员经费", budgets.map { $0.fact("expense.personnel") }, doc: "人员经费.")
        t.money("public", "公用经费", budgets.map { $0.fact("expense.public") }, doc: "公用经费.")
        t.money("project", "项目支出", budgets.map { $0.fact("expense.project") }, doc: "项目支出.")
        t.money("three_public", "三公经费", budgets.map { $0.fact("three_public.total") }, doc: "“三公”经费合计.")
        t.integer("n_units", "单位数", budgets.map { $0.units.count }, doc: "Number of units.")
        t.integer("n_projects", "项目数", budgets.map { $0.projectSpending.count }, doc: "Number of projects of 项目支出.")
        t.integer("n_indicators", "指标数", budgets.map { $0.indicators.count }, doc: "Number of 绩效指标 (project and 整体).")
        t.text("goal", "年度目标", d.map(\.goal), doc: "Department-wide 年度绩效目标.")
        var projectOffsets = [0]
        var indicatorOffsets = [0]
        for b in budgets {
            projectOffsets.append(projectOffsets.last! + b.projectSpending.count)
            indicatorOffsets.append(indicatorOffsets.last! + b.indicators.count)
        }
        // Both tables list rows in budget order, so each department's rows are one range.
        let projectRows = RelationIndex(offsets: projectOffsets, targets: (0..<projectOffsets.last!).map { Int32($0) })
        let indicatorRows = RelationIndex(
            offsets: indicatorOffsets, targets: (0..<indicatorOffsets.last!).map { Int32($0) })
        t.relation("projects", "项目", target: "projects", rows: projectRows, doc: "The department's projects of 项目支出.")
        t.relation("indicators", "指标", target: "indicators", rows: indicatorRows, doc: "All its 绩效指标.")
        return t.build()
    }

    func units() -> Table {
        var t = TableBuilder("units", "单位", "One row per 预算单位.")
        let (dept, rows) = gather { $0.units }
        addDept(&t, dept)
        t.code("code", "编码", rows.map(\.code), other: ["单位编码"], doc: "Unit code where published.")
        t.text("name", "名称", rows.map(\.name), other: ["单位名称"], doc: "Published name.")
        t.text("goal", "年度目标", rows.map(\.goal), doc: "The unit's 年度绩效目标.")
        return t.build()
    }

    func income() -> Table {
        var t = TableBuilder("income", "收入", "Income by source (收支预算总表), one row per source listed.", measure: "amount")
        let (dept, rows) = gather { $0.income }
        addDept(&t, dept)
        t.text("source", "来源", rows.map(\.source), other: ["收入来源"], doc: "Income source.")
        t.money("amount", "金额", rows.map(\.amount), other: ["预算数"], doc: "Amount; null where printed blank.")
        return t.build()
    }

    func spending() -> Table {
        var t = TableBuilder(
            "spending", "支出", "Spending by functional classification: one row per 项 line, so sums never double-count.",
            measure: "amount")
        let (dept, rows) = gather { $0.spending.filter { $0.level == .item } }
        addDept(&t, dept)
        t.code("code", "编码", rows.map(\.code), other: ["科目编码"], doc: "7-digit 项 code.")
        t.text("name", "名称", rows.map(\.name), other: ["科目名称"], doc: "项 name as printed.")
        addHierarchy(&t, rows.map(\.code))
        t.text("fund", "资金性质", rows.map(\.fund), doc: "一般公共预算, 政府性基金 or 国有资本经营.")
        addAmounts(
            &t, total: rows.map(\.total), basic: rows.map(\.basic), personnel: rows.map(\.personnel),
            publicCost: rows.map(\.publicCost), project: rows.map(\.project))
        return t.build()
    }

    func spendingLines() -> Table {
        var t = TableBuilder(
            "spending_lines", "功能分类表",
            "Every printed line of the functional table, as published: 合计, 类 and 款 subtotals, and 项 lines.",
            measure: "amount")
        let (dept, rows) = gather { $0.spending }
        addDept(&t, dept)
        t.text("level", "级次", rows.map { $0.level.rawValue }, doc: "合计, 类, 款 or 项.")
        t.code("code", "编码", rows.map(\.code), other: ["科目编码"], doc: "Code (null on the 合计 line).")
        t.text("name", "名称", rows.map(\.name), other: ["科目名称"], doc: "Name as printed.")
        t.text("fund", "资金性质", rows.map(\.fund), doc: "Fund.")
        addAmounts(
            &t, total: rows.map(\.total), basic: rows.map(\.basic), personnel: rows.map(\.personnel),
            publicCost: rows.map(\.publicCost), project: rows.map(\.project))
        return t.build()
    }

    func economic() -> Table {
        var t = TableBuilder(
            "economic", "经济分类",
            "Every printed line of the economic classification tables (filter by table and level to avoid double counting).",
            measure: "amount")
        let (dept, rows) = gather { $0.economic }
        addDept(&t, dept)
        t.text("table", "表", rows.map(\.table), other: ["所在表"], doc: "Published table name.")
        t.text("scheme", "体系", rows.map(\.scheme), doc: "部门 or 政府 economic classification.")
        t.text(
            "level", "级次",
            rows.map { l in l.code == nil ? "合计" : l.code!.count == 3 ? "类" : l.code!.count == 5 ? "款" : "子目" },
            doc: "合计, 类, 款 or 子目.")
        t.code("code", "编码", rows.map(\.code), other: ["科目编码"], doc: "Code.")
        t.text("name", "名称", rows.map(\.name), other: ["科目名称"], doc: "Name as printed.")
        t.code("lei", "类", rows.map { prefix($0.code, 3) }, doc: "Economic 类 (3 digits).")
        t.text("lei_name", "类名称", rows.map { prefix($0.code, 3).flatMap { economicNames[$0] } }, doc: "类 name.")
        t.code("gov_code", "政府科目编码", rows.map(\.govCode), doc: "Parallel 政府预算经济分类 code.")
        t.text("gov_name", "政府科目名称", rows.map(\.govName), doc: "Parallel 政府预算经济分类 name.")
        addAmounts(
            &t, total: rows.map(\.total), basic: rows.map(\.basic), personnel: rows.map(\.personnel),
            publicCost: rows.map(\.publicCost), project: rows.map(\.project))
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
        t.text("id", "标识", p.map(\.id), doc: "Dataset-local id (P01…).")
        t.text("unit", "单位", p.map(\.unit), other: ["实施单位"], doc: "Implementing unit.")
        t.code("code", "项目编码", p.map(\.code), doc: "项目编码 where published.")
        t.text("name", "名称", p.map(\.name), other: ["项目名称"], doc: "Project name.")
        t.text("category", "类别", p.map(\.category), other: ["项目类别"], doc: "人员类, 运转类, 其他运转类 or 特定目标类.")
        t.text("type", "支出类型", p.map(\.spendingType), doc: "项目支出 or 基本支出.")
        t.text("content", "内容", p.map(\.content), other: ["项目内容"], doc: "项目内容.")
        t.money("amount", "金额", p.map { Optional($0.amount) }, other: ["预算数"], doc: "Amount (万元).")
        t.text("fund", "资金来源", p.map(\.fund), doc: "Funding source.")
        t.code("function_code", "功能科目", p.map(\.functionCode), doc: "7-digit functional 项 code where published.")
        addHierarchy(&t, p.map(\.functionCode))
        t.text("goal", "目标", p.map(\.goal), other: ["总体目标", "年度目标"], doc: "总体目标 / 年度目标.")
        t.money("goal_amount", "目标金额", p.map(\.goalAmount), doc: "预算资金 printed in the 绩效目标表.")
        for (q, zh) in ["一季度", "二季度", "三季度", "四季度"].enumerated() {
            t.money("q\(q + 1)", zh, p.map { $0.plan[q] }, doc: "Spending plan, quarter \(q + 1).")
        }
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

    func indicators() -> Table {
        var t = TableBuilder(
            "indicators", "指标", "Every 绩效指标: project indicators and 整体绩效 indicators of departments and units.",
            measure: "value")
        let (dept, rows) = gather { $0.indicators }
        addDept(&t, dept)
        // Reference to items (every project and 基本支出 item), resolved one budget at a time.
        var itemNames = TextEncoder()
        var itemTargets: [Int] = []
        var labelCodes: [UInt32] = []
        itemTargets.reserveCapacity(dept.count)
        labelCodes.reserveCapacity(dept.count)
        var itemBase = 0
        for b in budgets {
            var local: [String: Int] = [:]
            for (k, p) in b.projects.enumerated() { local[p.id] = k }
            let codes = b.projects.map { itemNames.code($0.name) }
            for ind in b.indicators {
                if let pid = ind.project, let k = local[pid] {
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
            targets: ReferenceColumn(itemTargets), doc: "The project or item (null for 整体绩效).")
        t.text("project_id", "项目标识", rows.map(\.project), doc: "Project id.")
        t.text("scope", "范围", rows.map { $0.project == nil ? "整体" : "项目" }, doc: "项目 or 整体.")
        t.text("budget_unit", "预算单位", rows.map(\.unit), doc: "For 整体 indicators: the unit whose table it is.")
        t.text("level1", "一级指标", rows.map(\.level1), doc: "一级指标.")
        t.text("level2", "二级指标", rows.map(\.level2), doc: "二级指标.")
        t.text("name", "三级指标", rows.map(\.level3), other: ["名称", "指标名称", "level3"], doc: "三级指标: the indicator itself.")
        t.text("op", "运算符", rows.map(\.op), doc: "=, ≥, ≤, >, < or 定性.")
        t.number("value", "指标值", rows.map(\.value), doc: "Numeric value (null for 定性).")
        t.text("text", "原文", rows.map(\.text), other: ["指标值原文"], doc: "The value exactly as published.")
        t.text("unit", "度量单位", rows.map(\.measure), other: ["measure"], doc: "度量单位 (%, 天, 元/人, …).")
        t.text("deadline", "完成时限", rows.map(\.deadline), doc: "完成时限.")
        t.number("weight", "权重", rows.map(\.weight), doc: "权重.")
        t.text("direction", "指标方向", rows.map(\.direction), other: ["指标方向性"], doc: "正向 or 反向.")
        t.text("nature", "指标性质", rows.map(\.nature), doc: "指标性质 as printed.")
        t.text("basis", "确定依据", rows.map(\.basis), other: ["指标值确定依据"], doc: "指标值确定依据.")
        t.text("description", "描述", rows.map(\.description), other: ["指标描述"], doc: "绩效指标描述.")
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
        t.text("unit", "单位", rows.map(\.unit), doc: "Null for the department row.")
        t.money("total", "合计", rows.map(\.total), other: ["amount", "金额"], doc: "“三公”经费合计.")
        t.money("abroad", "因公出国", rows.map(\.abroad), other: ["因公出国（境）费"], doc: "因公出国（境）费.")
        t.money("vehicle", "公务用车", rows.map(\.vehicle), other: ["公务用车购置及运行费"], doc: "公务用车购置及运行费.")
        t.money("vehicle_purchase", "公务用车购置", rows.map(\.vehiclePurchase), other: ["公务用车购置费"], doc: "公务用车购置费.")
        t.money("vehicle_operation", "公务用车运行", rows.map(\.vehicleOperation), other: ["公务用车运行费"], doc: "公务用车运行费.")
        t.money("reception", "公务接待", rows.map(\.reception), other: ["公务接待费"], doc: "公务接待费.")
        return t.build()
    }

    func procurement() -> Table {
        var t = TableBuilder("procurement", "政府采购", "政府采购预算 item rows.", measure: "amount")
        let (dept, rows) = gather { $0.procurement }
        addDept(&t, dept)
        t.text("unit", "单位", rows.map(\.unit), doc: "Purchasing unit.")
        t.text("project", "项目", rows.map(\.project), other: ["项目名称"], doc: "Source project.")
        t.money("project_amount", "项目金额", rows.map(\.projectAmount), doc: "Source project's budget.")
        t.text("item", "品目", rows.map(\.item), other: ["采购物品名称", "name", "名称"], doc: "Item.")
        t.text(
            "category", "类别",
            rows.map { r in
                r.category ?? r.catalogCode.flatMap { ["A": "货物", "B": "工程", "C": "服务"][String($0.prefix(1))] }
            }, doc: "货物, 工程 or 服务 (from the catalog code's letter when not printed).")
        t.code("catalog_code", "目录编码", rows.map(\.catalogCode), other: ["政府采购目录序号"], doc: "政府采购目录 code.")
        t.code(
            "catalog_class", "目录大类", rows.map { prefix($0.catalogCode, 3) },
            doc: "First three characters of the catalog code (e.g. A05).")
        t.text("measure", "计量单位", rows.map(\.measure), doc: "计量单位.")
        t.number("quantity", "数量", rows.map(\.quantity), doc: "数量.")
        t.money("unit_price", "单价", rows.map(\.unitPrice), doc: "单价.")
        t.money("amount", "金额", rows.map(\.amount), doc: "政府采购金额.")
        t.money("sme_reserved", "中小企业预留", rows.map(\.smeReserved), doc: "预留中小微企业份额.")
        return t.build()
    }

    func purchaseServices() -> Table {
        var t = TableBuilder("purchase_services", "政府购买服务", "政府购买服务 rows.", measure: "amount")
        let (dept, rows) = gather { $0.purchaseServices }
        addDept(&t, dept)
        t.text("unit", "单位", rows.map(\.unit), doc: "Unit.")
        t.text("project", "项目", rows.map(\.project), doc: "Project.")
        t.text("item", "服务内容", rows.map(\.item), other: ["name", "名称"], doc: "Service.")
        t.text("category", "类别", rows.map(\.category), doc: "Category.")
        t.money("amount", "金额", rows.map(\.amount), doc: "Amount.")
        return t.build()
    }

    func assets() -> Table {
        var t = TableBuilder(
            "assets", "国有资产", "国有资产 rows as published (vehicles, equipment, fixed assets).", measure: "amount")
        let (dept, rows) = gather { $0.assets }
        addDept(&t, dept)
        t.text("category", "类别", rows.map(\.category), doc: "e.g. 车辆.")
        t.text("item", "名称", rows.map(\.item), other: ["name"], doc: "e.g. 一般公务用车.")
        t.number("quantity", "数量", rows.map(\.quantity), doc: "Count.")
        t.money("amount", "金额", rows.map(\.amount), doc: "Value.")
        t.text("note", "说明", rows.map(\.note), doc: "Note.")
        return t.build()
    }

    func tasks() -> Table {
        var t = TableBuilder("tasks", "年度任务", "年度主要任务 rows of 整体绩效目标表.", measure: "amount")
        let (dept, rows) = gather { $0.tasks }
        addDept(&t, dept)
        t.text("unit", "单位", rows.map(\.unit), doc: "Unit (null: department-wide).")
        t.text("name", "名称", rows.map(\.name), doc: "Task.")
        t.money("amount", "金额", rows.map(\.amount), other: ["预算资金"], doc: "预算资金.")
        t.text("text", "内容", rows.map(\.text), doc: "Description.")
        return t.build()
    }

    func narrative() -> Table {
        var t = TableBuilder(
            "narrative", "情况说明", "Every figure the narrative states, with the figure the tables give for the same key.",
            measure: "amount")
        let (dept, rows) = gather { $0.narrative }
        let facts = zip(dept, rows).map { budgets[$0].fact($1.key) }
        addDept(&t, dept)
        t.text("key", "键", rows.map(\.key), doc: "What the figure is.")
        t.text("label", "名称", rows.map(\.label), other: ["name"], doc: "Term as printed.")
        t.number("amount", "数值", rows.map { Optional($0.amount) }, doc: "Figure as printed.")
        t.text("measure", "单位", rows.map(\.measure), other: ["unit"], doc: "万元, 个, …")
        t.number(
            "table_value", "表内数值", facts, doc: "The figure the tables give for the same key (null if no table says).")
        t.text("section", "章节", rows.map(\.section), doc: "Narrative heading.")
        t.text("quote", "原文", rows.map(\.quote), doc: "The clause, verbatim.")
        return t.build()
    }

    func totals() -> Table {
        var t = TableBuilder(
            "totals", "表内合计", "Published total lines with no home in another table.", measure: "amount")
        let (dept, rows) = gather { $0.totals }
        addDept(&t, dept)
        t.text("key", "键", rows.map(\.key), doc: "What it totals.")
        t.text("label", "名称", rows.map(\.label), other: ["name"], doc: "Row label.")
        t.text("table", "表", rows.map(\.table), doc: "Published table.")
        t.money("amount", "金额", rows.map(\.amount), doc: "Figure.")
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
        t.text("kind", "类型", findings.map(\.kind.rawValue), doc: "rounding or contradiction.")
        t.bool(
            "documented", "已说明", findings.map { $0.documentation != nil },
            doc: "Whether Datasets/known-contradictions.csv explains it.")
        t.text("explanation", "说明", findings.map(\.documentation), doc: "The explanation.")
        return t.build()
    }
}
