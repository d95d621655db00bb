// BudgetUnit: the `units` table — one row per 预算单位 — declared once: its stored properties and,
// in `visitFields`, each field's CSV name, title and description.

/// A 预算单位.
public struct BudgetUnit: Sendable, Hashable {
    /// Unit code where published.
    public var code: String?
    /// Published name; the key other tables use.
    public var name = ""
    /// The unit's 年度绩效目标.
    public var goal: String?
    /// 单位性质 as printed (e.g. 行政单位).
    public var nature: String?
    /// 单位规格 as printed (e.g. 正处级).
    public var grade: String?
    /// 经费保障形式 as printed (e.g. 财政全额拨款).
    public var funding: String?

    /// Creates a blank unit, to be filled field by field.
    public init() {}

    /// Creates a unit.
    public init(code: String?, name: String, goal: String?) {
        self.code = code
        self.name = name
        self.goal = goal
    }
}

extension BudgetUnit: Record {
    package static let heading = TableHeading(name: "units", title: "单位", summary: "One row per 预算单位 in the budget.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &code,
            FieldSchema(
                "code", "单位编码", fdp: "administrative-classification:generic:level2:code",
                "Unit code where published.", query: .column(nil, "编码", other: ["单位编码"], kind: .code)))
        v.visit(
            &name,
            FieldSchema(
                "name", "单位名称", fdp: "administrative-classification:generic:level2:label",
                "Exact published name; the key other tables refer to.",
                query: .column(nil, "名称", other: ["单位名称"], doc: "Published name.")))
        v.visit(
            &goal,
            FieldSchema(
                "goal", "年度绩效目标", "The unit's 年度绩效目标 from its 整体绩效目标表.",
                query: .column(nil, "年度目标", doc: "The unit's 年度绩效目标.")))
        v.visit(&nature, FieldSchema("nature", "单位性质", "单位性质 as printed (e.g. 行政单位), where published."))
        v.visit(&grade, FieldSchema("grade", "单位规格", "单位规格 as printed (e.g. 正科级), where published."))
        v.visit(&funding, FieldSchema("funding", "经费保障形式", "经费保障形式 as printed (e.g. 财政全额拨款), where published."))
    }
}
