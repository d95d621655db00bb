// SpendingPlan: the `plans` table — a project's 用款计划 / 资金支出计划, one row per project and
// period as printed — declared once: its stored properties and, in `visitFields`, each field's
// CSV name, title, unit and description. A period's amount is either cumulative (to the end of the
// period: 3月底 …) or for the period alone (第一季度 …), as the document prints it.

/// One period of a project's spending plan.
public struct SpendingPlan: Sendable, Hashable {
    /// The project's id (`projects.id`).
    public var project = ""
    /// Position of the period in the project's plan, 1, 2, … as printed.
    public var seq = 0
    /// The period as printed: 第一季度, 3月底, ….
    public var period = ""
    /// `累计` (cumulative to the end of the period) or `当期` (for the period alone).
    public var kind = ""
    /// The amount (万元); `nil` where the cell is blank.
    public var amount: ExactDecimal?
    /// Where the row was read in the published document; `nil` for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank plan row, to be filled field by field.
    public init() {}

    /// The values of ``kind``.
    public static let kinds = ["累计", "当期"]
}

extension SpendingPlan: Record {
    package static let heading = TableHeading(
        name: "plans", title: "用款计划",
        summary: "A project's spending plan (用款计划 / 资金支出计划): one row per project and period, as printed.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &project,
            FieldSchema(
                "project", "项目", "The project's id (projects.id).",
                query: .column("project_id", "项目标识", doc: "Project id.")))
        v.visit(
            &seq,
            FieldSchema(
                "seq", "序号", "Position of the period in the project's plan: 1, 2, … in printed order.",
                query: .column(doc: "Position of the period in the plan (1, 2, …).")))
        v.visit(
            &period,
            FieldSchema(
                "period", "期间", "The period exactly as printed, e.g. 3月底, 第一季度.",
                query: .column(doc: "The period as printed (3月底, 第一季度, …).")))
        v.visit(
            &kind,
            FieldSchema(
                "kind", "口径", allowed: SpendingPlan.kinds,
                "累计: the amount spent by the end of the period (cumulative); 当期: the amount for the period alone.",
                query: .column(doc: "累计 (cumulative to the period's end) or 当期 (for the period alone).")))
        v.visit(
            &amount,
            FieldSchema(
                "amount", "金额", unit: "万元", fdp: "value", "The planned amount as printed.",
                query: .column(doc: "Planned amount.")))
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
