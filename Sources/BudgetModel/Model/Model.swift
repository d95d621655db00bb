// Model: the budget model — one `Budget` per published department budget, holding every table
// exactly as published. Amounts are `ExactDecimal` 万元; `nil` means the cell was blank.

/// A budget's department (or, for a 单位预算, its unit).
public struct Department: Sendable, Hashable {
    /// Dataset id (the folder name), e.g. `anshan-2025`.
    public var id: String
    /// Department code where published.
    public var code: String?
    /// Full published name.
    public var name: String
    /// Province.
    public var province: String
    /// City.
    public var city: String?
    /// County or district.
    public var county: String?
    /// Budget year.
    public var year: Int
    /// `部门预算` or `单位预算`.
    public var kind: String
    /// Title of the published document.
    public var source: String
    /// Department-wide 年度绩效目标.
    public var goal: String?

    /// Creates a department.
    public init(
        id: String, code: String?, name: String, province: String, city: String?, county: String?,
        year: Int, kind: String, source: String, goal: String?
    ) {
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

/// A 预算单位.
public struct BudgetUnit: Sendable, Hashable {
    /// Unit code where published.
    public var code: String?
    /// Published name; the key other tables use.
    public var name: String
    /// The unit's 年度绩效目标.
    public var goal: String?
    /// Creates a unit.
    public init(code: String?, name: String, goal: String?) {
        self.code = code
        self.name = name
        self.goal = goal
    }
}

/// A 年度主要任务 row of a 整体绩效目标表.
public struct PerformanceTask: Sendable, Hashable {
    /// Unit whose table it is; `nil` for the department-wide table.
    public var unit: String?
    /// Task name.
    public var name: String
    /// 预算资金.
    public var amount: ExactDecimal?
    /// Description.
    public var text: String?
}

/// Income from one source.
public struct IncomeLine: Sendable, Hashable {
    /// The source, one of ``DatasetSchema/incomeSources``.
    public var source: String
    /// The amount, `nil` if printed blank.
    public var amount: ExactDecimal?
}

/// A published total line with no home in another table.
public struct PublishedTotal: Sendable, Hashable {
    /// What it totals, e.g. `income.total`.
    public var key: String
    /// Row label as printed.
    public var label: String
    /// The table it comes from.
    public var table: String
    /// The figure.
    public var amount: ExactDecimal?
}

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
    public var name: String
    /// The fund.
    public var fund: String
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
    /// The line's level, from its code.
    public var level: ClassificationLevel { ClassificationLevel(code: code) ?? .item }
}

/// A line of an economic classification (支出经济分类) table.
public struct EconomicLine: Sendable, Hashable {
    /// Published table name.
    public var table: String
    /// `部门` or `政府`.
    public var scheme: String
    /// 3-digit 类 or 5-digit 款; `nil` on the 合计 line.
    public var code: String?
    /// Name as printed.
    public var name: String
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
}

/// A project of 项目支出, or a performance item paid from 基本支出.
public struct Project: Sendable, Hashable {
    /// Dataset-local id, e.g. `P01`.
    public var id: String
    /// Implementing unit name, where the document says.
    public var unit: String?
    /// 项目编码.
    public var code: String?
    /// Name.
    public var name: String
    /// 人员类, 运转类, 其他运转类 or 特定目标类.
    public var category: String?
    /// `项目支出` or `基本支出`.
    public var spendingType: String
    /// 项目内容.
    public var content: String?
    /// Amount (万元).
    public var amount: ExactDecimal
    /// Funding source.
    public var fund: String?
    /// 7-digit functional 项 code.
    public var functionCode: String?
    /// 总体目标 / 年度目标.
    public var goal: String?
    /// 预算资金 printed in the 绩效目标表.
    public var goalAmount: ExactDecimal?
    /// Quarterly spending plan (万元), Q1…Q4.
    public var plan: [ExactDecimal?]
    /// Whether this is a project of 项目支出 (not a 基本支出 item).
    public var isProjectSpending: Bool { spendingType == "项目支出" }
}

/// A 绩效指标.
public struct Indicator: Sendable, Hashable {
    /// Sequence number in document order.
    public var id: Int
    /// Project id; `nil` for 整体绩效 indicators.
    public var project: String?
    /// For 整体绩效 indicators, the unit whose table it is.
    public var unit: String?
    /// 一级指标.
    public var level1: String
    /// 二级指标.
    public var level2: String?
    /// 三级指标.
    public var level3: String
    /// `=`, `≥`, `≤`, `>`, `<` or `定性`.
    public var op: String
    /// The numeric value, if any.
    public var value: ExactDecimal?
    /// The value exactly as published.
    public var text: String?
    /// 度量单位.
    public var measure: String?
    /// 完成时限.
    public var deadline: String?
    /// 权重.
    public var weight: ExactDecimal?
    /// 正向 / 反向.
    public var direction: String?
    /// 指标性质.
    public var nature: String?
    /// 指标值确定依据.
    public var basis: String?
    /// 绩效指标描述.
    public var description: String?
}

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
}

