// Project: the `projects` table — every project of 项目支出 and every performance item paid from
// 基本支出 — declared once: its stored properties and, in `visitFields`, each field's CSV name,
// title, unit and description.

/// A project of 项目支出, or a performance item paid from 基本支出.
public struct Project: Sendable, Hashable {
    /// Dataset-local id, e.g. `P01`.
    public var id = ""
    /// Implementing unit name, where the document says.
    public var unit: String?
    /// 项目编码.
    public var code: String?
    /// Name.
    public var name = ""
    /// 人员类, 运转类, 其他运转类 or 特定目标类.
    public var category: String?
    /// `项目支出` or `基本支出`.
    public var spendingType = ""
    /// 项目内容.
    public var content: String?
    /// Amount (万元).
    public var amount = ExactDecimal.zero
    /// Funding source.
    public var fund: String?
    /// 7-digit functional 项 code.
    public var functionCode: String?
    /// 总体目标 / 年度目标.
    public var goal: String?
    /// 预算资金 printed in the 绩效目标表.
    public var goalAmount: ExactDecimal?

    /// Creates a blank project, to be filled field by field.
    public init() {}

    /// Whether this is a project of 项目支出 (not a 基本支出 item).
    public var isProjectSpending: Bool { spendingType == "项目支出" }
}

extension Project: Record {
    package static let heading = TableHeading(
        name: "projects", title: "项目", summary: "Every project of 项目支出, and every performance item paid from 基本支出.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &id,
            FieldSchema(
                "id", "项目标识", fdp: "activity:generic:project:id", "Dataset-local key: P01, P02, …",
                query: .column(nil, "标识", doc: "Dataset-local id (P01…).")))
        v.visit(
            &unit,
            FieldSchema(
                "unit", "单位", "Implementing unit (a units.name); empty where the document does not say.",
                query: .column(other: ["实施单位"], doc: "Implementing unit.")))
        v.visit(
            &code,
            FieldSchema(
                "code", "项目编码", fdp: "activity:generic:project:code", "项目编码 where published.",
                query: .column(kind: .code)))
        v.visit(
            &name,
            FieldSchema(
                "name", "项目名称", fdp: "activity:generic:project:label", "Project name.",
                query: .column(nil, "名称", other: ["项目名称"])))
        v.visit(
            &category,
            FieldSchema(
                "category", "项目类别", allowed: ["人员类", "运转类", "其他运转类", "特定目标类"], "Category where published.",
                query: .column(nil, "类别", other: ["项目类别"], doc: "人员类, 运转类, 其他运转类 or 特定目标类.")))
        v.visit(
            &spendingType,
            FieldSchema(
                "spending_type", "支出类型", allowed: ["项目支出", "基本支出"], "项目支出 for projects; 基本支出 for 人员类/运转类 items.",
                query: .column("type", doc: "项目支出 or 基本支出.")))
        v.visit(
            &content,
            FieldSchema(
                "content", "项目内容", "项目内容 / 项目概况.", query: .column(nil, "内容", other: ["项目内容"], doc: "项目内容.")))
        v.visit(
            &amount,
            FieldSchema(
                "amount", "金额", unit: "万元", fdp: "value", "Amount from the 项目支出 table.",
                query: .column(other: ["预算数"], doc: "Amount (万元).")))
        v.visit(&fund, FieldSchema("fund", "资金来源", allowed: DatasetSchema.funds, "Funding source."))
        v.visit(
            &functionCode,
            FieldSchema(
                "function_code", "功能分类科目", fdp: "functional-classification:generic:level3:code",
                "7-digit 项 code where published.",
                query: .column(nil, "功能科目", kind: .code, doc: "7-digit functional 项 code where published.")))
        v.visit(
            &goal,
            FieldSchema("goal", "总体目标", "总体目标 / 年度目标.", query: .column(nil, "目标", other: ["总体目标", "年度目标"])))
        v.visit(
            &goalAmount,
            FieldSchema(
                "goal_amount", "绩效目标表预算资金", unit: "万元", "预算资金 printed in the project's 绩效目标表.",
                query: .column(nil, "目标金额", doc: "预算资金 printed in the 绩效目标表.")))
    }
}
