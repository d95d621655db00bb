// UnitTests: the importer's small rules on their own — titles of the template's tables as
// different regions print them, printed numbers and their exact conversion, classification
// codes in one or three columns, wrapped and letter-spaced labels, merged header cells.

import BudgetModel
import Foundation
import Testing

@testable import BudgetImport

@Suite("Importer rules")
struct UnitTests {
    @Test(
        "Titles of the template's tables, as regions print them",
        arguments: [
            ("表1 收支预算总表", TableKind.summary, "收支预算总表"),
            ("2025年部门财务收支预算总表", .summary, "部门财务收支预算总表"),
            ("预算01表 2025年部门收支总体情况表", .summary, "部门收支总体情况表"),
            ("一、部门收支总表（公开表1）", .summary, "部门收支总表"),
            ("附表1-1 部门收支总表（公开01表）", .summary, "部门收支总表"),
            ("2025年部门收入预算总表", .income, "部门收入预算总表"),
            ("3. 2025年部门支出预算总表", .expenditure, "部门支出预算总表"),
            ("4．2025年部门财政拨款收支预算总表", .fiscal, "部门财政拨款收支预算总表"),
            ("一般公共预算支出表", .generalFunctional, "一般公共预算支出表"),
            ("2025年部门一般公共预算支出功能分类预算表", .generalFunctional, "部门一般公共预算支出功能分类预算表"),
            ("部门预算一般公共预算财政拨款基本支出表", .basicEconomic, "部门预算一般公共预算财政拨款基本支出表"),
            ("财政拨款支出预算表（部门经济分类科目）", .economic, "财政拨款支出预算表（部门经济分类科目）"),
            ("2025年支出经济分类汇总表", .economic, "支出经济分类汇总表"),
            ("财政拨款预算“三公”经费支出表", .threePublic, "财政拨款预算“三公”经费支出表"),
            ("9.部门“三公”经费和机关运行经费预算表", .threePublic, "部门“三公”经费和机关运行经费预算表"),
            ("政府性基金预算支出表", .governmentFund, "政府性基金预算支出表"),
            ("2025年部门国有资本经营预算支出功能分类预算表", .stateCapital, "部门国有资本经营预算支出功能分类预算表"),
            ("八、一般公共预算项目支出预算表（公开表 3-2）", .projects, "一般公共预算项目支出预算表"),
            ("14 部门政府采购预算", .procurement, "部门政府采购预算"),
            ("部门（单位）整体绩效目标表", .performance, "部门（单位）整体绩效目标表"),
        ])
    func titles(_ title: String, _ kind: TableKind, _ name: String) {
        #expect(TableKind.classify(TableTitle.name(title)) == kind)
        #expect(TableTitle.name(title) == name)
    }

    @Test("Not table titles: a 决算 table, a contents line, a sentence naming a table")
    func notTitles() {
        #expect(TableKind.classify(TableTitle.name("2024年收入支出决算总表")) == nil)
        let contents = Line(
            page: 2, number: 5, words: [Word(text: "1. 2025年部门收支总表 ……………… 3", page: 2, x0: 0, x1: 1, y0: 0, y1: 1)])
        #expect(TableLocator.titleKind(contents) == nil)
        let sentence = Line(
            page: 2, number: 6, words: [Word(text: "详见部门收支总表。", page: 2, x0: 0, x1: 1, y0: 0, y1: 1)])
        #expect(TableLocator.titleKind(sentence) == nil)
    }

    @Test("Printed numbers, read exactly and converted from 元 by moving the point")
    func figures() {
        #expect(Figures.figure("9,389,913.00", unit: .yuan)?.value.description == "938.991300")
        #expect(Figures.figure("94,995,790", unit: .yuan)?.value == ExactDecimal("9499.579"))
        #expect(Figures.figure("87267272.44", unit: .yuan)?.value == ExactDecimal("8726.727244"))
        #expect(Figures.figure("1,234.5", unit: .thousandYuan)?.value == ExactDecimal("123.45"))
        #expect(Figures.figure("2,220.40", unit: .wanYuan)?.value.description == "2220.40")
        #expect(Figures.figure("-", unit: .wanYuan)?.value == .zero)
        #expect(Figures.figure("-", unit: .wanYuan)?.isDash == true)
        #expect(Figures.figure("0.00", unit: .yuan)?.value == .zero)
        for bad in ["1,23", "12,34.5", "2.", "3.", ",5", "—5", "1.2.3", "2024年", "A05040101"] {
            #expect(Figures.number(bad) == nil, "\(bad)")
        }
        #expect(PublishedUnit.named(in: "预算单位：上海市普陀区商务委员会 单位：元") == .yuan)
        #expect(PublishedUnit.named(in: "金额单位：万元") == .wanYuan)
        #expect(PublishedUnit.named(in: "编制部门：某某局") == nil)
    }

    func column(_ leaf: String) -> Column { Column(pieces: [leaf], context: [], x0: 0, x1: 1, center: 0.5) }

