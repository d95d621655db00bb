// Checker: the consistency rules `bql check` applies to each budget — the arithmetic the
// published tables imply, plus narrative-versus-table agreement. Each violation is a `Finding`
// with the dataset, table, row and both figures, labelled rounding or contradiction.

/// How serious a finding is.
public enum FindingKind: String, Sendable, Hashable, Comparable {
    /// A difference of at most 0.01 per summed row: published figures are rounded to 0.01 万元.
    case rounding
    /// A larger difference: the document contradicts itself.
    case contradiction
    /// A code printed with a name that differs from the classification catalog's (never fails a check).
    case nameConflict
    /// A statement about another year made against that year's execution (预算执行数, 决算),
    /// which differs from that year's budget document: different bases, not a contradiction
    /// (never fails a check).
    case differentBasis

    private var rank: Int {
        switch self {
        case .nameConflict, .differentBasis: return 0
        case .rounding: return 1
        case .contradiction: return 2
        }
    }

    public static func < (a: FindingKind, b: FindingKind) -> Bool { a.rank < b.rank }
}

/// One consistency rule's violation.
public struct Finding: Sendable, Hashable {
    /// The dataset id.
    public var dataset: String
    /// The rule, e.g. `类 = Σ 款`.
    public var rule: String
    /// The table, e.g. `spending`.
    public var table: String
    /// The row and column checked, e.g. `210 卫生健康支出 · total`.
    public var subject: String
    /// The figure as published.
    public var published: ExactDecimal
    /// The figure computed from the other rows.
    public var computed: ExactDecimal
    /// How many rounded figures went into `computed`.
    public var terms: Int
    /// Rounding or contradiction.
    public var kind: FindingKind
    /// The explanation from the known-contradictions list, if this finding is documented there.
    public var documentation: String?
    /// For a rule across documents (``Checker/crossYearRule``): the other dataset compared with.
    public var versus: String? = nil

    /// `published − computed`.
    public var difference: ExactDecimal { published.subtracting(computed) ?? .zero }
}

/// A known, documented contradiction of a published document.
public struct KnownContradiction: Sendable, Hashable {
    /// Dataset id.
    public var dataset: String
    /// Rule name, as in ``Finding/rule``.
    public var rule: String
    /// Subject, as in ``Finding/subject``.
    public var subject: String
    /// Why the document disagrees with itself.
    public var explanation: String

    /// Creates a known contradiction.
    public init(dataset: String, rule: String, subject: String, explanation: String) {
        self.dataset = dataset
        self.rule = rule
        self.subject = subject
        self.explanation = explanation
    }
}

/// Applies the consistency rules.
public enum Checker {
    /// The largest difference per summed row that counts as rounding.
    public static let roundingPerTerm = ExactDecimal(mantissa: 1, scale: 2)

    /// The rules of each budget (`check(_: Budget)`), run on all cores, findings in budget order.
    /// Unlike `check(_: [Budget], …)` it adds no name conflicts and no documentation.
    public static func checkEach(_ budgets: [Budget]) -> [Finding] {
        parallelMap(budgets.count) { check(budgets[$0]) }.flatMap { $0 }
    }

    /// Checks every budget; findings come sorted by dataset, then in rule order, then the rule
    /// across documents (``crossYear(_:)``), each dataset's name conflicts against `catalog`
    /// (built from `budgets` when `nil`) last.
    public static func check(
        _ budgets: [Budget], known: [KnownContradiction] = [], catalog: ClassificationCatalog? = nil
    ) -> [Finding] {
        let conflicts = nameConflicts(budgets, catalog: catalog)
        var conflictsByDataset: [String: [Finding]] = [:]
        for f in conflicts { conflictsByDataset[f.dataset, default: []].append(f) }
        // The rules of each budget on all cores; the findings in budget order.
        let perBudget = parallelMap(budgets.count) { check(budgets[$0]) }
        // The first known contradiction of each (dataset, rule, subject).
        struct Key: Hashable {
            var dataset: String
            var rule: String
            var subject: String
        }
        var explanations: [Key: String] = [:]
        for k in known where explanations[Key(dataset: k.dataset, rule: k.rule, subject: k.subject)] == nil {
            explanations[Key(dataset: k.dataset, rule: k.rule, subject: k.subject)] = k.explanation
        }
        // The rule across documents: statements about another year against that year's document.
        var crossByDataset: [String: [Finding]] = [:]
        for f in crossYear(budgets) { crossByDataset[f.dataset, default: []].append(f) }
        var all: [Finding] = []
        for (b, findings) in zip(budgets, perBudget) {
            let mine = findings + (crossByDataset[b.department.id] ?? []) + (conflictsByDataset[b.department.id] ?? [])
            for var f in mine {
                f.documentation =
                    explanations[Key(dataset: f.dataset, rule: f.rule, subject: f.subject)] ?? f.documentation
                all.append(f)
            }
        }
        return all
    }

