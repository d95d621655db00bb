// ReconciliationTests: for each department, every total its 情况说明 (narrative) states, written
// here as the literal the document prints, recomputed from the dataset's tables. Where the
// narrative disagrees with the tables, the test asserts the table figure and that `bql check`
// (Checker.check) reports the disagreement with the published narrative figure. fushun-2026
// publishes no narrative, so its table totals are asserted instead.

import BudgetModel
import Foundation
import Testing

/// A decimal literal.
private func d(_ text: String) -> ExactDecimal {
    guard let v = ExactDecimal(text) else { preconditionFailure("bad decimal literal \(text)") }
    return v
}

/// Checks one budget's narrative statements against its tables, remembering which keys it checked.
private final class Reconciliation {
    let budget: Budget
    let findings: [Finding]
    private(set) var checkedKeys: Set<String> = []

    init(_ id: String) throws {
        budget = try DatasetLoader.load(from: Paths.datasets.appendingPathComponent(id))
        findings = Checker.check(budget)
    }

    /// Whether the narrative states `figure` under `key`.
    func states(_ key: String, _ figure: String) -> Bool {
        budget.narrative.contains { $0.key == key && $0.amount == d(figure) }
    }

    /// The narrative states `figure` for `key` (every time it states `key`), and the tables give the same.
    func agrees(_ key: String, _ figure: String, sourceLocation: SourceLocation = #_sourceLocation) {
        checkedKeys.insert(key)
        let stated = budget.narrative.filter { $0.key == key }
        #expect(!stated.isEmpty, "the narrative states \(key)", sourceLocation: sourceLocation)
        #expect(
            stated.allSatisfy { $0.amount == d(figure) },
            "every \(key) statement is \(figure): \(stated.map(\.amount))",
            sourceLocation: sourceLocation)
        #expect(
            budget.fact(key) == d(figure), "tables give \(key) = \(budget.fact(key).map(\.description) ?? "nil")",
            sourceLocation: sourceLocation)
    }

    /// The narrative states `narrative` for `key` but the tables give `table`: assert the table
    /// figure, and that the check reports exactly this disagreement as `kind`.
    func disagrees(
        _ key: String, narrative: String, table: String, kind: FindingKind,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        checkedKeys.insert(key)
        #expect(states(key, narrative), "the narrative states \(key) = \(narrative)", sourceLocation: sourceLocation)
        #expect(budget.fact(key) == d(table), "tables give \(key) = \(table)", sourceLocation: sourceLocation)
        #expect(
            findings.contains {
                $0.rule == "情况说明 = 表" && $0.subject.hasPrefix(key + " ") && $0.published == d(narrative)
                    && $0.computed == d(table) && $0.kind == kind
            }, "Checker reports \(key): narrative \(narrative) vs tables \(table) as \(kind)",
            sourceLocation: sourceLocation)
    }

    /// Every narrative key the tables can recompute has been checked above.
    func coveredEveryComputableStatement(sourceLocation: SourceLocation = #_sourceLocation) {
        let computable = Set(budget.narrative.map(\.key).filter { budget.fact($0) != nil })
        #expect(
            computable.subtracting(checkedKeys).isEmpty,
            "unchecked narrative keys: \(computable.subtracting(checkedKeys).sorted())",
            sourceLocation: sourceLocation)
    }

    /// The check finds exactly these (rule, subject-prefix, published, computed, kind) findings.
    func hasFinding(
        _ rule: String, _ subjectPrefix: String, published: String, computed: String, _ kind: FindingKind,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            findings.contains {
                $0.rule == rule && $0.subject.hasPrefix(subjectPrefix) && $0.published == d(published)
                    && $0.computed == d(computed) && $0.kind == kind
            }, "Checker reports \(rule) \(subjectPrefix): \(published) vs \(computed)", sourceLocation: sourceLocation)
    }

    /// The 合计 line of the functional table.
    var totalLine: SpendingLine? { budget.spending.first { $0.code == nil } }
    /// Σ of the project amounts of 项目支出.
    var projectSum: ExactDecimal {
        budget.projectSpending.reduce(ExactDecimal.zero) { $0.adding($1.amount)! }
    }
    /// The project of 项目支出 named `name` (and of `unit`, if given).
    func project(_ name: String, unit: String? = nil) -> Project? {
        budget.projectSpending.first { $0.name == name && (unit == nil || $0.unit == unit) }
    }
    /// Σ of the economic lines with `code` in `table`.
    func economic(_ code: String, table: String) -> ExactDecimal? {
        let lines = budget.economic.filter { $0.table == table && $0.code == code }
        return lines.isEmpty ? nil : lines.reduce(ExactDecimal.zero) { $0.adding($1.total ?? .zero)! }
    }
}

