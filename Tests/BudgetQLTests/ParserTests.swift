// ParserTests: statement splitting across lines and `;`, stage parsing, operator precedence,
// and the difference between incomplete input (a REPL reads more) and an unexpected token.

import BudgetQL
import Testing

@Suite struct ParserTests {
    func statements(_ s: String) throws -> [Statement] { try Session.parse(s) }

    func expr(_ s: String) throws -> Expr { try Parser.parseExpression(try Lexer.tokenize(s)) }

    /// A compact rendering of an expression tree: names, numbers and (op l r).
    func shape(_ e: Expr) -> String {
        switch e.kind {
        case .name(let n): return n
        case .number(let d, _): return d.description
        case .string(let s): return "\"\(s)\""
        case .binary(let op, let l, let r, _): return "(\(op) \(shape(l)) \(shape(r)))"
        case .unary(let op, let x, _): return "(\(op) \(shape(x)))"
        case .member(let o, let f): return "\(shape(o)).\(f)"
        case .call(let f, let args, let distinct):
            return "\(f)(\(distinct ? "distinct " : "")\(args.map(shape).joined(separator: ", ")))"
        case .inList(let x, let items, let negated):
            return "(\(negated ? "not in" : "in") \(shape(x)) \(items.map(shape).joined(separator: " ")))"
        case .between(let x, let l, let h, let negated):
            return "(\(negated ? "not between" : "between") \(shape(x)) \(shape(l)) \(shape(h)))"
        case .isNull(let x, let negated): return "(\(negated ? "is not null" : "is null") \(shape(x)))"
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .parameter(let p): return "$\(p)"
        case .conditional(let whens, let otherwise):
            let branches = whens.map { "when \(shape($0.condition)) then \(shape($0.value))" }
            return "(case \(branches.joined(separator: " "))\(otherwise.map { " else " + shape($0) } ?? ""))"
        }
    }

