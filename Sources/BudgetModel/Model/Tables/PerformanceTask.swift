// PerformanceTask: the `tasks` table — 年度主要任务 rows of a 整体绩效目标表 — declared once: its
// stored properties and, in `visitFields`, each field's CSV name, title, unit and description.

/// A 年度主要任务 row of a 整体绩效目标表.
public struct PerformanceTask: Sendable, Hashable {
    /// Unit whose table it is; `nil` for the department-wide table.
    public var unit: String?
    /// Task name.
    public var name = ""
    /// 预算资金.
    public var amount: ExactDecimal?
    /// Description.
    public var text: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank task, to be filled field by field.
    public init() {}
}

extension PerformanceTask: Record {
    package static let heading = TableHeading(
        name: "tasks", title: "年度主要任务", summary: "Rows of 年度主要任务 / 对应项目 in a 整体绩效目标表.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &unit,
            FieldSchema(
                "unit", "单位", "Unit whose table it is; empty for the department-wide table.",
                query: .column(doc: "Unit (null: department-wide).")))
        v.visit(&name, FieldSchema("name", "任务名称", "Task or 对应项目 name.", query: .column(nil, "名称", doc: "Task.")))
        v.visit(
            &amount,
            FieldSchema(
                "amount", "预算资金", unit: "万元", fdp: "value", "预算资金 printed for the task.",
                query: .column(nil, "金额", other: ["预算资金"], doc: "预算资金.")))
        v.visit(&text, FieldSchema("text", "主要内容", "Task description.", query: .column(nil, "内容", doc: "Description.")))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
