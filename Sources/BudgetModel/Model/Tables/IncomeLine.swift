// IncomeLine: the `income` table — income by source, from the 收支预算总表 — declared once: its
// stored properties and, in `visitFields`, each field's CSV name, title, unit and description.

/// Income from one source.
public struct IncomeLine: Sendable, Hashable {
    /// The source, one of ``DatasetSchema/incomeSources``.
    public var source = ""
    /// The amount, `nil` if printed blank.
    public var amount: ExactDecimal?

    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank income line, to be filled field by field.
    public init() {}
}

extension IncomeLine: Record {
    package static let heading = TableHeading(
        name: "income", title: "收入", summary: "Department income by source, from the 收支预算总表.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &source,
            FieldSchema(
                "source", "收入来源", allowed: DatasetSchema.incomeSources, "Income source.",
                query: .column(nil, "来源", other: ["收入来源"])))
        v.visit(
            &amount,
            FieldSchema(
                "amount", "预算数", unit: "万元", fdp: "value", "Amount; empty where the table prints a blank.",
                query: .column(nil, "金额", other: ["预算数"], doc: "Amount; null where printed blank.")))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
