// PurchasedService: the `purchase_services` table — 政府购买服务 rows — declared once: its stored
// properties and, in `visitFields`, each field's CSV name, title, unit and description.

/// A 政府购买服务 row.
public struct PurchasedService: Sendable, Hashable {
    /// Unit.
    public var unit: String?
    /// Project.
    public var project: String?
    /// Service.
    public var item = ""
    /// Category.
    public var category: String?
    /// Amount (万元).
    public var amount: ExactDecimal?

    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank row, to be filled field by field.
    public init() {}
}

extension PurchasedService: Record {
    package static let heading = TableHeading(name: "purchase_services", title: "政府购买服务", summary: "政府购买服务 rows.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(&unit, FieldSchema("unit", "单位", "Unit."))
        v.visit(&project, FieldSchema("project", "项目名称", "Project.", query: .column(nil, "项目")))
        v.visit(&item, FieldSchema("item", "服务内容", "Service.", query: .column(other: ["name", "名称"])))
        v.visit(&category, FieldSchema("category", "服务类别", "Category.", query: .column(nil, "类别")))
        v.visit(&amount, FieldSchema("amount", "金额", unit: "万元", fdp: "value", "Amount."))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
