// CompletionTests: issue 17's completion through the completer — the compared field's own values
// inside quotes (measure units for indicators.unit, department names for dept, 类/款/项 codes),
// the closing quote of a unique value, quoted values but no keyword after an operator, and the
// arguments of dot-commands (tables, modes, units, file names).

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

@Suite struct CompletionTests {
    let c = Completer(session: Session(catalog: Repo.catalog))

    func inserts(_ text: String) -> [String] { c.complete(text).candidates.map(\.insert) }

    @Test func aQuotedValueCompletesFromTheComparedField() {
        let units = inserts("indicators | where unit = \"")
        #expect(units.contains("%") && units.contains("元") && units.contains("人次"), "\(units)")
        #expect(!units.contains { $0.contains("医疗保障局") }, "measure units, not budget units")
        #expect(inserts("指标 | where 度量单位 = \"人") == ["人", "人次"])
        #expect(inserts("projects | where dept = \"抚") == ["抚顺市医疗保障事务服务中心"])
        #expect(inserts("projects | where unit ~ \"鞍山").allSatisfy { $0.hasPrefix("鞍山") })
        #expect(inserts("indicators | where project.name = \"物业").contains("物业管理费"))
        #expect(inserts("indicators | where unit in (\"%\", \"元/").allSatisfy { $0.hasPrefix("元/") })
        #expect(inserts("indicators | where contains(unit, \"万").sorted() == ["万人", "万元", "万册"])
        // A unique value closes the quote it was opened with.
        let unique = c.complete("indicators | where unit = \"人次")
        #expect(unique.candidates.map(\.insert) == ["人次"] && unique.candidates[0].terminator == "\" ")
        #expect(c.complete("projects | where dept = '抚").candidates.first?.terminator == "' ")
        #expect(c.complete("projects | where dept = “抚").candidates.first?.terminator == "” ")
        // Codes keep their names in the list.
        #expect(c.complete("spending | where 类 = \"2").candidates.map(\.display).contains("210 卫生健康支出"))
    }

    @Test func afterAnOperatorValuesFieldsAndFunctionsButNoKeyword() {
        let after = inserts("indicators | where unit = ")
        #expect(after.contains("\"%\"") && after.contains("\"人次\""), "\(after)")
        #expect(after.contains("name") && after.contains("lower("))
        for keyword in ["and", "or", "not", "desc", "between", "is null"] { #expect(!after.contains(keyword)) }
        #expect(!inserts("projects | where amount > ").contains("and"))
        // Where a condition is expected, keywords remain.
        #expect(inserts("projects | where amount > 100 a").contains("and"))
    }

    @Test func dotCommandsCompleteTheirArguments() throws {
        #expect(inserts(".schema ").contains("indicators") && inserts(".schema ").contains("三公经费"))
        #expect(inserts(".schema ind") == ["indicators"])
        #expect(c.complete(".schema ind").start == 8)
        #expect(inserts(".mode j") == ["json", "jsonl"])
        #expect(inserts(".mode table --w") == ["--wrap"])
        #expect(inserts(".units ") == ["元", "万元", "亿元", "auto"])
        #expect(inserts(".pager o") == ["on", "off"])
        #expect(inserts(".headers o") == ["on", "off"])
        let s = try Scratch()
        try s.write("budget.bql", "departments\n")
        try FileManager.default.createDirectory(atPath: s.path("scripts"), withIntermediateDirectories: true)
        let files = c.complete(".read \(s.url.path)/")
        #expect(files.candidates.map(\.insert) == ["\(s.url.path)/budget.bql", "\(s.url.path)/scripts/"])
        #expect(files.candidates.map(\.terminator) == [" ", ""], "a directory takes no space")
        #expect(inserts(".data \(s.url.path)/") == ["\(s.url.path)/scripts/"])
        #expect(inserts(".mo") == [".mode"])
    }
}
