// PublishedTotal: the `totals` table — published total lines with no home in another table —
// declared once: its stored properties and, in `visitFields`, each field's CSV name, title, unit
// and description.

/// A published total line with no home in another table.
public struct PublishedTotal: Sendable, Hashable {
    /// What it totals, e.g. `income.total`.
    public var key = ""
    /// Row label as printed (empty if printed without one).
    public var label = ""
    /// The printed column header, where the figure is one of several on its row.
    public var column: String?
    /// The table it comes from.
    public var table = ""
    /// The figure.
    public var amount: ExactDecimal?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank total line, to be filled field by field.
    public init() {}
}

extension PublishedTotal: Record {
    package static let heading = TableHeading(
        name: "totals", title: "表内合计", summary: "Published total and subtotal lines that have no home in another table."
    )

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &key,
            FieldSchema(
                "key", "键", "What the line totals, e.g. income.total, projects.unit.",
                query: .column(doc: "What it totals.")))
        v.visit(
            &label,
            FieldSchema(
                "label", "行名称", allowsEmpty: true, "The row label as printed (empty if printed without one).",
                query: .column(nil, "名称", other: ["name"], doc: "Row label.")))
        v.visit(
            &column,
            FieldSchema(
                "column", "所在列",
                "The printed column header, where the row prints several figures (empty: the table's one figure column).",
                query: .column(nil, "列", doc: "Printed column header (null: the one figure column).")))
        v.visit(
            &table,
            FieldSchema(
                "table", "所在表", "The published table it comes from.", query: .column(nil, "表", doc: "Published table."))
        )
        v.visit(
            &amount,
            FieldSchema(
                "amount", "金额", unit: "万元", fdp: "value", "The figure as printed.", query: .column(doc: "Figure.")))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
