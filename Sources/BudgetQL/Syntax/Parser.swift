// Parser: recursive descent from tokens to statements. A statement ends at a line break or `;`
// unless the line ends with `|`, an operator, `,` or an open bracket, or the next line starts
// with `|`. Running out of input mid-statement is `QueryError.incomplete`. Nesting (brackets,
// calls, `not`, unary minus, `.` and each operator of an arithmetic chain) is capped at
// `maxDepth`; `and`/`or` chains are built balanced, so no recursion over a tree runs deep.

import BudgetModel

/// Parses tokens into statements.
public struct Parser {
    /// The deepest nesting of brackets and expressions accepted.
    public static let maxDepth = 64

    /// The stages as they are typed after `|`, in the order completion offers them.
    package static let stagePhrases = [
        "where", "select", "derive", "group by", "agg", "sort", "take", "limit", "distinct", "rollup", "pivot",
        "unpivot", "join",
    ]
    /// Other spellings of stages: `filter` (where), `aggregate` (agg), `order [by]` (sort), `melt` (unpivot).
    static let stageSynonyms = ["filter", "aggregate", "order", "melt"]
    /// The keywords and keyword phrases of expressions and sort keys, as completion offers them.
    package static let expressionPhrases = [
        "and", "or", "not", "in", "between", "is null", "is not null", "desc", "asc", "as", "true", "false", "null",
        "case", "when", "then", "else", "end",
    ]
    /// The names of the conditional function `if(cond, a, b)`.
    static let ifNames: Set<String> = ["if", "如果"]

    static let stageWords: Set<String> = Set((stagePhrases + stageSynonyms).compactMap(firstWord))
    /// Words that cannot name a field or binding: every word of the phrases above, `let` and `by`.
    static let keywords: Set<String> = stageWords.union(["let", "by"]).union(expressionPhrases.flatMap(words))

    private static func words(_ phrase: String) -> [String] { phrase.split(separator: " ").map(String.init) }
    private static func firstWord(_ phrase: String) -> String? { words(phrase).first }

    private var tokens: [Token]
    private var pos = 0
    private var depth = 0