@Suite struct ReconciliationTests {
    // MARK: - 鞍山市医疗保障局 2025

    @Test func anshan() throws {
        let r = try Reconciliation("anshan-2025")
        let b = r.budget
        // 收支总预算 and income by source (一、收支预算的总体说明).
        r.agrees("total", "2220.4")
        r.agrees("income.total", "2220.4")
        r.agrees("income.一般公共预算拨款", "2220.4")
        r.agrees("income.政府性基金预算拨款", "0")
        r.agrees("income.国有资本经营预算拨款", "0")
        r.agrees("income.财政专户管理资金", "0")
        r.agrees("income.上年结转", "0")
        r.agrees("expense.total", "2220.4")
        // 当年财政拨款收入 (二) = 表4 一、本年收入 (`fiscal.income`).
        r.agrees("fiscal.income", "2220.4")
        // 基本支出: 一 says 2009.29 (= tables); 三 says 一般公共预算基本支出 2220.4, the whole budget.
        #expect(r.states("expense.basic", "2009.29"))
        r.disagrees("expense.basic", narrative: "2220.4", table: "2009.29", kind: .contradiction)
        r.agrees("expense.project", "211.11")
        r.agrees("expense.personnel", "1891.23")
        // 公用经费: narrative 115.84 (= the 210 类's 公用经费 only); tables 118.06.
        r.disagrees("expense.public", narrative: "115.84", table: "118.06", kind: .contradiction)
        #expect(b.spendingLines(code: "210").first?.publicCost == d("115.84"))
        // Each 类.
        r.agrees("class.208", "242.99")
        r.agrees("class.210", "1761.18")
        r.agrees("class.221", "216.23")
        // 部门经济分类 类 (二 and 三).
        r.agrees("econ.301", "1825.31")
        r.agrees("econ.302", "164.84")
        r.agrees("econ.303", "19.14")
        // 三公经费.
        r.agrees("three_public.total", "7.3")
        r.agrees("three_public.abroad", "0")
        r.agrees("three_public.vehicle", "7.2")
        r.agrees("three_public.vehicle_purchase", "0")
        r.agrees("three_public.vehicle_operation", "7.2")
        r.agrees("three_public.reception", "0.1")
        // 机关运行经费 118.06 (stated twice) = 公用经费 of the tables.
        #expect(b.narrative.filter { $0.key == "operating_cost" }.map(\.amount) == [d("118.06"), d("118.06")])
        #expect(r.totalLine?.publicCost == d("118.06"))
        // 政府采购 0 (goods, works, services 0) and 政府购买服务 0: no such table rows.
        for key in [
            "procurement.total", "procurement.goods", "procurement.works", "procurement.services",
            "purchase_services.total",
        ] {
            #expect(r.states(key, "0"), "\(key)")
        }
        #expect(b.procurement.isEmpty && b.purchaseServices.isEmpty)
        // 项目绩效目标: 5 projects, 211.11.
        r.agrees("goals.project_count", "5")
        r.agrees("goals.project_amount", "211.11")
        // The projects: 5, each amount, unit subtotals, Σ = 项目支出.
        #expect(b.projectSpending.count == 5)
        let amounts = b.projectSpending.map { "\($0.id) \($0.name) \($0.amount)" }
        #expect(
            amounts == [
                "P01 政府采购劳务派遣工作经费 115.11",
                "P02 医保基金监管经费 3.00",
                "P03 物业管理费 10.00",
                "P04 其他医疗保障管理事务支出（经办大厅业务保障） 7.00",
                "P05 医保基金监管经费 76.00",
            ])
        #expect(r.projectSum == d("211.11"))
        #expect(b.fact("projects.count") == d("5") && b.fact("projects.amount") == d("211.11"))
        let unitSums = Dictionary(grouping: b.projectSpending, by: { $0.unit ?? "" }).mapValues {
            $0.reduce(ExactDecimal.zero) { $0.adding($1.amount)! }
        }
        #expect(unitSums == ["鞍山市医疗保障局本级": d("118.11"), "鞍山市医疗保障事务服务中心": d("93.00")])
        r.coveredEveryComputableStatement()
        // Only the two documented narrative contradictions; no rounding differences.
        #expect(r.findings.count == 2)
    }

    // MARK: - 抚顺市医疗保障事务服务中心 2026 (no narrative: the table totals)

    @Test func fushun() throws {
        let r = try Reconciliation("fushun-2026")
        let b = r.budget
        #expect(b.narrative.isEmpty)
        #expect(b.fact("total") == d("63564.63"))
        #expect(b.fact("income.total") == d("63564.63"))
        #expect(b.fact("income.一般公共预算拨款") == d("63564.63"))
        #expect(b.fact("expense.basic") == d("1313.85"))
        #expect(b.fact("expense.personnel") == d("1246.75"))
        #expect(b.fact("expense.public") == d("67.10"))
        #expect(b.fact("expense.project") == d("62250.78"))
        #expect(b.fact("class.208") == d("182.02"))
        #expect(b.fact("class.210") == d("63263.47"))
        #expect(b.fact("class.221") == d("119.14"))
        // 表6 (economic) agrees with 表3.
        #expect(b.fact("econ.301") == d("1221.01"))
        #expect(b.fact("econ.302") == d("82.22"))
        #expect(b.fact("econ.303") == d("10.62"))
        let econTotal = b.economic.first { $0.code == nil }
        #expect(
            econTotal?.total == d("1313.85") && econTotal?.personnel == d("1246.75")
                && econTotal?.publicCost == d("67.10"))
        // 三公 4.35, all 公务用车运行费 (= 表6 30231).
        #expect(b.fact("three_public.total") == d("4.35"))
        #expect(b.fact("three_public.vehicle") == d("4.35"))
        #expect(b.fact("three_public.vehicle_operation") == d("4.35"))
        #expect(b.fact("three_public.abroad") == .zero && b.fact("three_public.reception") == .zero)
        #expect(r.economic("30231", table: "一般公共预算基本支出表") == d("4.35"))
        // 13 projects summing to 62250.78.
        #expect(b.projectSpending.count == 13)
        #expect(
            b.projectSpending.map(\.amount)
                == [
                    "39.17", "91.21", "1400.00", "5500.00", "15.92", "15534.00", "26260.00",
                    "3031.00", "1614.00", "10.00", "3500.00", "5250.00", "5.48",
                ].map(d))
        #expect(r.projectSum == d("62250.78"))
        #expect(b.totals.first { $0.key == "projects.total" }?.amount == d("62250.78"))
        // Nothing to report: every sum holds exactly.
        #expect(r.findings.isEmpty)
    }

    // MARK: - 秦皇岛市海港区医疗保障局 2025

    @Test func haigang() throws {
        let r = try Reconciliation("haigang-2025")
        let b = r.budget
        // 收入说明.
        r.agrees("income.total", "1878.09")
        r.agrees("income.一般公共预算拨款", "1878.09")
        r.agrees("income.政府性基金预算拨款", "0.00")
        r.agrees("income.国有资本经营预算拨款", "0.00")
        r.agrees("income.财政专户管理资金", "0.00")
        r.agrees("income.上年结转", "0.00")
        // 支出说明 and 比上年增减情况.
        r.agrees("expense.total", "1878.09")
        r.agrees("total", "1878.09")
        r.agrees("expense.basic", "805.26")
        r.agrees("expense.personnel", "769.88")
        r.agrees("expense.public", "35.38")
        r.agrees("expense.project", "1072.83")
        // The 类 are not stated in the narrative; the tables give them.
        #expect(
            b.fact("class.208") == d("707.17") && b.fact("class.210") == d("1112.32")
                && b.fact("class.221") == d("58.60"))
        // The four projects, each stated twice with its amount.
        let stated: [(String, String, String)] = [
            ("other.project_destitute_medical_aid", "特困人员医疗救助", "1000"),
            ("other.project_medical_insurance_inspection", "医保监察检查服务专项经费", "8"),
            ("other.project_retiree_critical_illness_insurance", "改制企业退休人员大病医疗保险（RY）", "16.83"),
        ]
        for (key, name, amount) in stated {
            #expect(b.narrative.filter { $0.key == key }.map(\.amount) == [d(amount), d(amount)], "\(key)")
            #expect(r.project(name)?.amount == d(amount), "\(name)")
        }
        #expect(
            b.narrative.filter { $0.key == "other.project_central_medical_capacity_subsidy" }.map(\.amount) == [
                d("48"), d("48"),
            ])
        #expect(b.projectSpending.first { $0.name.contains("医疗服务与保障能力提升补助资金") }?.amount == d("48.00"))
        #expect(b.projectSpending.count == 4)
        #expect(r.projectSum == d("1072.83"))
        // 机关运行经费 35.38 = 公用经费 (基本支出表 302).
        #expect(b.narrative.filter { $0.key == "operating_cost" }.map(\.amount) == [d("35.38")])
        #expect(b.fact("econ.302") == d("35.38"))
        // 三公经费.
        r.agrees("three_public.total", "2.44")
        r.agrees("three_public.abroad", "0.00")
        r.agrees("three_public.vehicle", "2.25")
        r.agrees("three_public.vehicle_purchase", "0.00")
        r.agrees("three_public.vehicle_operation", "2.25")
        r.agrees("three_public.reception", "0.19")
        // 政府采购 (table only): 合计 15.05 printed, items sum to 15.06 (rounded 单价 of 复印纸).
        #expect(b.fact("procurement.total") == d("15.05"))
        #expect(b.procurement.count == 10)
        r.hasFinding("Σ 采购 = 采购合计", "合计", published: "15.05", computed: "15.06", .rounding)
        r.hasFinding("Σ 单位采购 = 单位小计", "秦皇岛市海港区医疗保障局本级", published: "6.45", computed: "6.46", .rounding)
        // 上年末固定资产 11.98 = 资产总额.
        #expect(r.states("assets.fixed_total", "11.98"))
        #expect(b.totals.first { $0.key == "assets.total" }?.amount == d("11.98"))
        r.coveredEveryComputableStatement()
        #expect(r.findings.count == 2)
    }

    // MARK: - 乐山市市中区医疗保障局 2025

    @Test func shizhong() throws {
        let r = try Reconciliation("shizhong-2025")
        let b = r.budget
        // 一、收支预算情况说明.
        r.agrees("total", "2781.2")
        r.agrees("income.total", "2781.2")
        r.agrees("income.一般公共预算拨款", "2781.2")
        r.agrees("income.政府性基金预算拨款", "0")
        r.agrees("income.事业收入", "0")
        r.agrees("income.上年结转", "0")
        r.agrees("expense.total", "2781.2")
        r.agrees("expense.basic", "424.5")
        r.agrees("expense.project", "2356.7")
        // Each 类 (stated twice): 208 is printed 56.46 in 表1/表2 and the narrative, its 项 sum to 56.47.
        r.agrees("class.208", "56.46")
        r.agrees("class.210", "2693.62")
        r.agrees("class.221", "31.12")
        let items208 = b.spending.filter { $0.code?.hasPrefix("208") ?? false }.reduce(ExactDecimal.zero) {
            $0.adding($1.total!)!
        }
        #expect(items208 == d("56.47"))
        r.hasFinding("类 = Σ 项", "208 ", published: "56.46", computed: "56.47", .rounding)
        // Each 项 (三（三）).
        let xiang: [(String, String)] = [
            ("2080505", "36.82"), ("2080506", "18.41"), ("2089999", "1.24"), ("2101101", "133.96"), ("2101102", "7.53"),
            ("2101103", "0.48"), ("2101202", "1995"), ("2101301", "188.7"), ("2101501", "153.21"), ("2101502", "10"),
            ("2101550", "171.74"), ("2101599", "33"), ("2210201", "31.12"),
        ]
        for (code, amount) in xiang { r.agrees("xiang.\(code)", amount) }
        #expect(b.spending.filter { $0.level == .item }.count == xiang.count)
        // 四、基本支出.
        r.agrees("expense.personnel", "380.02")
        r.agrees("expense.public", "44.48")
        // 三公: 1.39, all 公务接待费.
        r.agrees("three_public.total", "1.39")
        r.agrees("three_public.reception", "1.39")
        r.agrees("three_public.vehicle", "0")
        r.agrees("three_public.vehicle_purchase", "0")
        r.agrees("three_public.vehicle_operation", "0")
        // 机关运行经费 44.48 = 公用经费.
        #expect(b.narrative.filter { $0.key == "operating_cost" }.map(\.amount) == [d("44.48")])
        #expect(b.basicEconomicTotalForTests?.publicCost == d("44.48"))
        // 政府采购: the table is printed with no data.
        #expect(b.procurement.isEmpty)
        #expect(b.totals.first { $0.key == "procurement.total" }.map { $0.amount == nil } == true)
        // 绩效目标管理: 7 特定目标类 projects, 2356.7.
        r.agrees("goals.project_count", "7")
        r.agrees("goals.project_amount", "2356.7")
        #expect(b.projectSpending.count == 7)
        #expect(b.projectSpending.allSatisfy { $0.category == "特定目标类" })
        #expect(
            b.projectSpending.map(\.amount) == ["80.00", "50.00", "1995.00", "188.70", "10.00", "28.00", "5.00"].map(d))
        #expect(r.projectSum == d("2356.70"))
        #expect(r.states("other.goals_special_count", "7") && r.states("other.goals_special_amount", "2356.7"))
        // 表6 also lists 24 基本支出 items (423.25): the narrative's "人员类 0 个 / 运转类 0 个" ignores them.
        let basicItems = b.projects.filter { !$0.isProjectSpending }
        #expect(basicItems.count == 24)
        #expect(basicItems.reduce(ExactDecimal.zero) { $0.adding($1.amount)! } == d("423.25"))
        r.coveredEveryComputableStatement()
    }

    // MARK: - 义马市医疗保障局 2025

    @Test func yima() throws {
        let r = try Reconciliation("yima-2025")
        let b = r.budget
        r.agrees("total", "471.31")
        r.agrees("income.total", "471.31")
        r.agrees("income.一般公共预算拨款", "471.31")
        r.agrees("expense.total", "471.31")
        r.agrees("expense.basic", "349.31")
        r.agrees("expense.project", "122")
        r.agrees("expense.personnel", "328.85")
        r.agrees("expense.public", "20.46")
        // Each 类: 卫生健康 is 380.75 in the narrative (= Σ 项) but 380.76 in 表1/表4.
        r.agrees("class.208", "63.56")
        r.disagrees("class.210", narrative: "380.75", table: "380.76", kind: .rounding)
        let items210 = b.spending.filter { $0.code?.hasPrefix("210") ?? false }.reduce(ExactDecimal.zero) {
            $0.adding($1.total!)!
        }
        #expect(items210 == d("380.75"))
        r.hasFinding("类 = Σ 项", "210 ", published: "380.76", computed: "380.75", .rounding)
        r.agrees("class.221", "26.99")
        // 三公: 2, all 公务接待费.
        r.agrees("three_public.total", "2")
        r.agrees("three_public.abroad", "0")
        r.agrees("three_public.reception", "2")
        r.agrees("three_public.vehicle", "0")
        r.agrees("three_public.vehicle_purchase", "0")
        r.agrees("three_public.vehicle_operation", "0")
        // 机构运行经费 5.62 = 公用经费 of 2101501 行政运行.
        #expect(b.narrative.filter { $0.key == "operating_cost" }.map(\.amount) == [d("5.62")])
        #expect(b.spendingLines(code: "2101501").first?.publicCost == d("5.62"))
        // 政府采购 7.66, all goods: no procurement table; = 表7 31002 办公设备购置.
        #expect(r.states("procurement.total", "7.66") && r.states("procurement.goods", "7.66"))
        #expect(r.states("procurement.works", "0") && r.states("procurement.services", "0"))
        #expect(b.procurement.isEmpty)
        #expect(r.economic("31002", table: "支出经济分类汇总表") == d("7.66"))
        // 20 projects, 122 (其他运转类 103.37, 特定目标类 18.63).
        r.agrees("projects.count", "20")
        r.agrees("projects.amount", "122")
        #expect(r.projectSum == d("122.00"))
        let byCategory = Dictionary(grouping: b.projectSpending, by: { $0.category ?? "" })
            .mapValues { $0.reduce(ExactDecimal.zero) { $0.adding($1.amount)! } }
        #expect(byCategory == ["其他运转类": d("103.37"), "特定目标类": d("18.63")])
        #expect(b.totals.first { $0.key == "other.project_other_operating" && $0.label == "合计" }?.amount == d("103.37"))
        #expect(b.totals.first { $0.key == "other.project_specific_target" && $0.label == "合计" }?.amount == d("18.63"))
        #expect(r.states("other.evaluation_project_count", "20") && r.states("other.evaluation_amount", "122"))
        // 纳入预算绩效管理的支出总额 471.31 = 收支总预算.
        #expect(r.states("other.performance_managed_total", "471.31"))
        r.coveredEveryComputableStatement()
    }

    // MARK: - All datasets

    @Test func noUndocumentedContradictionsAndNoStaleKnownEntries() throws {
        let budgets = try DatasetLoader.loadAll(from: Paths.datasets)
        #expect(
            budgets.map(\.department.id) == [
                "anshan-2025", "fushun-2026", "haigang-2025", "shizhong-2025", "yima-2025",
            ])
        let known = try KnownContradiction.load(from: Paths.datasets)
        #expect(known.count == 7)
        let findings = Checker.check(budgets, known: known)
        let undocumented = findings.filter { $0.kind == .contradiction && $0.documentation == nil }
        #expect(undocumented.isEmpty, "undocumented: \(undocumented.map { "\($0.dataset) \($0.rule) \($0.subject)" })")
        // Every known entry still matches a contradiction the check finds (a stale entry fails here).
        for k in known {
            #expect(
                findings.contains {
                    $0.kind == .contradiction && $0.dataset == k.dataset && $0.rule == k.rule && $0.subject == k.subject
                },
                "stale known contradiction: \(k.dataset) \(k.rule) \(k.subject)")
        }
        #expect(findings.filter { $0.kind == .contradiction }.count == known.count)
        #expect(findings.filter { $0.kind == .rounding }.count == 25)
        #expect(findings.filter { $0.kind == .nameConflict }.count == 3)
    }
}

extension Budget {
    /// The 合计 line of the economic table of 基本支出.
    fileprivate var basicEconomicTotalForTests: EconomicLine? {
        economic.first { $0.code == nil && $0.table.contains("基本支出") }
    }
}
