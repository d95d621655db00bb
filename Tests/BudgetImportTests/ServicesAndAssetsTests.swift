// ServicesAndAssetsTests: the 政府购买服务 and 国有资产 tables read by what their headers say —
// unit and project rows over service items, the 指导性目录's levels, fund-split columns beside the
// amount, figures in 元 converted exactly, a printed empty table — and the vehicles and equipment
// the 情况说明 counts when no asset table is printed.

import BudgetModel
import Foundation
import Testing

@testable import BudgetImport

@Suite("政府购买服务 and 国有资产")
struct ServicesAndAssetsTests {
    /// Lines of filler cells, so the text reads as a converted table document.
    static let filler = String(repeating: "备用\t\t\n", count: 20)

    /// Filler pages, then a 项目支出表 of one project (医保基金监管经费, 12.50 万元).
    static let oneProject =
        filler + """
            项目支出预算表
            单位：万元
            单位名称\t项目名称\t金额
            合计\t\t12.50
            某某局本级\t医保基金监管经费\t12.50
            """

    /// A small budget in converted text: a 项目支出表 in 元, a 政府购买服务预算表 in 元 with a
    /// merged 指导性目录 header over three levels and a fund split, and an asset table in 万元
    /// with categories carried down, a 计量单位 column and a 备注.
    static let text =
        filler + """
            项目支出预算表
            单位：元
            单位名称\t项目名称\t金额
            合计\t\t1,234,567.00
            某某局本级\t信息系统运维经费\t1,234,567.00
            政府购买服务预算表
            单位：元
            单位名称\t项目名称\t政府购买服务指导性目录\t金额
            \t\t一级目录\t二级目录\t三级目录\t合计\t一般公共预算\t政府性基金预算
            合计\t\t\t\t\t1,034,567.00\t1,034,567.00\t0
            某某局本级\t\t\t\t\t1,034,567.00\t1,034,567.00\t0
            \t信息系统运维经费\t政府履职辅助性服务\t信息化服务\t信息系统运行维护服务\t1,000,000.00\t1,000,000.00\t0
            \t信息系统运维经费\t政府履职辅助性服务\t后勤服务\t物业管理服务\t34,567.00\t34,567.00\t
            国有资产占有使用情况表
            单位：万元
            资产类别\t资产名称\t计量单位\t数量\t价值\t备注
            合计\t\t\t\t152.3456\t
            车辆\t一般公务用车\t辆\t3\t45.60\t
            \t执法执勤用车\t辆\t1\t20.00\t
            设备\t单价50万元以上通用设备\t台（套）\t1\t86.7456\t含软件
            """

    static func importText(_ text: String) throws -> ImportResult {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bql-services-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try BudgetImporter.read(url)
    }

