// RobustnessTests: hostile input never crashes — an empty query, a 1 MB query, invalid UTF-8,
// 10,000 nested parentheses, thousands of `or`s, deep member chains — and the embedder's limits
// (row limit, timeout/cancellation) turn into typed errors.

import BudgetQL
import Foundation
import Testing

@Suite struct RobustnessTests {
    @Test func emptyQuery() {
        #expect(Fixture.error("")?.kind == "empty")
        #expect(Fixture.error("  \n # nothing\n")?.kind == "empty")
        let d = Diagnostic(Fixture.error("")!, source: "")
        #expect(d.render() == "query:1:1: error: empty query: expected a table name such as projects\n  \n  ^\n")
    }

    @Test func oneMegabyteQueryIsTooLong() {
        let query = "projects | where name = \"" + String(repeating: "医", count: 350_000) + "\""
        #expect(query.utf8.count > 1_000_000)
        let error = Fixture.error(query)
        #expect(error?.kind == "too-long")
        #expect(error?.range.start == Lexer.maxLength)
        #expect(error?.message == "query is too long: the limit is 262144 bytes")
        // Also through the byte entry point, and as plain ASCII.
        #expect(throws: QueryError.self) { try Lexer.tokenize(bytes: Array(query.utf8)) }
        #expect(Fixture.error(String(repeating: "x", count: 1 << 20))?.kind == "too-long")
    }

    @Test func queryJustUnderTheLimitRuns() throws {
        // A long but legal query: a comment padding it to just under the limit.
        let query = "projects | agg n = count() # " + String(repeating: "a", count: Lexer.maxLength - 40)
        #expect(query.utf8.count < Lexer.maxLength)
        #expect(try Fixture.rows(query) == [["49"]])
    }

    @Test func invalidUTF8() {
        for bytes: [UInt8] in [
            [0xFF], [0x70, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
            Array(Array("项目".utf8).dropLast()),
        ] {
            do {
                _ = try Lexer.tokenize(bytes: bytes)
                Issue.record("accepted \(bytes)")
            } catch {
                #expect(error.kind == "invalid-utf8")
            }
        }
    }

    @Test func tenThousandNestedParentheses() {
        let query =
            "projects | where " + String(repeating: "(", count: 10_000) + "amount > 1"
            + String(repeating: ")", count: 10_000)
        let error = Fixture.error(query)
        #expect(error?.kind == "too-deep")
        #expect(error?.message == "query nests too deeply: the limit is 64 levels")
        // Rendering the diagnostic of a 20 KB line works too.
        #expect(Diagnostic(error!, source: query).render().contains("^"))
    }

    @Test func tenThousandNestedParenthesesPastTheLexer() throws {
        // Tokens built by hand skip the lexer's bracket count; the parser stops on its own.
        let open = Token(kind: .symbol, value: "(", range: .at(0))
        let close = Token(kind: .symbol, value: ")", range: .at(0))
        let one = Token(kind: .number, value: "1", range: .at(0))
        let tokens =
            Array(repeating: open, count: 10_000) + [one] + Array(repeating: close, count: 10_000) + [
                Token(kind: .end, value: "", range: .at(0))
            ]
        do {
            _ = try Parser.parseExpression(tokens)
            Issue.record("expected too-deep")
        } catch {
            #expect(error.kind == "too-deep")
        }
    }

    @Test func deepNestingOfEveryKind() {
        for query in [
            "projects | where " + String(repeating: "not ", count: 10_000) + "true",
            "projects | select x = " + String(repeating: "-", count: 10_000) + "1",
            "projects | select x = " + String(repeating: "abs(", count: 10_000) + "1"
                + String(repeating: ")", count: 10_000),
            "projects | where dept" + String(repeating: ".dept", count: 10_000) + " = 1",
            "projects | select x = 1" + String(repeating: " + 1", count: 10_000),
            "projects | select x = 1" + String(repeating: " * 1", count: 10_000),
        ] {
            #expect(Fixture.error(query)?.kind == "too-deep", "\(query.prefix(40))")
        }
    }

    @Test func longChainOfOrs() throws {
        // 10,000 alternatives (about 170 KB): parsed as a balanced tree, bound and evaluated without deep recursion.
        let alternatives = (0..<10_000).map { "amount = \($0)" }.joined(separator: " or ")
        let whole = try Fixture.rows("projects | where amount < 10000 and round(amount) = amount | agg n = count()")
        #expect(try Fixture.rows("projects | where \(alternatives) | agg n = count()") == whole)
        #expect(whole != [["0"]])
        let names = (0..<5_000).map { "name = \"p\($0)\"" }.joined(separator: " 或 ")
        let medical = try Fixture.rows("projects | where name ~ \"医保\" | agg n = count()")
        #expect(try Fixture.rows("projects | where \(names) or name ~ \"医保\" | agg n = count()") == medical)
    }

    @Test func longChainOfAnds() throws {
        let conditions = Array(repeating: "amount > 0", count: 10_000).joined(separator: " and ")
        #expect(try Fixture.rows("projects | where \(conditions) | agg n = count()") == [["49"]])
    }

    @Test func longInListAndManyColumnsAndStatements() throws {
        let list = (0..<20_000).map(String.init).joined(separator: ", ")
        #expect(
            try Fixture.rows("projects | where amount in (\(list)) | agg n = count()")
                == Fixture.rows("projects | where amount < 20000 and round(amount) = amount | agg n = count()"))
        let columns = (0..<500).map { "c\($0) = amount + \($0)" }.joined(separator: ", ")
        #expect(try Fixture.rows("projects | take 1 | select \(columns)")[0].count == 500)
        var session = Fixture.session()
        let script = Array(repeating: "projects | take 1", count: 2_000).joined(separator: "\n")
        #expect(try session.run(script).count == 2_000)
        let stages = "projects" + String(repeating: " | take 5", count: 5_000)
        #expect(try Fixture.rows(stages).count == 5)
    }