    @Test("Classification codes in one column or three, padded when printed without the leading zero")
    func codes() {
        let lei = column("类")
        let kuan = column("款")
        let xiang = column("项")
        #expect(RowReading.assemble([("208", lei), ("05", kuan), ("01", xiang)], previous: nil) == "2080501")
        #expect(RowReading.assemble([("301", lei), ("2", kuan)], previous: nil) == "30102")
        #expect(RowReading.assemble([("2080501", column("科目编码"))], previous: nil) == "2080501")
        // A 款 printed without its 类 (a merged cell) takes it from the row above.
        #expect(RowReading.assemble([("05", kuan)], previous: "20801") == "20805")
        #expect(RowReading.assemble([("01", xiang)], previous: "20805") == "2080501")
        #expect(RowReading.assemble([("301", lei), ("01", kuan), ("320001", column("单位代码"))], previous: nil) == nil)
        #expect(RowReading.splitLeadingCode("2080501 行政单位离退休")?.code == "2080501")
        #expect(RowReading.splitLeadingCode("2025年预算") == nil)
    }

    @Test("Wrapped cells are unwrapped, letter-spaced labels kept as printed")
    func wrapping() {
        #expect(TextNormal.unwrapped("鞍山市医疗保 障局本级") == "鞍山市医疗保障局本级")
        #expect(TextNormal.unwrapped("物业费、水电费 (保运转)") == "物业费、水电费(保运转)")
        #expect(TextNormal.unwrapped("收 入 总 计") == "收 入 总 计")
        #expect(TextNormal.unwrapped("医疗救助资金 2025") == "医疗救助资金 2025")
    }

    @Test("A word processor's merged header cells get their width back from the row below")
    func spans() {
        // 序号 | 功能分类科目 (over 科目编码 · 科目名称) | 合计 | 基本支出 | 项目支出 …: 8 cells, 9 columns.
        #expect(TableLocator.spans(cells: 8, width: 9, filled: [1, 2]) == [1, 2, 1, 1, 1, 1, 1, 1])
        // 序号 | 收入 (项目 · 预算数) | 支出 (项目 · 预算数).
        #expect(TableLocator.spans(cells: 3, width: 5, filled: [1, 2, 3, 4]) == [1, 2, 2])
        #expect(TableLocator.spans(cells: 3, width: 5, filled: []) == nil)
    }

    @Test("Columns from coordinates: a figure to the last header centre left of its right edge")
    func columnsFromCoordinates() {
        func w(_ t: String, _ x0: Double, _ x1: Double, _ y: Double) -> Word {
            Word(text: t, page: 1, x0: x0, x1: x1, y0: y, y1: y + 12)
        }
        // The “三公” table of the samples: 「“三公”经费预算数」 heads 合计 … 运行费, 「公务用车购置及运行费」
        // heads 小计 · 购置费 · 运行费, 「机关运行经费预算」「数」 is one label wrapped.
        let header = [
            w("“三公”经费预算数", 316.1, 424.1, 153.0), w("机关运行经费预算", 676.6, 772.6, 179.0), w("数", 718.6, 730.6, 193.5),
            w("公务用车购置及运行费", 461.9, 581.9, 186.2), w("合计", 104.9, 128.9, 202.7),
            w("因公出国(境)费", 176.2, 260.2, 202.7), w("公务接待费", 289.5, 349.5, 202.7), w("小计", 408.8, 432.8, 219.3),
            w("购置费", 504.1, 540.1, 219.3), w("运行费", 605.3, 641.3, 219.3),
        ]
        let columns = ColumnLayout.columns(header: header, cells: false)
        let meanings = ColumnMeaning.threePublic(columns)
        let figures = [
            ("37.91", 136.0, 166.0, "total"), ("0", 261.3, 267.3, "abroad"), ("1.35", 344.6, 368.6, "reception"),
            ("36.56", 439.9, 469.9, "vehicle"), ("15", 559.1, 571.1, "vehicle_purchase"),
            ("21.56", 642.4, 672.4, "vehicle_operation"),
        ]
        for (text, x0, x1, field) in figures {
            let c = ColumnLayout.columnForFigure(w(text, x0, x1, 270.5), in: columns, cells: false)
            #expect(c.map { meanings[$0] } == .threePublic(field), "\(text)")
        }
        let operating = ColumnLayout.columnForFigure(w("464.64", 737.7, 773.7, 270.5), in: columns, cells: false)
        #expect(operating.map { meanings[$0] } == .operatingCost)
    }