    @Test("Service items under their unit and project; the 目录's first level as category, its last as item; 元 exactly")
    func services() throws {
        let result = try Self.importText(Self.text)
        let rows = result.budget.purchaseServices.map {
            [$0.unit ?? "", $0.project ?? "", $0.item, $0.category ?? "", $0.amount?.description ?? ""]
                .joined(separator: "|")
        }
        #expect(
            rows == [
                "某某局本级|信息系统运维经费|信息系统运行维护服务|政府履职辅助性服务|100.000000",
                "某某局本级|信息系统运维经费|物业管理服务|政府履职辅助性服务|3.456700",
            ])
        let totals = result.budget.totals.filter { $0.key.contains("purchase_services") }.map {
            "\($0.key)|\($0.label)|\($0.amount?.description ?? "")"
        }
        #expect(
            totals == [
                "purchase_services.total|合计|103.456700", "other.purchase_services_unit|某某局本级|103.456700",
            ])
        #expect(result.budget.purchaseServices.allSatisfy { ($0.provenance ?? "").contains("line") })
        #expect(result.contradictions.isEmpty, "\(result.contradictions)")
        let coverage = try #require(result.tables.first { $0.kind == .purchaseServices })
        #expect(coverage.status == "stored")
        // 合计, the unit's row and two items are placed; the fund split beside them is not.
        #expect(coverage.placed == 4)
        #expect(coverage.unplaced.keys.contains { $0.contains("一般公共预算") })
    }

    @Test("Asset rows with their category carried down, count, value and note; the 合计 into totals")
    func assets() throws {
        let result = try Self.importText(Self.text)
        let rows = result.budget.assets.map {
            [$0.category, $0.item, $0.quantity?.description ?? "", $0.amount?.description ?? "", $0.note ?? ""]
                .joined(separator: "|")
        }
        #expect(
            rows == [
                "车辆|一般公务用车|3|45.60|计量单位 辆",
                "车辆|执法执勤用车|1|20.00|计量单位 辆",
                "设备|单价50万元以上通用设备|1|86.7456|含软件；计量单位 台（套）",
            ])
        let total = try #require(result.budget.totals.first { $0.key == "assets.total" })
        #expect(total.amount == ExactDecimal("152.3456") && total.label == "合计")
        let coverage = try #require(result.tables.first { $0.kind == .assets })
        #expect(coverage.status == "stored" && coverage.placed == 7 && coverage.unplaced.isEmpty)
    }

    @Test(
        "A table printed empty gives no rows and a note, not an error",
        arguments: [
            "政府购买服务预算表\n单位：万元\n单位名称\t项目名称\t服务内容\t金额\n合计\t\t\t0.00\n本部门无政府购买服务预算\t\t\t\n",
            "政府购买服务预算表\n单位：万元\n单位名称\t项目名称\t服务内容\t金额\n合计\t\t\t\n注：此表无数据。\n",
        ])
    func empty(_ table: String) throws {
        let text =
            Self.oneProject + "\n" + table
        let result = try Self.importText(text)
        #expect(result.budget.purchaseServices.isEmpty)
        let total = try #require(result.budget.totals.first { $0.key == "purchase_services.total" })
        #expect(total.amount == nil || total.amount == .zero)
        let note = try #require(result.notes.first { $0.kind == .emptyTable })
        #expect(note.text.contains("政府购买服务预算表") && note.text.contains("无"))
    }

    @Test("Without an asset table, the vehicles and equipment the 情况说明 counts, each with its line")
    func narrativeAssets() throws {
        let text =
            """
            （四）国有资产占有使用情况
            截至2024年12月底，本部门共有车辆2辆，其中：一般公务用车1辆、执法执勤用车1辆，其他用车主要是0车0辆；单位价值50万元以上通用设备0台（套）。
            2025年部门预算安排购置车辆1辆，金额18.5万元。
            （五）项目支出情况

            """ + Self.oneProject
        let result = try Self.importText(text)
        let rows = result.budget.assets.map {
            [$0.category, $0.item, $0.quantity?.description ?? "", $0.amount?.description ?? ""].joined(separator: "|")
        }
        #expect(
            rows == [
                "车辆|共有车辆|2|", "车辆|一般公务用车|1|", "车辆|执法执勤用车|1|", "设备|单位价值50万元以上通用设备|0|",
                "车辆购置预算|2025年部门预算安排购置车辆|1|18.5",
            ])
        #expect(result.budget.assets.allSatisfy { ($0.provenance ?? "").contains("line") })
    }

    @Test(
        "Projects described only in prose: the total stated, quarterly plans as 当期, a listed project's plans attached")
    func proseProjects() throws {
        let text =
            """
            项目经费情况说明
            （一）医保信息化建设项目
            一、项目概况
            建设医保信息平台。
            二、年度预算安排
            2025年度项目总预算632.20万元，第一季度用款计划158.05万元，第二季度用款计划158.05万元，第三季度用款计划158.05万元，第四季度用款计划158.05万元。
            （二）医保基金监管经费
            一、年度预算安排
            预算12.50万元，截至6月底累计支出6.00万元，12月底累计支出12.50万元。
            七、项目经费情况说明
            收入预算37,151.47万元。

            """ + Self.oneProject
        let result = try Self.importText(text)
        let projects = result.budget.projects.map { "\($0.id)|\($0.name)|\($0.amount)|\($0.spendingType)" }
        #expect(projects == ["P01|医保基金监管经费|12.50|项目支出", "P02|医保信息化建设项目|632.20|项目支出"])
        let plans = result.budget.plans.map {
            "\($0.project)|\($0.seq)|\($0.period)|\($0.kind)|\($0.amount?.description ?? "")"
        }
        #expect(
            plans == [
                "P02|1|第一季度|当期|158.05", "P02|2|第二季度|当期|158.05", "P02|3|第三季度|当期|158.05",
                "P02|4|第四季度|当期|158.05", "P01|1|6月底|累计|6.00", "P01|2|12月底|累计|12.50",
            ])
        #expect(result.budget.totals.contains { $0.key == "projects.described" && $0.label == "医保信息化建设项目" })
        // The described project is not part of the 项目支出表's listing: no Σ 项目 finding.
        #expect(result.contradictions.isEmpty, "\(result.contradictions)")
        #expect(result.budget.plans.allSatisfy { ($0.provenance ?? "").contains("line") })
    }

    @Test("The narrative's 政府购买服务 total is keyed; 「部门收支预算…比上年减少」 compares the total, as the transcription has it")
    func narrativeKeys() throws {
        let result = try BudgetImporter.read(Fixtures.seeds.appendingPathComponent("000_10a4e265821f90f7.txt"))
        let n = result.budget.narrative
        #expect(n.filter { $0.key == "purchase_services.total" }.map(\.amount) == [.zero, .zero])
        #expect(n.first { $0.key == "change.total" }?.amount == ExactDecimal("-90.67"))
        #expect(!n.contains { $0.key == "change.operating_cost" })
    }
}
