// ThreePublic: the `three_public` table — 财政拨款“三公”经费 of the department and its units —
// declared once: its stored properties and, in `visitFields`, each field's CSV name, title, unit
// and description.

/// 三公经费, for the department or one unit.
public struct ThreePublic: Sendable, Hashable {
    /// `nil` for the department row.
    public var unit: String?
    /// 合计.
    public var total: ExactDecimal?
    /// 因公出国（境）费.
    public var abroad: ExactDecimal?
    /// 公务用车购置及运行费.
    public var vehicle: ExactDecimal?
    /// 公务用车购置费.
    public var vehiclePurchase: ExactDecimal?
    /// 公务用车运行费.
    public var vehicleOperation: ExactDecimal?
    /// 公务接待费.
    public var reception: ExactDecimal?
    /// `printed`, `inferred` or `derived` (see ``DatasetSchema/origins``); `nil` (a blank cell) means printed.
    public var origin: String?

    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank row, to be filled field by field.
    public init() {}
}

extension ThreePublic: Record {
    package static let heading = TableHeading(
        name: "three_public", title: "三公经费", summary: "财政拨款“三公”经费: one department row, plus unit rows where published.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &unit,
            FieldSchema(
                "unit", "单位", "Empty for the department row.", query: .column(doc: "Null for the department row.")))
        v.visit(
            &total,
            FieldSchema("total", "合计", unit: "万元", fdp: "value", "“三公”经费合计.", query: .column(other: ["amount", "金额"])))
        v.visit(
            &abroad,
            FieldSchema(
                "abroad", "因公出国（境）费", unit: "万元", "因公出国（境）费.", query: .column(nil, "因公出国", other: ["因公出国（境）费"])))
        v.visit(
            &vehicle,
            FieldSchema(
                "vehicle", "公务用车购置及运行费", unit: "万元", "公务用车购置及运行费.",
                query: .column(nil, "公务用车", other: ["公务用车购置及运行费"])))
        v.visit(
            &vehiclePurchase,
            FieldSchema(
                "vehicle_purchase", "公务用车购置费", unit: "万元", "公务用车购置费.",
                query: .column(nil, "公务用车购置", other: ["公务用车购置费"])))
        v.visit(
            &vehicleOperation,
            FieldSchema(
                "vehicle_operation", "公务用车运行费", unit: "万元", "公务用车运行费.",
                query: .column(nil, "公务用车运行", other: ["公务用车运行费"])))
        v.visit(
            &reception,
            FieldSchema("reception", "公务接待费", unit: "万元", "公务接待费.", query: .column(nil, "公务接待", other: ["公务接待费"])))
        v.visit(&origin, .origin)
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