    @Test("A name wrapped above and below its row's figures belongs to that row; a blank row stays a row")
    func wrappedNames() {
        func w(_ t: String, _ x0: Double, _ x1: Double, _ y: Double) -> Word {
            Word(text: t, page: 1, x0: x0, x1: x1, y0: y, y1: y + 10)
        }
        let header = [w("科目编码", 60, 100, 40), w("科目名称", 150, 190, 40), w("合计", 300, 320, 40), w("基本支出", 380, 420, 40)]
        let columns = ColumnLayout.columns(header: header, cells: false)
        let lines = [
            Line(
                page: 1, number: 1,
                words: [w("208", 60, 78, 70), w("社会保障和就业支出", 110, 200, 70), w("100.00", 290, 325, 70)]),
            Line(page: 1, number: 2, words: [w("机关事业单位基本养老保险", 110, 230, 93)]),
            Line(
                page: 1, number: 3,
                words: [w("2080505", 60, 95, 100), w("60.00", 295, 325, 100), w("60.00", 395, 425, 100)]),
            Line(page: 1, number: 4, words: [w("缴费支出", 110, 150, 107)]),
            Line(page: 1, number: 5, words: [w("其他社会保障和就业支出", 110, 220, 130)]),
            Line(page: 1, number: 6, words: [w("2089999", 60, 95, 160), w("40.00", 295, 325, 160)]),
        ]
        let rows = TableLocator.rows(lines.map { ($0, columns) }, cells: false, plain: false)
        #expect(rows.count == 4)
        let (code, name) = RowReading.codeAndName(rows[1], previous: "208")
        #expect(code == "2080505" && name == "机关事业单位基本养老保险缴费支出")
        // 30 points from the rows around it (their spacing): a row with no figure of its own.
        #expect(RowReading.codeAndName(rows[2], previous: nil).name == "其他社会保障和就业支出")
        #expect(rows[2].cells.values.flatMap { $0 }.allSatisfy { !Figures.isFigure($0.text) })
    }
}

@Suite("绩效目标表 reading")
struct PerformanceTableTests {
    /// A small budget in converted text: a 项目支出表 and one project's 绩效目标表 with merged
    /// 一级/二级 cells, a name wrapped in its cell, a value printed with its %, a qualitative value
    /// and a row shifted one cell left.
    static let text = """
        项目支出预算表
        单位：万元
        单位名称\t项目名称\t金额
        合计\t\t12.50
        某某局本级\t医保基金监管经费\t12.50
        部门预算项目（政策）绩效目标表
        单位：万元
        项目(政策)名称\t医保基金监 管经费\t\t\t\t\t\t
        主管部门\t某某局\t\t\t实施单位\t某某局本级\t\t
        预算资金情况\t12.50\t\t\t\t\t\t
        总体目标\t保障基金安全\t\t\t\t\t\t
        绩效指标\t一级指标\t二级指标\t三级指标\t运算符号\t指标值\t度量单位\t完成时限
        \t产出指标\t数量指标\t检查次数\t>=\t12\t次\t2025-12
        \t\t\t覆盖率\t=\t100\t%\t2025-12
        \t\t质量指标\t合格率\t≥\t95%\t\t2025-12
        \t效益指标\t社会效益指标\t基金安全\t\t有效保障\t\t2025-12
        满意度指标\t服务对象满意度\t参保人满意度\t>=\t90\t%\t2025-12
        """ + String(repeating: "\n备用\t\t", count: 12)

    @Test("Merged cells filled down, a wrapped name matched, values and operators normalised, a shifted row realigned")
    func projectTable() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bql-perf-\(UUID().uuidString).txt")
        try Data(Self.text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try BudgetImporter.read(url)
        let project = try #require(result.budget.projects.first)
        #expect(project.name == "医保基金监管经费")
        #expect(project.goal == "保障基金安全")
        #expect(project.goalAmount == ExactDecimal("12.50"))
        let rows = result.budget.indicators.map {
            [
                $0.project ?? "", $0.level1, $0.level2 ?? "", $0.level3, $0.op, $0.value?.description ?? "",
                $0.text ?? "", $0.measure ?? "", $0.deadline ?? "",
            ].joined(separator: "|")
        }
        #expect(
            rows == [
                "P01|产出指标|数量指标|检查次数|≥|12|12|次|2025-12",
                "P01|产出指标|数量指标|覆盖率|=|100|100|%|2025-12",
                "P01|产出指标|质量指标|合格率|≥|95|95%||2025-12",
                "P01|效益指标|社会效益指标|基金安全|定性||有效保障||2025-12",
                "P01|满意度指标|服务对象满意度|参保人满意度|≥|90|90|%|2025-12",
            ])
        let coverage = try #require(result.tables.first { $0.kind == .performance })
        #expect(coverage.rows == 5 && coverage.placed == 6 && coverage.status == "stored")
    }

    @Test("指标值 with its operator and unit in one cell (no 度量单位 column); dates; names with codes")
    func cellRules() {
        #expect(PerformanceReader.leadingOperator("≥38家")?.op == "≥")
        #expect(PerformanceReader.leadingNumber("38家")?.1 == "家")
        #expect(PerformanceReader.operatorSymbol(">=") == "≥" && PerformanceReader.operatorSymbol("＜") == "<")
        #expect(PerformanceReader.isDeadline("2025年12月") && PerformanceReader.isDeadline("2026-12"))
        #expect(!PerformanceReader.isDeadline("12月底前"))
        #expect(PerformanceReader.splitCode("073001鞍山市医疗保障局本级-210300000") == ("073001", "鞍山市医疗保障局本级"))
        #expect(
            PerformanceReader.splitCode("51110222T0000002709 13-离休人员医疗费用") == ("51110222T000000270913", "离休人员医疗费用"))
        #expect(DraftBuilder.category(code: "51110221R000000073179") == "人员类")
    }
}
