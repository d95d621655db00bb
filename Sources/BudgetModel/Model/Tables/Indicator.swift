// Indicator: the `indicators` table — every 绩效指标, of projects and of departments or units as a
// whole — declared once: its stored properties and, in `visitFields`, each field's CSV name,
// title and description.

/// A 绩效指标.
public struct Indicator: Sendable, Hashable {
    /// Sequence number in document order.
    public var id = 0
    /// Project id; `nil` for 整体绩效 indicators.
    public var project: String?
    /// For 整体绩效 indicators, the unit whose table it is.
    public var unit: String?
    /// 一级指标.
    public var level1 = ""
    /// 二级指标.
    public var level2: String?
    /// 三级指标.
    public var level3 = ""
    /// `=`, `≥`, `≤`, `>`, `<` or `定性`.
    public var op = ""
    /// The numeric value, if any.
    public var value: ExactDecimal?
    /// The value exactly as published.
    public var text: String?
    /// 度量单位.
    public var measure: String?
    /// 完成时限.
    public var deadline: String?
    /// 权重.
    public var weight: ExactDecimal?
    /// 正向 / 反向.
    public var direction: String?
    /// 指标性质.
    public var nature: String?
    /// 指标值确定依据.
    public var basis: String?
    /// 绩效指标描述.
    public var description: String?
    /// `printed`, `inferred` or `derived` (see ``DatasetSchema/origins``); `nil` (a blank cell) means printed.
    public var origin: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank indicator, to be filled field by field.
    public init() {}
}

extension Indicator: Record {
    package static let heading = TableHeading(
        name: "indicators", title: "绩效指标",
        summary: "Every 绩效指标, for projects and for the department or units as a whole.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(&id, FieldSchema("id", "序号", "1, 2, 3, … in document order.", query: .hidden))
        v.visit(
            &project,
            FieldSchema(
                "project", "项目", "Project id; empty for 整体绩效 indicators.",
                query: .column("project_id", "项目标识", doc: "Project id.")))
        v.visit(
            &unit,
            FieldSchema(
                "unit", "单位", "For 整体绩效 indicators: the unit whose table it is (empty: department-wide).",
                query: .column("budget_unit", "预算单位", doc: "For 整体 indicators: the unit whose table it is.")))
        v.visit(&level1, FieldSchema("level1", "一级指标", "一级指标."))
        v.visit(&level2, FieldSchema("level2", "二级指标", "二级指标."))
        v.visit(
            &level3,
            FieldSchema(
                "level3", "三级指标", "三级指标: the indicator itself.",
                query: .column("name", other: ["名称", "指标名称", "level3"])))
        v.visit(&op, FieldSchema("op", "运算符", allowed: DatasetSchema.operators, "=, ≥, ≤, >, < or 定性."))
        v.visit(
            &value,
            FieldSchema(
                "value", "指标值", "The number, when the value is numeric.",
                query: .column(doc: "Numeric value (null for 定性).")))
        v.visit(
            &text,
            FieldSchema(
                "text", "指标值原文", "The 指标值 exactly as published.",
                query: .column(nil, "原文", other: ["指标值原文"], doc: "The value exactly as published.")))
        v.visit(
            &measure,
            FieldSchema(
                "measure", "度量单位", "度量单位 as printed.",
                query: .column("unit", other: ["measure"], doc: "度量单位 (%, 天, 元/人, …).")))
        v.visit(&deadline, FieldSchema("deadline", "完成时限", "完成时限."))
        v.visit(&weight, FieldSchema("weight", "权重", "权重."))
        v.visit(
            &direction,
            FieldSchema(
                "direction", "指标方向性", allowed: ["正向", "反向"], "正向 or 反向.",
                query: .column(nil, "指标方向", other: ["指标方向性"])))
        v.visit(&nature, FieldSchema("nature", "指标性质", "指标性质 as printed."))
        v.visit(
            &basis,
            FieldSchema("basis", "指标值确定依据", "指标值确定依据.", query: .column(nil, "确定依据", other: ["指标值确定依据"])))
        v.visit(
            &description,
            FieldSchema("description", "绩效指标描述", "绩效指标描述.", query: .column(nil, "描述", other: ["指标描述"])))
        v.visit(&origin, .origin)
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
