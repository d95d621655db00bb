// YearsTests: one body's budgets for 2024 and 2025 (the two sample PDFs) loaded side by side —
// the line-by-line comparison of Queries/year_over_year.bql against the printed figures, the
// narrative's 三公 changes as signed rows, and the rule of `check` across documents: consistent
// as published, a contradiction naming both documents when a figure of 2024 is changed, and a
// statement against 执行数 reported as a different basis.

import BudgetModel
import BudgetQL
import Foundation
import Testing

@testable import BudgetImport

@Suite(.serialized) struct YearsTests {
    /// The samples imported into one folder (the importer tests' shared import).
    static func directory() throws -> URL {
        _ = try Imported.sample(2024)
        _ = try Imported.sample(2025)
        return Imported.directory
    }

    /// 万元 from a figure printed in 元.
    static func yuan(_ printed: Int) -> ExactDecimal {
        ExactDecimal(mantissa: Int64(printed), scale: 4)
    }

    /// The first statement of Queries/year_over_year.bql over `dir`, with `dept` = 万里.
    static func lineByLine(_ dir: URL) throws -> [String: [Value]] {
        let text = try String(
            contentsOf: Fixtures.root.appendingPathComponent("Queries/year_over_year.bql"), encoding: .utf8)
        let first = try #require(text.components(separatedBy: "\n\n").first)
        var session = Session(catalog: try Catalog.open(directory: dir), parameters: ["dept": .text("万里")])
        guard case .result(let r)? = try session.run(first).last else {
            Issue.record("no result")
            return [:]
        }
        #expect(
            r.columns.map(\.name) == [
                "body", "code", "2024_name", "2024_amount", "2025_name", "2025_amount", "change", "pct",
            ])
        var out: [String: [Value]] = [:]
        for row in r.rows { if case .text(let code) = row[1] { out[code] = row } }
        return out
    }

    @Test func everyXiangOfTheGeneralBudgetSideBySideAsPrinted() throws {
        let rows = try Self.lineByLine(try Self.directory())
        #expect(rows.count == 33)
        // 一般公共预算支出功能分类预算表 of each document (表5), in 元: 2024, 2025.
        let printed: [(String, Int, Int)] = [
            ("2010507", 257_700, 438_300), ("2012902", 426_000, 422_900), ("2013202", 888_700, 1_075_000),
            ("2013802", 135_200, 135_300), ("2049999", 1_333_000, 2_578_025), ("2080501", 243_120, 259_320),
            ("2080505", 4_608_515, 4_827_156), ("2080506", 2_302_815, 2_413_577), ("2080705", 4_212_300, 582_800),
            ("2089999", 7_812_394, 7_574_422), ("2101101", 1_422_233, 1_468_940), ("2101102", 1_601_424, 1_548_033),
        ]
        for (code, y2024, y2025) in printed {
            let row = try #require(rows[code], "\(code)")
            #expect(row[3].decimal == Self.yuan(y2024), "\(code) 2024")
            #expect(row[5].decimal == Self.yuan(y2025), "\(code) 2025")
            #expect(row[6].decimal == Self.yuan(y2025 - y2024), "\(code) change")
            // The percentage, to 2 places, from the exact figures.
            let pct = try #require(
                Self.yuan((y2025 - y2024) * 100).dividing(by: Self.yuan(y2024), places: 10)?.rounded(toPlaces: 2))
            #expect(row[7].decimal == pct, "\(code) pct")
        }
        // Both years print the 项 names; 2080705 公益性岗位补贴 fell from 421.23 to 58.28 万元.
        #expect(rows["2080705"]?[2] == .text("公益性岗位补贴"))
        #expect(rows["2080705"]?[4] == .text("公益性岗位补贴"))
        #expect(rows["2080705"]?[7].decimal == ExactDecimal("-86.16"))
    }

    @Test func aLineOfOneYearOnlyShowsNullOnTheOtherSide() throws {
        // The samples list the same 33 项 both years: drop one from a copy of each year.
        let dir = Fixtures.temporaryDirectory("years-missing")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Self.directory()
        for (year, dropped) in [(2024, "2059999"), (2025, "2060702")] {
            let id = "putuo-wanli-\(year)-dept"
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(id), to: dir.appendingPathComponent(id))
            let spending = dir.appendingPathComponent(id).appendingPathComponent("spending.csv")
            let lines = try String(contentsOf: spending, encoding: .utf8).components(separatedBy: "\n")
            let kept = lines.filter { !$0.hasPrefix(dropped + ",") }
            #expect(kept.count == lines.count - 1)
            try kept.joined(separator: "\n").write(to: spending, atomically: true, encoding: .utf8)
        }
        let rows = try Self.lineByLine(dir)
        #expect(rows.count == 33)
        // 2059999 only in 2025: null 2024 amount and name, null change.
        #expect(rows["2059999"]?[2] == .null)
        #expect(rows["2059999"]?[3] == .null)
        #expect(rows["2059999"]?[5].decimal == ExactDecimal("25"))
        #expect(rows["2059999"]?[6] == .null)
        // 2060702 only in 2024: null 2025 side.
        #expect(rows["2060702"]?[3].decimal == ExactDecimal("10"))
        #expect(rows["2060702"]?[5] == .null)
        #expect(rows["2060702"]?[7] == .null)
    }

    @Test func theThreePublicChangesAreSignedRowsConsistentWith2024() throws {
        let budgets = try DatasetLoader.loadAll(from: try Self.directory())
        let b2025 = try #require(budgets.first { $0.department.year == 2025 })
        let b2024 = try #require(budgets.first { $0.department.year == 2024 })
        #expect(b2025.department.bodyKey == b2024.department.bodyKey)
        func stated(_ key: String) -> NarrativeFigure? { b2025.narrative.first { $0.key == key } }
        // 「2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元」 and its parts.
        let expected: [(String, String)] = [
            ("three_public.total", "-10"), ("three_public.abroad", "0"), ("three_public.vehicle", "-10"),
            ("three_public.vehicle_purchase", "-10"), ("three_public.vehicle_operation", "0"),
            ("three_public.reception", "0"),
        ]
        for (subject, change) in expected {
            let n = try #require(stated("change." + subject), "\(subject)")
            #expect(n.amount == ExactDecimal(change), "\(subject)")
            #expect(n.vsYear == "2024")
            #expect(n.comparisonBasis == .budget)
            // This year's table minus last year's table is the stated change.
            let now = try #require(b2025.figure(subject))
            let then = try #require(b2024.figure(subject))
            #expect(now.subtracting(then) == ExactDecimal(change), "\(subject)")
        }
        #expect(b2024.figure("three_public.total") == ExactDecimal("47.91"))
        #expect(b2025.figure("three_public.total") == ExactDecimal("37.91"))
        // The rule across documents finds every statement consistent.
        #expect(Checker.crossYear(budgets).isEmpty)
        #expect(!Checker.check(budgets).contains { $0.rule == Checker.crossYearRule })
        // The stated change of 财政拨款收入 (3,355.65) agrees with the two documents' own figures.
        #expect(stated("change.fiscal.income")?.amount == ExactDecimal("3355.65"))
        #expect(b2024.narrative.first { $0.key == "fiscal.income" }?.amount == ExactDecimal("15621.11"))
    }

    @Test func checkReportsAChanged2024FigureWithBothDocuments() throws {
        let dir = Fixtures.temporaryDirectory("years-changed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Self.directory()
        for year in [2024, 2025] {
            let id = "putuo-wanli-\(year)-dept"
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(id), to: dir.appendingPathComponent(id))
        }
        // 2024's 公务用车购置费 25 → 24 万元 (and 公务用车, 三公 合计 so that 2024 adds up by itself).
        let file = dir.appendingPathComponent("putuo-wanli-2024-dept/three_public.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(",47.91,0,46.56,25,21.56,1.35"))
        try text.replacingOccurrences(of: ",47.91,0,46.56,25,", with: ",46.91,0,45.56,24,").write(
            to: file, atomically: true, encoding: .utf8)
        let budgets = try DatasetLoader.loadAll(from: dir)
        let cross = Checker.crossYear(budgets)
        let keys = Set(cross.map { String($0.subject.split(separator: " ")[0]) })
        #expect(
            keys == [
                "change.three_public.total", "change.three_public.vehicle", "change.three_public.vehicle_purchase",
            ])
        for f in cross {
            #expect(f.kind == FindingKind.contradiction)
            #expect(f.dataset == "putuo-wanli-2025-dept")
            #expect(f.versus == "putuo-wanli-2024-dept")
            #expect(f.published == ExactDecimal("-10"))
            #expect(f.computed == ExactDecimal("-9.00") || f.computed == ExactDecimal("-9"))
        }
        // `bql check` names both documents, each with its page.
        let process = Process()
        process.executableURL = Fixtures.bql
        process.arguments = ["check", dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        let line = try #require(
            output.components(separatedBy: "\n").first {
                $0.contains("上年数 = 上年文件 · change.three_public.total") && $0.contains(": 情况说明")
            }, "\(output)")
        #expect(line.contains("putuo-wanli-2025-dept"))
        #expect(line.contains("情况说明, p. 30"))
        #expect(line.contains("putuo-wanli-2024-dept: 部门“三公”经费和机关运行经费预算表, p. 31"))
    }

    @Test func aStatementAgainstExecutionIsADifferentBasisNotAContradiction() throws {
        var budgets = try DatasetLoader.loadAll(from: try Self.directory())
        let i = try #require(budgets.firstIndex { $0.department.year == 2025 })
        let row = try #require(budgets[i].narrative.firstIndex { $0.key == "change.three_public.total" })
        // As if the document said 「比2024年预算执行数减少12万元」.
        budgets[i].narrative[row].amount = try #require(ExactDecimal("-12"))
        budgets[i].narrative[row].vsBasis = ComparisonBasis.execution.rawValue
        let cross = Checker.crossYear(budgets)
        #expect(cross.count == 1)
        #expect(cross.first?.kind == .differentBasis)
        #expect(cross.first?.subject.contains("执行数") == true)
        // And against the budget, the same figure is a contradiction.
        budgets[i].narrative[row].vsBasis = nil
        #expect(Checker.crossYear(budgets).first?.kind == .contradiction)
    }

    @Test func theNarrativeReadsComparisonsSigned() {
        let clauses = [
            NarrativeReader.Clause(text: "机关运行经费44.48万元，比2024年预算增加3.37万元，增长8.2%。", section: "八", page: 1, line: 1),
            NarrativeReader.Clause(text: "公务接待费0.1万元，比上年预算数减少0.2万元，下降50%。", section: "四", page: 1, line: 2),
            NarrativeReader.Clause(text: "公务用车购置及运行费7.2万元，与上年预算持平。", section: "四", page: 1, line: 3),
            NarrativeReader.Clause(text: "公务接待费1.35万元。", section: "五", page: 1, line: 4),
            NarrativeReader.Clause(text: "比2024年预算持平，主要原因是保持不变。", section: "五", page: 1, line: 5),
        ]
        let s = ComparisonReader.statements(clauses, year: 2025, named: { _ in [] })
        let got = s.map { "\($0.key)=\($0.amount)\($0.measure)@\($0.vsYear ?? 0)" }
        #expect(
            got == [
                "change.operating_cost=3.37万元@2024", "change_pct.operating_cost=8.2%@2024",
                "change.three_public.reception=-0.2万元@2024", "change_pct.three_public.reception=-50%@2024",
                "change.three_public.vehicle=0万元@2024", "change.three_public.reception=0万元@2024",
            ])
    }
}
