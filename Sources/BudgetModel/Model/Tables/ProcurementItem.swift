// ProcurementItem: the `procurement` table — 政府采购预算 item rows — declared once: its stored
// properties and, in `visitFields`, each field's CSV name, title, unit and description.

/// A 政府采购 item.
public struct ProcurementItem: Sendable, Hashable {
    /// Unit.
    public var unit: String?
    /// Source project.
    public var project: String?
    /// Source project's budget.
    public var projectAmount: ExactDecimal?
    /// Item.
    public var item = ""
    /// 货物, 工程 or 服务.
    public var category: String?
    /// Catalog code.
    public var catalogCode: String?
    /// 计量单位.
    public var measure: String?
    /// Quantity.
    public var quantity: ExactDecimal?
    /// Unit price (万元).
    public var unitPrice: ExactDecimal?
    /// Amount (万元).
    public var amount: ExactDecimal?
    /// 预留中小微企业份额 (万元).
    public var smeReserved: ExactDecimal?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank item, to be filled field by field.
    public init() {}
}

extension ProcurementItem: Record {
    package static let heading = TableHeading(name: "procurement", title: "政府采购", summary: "政府采购预算 item rows.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(&unit, FieldSchema("unit", "单位", "Purchasing unit."))
        v.visit(
            &project,
            FieldSchema(
                "project", "项目名称", "政府采购项目来源.", query: .column(nil, "项目", other: ["项目名称"], doc: "Source project.")))
        v.visit(
            &projectAmount,
            FieldSchema(
                "project_amount", "项目预算资金", unit: "万元", "The source project's budget.",
                query: .column(nil, "项目金额", doc: "Source project's budget.")))
        v.visit(
            &item,
            FieldSchema("item", "采购物品名称", "Item.", query: .column(nil, "品目", other: ["采购物品名称", "name", "名称"])))
        v.visit(
            &category,
            FieldSchema(
                "category", "采购类别", allowed: ["货物", "工程", "服务"], "货物, 工程 or 服务.",
                query: .column(nil, "类别", doc: "货物, 工程 or 服务 (from the catalog code's letter when not printed).")))
        v.visit(
            &catalogCode,
            FieldSchema(
                "catalog_code", "政府采购目录序号", "Catalog code, e.g. A05040101.",
                query: .column(nil, "目录编码", other: ["政府采购目录序号"], kind: .code, doc: "政府采购目录 code.")))
        v.visit(&measure, FieldSchema("measure", "计量单位", "计量单位."))
        v.visit(&quantity, FieldSchema("quantity", "数量", "数量."))
        v.visit(&unitPrice, FieldSchema("unit_price", "单价", unit: "万元", "单价."))
        v.visit(&amount, FieldSchema("amount", "金额", unit: "万元", fdp: "value", "政府采购金额."))
        v.visit(
            &smeReserved,
            FieldSchema("sme_reserved", "预留中小微企业份额", unit: "万元", "预留中小微企业份额.", query: .column(nil, "中小企业预留")))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
