// EngineTests: semantics the corpus relies on, checked through the library API — exact money,
// codes compared with numbers, in/between modes, derive order, select *, relation aggregates,
// rounding, typed errors, and diagnostics placed by display width.

import BudgetQL
import Testing

@Suite struct EngineTests {
    @Test func moneyIsExact() throws {
        // 0.1 + 0.2 is 0.3, and sums of published amounts print exactly their total.
        #expect(try Fixture.rows("departments | take 1 | select x = 0.1 + 0.2") == [["0.3"]])
        #expect(try Fixture.rows("projects | agg total = sum(amount)") == [["66013.42"]])
        #expect(try Fixture.rows("departments | agg total = sum(total)") == [["70915.63"]])
        var s = Fixture.session()
        let r = try s.query("projects | agg total = sum(amount)")
        #expect(r.columns == [ResultColumn(name: "total", type: .money)])
    }

    @Test func codesCompareWithNumbersByDigits() throws {
        let a = try Fixture.rows("spending | where 类 = 210 | agg n = count(), s = sum(amount)")
        let b = try Fixture.rows("spending | where 类 = \"210\" | agg n = count(), s = sum(amount)")
        #expect(a == b)
        #expect(a == [["33", "69211.34"]])
        // Leading zeros are digits: 073001 is not the number 73001.
        #expect(try Fixture.rows("units | where code = 73001") == [])
        #expect(try Fixture.rows("units | where code = \"073001\" | select name") == [["鞍山市医疗保障局本级"]])
    }

    @Test func inListItemsKeepTheirOwnComparison() throws {
        let rows = try Fixture.rows("spending | where dept ~ \"鞍山\" and 项 in (2101501, \"2101505\") | select code")
        #expect(rows == [["2101501"], ["2101505"]])
        let between = try Fixture.rows(
            "spending | where dept ~ \"鞍山\" and code between 2101501 and \"2101505\" | select code")
        #expect(between == [["2101501"], ["2101505"]])
    }

    @Test func deriveItemsSeeEarlierOnes() throws {
        let rows = try Fixture.rows(
            "projects | where dept ~ \"鞍山\" | take 1 | derive a = amount * 2, b = a + 1 | select a, b")
        #expect(rows == [["230.22", "231.22"]])
    }

    @Test func selectStarShowsHiddenColumns() throws {
        var s = Fixture.session()
        let all = try s.query("projects | select * | take 1")
        #expect(all.columns.map(\.name).contains("content"))
        #expect(!(try s.query("projects | take 1")).columns.map(\.name).contains("content"))
        let front = try s.query("projects | select amount, * | take 1")
        #expect(front.columns.first?.name == "amount")
        #expect(front.columns.count == all.columns.count)
    }

    @Test func relationAggregates() throws {
        let rows = try Fixture.rows(
            """
            projects | where dept ~ "乐山" | take 1
            | select n = count(indicators), valued = count(indicators.value), units = count(distinct indicators.unit), top = max(indicators.value)
            """)
        #expect(rows == [["9", "8", "2", "100"]])
    }

    @Test func roundIsHalfAwayFromZero() throws {
        let rows = try Fixture.rows(
            "departments | take 1 | select round(2.5), round(-2.5), round(0.125, 2), round(1.005, 2), round(2220.40, 1)"
        )
        #expect(rows == [["3", "-3", "0.13", "1.01", "2220.4"]])
    }

    @Test func groupKeyUsableByItsOtherName() throws {
        let rows = try Fixture.rows(
            "spending | where dept ~ \"鞍山\" | group by 类 | agg name = 类名称, name2 = lei_name | take 1")
        #expect(rows == [["208", "社会保障和就业支出", "社会保障和就业支出", "社会保障和就业支出"]])
    }

    @Test func parametersBind() throws {
        #expect(try Fixture.rows("projects | where dept ~ $dept and amount > $min | select amount") == [["115.11"]])
        var s = Session(catalog: Fixture.catalog)
        do {
            _ = try s.run("projects | where amount > $min")
            Issue.record("expected unbound-parameter")
        } catch {
            #expect(error.kind == "unbound-parameter")
            #expect(error.range == SourceRange(26, 30))
        }
    }

    @Test func letBindingsPersistInTheSession() throws {
        var s = Fixture.session()
        let outcomes = try s.run("let big = projects | where amount >= 10000")
        guard case .bound(let name, let rows) = outcomes.first else {
            Issue.record("expected a binding")
            return
        }
        #expect(name == "big" && rows == 2)
        #expect(s.bindingNames == ["big"])
        #expect(try s.query("big | agg n = count()").rows == [[.integer(2)]])
    }