/// A 政府采购 item.
public struct ProcurementItem: Sendable, Hashable {
    /// Unit.
    public var unit: String?
    /// Source project.
    public var project: String?
    /// Source project's budget.
    public var projectAmount: ExactDecimal?
    /// Item.
    public var item: String
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
}

/// A 政府购买服务 row.
public struct PurchasedService: Sendable, Hashable {
    /// Unit.
    public var unit: String?
    /// Project.
    public var project: String?
    /// Service.
    public var item: String
    /// Category.
    public var category: String?
    /// Amount (万元).
    public var amount: ExactDecimal?
}

/// A 国有资产 row.
public struct Asset: Sendable, Hashable {
    /// e.g. 车辆.
    public var category: String
    /// e.g. 一般公务用车.
    public var item: String
    /// Count.
    public var quantity: ExactDecimal?
    /// Value (万元).
    public var amount: ExactDecimal?
    /// Note.
    public var note: String?
}

/// A figure stated in the narrative (情况说明).
public struct NarrativeFigure: Sendable, Hashable {
    /// What the figure is, e.g. `expense.basic`, `class.210`.
    public var key: String
    /// The term as printed.
    public var label: String
    /// The figure as printed.
    public var amount: ExactDecimal
    /// 万元, 个, …
    public var measure: String?
    /// Narrative heading.
    public var section: String?
    /// The clause, verbatim.
    public var quote: String?
}

/// One published department budget, every table as published.
public struct Budget: Sendable {
    /// The department.
    public var department: Department
    /// Its units.
    public var units: [BudgetUnit]
    /// 年度主要任务.
    public var tasks: [PerformanceTask]
    /// Income by source.
    public var income: [IncomeLine]
    /// Published totals with no other home.
    public var totals: [PublishedTotal]
    /// Functional classification lines (合计, 类, 款 and 项 lines).
    public var spending: [SpendingLine]
    /// Economic classification lines.
    public var economic: [EconomicLine]
    /// Projects and 基本支出 items.
    public var projects: [Project]
    /// 绩效指标.
    public var indicators: [Indicator]
    /// 三公经费.
    public var threePublic: [ThreePublic]
    /// 政府采购.
    public var procurement: [ProcurementItem]
    /// 政府购买服务.
    public var purchaseServices: [PurchasedService]
    /// 国有资产.
    public var assets: [Asset]
    /// Narrative figures.
    public var narrative: [NarrativeFigure]

    /// Creates an empty budget for `department`.
    public init(department: Department) {
        self.department = department
        units = []
        tasks = []
        income = []
        totals = []
        spending = []
        economic = []
        projects = []
        indicators = []
        threePublic = []
        procurement = []
        purchaseServices = []
        assets = []
        narrative = []
    }

    /// The projects of 项目支出 (excluding 基本支出 items).
    public var projectSpending: [Project] { projects.filter(\.isProjectSpending) }
}
