// Department: the `department` table — the one row saying whose budget a dataset is — declared
// once: its stored properties and, in `visitFields`, each field's CSV name, title and description.

/// A budget's department (or, for a 单位预算, its unit).
public struct Department: Sendable, Hashable {
    /// Dataset id (the folder name), e.g. `anshan-2025`.
    public var id = ""
    /// Department code where published.
    public var code: String?
    /// Full published name.
    public var name = ""
    /// The body's identity across years, as given in `department.csv` (`nil`: derived from the
    /// name, see ``bodyKey``).
    public var body: String?
    /// Province.
    public var province = ""
    /// City.
    public var city: String?
    /// County or district.
    public var county: String?
    /// Budget year.
    public var year = 0
    /// `部门预算` or `单位预算`.
    public var kind = ""
    /// Title of the published document.
    public var source = ""
    /// Department-wide 年度绩效目标.
    public var goal: String?

    /// Creates a blank department, to be filled field by field.
    public init() {}

    /// Creates a department.
    public init(
        id: String, code: String?, name: String, province: String, city: String?, county: String?,
        year: Int, kind: String, source: String, goal: String?, body: String? = nil
    ) {
        self.body = body
        self.id = id
        self.code = code
        self.name = name
        self.province = province
        self.city = city
        self.county = county
        self.year = year
        self.kind = kind
        self.source = source
        self.goal = goal
    }
}

extension Department: Record {
    package static let heading = TableHeading(
        name: "department", title: "部门",
        summary: "The department (or, for a 单位预算, the unit) whose budget this is. Exactly one row.")

    package mutating func visitFields<V: FieldVisitor>(_ v: inout V) {
        v.visit(
            &id,
            FieldSchema(
                "id", "标识", "The dataset id, equal to the folder name.",
                query: .column(doc: "Dataset id (folder name).")))
        v.visit(
            &code,
            FieldSchema(
                "code", "部门编码", fdp: "administrative-classification:generic:level1:code",
                "Department code where published.", query: .column(nil, "编码", kind: .code)))
        v.visit(
            &name,
            FieldSchema(
                "name", "部门名称", fdp: "administrative-classification:generic:level1:label", "Full published name.",
                query: .column(nil, "名称", other: ["部门名称"], doc: "Published name.")))
        v.visit(
            &body,
            FieldSchema(
                "body", "主体",
                "The body's identity across years: datasets with the same body are one department's budgets for different years. Empty: the name with spaces removed and full-width letters, digits and brackets folded to half-width. Set it when the printed name changes between years.",
                query: .hidden))
        v.visit(&province, FieldSchema("province", "省", "Province."))
        v.visit(&city, FieldSchema("city", "市", "City."))
        v.visit(
            &county,
            FieldSchema(
                "county", "县（区）", "County or district; empty for a city-level department.",
                query: .column(nil, "县", other: ["区"], doc: "County or district.")))
        v.visit(
            &year,
            FieldSchema(
                "year", "预算年度", fdp: "date:fiscal-year", "Budget year.",
                query: .column(nil, "年度", other: ["预算年度"])))
        v.visit(
            &kind,
            FieldSchema(
                "kind", "预算类型", allowed: ["部门预算", "单位预算"], "部门预算 or 单位预算.",
                query: .column(nil, "类型", other: ["预算类型"])))
        v.visit(
            &source,
            FieldSchema(
                "source", "来源文件", "The published document's title.",
                query: .column(nil, "来源", doc: "Published document title.")))
        v.visit(
            &goal,
            FieldSchema(
                "goal", "年度绩效目标", "The department-wide 年度绩效目标 text, if published.",
                query: .column(nil, "年度目标", doc: "Department-wide 年度绩效目标.")))
    }
}

extension Department {
    /// The body's identity across years: ``body`` when given, else ``bodyKey(of:)`` of the name.
    public var bodyKey: String {
        if let body, !body.isEmpty { return body }
        return Department.bodyKey(of: name)
    }

    /// The identity a printed name gives a body: the name without whitespace, with full-width
    /// ASCII forms (letters, digits, brackets, `（）`) folded to half-width. Two years whose
    /// printed names differ only so are one body; any other difference needs a `body` cell.
    public static func bodyKey(of name: String) -> String {
        var out = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            if s.properties.isWhitespace { continue }
            if (0xFF01...0xFF5E).contains(s.value), let h = Unicode.Scalar(s.value - 0xFEE0) {
                out.append(h)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