    @Test func conditionals() throws {
        #expect(shape(try expr("if(a > 1, b, c + 1)")) == "(case when (> a 1) then b else (+ c 1))")
        #expect(shape(try expr("如果(a, b, c)")) == "(case when a then b else c)")
        #expect(
            shape(try expr("case when a then 1 when b or c then 2 end * 3"))
                == "(* (case when a then 1 when (or b c) then 2) 3)")
        #expect(shape(try expr("case\n when a then 1\n else 2\n end")) == "(case when a then 1 else 2)")
        #expect(throws: QueryError.self) { try expr("case a then 1 end") }
        #expect(throws: QueryError.self) { try expr("if(a, b)") }
        #expect(throws: QueryError.self) { try expr("case when a then 1") }
    }

    @Test func oneStatementPerLine() throws {
        #expect(try statements("projects\nunits").count == 2)
        #expect(try statements("projects; units ;; items").count == 3)
        #expect(try statements("\n\nprojects\n\n").count == 1)
    }

    @Test func continuationLines() throws {
        // A line ending with | or starting with | continues the statement.
        #expect(try statements("projects |\n where amount > 1").count == 1)
        #expect(try statements("projects\n| where amount > 1\n| take 2").count == 1)
        // An operator, a comma or an open bracket at the end of a line continues it.
        #expect(try statements("projects | where amount >\n 1").count == 1)
        #expect(try statements("projects | where amount > 1 and\n amount < 9").count == 1)
        #expect(try statements("projects | select name,\n amount").count == 1)
        #expect(try statements("projects | where amount in (1,\n 2,\n 3)").count == 1)
        // A comment line between continuation lines.
        #expect(try statements("projects\n# filter\n| take 1").count == 1)
        let s = try statements("let big = projects | where amount > 1000\nbig | take 1")
        #expect(s.count == 2)
        if case .binding(let name, _, let p) = s[0].kind {
            #expect(name == "big")
            #expect(p.source == "projects" && p.stages.count == 1)
        } else {
            Issue.record("expected a let binding")
        }
    }

    @Test func stagesAndTheirRanges() throws {
        let p = try statements(
            "projects | where amount > 1 | select name, a = amount | sort -amount, name desc | take 3")[0].pipeline
        #expect(p.source == "projects")
        #expect(p.stages.count == 4)
        #expect(p.sourceRange == SourceRange(0, 8))
        #expect(p.stages[0].keywordRange == SourceRange(11, 16))
        if case .sort(let keys) = p.stages[2].kind {
            #expect(keys.map(\.descending) == [true, true])
        } else {
            Issue.record("expected sort")
        }
        if case .take(let n) = p.stages[3].kind { #expect(n == 3) } else { Issue.record("expected take") }
        if case .select(let items) = p.stages[1].kind {
            #expect(items.map(\.name) == [nil, "a"])
        } else {
            Issue.record("expected select")
        }
    }

    @Test func selectStarAndAliases() throws {
        let p = try statements("projects | select *, x = 1, amount * 2 as double")[0].pipeline
        guard case .select(let items) = p.stages[0].kind else {
            Issue.record("expected select")
            return
        }
        #expect(items.count == 3)
        #expect(items[0].expr.kind == .name("*"))
        #expect(items.map(\.name) == [nil, "x", "double"])
    }

    @Test func precedence() throws {
        #expect(shape(try expr("1 + 2 * 3")) == "(+ 1 (* 2 3))")
        #expect(shape(try expr("1 - 2 - 3")) == "(- (- 1 2) 3)")
        #expect(shape(try expr("a = 1 or b = 2 and c = 3")) == "(or (= a 1) (and (= b 2) (= c 3)))")
        #expect(shape(try expr("not a = 1 and b")) == "(and (not (= a 1)) b)")
        #expect(shape(try expr("-a.b * 2")) == "(* (- a.b) 2)")
        #expect(shape(try expr("x not in (1, 2)")) == "(not in x 1 2)")
        #expect(shape(try expr("x between 1 and 2 and y")) == "(and (between x 1 2) y)")
        #expect(shape(try expr("x is not null or y is null")) == "(or (is not null x) (is null y))")
        #expect(shape(try expr("count(distinct x)")) == "count(distinct x)")
        #expect(shape(try expr("a 或 b 且 c")) == "(or a (and b c))")
    }

    @Test func logicalChainsAreBalanced() throws {
        #expect(shape(try expr("a or b or c or d")) == "(or (or a b) (or c d))")
        #expect(shape(try expr("a and b and c")) == "(and a (and b c))")
        // A chain of 1,000 ors nests about log2(1000) deep.
        let e = try expr((0..<1000).map { "x = \($0)" }.joined(separator: " or "))
        func height(_ e: Expr) -> Int {
            if case .binary(_, let l, let r, _) = e.kind { return 1 + max(height(l), height(r)) }
            return 0
        }
        #expect(height(e) <= 12)
        // The range still covers the whole chain.
        #expect(e.range.start == 0)
    }

    @Test func incompleteVersusUnexpected() {
        func kind(_ s: String) -> String? {
            do {
                _ = try Session.parse(s)
                return nil
            } catch { return error.kind }
        }
        // Input that ends too early: a REPL should read another line.
        for s in [
            "projects |", "projects | where", "projects | where (amount > 1", "projects | where amount >",
            "projects | select a,", "projects | take", "let x =", "projects | where name = \"x",
            "projects | group by", "projects | where amount between 1", "projects | where f(1,",
        ] {
            #expect(kind(s) == "incomplete", "\(s)")
        }
        // A token that can never be right: report it.
        for s in [
            "projects | where )", "projects | take x", "projects | where amount > 1 where", "| projects",
            "projects | frobnicate", "projects | where amount is 1", "let where = projects", "projects | group dept",
        ] {
            #expect(kind(s) == "syntax", "\(s)")
        }
    }

    @Test func emptyInput() {
        for s in ["", "   ", "\n\n", "# only a comment", ";", "// c\n;\n"] {
            do {
                _ = try Session.parse(s)
                Issue.record("expected empty for \(s.debugDescription)")
            } catch {
                #expect(error.kind == "empty")
            }
        }
    }

    @Test func misspeltStageSuggests() {
        do {
            _ = try Session.parse("projects | slect name")
        } catch {
            #expect(error.message.hasSuffix("did you mean \"select\"?"))
            #expect(error.range == SourceRange(11, 16))
        }
    }

    @Test func distinctOnlyInCount() throws {
        _ = try expr("count(distinct dept)")
        #expect(throws: QueryError.self) { try expr("sum(distinct amount)") }
    }
}
