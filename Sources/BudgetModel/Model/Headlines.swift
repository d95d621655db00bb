// Headlines: the headline figures a document prints — 政府采购 total, 机关运行经费, 三公 total,
// 收入合计, 支出合计, 财政拨款 — each as printed, with where it was printed. A figure comes from a
// table when one prints it (`totals.csv` under the vocabulary key, or the 三公 table), else from
// the narrative (情况说明), else it is not published (`nil`). Nothing is computed: a document that
// prints no 政府采购 total has none, even when it lists purchase items.

/// A headline figure of a department budget.
public enum Headline: String, Sendable, CaseIterable {
    /// 政府采购 total (`procurement.total`).
    case procurement = "procurement.total"
    /// 机关运行经费 (`operating_cost`).
    case operatingCost = "operating_cost"
    /// “三公”经费 total (the department row of the 三公 table).
    case threePublic = "three_public.total"
    /// 本年收入合计 (`income.total`, the first table that prints it: the 收支总表).
    case incomeTotal = "income.total"
    /// 本年支出合计 (`expense.total`, the first table that prints it: the 收支总表).
    case expenseTotal = "expense.total"
    /// 财政拨款: 本年收入 of the 财政拨款收支总表 (`fiscal.income`).
    case fiscalIncome = "fiscal.income"
}

/// A figure as printed, and where.
public struct PublishedFigure: Sendable, Hashable {
    /// The figure as printed.
    public let amount: ExactDecimal
    /// The published table it was read from, or `情况说明` when only the narrative prints it.
    public let source: String

    /// Creates a figure.
    public init(amount: ExactDecimal, source: String) {
        self.amount = amount
        self.source = source
    }
}

extension Budget {
    /// The narrative's name as a source.
    public static let narrativeSource = "情况说明"

    /// The headline figure `h` as the document prints it: from a table if one prints it, else from
    /// the narrative's first statement of it, else `nil` (not printed).
    public func published(_ h: Headline) -> PublishedFigure? {
        if h == .threePublic {
            let row = threePublic.first { $0.unit == nil } ?? threePublic.first
            guard let row, let total = row.total else { return nil }
            return PublishedFigure(amount: total, source: "“三公”经费支出表")
        }
        if let t = totals.first(where: { $0.key == h.rawValue && $0.amount != nil }), let amount = t.amount {
            return PublishedFigure(amount: amount, source: t.table)
        }
        if let n = narrative.first(where: { $0.key == h.rawValue }) {
            return PublishedFigure(amount: n.amount, source: Budget.narrativeSource)
        }
        return nil
    }
}

extension Budget {
    /// Every printed line of the functional classification, as `spending_lines` shows it: the
    /// functional table's lines (`spending.csv`), with each 类 total that another table prints
    /// (`totals.csv` `class.<code>`, e.g. the 收支总表's) added as a 类 line after the 合计 line
    /// where the functional table prints no line for that 类. The added lines carry the table they
    /// were printed in, the printed label as name, the 合计 as total, and the functional table's fund.
    public var functionalLines: [SpendingLine] {
        let printed = Set(spending.compactMap(\.code))
        var added: [SpendingLine] = []
        var seen = Set<String>()
        for t in totals where t.key.hasPrefix("class.") {
            let code = String(t.key.dropFirst("class.".count))
            guard code.count == 3, !printed.contains(code), !seen.contains(code) else { continue }
            seen.insert(code)
            var line = SpendingLine()
            line.code = code
            line.name = t.label
            line.fund = spending.first?.fund ?? DatasetSchema.funds[0]
            line.total = t.amount
            line.table = t.table
            line.provenance = t.provenance
            added.append(line)
        }
        if added.isEmpty { return spending }
        let at = (spending.firstIndex { $0.code == nil }).map { $0 + 1 } ?? 0
        return Array(spending[..<at]) + added + Array(spending[at...])
    }

    /// The economic lines that add up to 基本支出 without double counting, as `economic` shows
    /// them: one published table — the 基本支出 economic table (its name contains 基本支出; else
    /// the first economic table) — at its finest level: every line of it with a code that no other
    /// line of the same table extends (a 款 without 子目, each 子目, a 类 printed without 款).
    public var economicBasis: [EconomicLine] {
        guard let table = (economic.first { $0.table.contains("基本支出") } ?? economic.first)?.table else { return [] }
        let lines = economic.filter { $0.table == table && $0.code != nil }
        let codes = lines.compactMap(\.code)
        return lines.filter { line in
            guard let code = line.code else { return false }
            return !codes.contains { $0.count > code.count && $0.hasPrefix(code) }
        }
    }
}