    /// Checks one budget.
    public static func check(_ b: Budget) -> [Finding] {
        var out: [Finding] = []
        let id = b.department.id
        var strictBlank = true

        // The subject is made only for a finding: most comparisons agree.
        func compare(
            _ rule: String, _ table: String, _ subject: @autoclosure () -> String, published: ExactDecimal?,
            parts: [ExactDecimal?], terms: Int? = nil
        ) {
            // A rule needs both sides published: a table without a column says nothing about it.
            if published == nil || parts.allSatisfy({ $0 == nil }) {
                if published == nil && parts.allSatisfy({ $0 == nil }) { return }
                if !strictBlank { return }
            }
            let p = published ?? .zero
            guard let c = Budget.sum(parts) else { return }
            guard p != c else { return }
            let n = terms ?? max(parts.count, 1)
            let diff = (p.subtracting(c) ?? .zero).magnitude
            // A figure printed to the 元 or finer (a table in 元, converted exactly to 万元, has
            // four or more decimals) is not rounded: any difference is a contradiction.
            let limit = p.scale > 2 ? ExactDecimal.zero : ExactDecimal(mantissa: Int64(n), scale: 2)
            out.append(
                Finding(
                    dataset: id, rule: rule, table: table, subject: subject(), published: p, computed: c,
                    terms: n, kind: diff <= limit ? .rounding : .contradiction, documentation: nil))
        }

        // 收入合计 = 支出合计
        let incomeTotal = b.totals.first { $0.key == "income.total" }?.amount
        let expenseTotal = b.totals.first { $0.key == "expense.total" }?.amount
        if incomeTotal != nil || expenseTotal != nil {
            compare(
                "收入合计 = 支出合计", "totals", "本年收入合计 vs 本年支出合计", published: incomeTotal, parts: [expenseTotal], terms: 1)
        }
        if let incomeTotal, !b.income.isEmpty {
            compare("收入合计 = Σ 收入", "income", "本年收入合计", published: incomeTotal, parts: b.income.map(\.amount))
        }

        // Functional classification, per fund.
        let columns: [(String, KeyPath<SpendingLine, ExactDecimal?>)] = [
            ("total", \.total), ("basic", \.basic), ("personnel", \.personnel), ("public", \.publicCost),
            ("project", \.project),
        ]
        // Lines are addressed by index in their buffers: copying SpendingLine / EconomicLine values
        // (strings and optional decimals) in every filter was most of a check.
        b.spending.withUnsafeBufferPointer { spending in
            for fund in DatasetSchema.funds {
                let lines = spending.indices.filter { spending[$0].fund == fund }
                if lines.isEmpty { continue }
                let splitPublished = lines.contains { spending[$0].personnel != nil || spending[$0].publicCost != nil }
                for li in lines {
                    let subject = { "\(spending[li].code ?? "合计") \(spending[li].name)" }
                    let children: [Int]
                    let rule: String
                    switch spending[li].level {
                    case .total:
                        children = lines.filter { spending[$0].level == .category }
                        rule = "合计 = Σ 类"
                    case .category:
                        let code = spending[li].code ?? ""
                        children = lines.filter {
                            spending[$0].level == .section && spending[$0].code?.hasPrefix(code) == true
                        }
                        rule = "类 = Σ 款"
                    case .section:
                        let code = spending[li].code ?? ""
                        children = lines.filter {
                            spending[$0].level == .item && spending[$0].code?.hasPrefix(code) == true
                        }
                        rule = "款 = Σ 项"
                    case .item:
                        children = []
                        rule = ""
                    }
                    if !children.isEmpty {
                        for (name, kp) in columns {
                            compare(
                                rule, "spending", "\(subject()) · \(name)", published: spending[li][keyPath: kp],
                                parts: children.map { spending[$0][keyPath: kp] })
                        }
                    }
                    compare(
                        "合计 = 基本支出 + 项目支出", "spending", subject(), published: spending[li].total,
                        parts: [spending[li].basic, spending[li].project])
                    strictBlank = splitPublished
                    compare(
                        "基本支出 = 人员经费 + 公用经费", "spending", subject(), published: spending[li].basic,
                        parts: [spending[li].personnel, spending[li].publicCost])
                    strictBlank = true
                }
                // 项 lines under a 款 that has no printed subtotal still must add up to the 合计.
                if let totalLine = lines.first(where: { spending[$0].level == .total }),
                    !lines.contains(where: { spending[$0].level == .category })
                {
                    for (name, kp) in columns {
                        compare(
                            "合计 = Σ 项", "spending", "合计 · \(name)", published: spending[totalLine][keyPath: kp],
                            parts: lines.filter { spending[$0].level == .item }.map { spending[$0][keyPath: kp] })
                    }
                }
            }
        }

        // 类 totals published outside the functional table (收支总表) against its 项 lines.
        for t in b.totals where t.key.hasPrefix("class.") {
            let code = String(t.key.dropFirst("class.".count))
            guard b.spending.first(where: { $0.code == code }) == nil else {
                compare(
                    "收支总表类 = 功能分类类", "totals", "\(code) \(t.label) (\(t.table))", published: t.amount,
                    parts: [Budget.sum(b.spendingLines(code: code).map(\.total))], terms: 1)
                continue
            }
            let items = b.spending.filter { $0.level == .item && $0.code?.hasPrefix(code) == true }
            compare(
                "类 = Σ 项", "totals", "\(code) \(t.label) (\(t.table))", published: t.amount, parts: items.map(\.total))
        }

        // Economic classification, per table.
        var tableNames: [String] = []
        for line in b.economic where !tableNames.contains(line.table) { tableNames.append(line.table) }
        let ecoColumns: [(String, KeyPath<EconomicLine, ExactDecimal?>)] = [
            ("total", \.total), ("basic", \.basic), ("personnel", \.personnel), ("public", \.publicCost),
            ("project", \.project),
        ]
        b.economic.withUnsafeBufferPointer { economic in
            for table in tableNames {
                let lines = economic.indices.filter { economic[$0].table == table }
                func length(_ i: Int) -> Int { economic[i].code?.count ?? 0 }
                let kuan = lines.filter { length($0) == 5 }
                let lei = lines.filter { length($0) == 3 }
                let splitPublished = lines.contains {
                    economic[$0].personnel != nil || economic[$0].publicCost != nil || economic[$0].project != nil
                        || economic[$0].basic != nil
                }
                let basicPublished = lines.contains { economic[$0].basic != nil }
                for li in lines {
                    let subject = { "\(table) · \(economic[li].code ?? "合计") \(economic[li].name)" }
                    let children: [Int]
                    let rule: String
                    if let code = economic[li].code {
                        if code.count == 3 {
                            children = kuan.filter { economic[$0].code?.hasPrefix(code) == true }
                            rule = "经济分类类 = Σ 款"
                        } else if code.count == 5 {
                            children = lines.filter { length($0) == 7 && economic[$0].code?.hasPrefix(code) == true }
                            rule = "经济分类款 = Σ 子目"
                        } else {
                            children = []
                            rule = ""
                        }
                    } else {
                        children = lei.isEmpty ? kuan : lei
                        rule = "经济分类合计 = Σ 类"
                    }
                    if !children.isEmpty {
                        for (name, kp) in ecoColumns {
                            compare(
                                rule, "economic", "\(subject()) · \(name)", published: economic[li][keyPath: kp],
                                parts: children.map { economic[$0][keyPath: kp] })
                        }
                    }
                    strictBlank = splitPublished
                    if basicPublished {
                        compare(
                            "经济分类 合计 = 基本支出 + 项目支出", "economic", subject(), published: economic[li].total,
                            parts: [economic[li].basic, economic[li].project])
                    } else {
                        compare(
                            "经济分类 合计 = 人员经费 + 公用经费 + 项目支出", "economic", subject(), published: economic[li].total,
                            parts: [economic[li].personnel, economic[li].publicCost, economic[li].project])
                    }
                    strictBlank = true
                }
                // Σ economic classification = 基本支出 (for tables of 基本支出 only).
                if let totalLine = lines.first(where: { economic[$0].code == nil }), table.contains("基本支出"),
                    let basic = b.fact("expense.basic"), !b.spending.isEmpty
                {
                    compare(
                        "Σ 经济分类 = 基本支出", "economic", "\(table) · 合计", published: economic[totalLine].total,
                        parts: [basic], terms: 1)
                }
            }
        }

        // 三公经费.
        for row in b.threePublic {
            let subject = row.unit ?? "部门"
            compare(
                "三公 合计 = Σ 各项", "three_public", subject, published: row.total,
                parts: [row.abroad, row.vehicle, row.reception])
            compare(
                "公务用车 = 购置 + 运行", "three_public", subject, published: row.vehicle,
                parts: [row.vehiclePurchase, row.vehicleOperation])
        }

        // Projects.
        // The projects of 项目支出 by index: copying each Project (ten strings) was most of a check.
        // A project the 情况说明 describes (`projects.described`) is not part of a listing that
        // should add up to 项目支出.
        let described = Set(b.totals.filter { $0.key == "projects.described" }.map(\.label))
        let projects = b.projects.indices.filter {
            b.projects[$0].isProjectSpending && !described.contains(b.projects[$0].name)
        }
        if !projects.isEmpty {
            let amounts = projects.map { Optional(b.projects[$0].amount) }
            if let spendingProject = b.fact("expense.project"), !b.spending.isEmpty {
                compare("Σ 项目 = 项目支出", "projects", "项目支出 (spending 合计)", published: spendingProject, parts: amounts)
            }
            if let t = b.totals.first(where: { $0.key == "projects.total" }) {
                compare("Σ 项目 = 项目支出表合计", "projects", t.label, published: t.amount, parts: amounts)
            }
            for t in b.totals where t.key == "projects.unit" {
                compare(
                    "Σ 单位项目 = 单位小计", "projects", t.label, published: t.amount,
                    parts: projects.filter { b.projects[$0].unit == t.label }.map { Optional(b.projects[$0].amount) })
            }
        }
        for i in b.projects.indices where b.projects[i].goalAmount != nil {
            compare(
                "项目金额 = 绩效目标表预算资金", "projects", "\(b.projects[i].id) \(b.projects[i].name)",
                published: b.projects[i].goalAmount, parts: [b.projects[i].amount], terms: 1)
        }

        // 政府采购.
        if let t = b.totals.first(where: { $0.key == "procurement.total" }) {
            compare("Σ 采购 = 采购合计", "procurement", t.label, published: t.amount, parts: b.procurement.map(\.amount))
        }
        for t in b.totals where t.key == "procurement.unit" {
            compare(
                "Σ 单位采购 = 单位小计", "procurement", t.label, published: t.amount,
                parts: b.procurement.filter { $0.unit == t.label }.map(\.amount))
        }

        // 政府购买服务.
        if let t = b.totals.first(where: { $0.key == "purchase_services.total" }) {
            compare(
                "Σ 购买服务 = 购买服务合计", "purchase_services", t.label, published: t.amount,
                parts: b.purchaseServices.map(\.amount))
        }

        // Narrative statements against the tables.
        for (i, n) in b.narrative.enumerated() {
            guard let fact = b.fact(n.key) else { continue }
            // The narrative rounds: a table figure printed more precisely agrees with the statement
            // when it rounds to it at the statement's own precision.
            if fact.scale > n.amount.scale, let diff = n.amount.subtracting(fact)?.magnitude,
                diff <= ExactDecimal(mantissa: 5, scale: n.amount.scale + 1)
            {
                continue
            }
            compare(
                "情况说明 = 表", "narrative", "\(n.key) \(n.label) (narrative row \(i + 1))", published: n.amount,
                parts: [fact], terms: 1)
        }
        return out
    }
}
