// SpendingLine: the `spending` table — every printed line of the functional classification
// (支出功能分类) table — declared once: its stored properties and, in `visitFields`, each field's
// CSV name, title, unit and description. Also the level a line's code gives it.

/// The level of a classification line.
public enum ClassificationLevel: String, Sendable, Hashable, CaseIterable {
    /// The 合计 line.
    case total = "合计"
    /// 类 (3 digits).
    case category = "类"
    /// 款 (5 digits).
    case section = "款"
    /// 项 (7 digits).
    case item = "项"

    /// The level a code's length implies (`nil` for an unexpected length).
    public init?(code: String?) {
        switch code?.count ?? 0 {
        case 0: self = .total
        case 3: self = .category
        case 5: self = .section
        case 7: self = .item
        default: return nil
        }
    }
}

/// A line of the functional classification (支出功能分类) table.
public struct SpendingLine: Sendable, Hashable {
    /// 3/5/7-digit code; `nil` on the 合计 line.
    public var code: String?
    /// Name as printed.
    public var name = ""
    /// The fund.
    public var fund = ""
    /// 合计.
    public var total: ExactDecimal?
    /// 基本支出小计.
    public var basic: ExactDecimal?
    /// 人员经费.
    public var personnel: ExactDecimal?
    /// 公用经费.
    public var publicCost: ExactDecimal?
    /// 项目支出.
    public var project: ExactDecimal?
    /// The published table the line was read from.
    public var table: String?
    /// `printed`, `inferred` or `derived` (see ``DatasetSchema/origins``); `nil` (a blank cell) means printed.
    public var origin: String?
    /// Where the row was read in the published document (file, page, line or position); `nil`
    /// for rows transcribed by hand.
    public var provenance: String?

    /// Creates a blank line, to be filled field by field.
    public init() {}

    /// The line's level, from its code.
    public var level: ClassificationLevel { ClassificationLevel(code: code) ?? .item }
}

extension SpendingLine: Record {
    package static let heading = TableHeading(
        name: "spending", title: "支出功能分类",
        summary:
            "Every printed line of the functional classification table: the 合计 line, 类 and 款 subtotal lines, and 项 lines."
    )

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &code,
            FieldSchema(
                "code", "科目编码", fdp: "functional-classification:generic:level3:code",
                "3-digit 类, 5-digit 款, 7-digit 项; empty on the 合计 line.",
                query: .column(nil, "编码", other: ["科目编码"], kind: .code, doc: "Code (null on the 合计 line).")))
        v.visit(
            &name,
            FieldSchema(
                "name", "科目名称", fdp: "functional-classification:generic:level3:label", "Name as printed.",
                query: .column(nil, "名称", other: ["科目名称"])))
        v.visit(
            &fund,
            FieldSchema(
                "fund", "资金性质", allowed: DatasetSchema.funds, "The fund the spending is paid from.",
                query: .column(doc: "Fund.")))
        v.visit(
            &total,
            FieldSchema(
                "total", "合计", unit: "万元", fdp: "value", "合计.",
                query: .column("amount", "金额", other: ["合计", "total"])))
        v.visit(&basic, FieldSchema("basic", "基本支出", unit: "万元", "基本支出小计.", query: .column(doc: "基本支出.")))
        v.visit(
            &personnel,
            FieldSchema("personnel", "人员经费", unit: "万元", "基本支出: 人员经费.", query: .column(doc: "人员经费.")))
        v.visit(
            &publicCost,
            FieldSchema("public", "公用经费", unit: "万元", "基本支出: 公用经费.", query: .column(doc: "公用经费.")))
        v.visit(&project, FieldSchema("project", "项目支出", unit: "万元", "项目支出."))
        v.visit(
            &table,
            FieldSchema(
                "table", "所在表", "The published table the line was read from.",
                query: .column(nil, "表", other: ["所在表"], doc: "The published table the line was read from.")))
        v.visit(&origin, .origin)
        v.visit(
            &provenance,
            FieldSchema("provenance", "出处", "Where the row was read: file, page and line. Empty if typed by hand."))
    }
}