    /// Parses a whole script (one or more statements).
    public static func parse(_ tokens: [Token]) throws(QueryError) -> [Statement] {
        var p = Parser(tokens: tokens)
        return try p.script()
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: - Token helpers

    private var current: Token { tokens[pos] }
    private func peek(_ k: Int = 1) -> Token { tokens[min(pos + k, tokens.count - 1)] }
    private mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }
    private mutating func skipNewlines() { while current.kind == .newline { pos += 1 } }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "end of input"
        case .newline: return "end of line"
        case .string: return "string \"\(t.value)\""
        case .number: return "number \(t.value)"
        case .parameter: return "$\(t.value)"
        case .identifier: return "\"\(t.value)\""
        case .symbol: return "\"\(t.value)\""
        }
    }

    /// An error for `current`: incomplete at end of input, else unexpected.
    private func fail(_ expected: String) -> QueryError {
        if current.kind == .end { return .incomplete(current.range, expected: expected) }
        return .unexpected(current.range, expected: expected, found: describe(current))
    }

    private mutating func expectSymbol(_ s: String, _ what: String) throws(QueryError) -> Token {
        guard current.isSymbol(s) else { throw fail(what) }
        return advance()
    }

    private mutating func enter() throws(QueryError) {
        depth += 1
        if depth > Parser.maxDepth { throw .tooDeep(current.range, limit: Parser.maxDepth) }
    }

    // MARK: - Statements

    private mutating func script() throws(QueryError) -> [Statement] {
        var out: [Statement] = []
        while true {
            while current.kind == .newline || current.isSymbol(";") { pos += 1 }
            if current.kind == .end { break }
            out.append(try statement())
            guard current.kind == .newline || current.isSymbol(";") || current.kind == .end else {
                throw .unexpected(
                    current.range, expected: "\"|\", a line break or \";\" after the statement",
                    found: describe(current))
            }
        }
        if out.isEmpty { throw .empty(current.range) }
        return out
    }

    private mutating func statement() throws(QueryError) -> Statement {
        let start = current.range
        if current.isWord("let") {
            _ = advance()
            guard current.kind == .identifier, !Parser.keywords.contains(current.value.lowercased()) else {
                throw fail("a name after let")
            }
            let name = advance()
            _ = try expectSymbol("=", "\"=\" after let \(name.value)")
            skipNewlines()
            let p = try pipeline()
            return Statement(kind: .binding(name: name.value, nameRange: name.range, p), range: start.union(p.range))
        }
        let p = try pipeline()
        return Statement(kind: .query(p), range: p.range)
    }

    private mutating func pipeline() throws(QueryError) -> Pipeline {
        guard current.kind == .identifier else {
            if current.isSymbol("|") {
                throw .unexpected(current.range, expected: "a table name before \"|\"", found: "\"|\"")
            }
            throw fail("a table name such as projects")
        }
        let source = advance()
        var stages: [Stage] = []
        var end = source.range
        while true {
            // `|` may end a line or start the next one.
            if current.kind == .newline {
                var k = pos
                while tokens[k].kind == .newline { k += 1 }
                if tokens[k].isSymbol("|") { pos = k } else { break }
            }
            guard current.isSymbol("|") else { break }
            _ = advance()
            skipNewlines()
            let s = try stage()
            stages.append(s)
            end = s.range
        }
        return Pipeline(source: source.value, sourceRange: source.range, stages: stages, range: source.range.union(end))
    }

    private mutating func stage() throws(QueryError) -> Stage {
        guard current.kind == .identifier else {
            throw fail(
                "a stage (where, select, derive, group by, agg, sort, take, distinct, rollup, pivot, unpivot, join)")
        }
        let keyword = advance()
        let word = keyword.value.lowercased()
        let kind: Stage.Kind
        switch word {
        case "where", "filter":
            kind = .filter(try expression())
        case "select":
            kind = .select(try namedList("a field or expression after select", allowStar: true))
        case "derive":
            kind = .derive(try namedList("name = expression after derive"))
        case "group":
            guard current.isWord("by") else { throw fail("\"by\" after group") }
            _ = advance()
            let keys = try namedList("a field after group by")
            if current.isSymbol("(") {
                kind = .partition(keys, try subPipeline())
            } else {
                kind = .group(keys)
            }
        case "agg", "aggregate":
            kind = .aggregate(try namedList("an aggregate such as total = sum(amount) after agg"))
        case "sort", "order":
            if word == "order" && current.isWord("by") { _ = advance() }
            var keys: [SortKey] = []
            repeat {
                if !keys.isEmpty {
                    _ = advance()
                    skipNewlines()
                }
                var descending = false
                if current.isSymbol("-") {
                    _ = advance()
                    descending = true
                } else if current.isSymbol("+") {
                    _ = advance()
                }
                let e = try expression()
                if current.isWord("desc") {
                    _ = advance()
                    descending.toggle()
                } else if current.isWord("asc") {
                    _ = advance()
                }
                keys.append(SortKey(expr: e, descending: descending))
            } while current.isSymbol(",")
            kind = .sort(keys)
        case "take", "limit":
            guard current.kind == .number, let n = Int(current.value), n >= 0 else {
                throw fail("a whole number after \(word)")
            }
            _ = advance()
            if current.isWord("by") {
                // take n by key, …: the first n rows of each group.
                let by = advance()
                let keys = try namedList("a field after take \(n) by")
                let end = tokens[max(pos - 1, 0)].range
                kind = .partition(
                    keys, [Stage(kind: .take(n), range: keyword.range.union(by.range), keywordRange: keyword.range)])
                return Stage(kind: kind, range: keyword.range.union(end), keywordRange: keyword.range)
            }
            kind = .take(n)
        case "distinct":
            if current.kind == .identifier && !Parser.keywords.contains(current.value.lowercased()) {
                kind = .distinct(try namedList("a field after distinct"))
            } else {
                kind = .distinct([])
            }
        case "rollup":
            if current.kind == .identifier {
                kind = .rollup(try namedList("an aggregate after rollup"))
            } else {
                kind = .rollup([])
            }
        case "pivot":
            if current.kind == .end || current.kind == .newline { throw fail("a field after pivot") }
            var field = try expression()
            var values: [Expr]?
            if case .inList(let x, let items, negated: false) = field.kind {
                field = x
                values = items
            }
            guard current.isWord("agg") || current.isWord("aggregate") else {
                throw fail("agg and the aggregates of each column after pivot")
            }
            _ = advance()
            kind = .pivot(
                field: field, values: values, aggregates: try namedList("an aggregate such as n = count() after agg"))
        case "unpivot", "melt":
            let fields = try namedList("the fields to unpivot")
            var names: UnpivotNames?
            if current.isWord("into") {
                _ = advance()
                guard current.kind == .identifier || current.kind == .string else {
                    throw fail("the name of the column of field names after into")
                }
                let name = advance()
                _ = try expectSymbol(",", "\",\" and the name of the column of values")
                guard current.kind == .identifier || current.kind == .string else {
                    throw fail("the name of the column of values")
                }
                names = UnpivotNames(name: name.value, value: advance().value)
            }
            kind = .unpivot(fields, into: names)
        case "join":
            var left = false
            if current.isWord("left") || current.isWord("inner"), peek().kind == .identifier {
                left = advance().value.lowercased() == "left"
            }
            guard current.kind == .identifier, !Parser.keywords.contains(current.value.lowercased()) else {
                throw fail("a table name after join")
            }
            var table = advance()
            let alias = table.value
            if current.isSymbol("=") {
                _ = advance()
                guard current.kind == .identifier else { throw fail("a table name after \(alias) =") }
                table = advance()
            }
            guard current.isWord("on") else { throw fail("on and a condition after join \(table.value)") }
            _ = advance()
            skipNewlines()
            let condition = try expression()
            kind = .join(
                JoinClause(left: left, table: table.value, tableRange: table.range, alias: alias, condition: condition))
        default:
            let suggestion = closest(word, Array(Parser.stageWords))
            throw .unexpected(
                keyword.range,
                expected:
                    "a stage (where, select, derive, group by, agg, sort, take, distinct, rollup, pivot, unpivot, join)",
                found: "\"\(keyword.value)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""))
        }
        let end = tokens[max(pos - 1, 0)].range
        return Stage(kind: kind, range: keyword.range.union(end), keywordRange: keyword.range)
    }

    /// Whether the `(` at `current`, after the name `word`, opens the stages of `group by key (…)`
    /// rather than a call's arguments: it does when a stage word follows it (no argument can
    /// start with one), except `distinct` in `count(distinct x)`.
    private func opensStages(after word: String) -> Bool {
        let next = peek()
        guard next.kind == .identifier else { return false }
        let w = next.value.lowercased()
        if w == "distinct" && (word == "count" || word == "计数") { return false }
        return Parser.stageWords.contains(w)
    }

    /// `( stage | … )` after `group by` keys: the stages each group's rows go through.
    private mutating func subPipeline() throws(QueryError) -> [Stage] {
        _ = advance()
        try enter()
        defer { depth -= 1 }
        var stages: [Stage] = []
        repeat {
            if !stages.isEmpty { _ = advance() }
            skipNewlines()
            stages.append(try stage())
            skipNewlines()
        } while current.isSymbol("|")
        _ = try expectSymbol(")", "\"|\" or \")\" to close the stages of group by")
        return stages
    }

    private mutating func namedList(_ what: String, allowStar: Bool = false) throws(QueryError) -> [NamedExpr] {
        var items: [NamedExpr] = []
        repeat {
            if !items.isEmpty {
                _ = advance()
                skipNewlines()
            }
            if current.kind == .end || current.kind == .newline { throw fail(what) }
            if allowStar && current.isSymbol("*") {
                // `select *`: every column, hidden ones included.
                let star = advance()
                items.append(NamedExpr(name: nil, nameRange: nil, expr: Expr(.name("*"), star.range)))
            } else if current.kind == .identifier, peek().isSymbol("="),
                !Parser.keywords.contains(current.value.lowercased())
            {
                let name = advance()
                _ = advance()
                skipNewlines()
                items.append(NamedExpr(name: name.value, nameRange: name.range, expr: try expression()))
            } else {
                let e = try expression()
                if current.isWord("as") {
                    _ = advance()
                    guard current.kind == .identifier || current.kind == .string else { throw fail("a name after as") }
                    let name = advance()
                    items.append(NamedExpr(name: name.value, nameRange: name.range, expr: e))
                } else {
                    items.append(NamedExpr(name: nil, nameRange: nil, expr: e))
                }
            }
        } while current.isSymbol(",")
        return items
    }

    // MARK: - Expressions

    /// Parses one expression (also used by the completer and tests).
    public static func parseExpression(_ tokens: [Token]) throws(QueryError) -> Expr {
        var p = Parser(tokens: tokens)
        let e = try p.expression()
        guard p.current.kind == .end else { throw p.fail("end of expression") }
        return e
    }

    private mutating func expression() throws(QueryError) -> Expr {
        try enter()
        defer { depth -= 1 }
        return try orExpr()
    }

    /// A left-associative chain of arithmetic operators. Each operator in the chain counts as one
    /// nesting level, so the tree (and every recursion over it) stays within `maxDepth`.
    private mutating func binaryTail(_ ops: Set<ArithmeticOp>, _ next: (inout Parser) throws(QueryError) -> Expr)
        throws(QueryError) -> Expr
    {
        var lhs = try next(&self)
        var levels = 0
        defer { depth -= levels }
        while true {
            let t = current
            guard t.kind == .symbol, let op = ArithmeticOp(rawValue: t.value), ops.contains(op) else { break }
            _ = advance()
            skipNewlines()
            if current.kind == .end { throw .incomplete(current.range, expected: "an operand after \(op)") }
            try enter()
            levels += 1
            let rhs = try next(&self)
            lhs = Expr(.binary(.arithmetic(op), lhs, rhs, at: t.range), lhs.range.union(rhs.range))
        }
        return lhs
    }

    /// A chain of `and` (or of `or`) operands, built as a balanced tree: both are associative,
    /// so a chain of thousands of conditions nests only logarithmically deep.
    private mutating func logicalChain(
        _ op: LogicalOp, _ words: Set<String>, _ next: (inout Parser) throws(QueryError) -> Expr
    ) throws(QueryError) -> Expr {
        var operands = [try next(&self)]
        var operators: [SourceRange] = []
        while current.kind == .identifier, words.contains(current.value.lowercased()) {
            let t = advance()
            operators.append(t.range)
            skipNewlines()
            if current.kind == .end { throw .incomplete(current.range, expected: "an operand after \(t.value)") }
            operands.append(try next(&self))
        }
        // operators[i] stands between operands[i] and operands[i + 1].
        func balanced(_ items: ArraySlice<Expr>) -> Expr {
            if items.count == 1 { return items[items.startIndex] }
            let mid = items.startIndex + items.count / 2
            let l = balanced(items[..<mid])
            let r = balanced(items[mid...])
            return Expr(.binary(.logical(op), l, r, at: operators[mid - 1]), l.range.union(r.range))
        }
        return balanced(operands[...])
    }

    private mutating func orExpr() throws(QueryError) -> Expr {
        try logicalChain(.or, ["or", "或"]) { (p: inout Parser) throws(QueryError) in try p.andExpr() }
    }

    private mutating func andExpr() throws(QueryError) -> Expr {
        try logicalChain(.and, ["and", "且"]) { (p: inout Parser) throws(QueryError) in try p.notExpr() }
    }

    private mutating func notExpr() throws(QueryError) -> Expr {
        if current.isWord("not") {
            let t = advance()
            try enter()
            defer { depth -= 1 }
            let e = try notExpr()
            return Expr(.unary(.not, e, at: t.range), t.range.union(e.range))
        }
        return try comparison()
    }

    private mutating func comparison() throws(QueryError) -> Expr {
        let lhs = try additive()
        let t = current
        let relational: BinaryOp? =
            t.kind != .symbol
            ? nil
            : ComparisonOp(rawValue: t.value).map(BinaryOp.comparison) ?? TextOp(rawValue: t.value).map(BinaryOp.text)
        if let op = relational {
            _ = advance()
            skipNewlines()
            if current.kind == .end { throw .incomplete(current.range, expected: "an operand after \(t.value)") }
            let rhs = try additive()
            return Expr(.binary(op, lhs, rhs, at: t.range), lhs.range.union(rhs.range))
        }
        var negated = false
        if t.isWord("not") && (peek().isWord("in") || peek().isWord("between")) {
            _ = advance()
            negated = true
        }
        if current.isWord("in") {
            _ = advance()
            _ = try expectSymbol("(", "\"(\" after in")
            var items: [Expr] = []
            if !current.isSymbol(")") {
                repeat {
                    if !items.isEmpty { _ = advance() }
                    items.append(try expression())
                } while current.isSymbol(",")
            }
            let close = try expectSymbol(")", "\",\" or \")\" in the in list")
            return Expr(.inList(lhs, items, negated: negated), lhs.range.union(close.range))
        }
        if current.isWord("between") {
            _ = advance()
            let low = try additive()
            guard current.isWord("and") else { throw fail("\"and\" in between … and …") }
            _ = advance()
            let high = try additive()
            return Expr(.between(lhs, low, high, negated: negated), lhs.range.union(high.range))
        }
        if current.isWord("is") {
            _ = advance()
            var neg = false
            if current.isWord("not") {
                _ = advance()
                neg = true
            }
            guard current.isWord("null") else { throw fail("null after is") }
            let n = advance()
            return Expr(.isNull(lhs, negated: neg), lhs.range.union(n.range))
        }
        return lhs
    }

    private mutating func additive() throws(QueryError) -> Expr {
        try binaryTail([.add, .subtract]) { (p: inout Parser) throws(QueryError) in try p.multiplicative() }
    }

    private mutating func multiplicative() throws(QueryError) -> Expr {
        try binaryTail([.multiply, .divide, .remainder]) { (p: inout Parser) throws(QueryError) in try p.unary() }
    }

    private mutating func unary() throws(QueryError) -> Expr {
        if current.isSymbol("-") || current.isSymbol("+") {
            let t = advance()
            try enter()
            defer { depth -= 1 }
            let e = try unary()
            return t.value == "-" ? Expr(.unary(.negate, e, at: t.range), t.range.union(e.range)) : e
        }
        return try postfix()
    }

    private mutating func postfix() throws(QueryError) -> Expr {
        var e = try primary()
        var levels = 0
        defer { depth -= levels }
        while current.isSymbol(".") {
            _ = advance()
            guard current.kind == .identifier else { throw fail("a field name after \".\"") }
            // Each `.` nests the expression one level deeper (dept.projects… chains).
            try enter()
            levels += 1
            let f = advance()
            e = Expr(.member(e, f.value), e.range.union(f.range))
        }
        return e
    }

    private mutating func primary() throws(QueryError) -> Expr {
        let t = current
        switch t.kind {
        case .number:
            _ = advance()
            return try numberLiteral(t)
        case .string:
            _ = advance()
            return Expr(.string(t.value), t.range)
        case .parameter:
            _ = advance()
            return Expr(.parameter(t.value), t.range)
        case .identifier:
            let word = t.value.lowercased()
            if word == "null" {
                _ = advance()
                return Expr(.null, t.range)
            }
            if word == "true" || word == "false" {
                _ = advance()
                return Expr(.bool(word == "true"), t.range)
            }
            if word == "case" {
                return try caseExpression()
            }
            if Parser.stageWords.contains(word)
                || [
                    "by", "and", "or", "in", "between", "is", "as", "asc", "desc", "let", "when", "then", "else", "end",
                ]
                .contains(word)
            {
                throw .unexpected(t.range, expected: "a value, field or function", found: "keyword \"\(t.value)\"")
            }
            _ = advance()
            if current.isSymbol("("), Parser.ifNames.contains(word) {
                return try ifCall(t)
            }
            // `group by dept (sort …)`: a bracket that opens stages follows a name, not a call.
            if current.isSymbol("("), !opensStages(after: word) {
                _ = advance()
                try enter()
                defer { depth -= 1 }
                var args: [Expr] = []
                var distinct = false
                if current.isWord("distinct") {
                    guard word == "count" || word == "计数" else {
                        throw .unexpected(
                            current.range, expected: "an argument (distinct is allowed only in count(distinct …))",
                            found: "keyword \"distinct\"")
                    }
                    _ = advance()
                    distinct = true
                }
                if !current.isSymbol(")") {
                    repeat {
                        if !args.isEmpty { _ = advance() }
                        if current.isSymbol("*") && args.isEmpty && word == "count" {
                            _ = advance()
                            continue
                        }
                        args.append(try expression())
                    } while current.isSymbol(",")
                }
                let close = try expectSymbol(")", "\",\" or \")\" to close \(t.value)(")
                return Expr(.call(t.value, args, distinct: distinct), t.range.union(close.range))
            }
            return Expr(.name(t.value), t.range)
        case .symbol where t.value == "(":
            _ = advance()
            let e = try expression()
            let close = try expectSymbol(")", "\")\"")
            return Expr(e.kind, t.range.union(close.range))
        case .end:
            throw .incomplete(t.range, expected: "a value, field or function")
        default:
            throw .unexpected(t.range, expected: "a value, field or function", found: describe(t))
        }
    }

    /// `case when c then v … [else e] end`, at `case`.
    private mutating func caseExpression() throws(QueryError) -> Expr {
        let start = advance()
        try enter()
        defer { depth -= 1 }
        skipNewlines()
        guard current.isWord("when") else { throw fail("when after case") }
        var whens: [WhenClause] = []
        var otherwise: Expr?
        while current.isWord("when") {
            _ = advance()
            skipNewlines()
            let condition = try expression()
            skipNewlines()
            guard current.isWord("then") else { throw fail("then after the condition of when") }
            _ = advance()
            skipNewlines()
            whens.append(WhenClause(condition: condition, value: try expression()))
            skipNewlines()
        }
        if current.isWord("else") {
            _ = advance()
            skipNewlines()
            otherwise = try expression()
            skipNewlines()
        }
        guard current.isWord("end") else {
            throw fail(otherwise == nil ? "when, else or end in case … end" : "end after the else value")
        }
        let end = advance()
        return Expr(.conditional(whens, otherwise: otherwise), start.range.union(end.range))
    }

    /// `if(cond, a, b)` (`如果`), at `(`: the same node as `case when cond then a else b end`.
    private mutating func ifCall(_ name: Token) throws(QueryError) -> Expr {
        _ = advance()
        try enter()
        defer { depth -= 1 }
        var args: [Expr] = []
        if !current.isSymbol(")") {
            repeat {
                if !args.isEmpty { _ = advance() }
                args.append(try expression())
            } while current.isSymbol(",")
        }
        let close = try expectSymbol(")", "\",\" or \")\" to close \(name.value)(")
        let range = name.range.union(close.range)
        guard args.count == 3 else {
            throw .wrongArgumentCount(
                range, function: name.value, expected: "3 arguments (a condition, its value, the other value)",
                found: args.count)
        }
        return Expr(.conditional([WhenClause(condition: args[0], value: args[1])], otherwise: args[2]), range)
    }

    private func numberLiteral(_ t: Token) throws(QueryError) -> Expr {
        var text = t.value
        var unit = NumberUnit.plain
        var factor: ExactDecimal?
        var divisor: ExactDecimal?
        for (suffix, f, d) in [
            ("万元", nil, nil), ("亿元", ExactDecimal(10000), nil), ("万", nil, nil), ("亿", ExactDecimal(10000), nil),
            ("元", nil, ExactDecimal(10000)), ("%", nil, nil),
        ] as [(String, ExactDecimal?, ExactDecimal?)] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count))
            unit = suffix == "%" ? .percent : .money
            factor = f
            divisor = d
            break
        }
        guard var value = ExactDecimal(text) else { throw .invalidNumber(t.range, text: t.value) }
        if let f = factor {
            guard let v = value.multiplying(f) else { throw .overflow(t.range) }
            value = v
        }
        if let d = divisor {
            guard let v = value.dividing(by: d, places: 18) else { throw .overflow(t.range) }
            value = v
        }
        return Expr(.number(value, unit), t.range)
    }
}

/// The candidate closest to `name`, if close enough to suggest (see `Suggestions`).
func closest(_ name: String, _ candidates: [String]) -> String? {
    Suggestions.closest(name, in: candidates)
}
