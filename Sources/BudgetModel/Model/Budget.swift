// Budget: one published department budget — the department row and every table as published
// (each row type, with its field declarations, is in Tables/). Amounts are `ExactDecimal` 万元;
// `nil` means the cell was blank. `visitTables` is the one list of a budget's tables, which the
// schema, the loader and the load cache all walk.

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
    /// Spending plans, one row per project and period.
    public var plans: [SpendingPlan]
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
        plans = []
        indicators = []
        threePublic = []
        procurement = []
        purchaseServices = []
        assets = []
        narrative = []
    }

    /// The projects of 项目支出 (excluding 基本支出 items).
    public var projectSpending: [Project] { projects.filter(\.isProjectSpending) }

    /// Calls `visitor` once per table, in load order: `department` (a single row), then every
    /// table of rows. This is the one list of the model's tables.
    package mutating func visitTables<V: TableVisitor>(_ visitor: inout V) {
        visitor.visit(single: &department)
        visitor.visit(rows: &units)
        visitor.visit(rows: &tasks)
        visitor.visit(rows: &income)
        visitor.visit(rows: &totals)
        visitor.visit(rows: &spending)
        visitor.visit(rows: &economic)
        visitor.visit(rows: &projects)
        visitor.visit(rows: &plans)
        visitor.visit(rows: &indicators)
        visitor.visit(rows: &threePublic)
        visitor.visit(rows: &procurement)
        visitor.visit(rows: &purchaseServices)
        visitor.visit(rows: &assets)
        visitor.visit(rows: &narrative)
    }
}