    @Test func rowLimit() {
        var session = Fixture.session(limits: QueryLimits(maxRows: 10))
        do {
            _ = try session.query("indicators")
            Issue.record("expected row-limit")
        } catch {
            #expect(error.kind == "row-limit")
            #expect(error.message == "result exceeds the row limit of 10")
        }
        #expect((try? session.query("indicators | take 10"))?.rows.count == 10)
    }

    @Test func timeoutHasItsOwnError() {
        var session = Fixture.session(limits: QueryLimits(timeout: .zero))
        do {
            _ = try session.query("projects | take 1")
            Issue.record("expected timeout")
        } catch {
            #expect(error.kind == "timeout")
            #expect(error.message == "query ran longer than the time limit of 0.0 seconds")
            #expect(error.range == SourceRange(0, 17))
        }
    }

    @Test func memoryLimitHasItsOwnError() {
        var session = Fixture.session(limits: QueryLimits(maxMemory: 1024))
        do {
            _ = try session.query("indicators | derive v2 = value * 2")
            Issue.record("expected memory-limit")
        } catch {
            #expect(error.kind == "memory-limit")
            #expect(error.message == "query needs more than the memory limit of 1024 bytes")
        }
        #expect((try? session.query("departments | take 1"))?.rows.count == 1)
    }

    @Test func cancellationTokenCancelsFromAnotherThread() {
        let token = CancellationToken()
        var session = Fixture.session(limits: QueryLimits(cancellation: token))
        #expect((try? session.query("departments | take 1"))?.rows.count == 1)
        token.cancel()
        do {
            _ = try session.query("indicators | where value > 1")
            Issue.record("expected cancelled")
        } catch {
            #expect(error.kind == "cancelled")
            #expect(error.message == "query cancelled")
        }
    }

    @Test func taskCancellationCancels() async {
        let task = Task { () -> String? in
            while !Task.isCancelled { await Task.yield() }
            var session = Fixture.session()
            do {
                _ = try session.query("projects")
                return nil
            } catch { return (error as? QueryError)?.kind }
        }
        task.cancel()
        #expect(await task.value == "cancelled")
    }

    /// Issue 12, finding 1: these ended the process (an index out of range at the window-share
    /// totals; a force-unwrap in a scalar function over an aggregate). Each now answers, or fails
    /// with a typed error, the same way in batch and row-by-row evaluation.
    @Test func windowSharesInGroupsAndFunctionsOfAggregatesDoNotCrash() throws {
        let answers = [
            "projects | group by share(amount)", "spending | group by round(share(amount), 3)",
            "projects | agg s = sum(share(amount))", "spending | rollup s = sum(share(amount))",
            "projects | group by dept | agg a = abs(sum(amount)) | where a > 10",
        ]
        for q in answers {
            var batch = Fixture.session()
            var rows = Fixture.session()
            rows.evaluation = .rowByRow
            let a = try batch.query(q)
            #expect(a.rows.count > 0, "\(q)")
            #expect(a.rows == (try rows.query(q)).rows, "\(q)")
        }
        #expect(try Fixture.rows("projects | agg s = round(sum(share(amount)), 6)") == [["100.000000"]])
        #expect(Fixture.error("projects | group by dept | agg a = upper(sum(amount))")?.kind == "wrong-type")
        #expect(Fixture.error("projects | group by dept | agg a = abs(sum(amount), 1, 2)")?.kind == "argument-count")
        #expect(Fixture.error("projects | where any(indicators, share(value) > 1)")?.kind == "wrong-type")
    }

    @Test func arbitraryBytesNeverCrash() {
        // A deterministic stream of awkward fragments glued together: every outcome is a result or a QueryError.
        let fragments = [
            "projects", "|", "where", "(", ")", "\"", "“", "amount", ">", "1万", "and", "or", "not", ",", "select", "*",
            "group by", "agg", "sum(", "count(", "indicators", ".", "value", "$min", "\n", ";", "let x =", "x", "#",
            "rollup", "distinct", "sort", "-", "take", "2", "share(", "=~", "\"[\"", "in (", "between", "is null", "项目",
            "金额", "｜",
            "9223372036854775807", "0", "%", "/", "*", "abs(", "round(", "substr(", "year", "total", "name",
            "departments",
            "dept", "dept.year", "coalesce(", "1亿", "0.000000000000000001", "count(distinct", "min(", "max(", "avg(",
        ]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let iterations = Int(ProcessInfo.processInfo.environment["BQL_FUZZ"] ?? "") ?? 600
        for _ in 0..<iterations {
            var query = ""
            for _ in 0..<Int(seed % 12) + 1 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                query += fragments[Int(seed >> 33) % fragments.count] + " "
            }
            var session = Fixture.session()
            do { _ = try session.run(query) } catch {
                _ = Diagnostic(error, source: query).render()
            }
        }
    }
}
