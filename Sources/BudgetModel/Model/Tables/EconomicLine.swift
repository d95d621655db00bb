// EconomicLine: the `economic` table — every printed line of an economic classification
// (支出经济分类) table — declared once: its stored properties and, in `visitFields`, each field's
// CSV name, title, unit and description.

/// A line of an economic classification (支出经济分类) table.
public struct EconomicLine: Sendable, Hashable {
    /// Published table name.
    public var table = ""
    /// `部门` or `政府`.
    public var scheme = ""
    /// 3-digit 类 or 5-digit 款; `nil` on the 合计 line.
    public var code: String?
    /// Name as printed.
    public var name = ""
    /// Parallel 政府预算 code on the same row.
    public var govCode: String?
    /// Parallel 政府预算 name.
    public var govName: String?
    /// 合计.
    public var total: ExactDecimal?
    /// 基本支出小计, where printed.
    public var basic: ExactDecimal?
    /// 人员经费.
    public var personnel: ExactDecimal?
    /// 公用经费.
    public var publicCost: ExactDecimal?
    /// 项目支出.
    public var project: ExactDecimal?
    /// `printed`, `inferred` or `derived` (see ``DatasetSchema/origins``); `nil` (a blank cell) means printed.
    public var origin: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank line, to be filled field by field.
    public init() {}
}

extension EconomicLine: Record {
    package static let heading = TableHeading(
        name: "economic", title: "支出经济分类", summary: "Every printed line of an economic classification table.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &table,
            FieldSchema("table", "所在表", "Published table name.", query: .column(nil, "表", other: ["所在表"])))
        v.visit(
            &scheme,
            FieldSchema(
                "scheme", "分类体系", allowed: ["部门", "政府"], "部门 (部门预算支出经济分类) or 政府 (政府预算支出经济分类).",
                query: .column(nil, "体系", doc: "部门 or 政府 economic classification.")))
        v.visit(
            &code,
            FieldSchema(
                "code", "科目编码", fdp: "economic-classification:generic:level2:code",
                "3-digit 类, 5-digit 款; empty on the 合计 line.",
                query: .column(nil, "编码", other: ["科目编码"], kind: .code, doc: "Code.")))
        v.visit(
            &name,
            FieldSchema(
                "name", "科目名称", fdp: "economic-classification:generic:level2:label", "Name as printed.",
                query: .column(nil, "名称", other: ["科目名称"])))
        v.visit(
            &govCode,
            FieldSchema(
                "gov_code", "政府经济分类编码", "The parallel 政府预算 code printed on the same row.",
                query: .column(nil, "政府科目编码", kind: .code, doc: "Parallel 政府预算经济分类 code.")))
        v.visit(
            &govName,
            FieldSchema(
                "gov_name", "政府经济分类名称", "The parallel 政府预算 name printed on the same row.",
                query: .column(nil, "政府科目名称", doc: "Parallel 政府预算经济分类 name.")))
        v.visit(
            &total,
            FieldSchema(
                "total", "合计", unit: "万元", fdp: "value", "合计.",
                query: .column("amount", "金额", other: ["合计", "total"])))
        v.visit(
            &basic,
            FieldSchema("basic", "基本支出", unit: "万元", "基本支出小计, where the table prints it.", query: .column(doc: "基本支出."))
        )
        v.visit(&personnel, FieldSchema("personnel", "人员经费", unit: "万元", "人员经费."))
        v.visit(&publicCost, FieldSchema("public", "公用经费", unit: "万元", "公用经费."))
        v.visit(
            &project,
            FieldSchema("project", "项目支出", unit: "万元", "项目支出, where the table has it.", query: .column(doc: "项目支出.")))
        v.visit(&origin, .origin)
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
