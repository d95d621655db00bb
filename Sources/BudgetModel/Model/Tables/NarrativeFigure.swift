// NarrativeFigure: the `narrative` table — every figure the narrative (情况说明) states — declared
// once: its stored properties and, in `visitFields`, each field's CSV name, title and description.

/// A figure stated in the narrative (情况说明).
public struct NarrativeFigure: Sendable, Hashable {
    /// What the figure is, e.g. `expense.basic`, `class.210`.
    public var key = ""
    /// The term as printed.
    public var label = ""
    /// The figure as printed.
    public var amount = ExactDecimal.zero
    /// 万元, 个, …
    public var measure: String?
    /// Narrative heading.
    public var section: String?
    /// The clause, verbatim.
    public var quote: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?
    /// For a statement about another year (`change.*`, `change_pct.*`, `prior.*`): that year,
    /// e.g. `2024`; `nil` for this year's figures (and, in hand-made rows, for the year before).
    public var vsYear: String?
    /// For a statement about another year: whether that year's figure is its budget (`预算`) or
    /// its execution (`执行`: 预算执行数, 决算); `nil` means the budget.
    public var vsBasis: String?

    /// What a comparison's other-year figure is.
    public var comparisonBasis: ComparisonBasis { vsBasis.flatMap(ComparisonBasis.init(rawValue:)) ?? .budget }

    /// Creates a blank figure, to be filled field by field.
    public init() {}
}

extension NarrativeFigure: Record {
    package static let heading = TableHeading(
        name: "narrative", title: "情况说明", summary: "Every figure the narrative (情况说明) states, one row per statement.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &key,
            FieldSchema(
                "key", "键", "What the figure is (see Datasets/README.md for the vocabulary).",
                query: .column(doc: "What the figure is.")))
        v.visit(
            &label,
            FieldSchema("label", "名称", "The term as printed.", query: .column(other: ["name"], doc: "Term as printed."))
        )
        v.visit(
            &amount, FieldSchema("amount", "数值", "The figure as printed.", query: .column(doc: "Figure as printed.")))
        v.visit(
            &measure, FieldSchema("measure", "单位", "万元, 个, 辆, %, …", query: .column(other: ["unit"], doc: "万元, 个, …")))
        v.visit(&section, FieldSchema("section", "所在章节", "Narrative heading.", query: .column(nil, "章节")))
        v.visit(&quote, FieldSchema("quote", "原文", "The clause, verbatim."))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
        v.visit(
            &vsYear,
            FieldSchema(
                "vs_year", "比较年度",
                "For a statement about another year (change.*, change_pct.*, prior.*): that year. Empty: the budget year before.",
                query: .column(
                    kind: .code, doc: "The year a change or prior figure compares with (null: this year's figure).")))
        v.visit(
            &vsBasis,
            FieldSchema(
                "vs_basis", "比较口径", allowed: ComparisonBasis.allCases.map(\.rawValue),
                "预算 when the other year's figure is its budget, 执行 when its execution (预算执行数, 决算). Empty: 预算.",
                query: .column(doc: "预算 or 执行: what the other year's figure is.")))
    }
}

/// What the other year's figure of a comparison is.
public enum ComparisonBasis: String, Sendable, Hashable, CaseIterable {
    /// That year's budget (预算, 预算数).
    case budget = "预算"
    /// That year's execution (预算执行数) or final accounts (决算).
    case execution = "执行"
}
