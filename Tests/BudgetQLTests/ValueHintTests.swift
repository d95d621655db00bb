// ValueHintTests: a text comparison with a value its field never holds still runs, and the
// result says so with the values that would explain the empty answer (issue 15's two examples
// verbatim), for constants, `in` lists, parameters, Chinese field names and relation conditions;
// a value the field holds, or a comparison that is not `=`/`in`, gives no warning.

import BudgetQL
import BudgetShell
import Testing

@Suite struct ValueHintTests {
    func warnings(_ query: String, parameters: [String: Value] = [:]) throws -> [QueryWarning] {
        var s = Fixture.session()
        for (k, v) in parameters { s.parameters[k] = v }
        return try s.query(query).warnings
    }

    @Test func aDepartmentNamedByPartOfItsName() throws {
        var s = Fixture.session()
        let query = "projects | where dept = \"义马\""
        let r = try s.query(query)
        #expect(r.rows.isEmpty)
        #expect(r.warnings.map(\.message) == ["no dept is \"义马\"; did you mean dept ~ \"义马\" (义马市医疗保障局)?"])
        #expect(r.warnings.map(\.kind) == ["value-never-held"])
        #expect(
            Diagnostic(r.warnings[0], source: query).render(name: "query", severity: "warning")
                == """
                query:1:25: warning: no dept is "义马"; did you mean dept ~ "义马" (义马市医疗保障局)?
                  projects | where dept = "义马"
                                          ^^^^^^

                """)
    }

    @Test func anOperatorTheIndicatorsNeverUse() throws {
        // The indicators' op column holds ≥ (180 rows), 定性 (163), = (130), ≤ (69) and < (1).
        #expect(
            try warnings("indicators | where op = \">=\" | agg n = count()").map(\.message) == [
                "op never holds \">=\"; it holds ≥ 定性 = ≤ <"
            ])
    }

    @Test func inListsParametersChineseNamesAndRelations() throws {
        #expect(
            try warnings("indicators | where op in (\"≥\", \">=\")").map(\.message) == [
                "op never holds \">=\"; it holds ≥ 定性 = ≤ <"
            ])
        // --param dept=义乌: no department contains it, and there are few enough to list, by their
        // number of projects (义马 20, 抚顺 13, 乐山 7, 鞍山 5, 秦皇岛 4).
        #expect(
            try warnings("projects | where dept = $dept", parameters: ["dept": .text("义乌")]).map(\.message) == [
                "dept never holds \"义乌\"; it holds 义马市医疗保障局 抚顺市医疗保障事务服务中心 乐山市市中区医疗保障局 鞍山市医疗保障局 秦皇岛市海港区医疗保障局"
            ])
        #expect(
            try warnings("项目 | where 部门 = \"鞍山\"").map(\.message) == [
                "no 部门 is \"鞍山\"; did you mean 部门 ~ \"鞍山\" (鞍山市医疗保障局)?"
            ])
        #expect(
            try warnings("projects | where any(indicators, unit = \"万\")").map(\.message) == [
                "no unit is \"万\"; did you mean unit ~ \"万\" (万元, 万人, 万册)?"
            ])
        #expect(
            try warnings("indicators | where project.category = \"特定\"").first?.message
                == "no project.category is \"特定\"; did you mean project.category ~ \"特定\" (特定目标类)?")
        // A misspelt unit among many: the nearest one.
        #expect(
            try warnings("indicators | where unit = \"%%\"").map(\.message) == [
                "no unit is \"%%\"; did you mean \"%\"?"
            ])
    }

    @Test func noWarningWhereTheValueIsHeldOrTheComparisonIsNotEquality() throws {
        #expect(try warnings("projects | where dept = \"鞍山市医疗保障局\"").isEmpty)
        #expect(try warnings("projects | where dept ~ \"义马\" or dept != \"义马\"").isEmpty)
        #expect(try warnings("projects | where dept not in (\"义马\")").isEmpty)
        #expect(try warnings("projects | where 类 = 210").isEmpty)
        #expect(try warnings("projects | where name = unit").isEmpty)
    }
}

/// The shell passes a result's warnings to its output's `writeWarning` (which `bql` writes on
/// stderr when stderr is a terminal), after the result.
@Suite struct ValueHintShellTests {
    final class Output: ShellOutput {
        var out = ""
        var warnings = ""
        func write(_ text: String) { out += text }
        func writeError(_ text: String) {}
        func writeWarning(_ text: String) { warnings += text }
    }

    @Test func theShellWritesWarningsApartFromResults() {
        let io = Output()
        let shell = Shell(catalog: Fixture.catalog, dataDirectory: nil, io: io, format: .csv)
        #expect(
            shell.runStatements("indicators | where op = \">=\" | agg n = count()", name: "stdin", stopOnError: true))
        #expect(io.out == "n\n0\n")
        #expect(
            io.warnings == """
                stdin:1:25: warning: op never holds ">="; it holds ≥ 定性 = ≤ <
                  indicators | where op = ">=" | agg n = count()
                                          ^^^^

                """)
    }
}
