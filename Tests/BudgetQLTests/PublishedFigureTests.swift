// PublishedFigureTests: every headline figure of the five bundled documents, each through the one
// obvious query (issue 13): 政府采购 total, 机关运行经费, 三公, 人员经费, 公用经费, 收入/支出合计 and
// 财政拨款 on `departments`, each 类 total on `spending_lines`. The literals are the figures as the
// documents print them (read from the source texts; null where a document prints none). Also:
// `economic` sums to 基本支出 without double counting, 海港's plans, inference made visible, and
// names grouped by `name_key`.

import BudgetQL
import Testing

@Suite struct PublishedFigureTests {
    /// The departments' headline figures, in dataset order, as printed ("" = not printed).
    @Test func headlineFiguresAreThePrintedOnes() throws {
        let rows = try Fixture.rows(
            "departments | select id, procurement_total, operating_cost, three_public, personnel, public, income_total, expense_total, fiscal"
        )
        #expect(
            rows == [
                // 鞍山: 政府采购 0 and 机关运行经费 118.06 only in the 情况说明; no table prints them.
                ["anshan-2025", "0", "118.06", "7.30", "1891.23", "118.06", "2220.40", "2220.40", "2220.40"],
                // 抚顺: no 情况说明, no 政府采购 table: neither figure is printed.
                ["fushun-2026", "", "", "4.35", "1246.75", "67.10", "63564.63", "63564.63", "63564.63"],
                ["haigang-2025", "15.05", "35.38", "2.44", "769.88", "35.38", "1878.09", "1878.09", "1878.09"],
                // 市中: 政府采购预算表 「此表无数据」 with a blank 合计, narrative 「未安排政府采购预算」: no figure.
                ["shizhong-2025", "", "44.48", "1.39", "380.02", "44.48", "2781.20", "2781.20", "2781.20"],
                ["yima-2025", "7.66", "5.62", "2.00", "328.85", "20.46", "471.31", "471.31", "471.31"],
            ])
    }

    /// Where each headline figure is printed: a table, or only the narrative (情况说明).
    @Test func headlineFiguresNameTheirSource() throws {
        let rows = try Fixture.rows(
            "departments | select id, procurement_total_source, operating_cost_source, fiscal_source")
        #expect(
            rows == [
                ["anshan-2025", "情况说明", "情况说明", "财政拨款收支预算总表"],
                ["fushun-2026", "", "", "财政拨款收支预算总表"],
                ["haigang-2025", "部门政府采购预算", "情况说明", "部门预算财政拨款收支总表"],
                ["shizhong-2025", "", "情况说明", "财政拨款收支预算总表"],
                ["yima-2025", "情况说明", "情况说明", "财政拨款收支总体情况表"],
            ])
    }

    /// Each 类 total as printed, one 类 line per 类 and department, with the table that prints it.
    /// 市中 and 义马 print 类 totals only in the 收支总表 (56.46 and 380.76, against 项 sums of 56.47
    /// and 380.75, which `spending | group by 类` gives).
    @Test func everyClassTotalIsASpendingLine() throws {
        let rows = try Fixture.rows(#"spending_lines | where level = "类" | select dept.id, code, amount, table"#)
        #expect(
            rows == [
                ["anshan-2025", "208", "242.99", "支出预算总表"], ["anshan-2025", "210", "1761.18", "支出预算总表"],
                ["anshan-2025", "221", "216.23", "支出预算总表"],
                ["fushun-2026", "208", "182.02", "支出预算总表"], ["fushun-2026", "210", "63263.47", "支出预算总表"],
                ["fushun-2026", "221", "119.14", "支出预算总表"],
                ["haigang-2025", "208", "707.17", "部门预算支出总表"], ["haigang-2025", "210", "1112.32", "部门预算支出总表"],
                ["haigang-2025", "221", "58.60", "部门预算支出总表"],
                ["shizhong-2025", "208", "56.46", "部门收支总表"], ["shizhong-2025", "210", "2693.62", "部门收支总表"],
                ["shizhong-2025", "221", "31.12", "部门收支总表"],
                ["yima-2025", "208", "63.56", "部门收支总体情况表"], ["yima-2025", "210", "380.76", "部门收支总体情况表"],
                ["yima-2025", "221", "26.99", "部门收支总体情况表"],
            ])
    }

    /// `economic` sums to each department's 基本支出; `economic_lines` keeps every printed line.
    /// 市中's finest lines (子目 and 款 of 公开表3-1) add up to 424.48, not its printed 合计 424.50:
    /// its 子目 and 302 款 lines are off their printed parents by 0.01 each (four rounding
    /// findings of `bql check`), as Datasets/README.md documents.
    @Test func economicSumsWithoutDoubleCounting() throws {
        let sums = try Fixture.rows("economic | group by dept.id | agg s = sum(amount)")
        #expect(
            sums == [
                ["anshan-2025", "2009.29"], ["fushun-2026", "1313.85"], ["haigang-2025", "805.26"],
                ["shizhong-2025", "424.48"], ["yima-2025", "349.31"],
            ])
        let basic = try Fixture.rows("departments | select id, basic")
        #expect(basic.map { $0[1] } == ["2009.29", "1313.85", "805.26", "424.50", "349.31"])
        let tables = try Fixture.rows("economic | group by dept.id | agg n = count(distinct table), t = min(table)")
        #expect(tables.allSatisfy { $0[1] == "1" && $0[2].contains("基本支出") })
        let every = try Fixture.rows("economic_lines | agg n = count()")
        let lines = try Fixture.rows("economic | agg n = count()")
        #expect((Int(every[0][0]) ?? 0) > (Int(lines[0][0]) ?? .max))
    }

    /// 海港 P01's plan: cumulative amounts at 3月底, 6月底, 10月底 and 12月底, as printed.
    @Test func haigangPlansAreCumulative() throws {
        let rows = try Fixture.rows(
            #"plans | where dept.id = "haigang-2025" and project_id = "P01" | sort seq | select period, kind, amount"#)
        #expect(
            rows == [
                ["3月底", "累计", "8.50"], ["6月底", "累计", "16.83"], ["10月底", "累计", "16.83"], ["12月底", "累计", "16.83"],
            ])
        // The last cumulative period is the whole budget of every 海港 project.
        let last = try Fixture.rows(
            #"plans | where period = "12月底" | select project_id, amount, full = project.amount | where amount != full"#)
        #expect(last.isEmpty)
    }

    /// Inferred placements are marked, by dataset; printed rows read `printed`.
    @Test func inferenceIsVisible() throws {
        let rows = try Fixture.rows(#"indicators | where origin = "inferred" | group by dept.id | agg n = count()"#)
        #expect(
            rows == [["anshan-2025", "9"], ["fushun-2026", "17"], ["shizhong-2025", "5"], ["yima-2025", "140"]])
        let shizhong = try Fixture.rows(
            #"indicators | where dept.id = "shizhong-2025" and origin = "inferred" | select name, level1"#)
        #expect(shizhong.count == 5)
        #expect(try Fixture.rows(#"indicators | where origin is null | agg n = count()"#) == [["0"]])
        let yima = try Fixture.rows(
            #"spending | where dept.id = "yima-2025" and origin = "inferred" | agg n = count()"#)
        #expect(yima == [["6"]])
        let three = try Fixture.rows(#"three_public | where origin = "inferred" | select dept.id"#)
        #expect(three == [["yima-2025"]])
        // 义马 P18 and P19 file the same two indicators alike; 政策宣传 stays where P20 prints it.
        let p18p19 = try Fixture.rows(
            #"indicators | where dept.id = "yima-2025" and project_id in ("P18", "P19") and (name ~ "报销" or name ~ "应报尽") | sort project_id, level1 | select project_id, level1"#
        )
        #expect(p18p19 == [["P18", "产出指标"], ["P18", "效益指标"], ["P19", "产出指标"], ["P19", "效益指标"]])
    }

    /// 市中 prints 「发放（缴纳）覆盖率」 10 times and 「发放(缴纳)覆盖率」 5 times: one name_key.
    @Test func namesGroupByNameKey() throws {
        let rows = try Fixture.rows(
            #"indicators | where name ~ "发放" and name ~ "缴纳" | group by name_key | agg n = count(), forms = count(distinct name)"#
        )
        #expect(rows == [["发放(缴纳)覆盖率", "15", "2"]])
        let printed = try Fixture.rows(
            #"indicators | where name ~ "发放" and name ~ "缴纳" | group by name | agg n = count()"#)
        #expect(printed.count == 2)
    }

    /// The printed labels: 鞍山's 「有」, and totals labels without constructed 「X / Y」.
    @Test func labelsAreAsPrinted() throws {
        let assets = try Fixture.rows(#"assets | where item ~ "通用设备" | select dept, item"#)
        #expect(
            assets.map { $0.last ?? "" } == ["单位价值50万元以上有通用设备", "单价50万元以上通用设备"],
            "鞍山's 「有」 and 义马's 「单价」, each as printed: \(assets)")
        #expect(try Fixture.rows(#"totals | where label ~ " / " or label ~ "（本年收入小计）" | agg n = count()"#) == [["0"]])
        let units = try Fixture.rows(#"units | where nature is not null | select name, nature, grade, funding"#)
        #expect(
            units == [
                ["秦皇岛市海港区医疗保障局本级", "行政", "正科级", "财政拨款"],
                ["秦皇岛市海港区医疗保险基金管理中心", "事业", "副科级", "财政性资金基本保证"],
            ])
    }
}