    @Test func stagesCanBeRunOneByOne() throws {
        let source = "projects | where amount > 10000 | agg n = count()"
        let tokens = try Session.lex(source)
        #expect(tokens.last?.kind == .end)
        let statements = try Session.parse(source)
        var s = Fixture.session()
        let prepared = try s.prepare(statements[0], source: source)
        guard case .result(let r) = try s.execute(prepared) else {
            Issue.record("expected a result")
            return
        }
        #expect(r.rows == [[.integer(2)]])
    }

    @Test func errorsAreTypedWithStableKinds() {
        let cases: [(String, String)] = [
            ("projects | where name = 100", "type-mismatch"),
            ("projects | where amout > 1", "unknown-field"),
            ("projectz", "unknown-table"),
            ("projects | where lenght(name) > 1", "unknown-function"),
            ("projects | where amount", "wrong-type"),
            ("projects | select length()", "argument-count"),
            ("projects | where sum(amount) > 1", "misplaced-aggregate"),
            ("projects | where name.x = 1", "not-a-relation"),
            ("projects | where name =~ \"(\"", "invalid-regex"),
            ("projects | select name, name", "duplicate-column"),
            ("projects | select name | rollup", "misplaced-stage"),
            ("projects | derive x = 1 / 0", "division-by-zero"),
            ("projects | select x = 9223372036854775807 + 1", "overflow"),
        ]
        for (query, kind) in cases { #expect(Fixture.error(query)?.kind == kind, "\(query)") }
    }

    @Test func extremeNumbersAreErrorsNotCrashes() throws {
        // Exact decimals hold ±(2^63 − 1) in their mantissa; -2^63 is out of range, so that every
        // value can be negated exactly.
        let largest = "9223372036854775807"
        let smallest = "(-9223372036854775807 - 1)"
        #expect(try Fixture.rows("departments | take 1 | select x = -\(largest)") == [["-9223372036854775807"]])
        for query in [
            "departments | take 1 | select x = \(smallest)",
            "departments | take 1 | select x = -\(smallest)",
            "departments | take 1 | select x = abs(\(smallest))",
            "departments | take 1 | select x = \(smallest) / -1",
            "departments | take 1 | select x = \(largest) + 1",
            "departments | take 1 | select x = 1 / 0.000000000000000001",
        ] {
            #expect(Fixture.error(query)?.kind == "overflow", "\(query)")
        }
        #expect(try Fixture.rows("departments | take 1 | select x = -\(largest) % -1, y = 7 % -1") == [["0", "0"]])
        #expect(
            try Fixture.rows(
                "departments | take 1 | select x = substr(\"abc\", 2, 9223372036854775807), y = substr(\"abc\", 9223372036854775807)"
            )
                == [["bc", ""]])
    }

    @Test func diagnosticCaretUsesDisplayWidth() {
        let source = "项目 | where 名称 ~ “医保” and 金额 > \"一百\""
        guard let error = Fixture.error(source) else {
            Issue.record("expected an error")
            return
        }
        let d = Diagnostic(error, source: source)
        #expect(d.line == 1)
        #expect(d.column == 26)
        // 项目(4) space |(1) space where(5) space 名称(4) space ~ space “(1)医保(4)”(1) space and space = 31 columns.
        #expect(d.caretOffset == 31)
        #expect(d.caretWidth == 13)
        #expect(
            d.render(name: "q") == """
                q:1:26: error: cannot apply > to an amount (万元) and text
                  项目 | where 名称 ~ “医保” and 金额 > "一百"
                                                 ^^^^^^^^^^^^^

                """)
    }

    @Test func diagnosticOnALaterLine() {
        let source = "projects\n| where dept ~ \"鞍山\"\n| select 名称, amout"
        guard let error = Fixture.error(source) else {
            Issue.record("expected an error")
            return
        }
        let d = Diagnostic(error, source: source, lineOffset: 10)
        #expect(d.line == 13)
        #expect(d.sourceLine == "| select 名称, amout")
        #expect(d.caretOffset == 15)
    }

    @Test func displayWidth() {
        #expect(DisplayWidth.of("医保") == 4)
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("🇨🇳") == 2)
        #expect(DisplayWidth.of("，") == 2)
    }
}

/// The `provenance` field of the figure tables is a hidden column of the catalog: empty in the
/// bundled datasets, queryable by name and by its Chinese name, shown by `select *`.
@Suite struct ProvenanceColumnTests {
    @Test func isAHiddenQueryableColumn() throws {
        for table in ["spending", "spending_lines", "economic", "indicators", "procurement", "narrative", "totals"]
            + ["tasks", "assets"]
        {
            let t = try #require(Fixture.catalog.table(table))
            let field = try #require(t.fields.first { $0.name == "provenance" }, "\(table)")
            #expect(field.alias == "出处" && field.type == .text)
        }
        #expect(try Fixture.rows("spending_lines | where provenance is not null | agg n = count()") == [["0"]])
        #expect(try Fixture.rows("spending_lines | take 1 | select 出处") == [[""]])
        #expect(try Fixture.rows("spending | take 1").first?.count == 8, "hidden by default")
    }
}
