// PlainTextTests: a converted text without cell positions, written here for the purpose (a
// 教育局 in 元, 类 · 款 · 项 rows, codes in three columns, a name wrapped onto its own line), so
// that reading such a text is tested on a layout other than 义马's seed: rows rebuilt from
// their lines, figures placed by the table's arithmetic, open rows decided by the columns' sums
// and by their children, and a row that adds up no way left unplaced rather than guessed.

import BudgetImport
import BudgetModel
import Foundation
import Testing

@Suite("A converted text without cell positions")
struct PlainTextTests {
    static let text = """
        某某区教育局2025年部门预算

        部门收支总表
        单位：元
        收入 支出
        项目 预算数 项目 预算数
        一、一般公共预算拨款收入 1,250,000.00 一、教育支出 1,250,000.00
        二、政府性基金预算拨款收入 二、社会保障和就业支出
        收入总计 1,250,000.00 支出总计 1,250,000.00

        部门支出总表
        单位：元
        科目编码 科目名称 合计
        基本支出 项目支出
        合计 1,250,000.00 1,000,000.00 250,000.00
        205 教育支出 1,250,000.00 1,000,000.00 250,000.00
        205 01
        教育管理事务
        600,000.00 600,000.00
        205 01 01 行政运行 600,000.00 600,000.00
        205 02 普通教育 650,000.00 400,000.00 250,000.00
        205 02 02
        小学教育
        400,000.00 400,000.00
        205 02 03 初中教育 250,000.00 250,000.00
        """

    func imported(_ text: String) throws -> ImportResult {
        let dir = Fixtures.temporaryDirectory("plain")
        let url = dir.appendingPathComponent("edu.txt")
        try Data(text.utf8).write(to: url)
        return try BudgetImporter.read(url)
    }

    func line(_ s: SpendingLine) -> String {
        [
            s.code ?? "", s.name, s.total?.description ?? "", s.basic?.description ?? "", s.project?.description ?? "",
            s.origin ?? "",
        ].joined(separator: "|")
    }

    @Test(
        "Rows with one reading are placed as printed; open rows are decided by the column sums, then by their children")
    func arithmetic() throws {
        let result = try imported(Self.text)
        #expect(result.documentKind == .plain)
        let lines = result.budget.spending.map(line)
        #expect(
            lines == [
                "|合计|125.000000|100.000000|25.000000|",
                "205|教育支出|125.000000|100.000000|25.000000|",
                // 款 20501 prints two equal figures: its child 行政运行 decides (基本支出).
                "20501|教育管理事务|60.000000|60.000000||inferred",
                // The three 项 print two equal figures each: only one choice makes 基本支出 sum to
                // 1,000,000.00 and 项目支出 to 250,000.00.
                "2050101|行政运行|60.000000|60.000000||inferred",
                "20502|普通教育|65.000000|40.000000|25.000000|",
                "2050202|小学教育|40.000000|40.000000||inferred",
                "2050203|初中教育|25.000000||25.000000|inferred",
            ], "\(lines)")
        #expect(result.figuresUnplaced == 0)
        // The 收支总表's two sides, read by order: the income label owns the figure after it.
        let income = result.budget.income.filter { $0.amount != nil }.map {
            "\($0.source)|\($0.amount?.description ?? "")"
        }
        #expect(income == ["一般公共预算拨款|125.000000"])
    }

    @Test("A row that adds up no way is left unplaced, and the column sums it would spoil decide nothing")
    func noReading() throws {
        let result = try imported(Self.text + "\n205 02 99 其他普通教育支出 10.00 7.00")
        let lines = result.budget.spending.map(line)
        // 10.00 with 7.00 adds up no way (基本支出 and 项目支出 must sum to the 合计): not placed. The
        // 项 lines' columns no longer sum to the 合计 row, so the open rows stay open too; rows
        // with one reading are placed as before.
        #expect(lines.contains("2050299|其他普通教育支出||||"))
        #expect(lines.contains("20502|普通教育|65.000000|40.000000|25.000000|"))
        #expect(lines.contains("2050101|行政运行||||"))
        #expect(result.report.contains("columns not determinable in plain text"))
    }

    @Test("A table whose header names columns the reader does not know keeps its figures unplaced")
    func unknownHeader() throws {
        let text = Self.text.replacingOccurrences(of: "基本支出 项目支出", with: "上年预算数 增减")
        let result = try imported(text)
        #expect(result.budget.spending.allSatisfy { $0.total == nil && $0.basic == nil && $0.project == nil })
        #expect(result.figuresUnplaced >= 17)
        #expect(result.report.contains("columns not determinable in plain text"))
    }
}
