// Asset: the `assets` table — 国有资产 rows as published — declared once: its stored properties
// and, in `visitFields`, each field's CSV name, title, unit and description.

/// A 国有资产 row.
public struct Asset: Sendable, Hashable {
    /// e.g. 车辆.
    public var category = ""
    /// e.g. 一般公务用车.
    public var item = ""
    /// Count.
    public var quantity: ExactDecimal?
    /// Value (万元).
    public var amount: ExactDecimal?
    /// Note.
    public var note: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank row, to be filled field by field.
    public init() {}
}

extension Asset: Record {
    package static let heading = TableHeading(
        name: "assets", title: "国有资产", summary: "国有资产 占有使用, vehicles and equipment, as published.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &category, FieldSchema("category", "资产类别", "e.g. 车辆, 固定资产, 设备.", query: .column(nil, "类别", doc: "e.g. 车辆."))
        )
        v.visit(&item, FieldSchema("item", "资产名称", "e.g. 一般公务用车.", query: .column(nil, "名称", other: ["name"])))
        v.visit(&quantity, FieldSchema("quantity", "数量", "Count (辆, 台套).", query: .column(doc: "Count.")))
        v.visit(&amount, FieldSchema("amount", "金额", unit: "万元", fdp: "value", "Value."))
        v.visit(&note, FieldSchema("note", "说明", "Note."))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
