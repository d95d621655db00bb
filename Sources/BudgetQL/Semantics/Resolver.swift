// Resolver: binds names in expressions to columns, relations and functions of a scope, and
// checks types (a name compared with a number is an error, not a silent false). Aggregate
// expressions are split into per-group accumulators and an expression over their results.

import BudgetModel

/// One aggregate computed per group.
package struct AggregateSpec: Sendable {
    /// The aggregate.
    package var function: AggregateFunction
    /// The argument, bound in the input scope (`nil` for `count()`).
    package var argument: BoundExpr?
    /// The argument's type.
    package var type: ValueType
    /// The aggregate call (`sum(amount)`): an overflow of its sum points here.
    package var range: SourceRange
    /// The fraction of a quantile (`median` 0.5, `percentile`'s p ÷ 100), else nil.
    package var fraction: ExactDecimal? = nil
    /// The separator of `string_agg`.
    package var separator: String = AggregateSpec.defaultSeparator

    /// The separator `string_agg` joins with when none is given: the Chinese enumeration comma.
    package static let defaultSeparator = "、"
}

/// `share(x)` outside agg: its argument, whose total over the frame is computed before the
/// stage's rows are evaluated, and the call (an overflow of the total points there).
package struct WindowShare: Sendable {
    /// `x`, bound in the stage's scope.
    package var argument: BoundExpr
    /// The `share(x)` call.
    package var range: SourceRange
}

/// A window function call: its value for every row of the frame is computed (per partition,
/// in frame order) before the stage that uses it is evaluated.
package struct WindowCall: Sendable {
    /// The function.
    package var function: WindowFunction
    /// Its value argument (`lag(x)`, `running_sum(x)`), bound in the stage's scope.
    package var argument: BoundExpr?
    /// The offset of `lag`/`lead`.
    package var offset: Int
    /// The keys of the last `sort` (`rank`, `dense_rank`), with their descending flags.
    package var keys: [(BoundExpr, Bool)]
    /// The call.
    package var range: SourceRange
}

/// A text field of a table compared by `=` or `in` with a constant or a parameter: after the
/// statement runs, a value the field never holds becomes a warning.
package struct ValueCheck: Sendable {
    /// The field's table.
    package var table: Table
    /// The field.
    package var field: Int
    /// The field as written (`dept`, `部门`, `project.name`).
    package var written: String
    /// The compared value: a constant or a `$parameter`.
    package var value: BoundExpr
}

/// Binds expressions to a scope.
package struct Resolver {
    /// The tables names resolve against.
    package let catalog: Catalog
    /// The `$parameter` values (their types are what the statement is typed with).
    package let parameters: [String: Value]
    /// The statement's UTF-8 bytes, for headers and messages.
    package let source: [UInt8]
    /// Inner expressions of `share(x)` used outside agg; their totals are computed before rows are evaluated.
    package var windowShares: [WindowShare] = []
    /// The `$parameters` the statement reads, with the type each was resolved as.
    package var usedParameters: [String: ValueType] = [:]
    /// Window function calls of the stage being bound, by slot.
    package var windowCalls: [WindowCall] = []
    /// The keys of the last `sort` while the rows are still in its order (what `rank()` ranks by).
    package var sortKeys: [(BoundExpr, Bool)]?
    /// The stage being bound, as written in messages (`where`, `select`, `agg`, …).
    package var stageName = "where"
    /// Whether the stage being bound may use window functions.
    package var windowsAllowed = true
    /// Text fields compared with constants by `=` or `in` so far (for value warnings).
    package var valueChecks: [ValueCheck] = []

    /// Records `field = value` for a value warning when `field` reads one text field of a table
    /// (directly, through references or a join) and `value` is a constant or parameter.
    private mutating func checkValue(_ field: BoundExpr, _ value: BoundExpr, written: SourceRange, in scope: Scope) {
        switch value.kind {
        case .constant(.text), .parameter(_, .text): break
        default: return
        }
        var e = field
        var table = scope.base
        while true {
            switch e.kind {
            case .navigate(_, let target, let inner), .joined(_, let target, let inner):
                table = target
                e = inner
                continue
            case .base(let f):
                if let table, table.fields[f].type.isTextual {
                    valueChecks.append(ValueCheck(table: table, field: f, written: text(written), value: value))
                }
            default: break
            }
            return
        }
    }
    /// While an `agg` expression is being bound: the group keys and the aggregates found so far.
    private var grouping: Grouped?

    /// The state of binding an `agg` expression.
    private struct Grouped {
        /// The group keys as written and bound.
        var keys: [(Expr, BoundExpr)]
        /// The aggregates of the expressions bound so far.
        var specs: [AggregateSpec]
    }

    /// A resolver over `catalog`, with the statement's parameters and UTF-8 bytes.
    package init(catalog: Catalog, parameters: [String: Value], source: [UInt8]) {
        self.catalog = catalog
        self.parameters = parameters
        self.source = source
    }

    /// The type a parameter value resolves as.
    package static func parameterType(_ v: Value) -> ValueType {
        switch v {
        case .integer, .decimal: return .decimal
        case .text: return .text
        case .bool: return .bool
        case .null: return .null
        }
    }

    /// The source text of a range (used as a result column header).
    package func text(_ r: SourceRange) -> String {
        let lo = max(0, min(r.start, source.count))
        let hi = max(lo, min(r.end, source.count))
        return String(decoding: source[lo..<hi], as: UTF8.self)
    }

    // MARK: - Row expressions

    /// Binds an expression in `scope`: its bound form and static type. While an `agg` expression
    /// is being bound (`bindAggregate`), names are group keys and aggregates fold the group.
    package mutating func bind(_ e: Expr, in scope: Scope) throws(QueryError) -> (BoundExpr, ValueType) {
        if let g = grouping { return try bindGrouped(e, in: scope, g) }
        return try bindRow(e, in: scope)
    }

    /// One node of a row expression; its children are bound by `bind`.
    private mutating func bindRow(_ e: Expr, in scope: Scope) throws(QueryError) -> (BoundExpr, ValueType) {
        switch e.kind {
        case .number(let d, let unit):
            return (
                BoundExpr(.constant(.decimal(d)), e.range),
                unit == .money ? .money : unit == .percent ? .percent : .decimal
            )
        case .string(let s):
            return (BoundExpr(.constant(.text(s)), e.range), .text)
        case .null:
            return (BoundExpr(.constant(.null), e.range), .null)
        case .bool(let b):
            return (BoundExpr(.constant(.bool(b)), e.range), .bool)
        case .parameter(let name):
            guard let v = parameters[name] else { throw .unboundParameter(e.range, name: name) }
            let type = Resolver.parameterType(v)
            usedParameters[name] = type
            return (BoundExpr(.parameter(name, type), e.range), type)
        case .name(let n):
            if let i = scope.column(n) {
                let c = scope.columns[i]
                return (scope.bound(c, e.range), c.type)
            }
            if let base = scope.base, base.relationIndex(n) != nil {
                throw bareRelation(n, e.range)
            }
            throw unknownName(n, e.range, scope)
        case .member(let object, let field):
            return try bindMember(object, field, e.range, in: scope)
        case .unary(let op, let x, let at):
            let (b, t) = try bind(x, in: scope)
            switch op {
            case .not:
                guard t == .bool || t == .null else {
                    throw .wrongType(x.range, context: "not", expected: "a condition", found: t.displayName)
                }
                return (BoundExpr(.not(b), e.range), .bool)
            case .negate:
                return (BoundExpr(.negate(b, at: at), e.range), try Resolver.negationType(t, x.range))
            }
        case .binary(let op, let l, let r, let at):
            return try bindBinary(op, l, r, e.range, at: at, in: scope)
        case .inList(let x, let items, let negated):
            let (bx, tx) = try bind(x, in: scope)
            var bound: [BoundExpr] = []
            var modes: [CompareMode] = []
            for item in items {
                let (bi, ti) = try bind(item, in: scope)
                let mode = try compareMode("in", tx, ti, x.range.union(item.range))
                if !negated && mode == .text { checkValue(bx, bi, written: x.range, in: scope) }
                modes.append(mode)
                bound.append(bi)
            }
            return (BoundExpr(.inList(bx, bound, modes, negated: negated), e.range), .bool)
        case .between(let x, let low, let high, let negated):
            let (bx, tx) = try bind(x, in: scope)
            let (bl, tl) = try bind(low, in: scope)
            let (bh, th) = try bind(high, in: scope)
            let lowMode = try compareMode("between", tx, tl, e.range)
            let highMode = try compareMode("between", tx, th, e.range)
            return (BoundExpr(.between(bx, bl, bh, lowMode, highMode, negated: negated), e.range), .bool)
        case .isNull(let x, let negated):
            let (bx, _) = try bind(x, in: scope)
            return (BoundExpr(.isNull(bx, negated: negated), e.range), .bool)
        case .call(let name, let args, let distinct):
            return try bindCall(name, args, distinct, e.range, in: scope)
        case .conditional(let whens, let otherwise):
            return try bindConditional(whens, otherwise, e.range, in: scope)
        }
    }

    /// `case when … then … else … end` and `if(c, a, b)`: conditions must be conditions, and the
    /// branches' values one kind of value (`commonType`).
    private mutating func bindConditional(
        _ whens: [WhenClause], _ otherwise: Expr?, _ range: SourceRange, in scope: Scope
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        let context = text(range).lowercased().hasPrefix("case") ? "when" : "if"
        var conditions: [BoundExpr] = []
        var values: [BoundExpr] = []
        var type = ValueType.null
        var branches = whens.map(\.value)
        if let otherwise { branches.append(otherwise) }
        for w in whens {
            let (c, ct) = try bind(w.condition, in: scope)
            guard ct == .bool || ct == .null else {
                throw .wrongType(w.condition.range, context: context, expected: "a condition", found: ct.displayName)
            }
            conditions.append(c)
        }
        var bound: [BoundExpr] = []
        for b in branches {
            let (v, vt) = try bind(b, in: scope)
            guard let t = Resolver.commonType(type, vt) else {
                throw .wrongType(
                    b.range, context: context == "if" ? "if" : "case",
                    expected: "a value of the same kind as the branch before (\(type.displayName))",
                    found: vt.displayName)
            }
            type = t
            bound.append(v)
        }
        values = Array(bound.prefix(whens.count))
        let other = otherwise == nil ? BoundExpr(.constant(.null), range) : bound[whens.count]
        return (BoundExpr(.conditional(conditions, values, otherwise: other), range), type)
    }

    /// The type of a value that is one of several (the branches of `case` and `if`, the fields
    /// of `unpivot`): null gives way to any type; whole numbers and decimals give way to an
    /// amount or a percentage (an amount and a percentage do not mix); text, codes and
    /// references are text. Nil when the two do not mix.
    package static func commonType(_ a: ValueType, _ b: ValueType) -> ValueType? {
        if a == .null { return b == .reference ? .text : b }
        if b == .null || a == b { return a == .reference ? .text : a }
        if a.isNumeric && b.isNumeric {
            if (a == .money && b == .percent) || (a == .percent && b == .money) { return nil }
            if a == .money || b == .money { return .money }
            if a == .percent || b == .percent { return .percent }
            return .decimal
        }
        if a.isTextual && b.isTextual { return .text }
        return nil
    }

    /// A relation (many rows per row) used where one value is needed: `select indicators`.
    package func bareRelation(_ n: String, _ range: SourceRange) -> QueryError {
        .wrongType(
            range, context: "a column", expected: "one value per row such as count(\(n)) or sum(\(n).value)",
            found: "the relation \(n) (many rows per row)")
    }

    /// An unknown-field error for `n`, with the closest name of `scope` as a suggestion — or,
    /// when an earlier stage dropped `n`, an error that says which stage did.
    package func unknownName(_ n: String, _ range: SourceRange, _ scope: Scope) -> QueryError {
        if let d = scope.dropped.last(where: { $0.names.contains(n) || $0.names.contains(n.lowercased()) }) {
            return .droppedField(range, name: n, stage: d.stage, stageRange: d.range, kept: d.kept)
        }
        return .unknownField(range, name: n, table: scope.tableName, suggestion: closest(n, scope.names))
    }

    private mutating func bindMember(_ object: Expr, _ field: String, _ range: SourceRange, in scope: Scope)
        throws(QueryError) -> (BoundExpr, ValueType)
    {
        // alias.field: a field of a joined table.
        if case .name(let n) = object.kind, scope.column(n) == nil, !scope.joinTargets.isEmpty {
            if let i = scope.column(n + "." + field) {
                return (scope.bound(scope.columns[i], range), scope.columns[i].type)
            }
            // The joined table written by its name where the join gave it an alias.
            if let t = scope.joinTargets.first(where: { $0.name == n || $0.alias == n }),
                let f = Scope.of(t, as: t.name).column(field),
                let c = scope.columns.first(where: {
                    if case .joined(let j, let g) = $0.source { return scope.joinTargets[j] === t && g == f }
                    return false
                })
            {
                throw .unknownField(
                    range, name: text(range), table: scope.tableName, suggestion: c.name)
            }
            let prefix = n + "."
            let joined = scope.columns.filter { $0.name.hasPrefix(prefix) }
            if !joined.isEmpty {
                throw .unknownField(
                    SourceRange(range.end - field.utf8.count, range.end), name: field,
                    table: joined.first.flatMap { scope.joinedTableName($0) } ?? n,
                    suggestion: closest(
                        field,
                        joined.flatMap { [$0.name] + $0.aliases }.map { String($0.dropFirst(prefix.count)) }.filter {
                            !$0.contains(".")
                        }))
            }
        }
        let (wrap, targetScope) = try navigation(object, in: scope)
        guard let i = targetScope.column(field) else {
            if let t = targetScope.base, t.relationIndex(field) != nil {
                throw bareRelation(text(range), range)
            }
            throw .unknownField(
                SourceRange(range.end - field.utf8.count, range.end), name: field, table: targetScope.tableName,
                suggestion: closest(field, targetScope.names))
        }
        guard case .base(let f) = targetScope.columns[i].source else { throw unknownName(field, range, targetScope) }
        return (wrap(BoundExpr(.base(f), range)), targetScope.columns[i].type)
    }

    /// Resolves `object` (a reference, possibly chained) to the scope of the row it points at.
    private func navigation(_ object: Expr, in scope: Scope) throws(QueryError) -> ((BoundExpr) -> BoundExpr, Scope) {
        switch object.kind {
        case .name(let n):
            guard let i = scope.column(n) else {
                if let base = scope.base, base.relationIndex(n) != nil {
                    throw .wrongType(
                        object.range, context: "\(n).field",
                        expected: "an aggregate around it, e.g. sum(\(n).value) or count(\(n))",
                        found: "the relation \(n) (many rows per row)")
                }
                throw unknownName(n, object.range, scope)
            }
            return try reference(scope.columns[i], n, object.range, in: scope)
        case .member(let inner, let n):
            // alias.field of a joined table, itself a reference: s.dept.name.
            if case .name(let a) = inner.kind, scope.column(a) == nil, let i = scope.column(a + "." + n) {
                return try reference(scope.columns[i], a + "." + n, object.range, in: scope)
            }
            let (outerWrap, innerScope) = try navigation(inner, in: scope)
            let (wrap, target) = try navigation(Expr(.name(n), object.range), in: innerScope)
            return ({ outerWrap(wrap($0)) }, target)
        default:
            throw .notARelation(object.range, name: text(object.range))
        }
    }

    /// Navigation through reference column `c` (of the base table, or of a joined table).
    private func reference(_ c: ScopeColumn, _ n: String, _ range: SourceRange, in scope: Scope) throws(QueryError)
        -> ((BoundExpr) -> BoundExpr, Scope)
    {
        guard c.type == .reference else { throw .notARelation(range, name: n) }
        switch c.source {
        case .base(let f):
            guard let base = scope.base, let targetName = base.fields[f].target, let target = catalog.table(targetName)
            else { throw .notARelation(range, name: n) }
            return (
                { BoundExpr(.navigate(field: f, target: target, inner: $0), $0.range) },
                Scope.of(target, as: target.name)
            )
        case .joined(let j, let f):
            let joined = scope.joinTargets[j]
            guard let targetName = joined.fields[f].target, let target = catalog.table(targetName) else {
                throw .notARelation(range, name: n)
            }
            return (
                {
                    BoundExpr(
                        .joined(
                            join: j, target: joined,
                            inner: BoundExpr(.navigate(field: f, target: target, inner: $0), $0.range)), $0.range)
                },
                Scope.of(target, as: target.name)
            )
        case .frame: throw .notARelation(range, name: n)
        }
    }

    /// How `l op r` compares, or a type-mismatch error.
    package func compareMode(_ op: String, _ l: ValueType, _ r: ValueType, _ range: SourceRange) throws(QueryError)
        -> CompareMode
    {
        if l == .null || r == .null {
            throw .typeMismatch(
                range, operation: op, left: l.displayName, right: r.displayName + " (use is null / is not null)")
        }
        if (l == .money && r == .percent) || (l == .percent && r == .money) {
            // 95% is the number 95: comparing it with an amount in 万元 is a mistake, not a filter.
            throw .typeMismatch(range, operation: op, left: l.displayName, right: r.displayName)
        }
        if l.isNumeric && r.isNumeric { return .numeric }
        if l.isTextual && r.isTextual { return .text }
        if (l == .code && r.isNumeric) || (l.isNumeric && r == .code) { return .codeNumber }
        if l == .bool && r == .bool { return .boolean }
        throw .typeMismatch(range, operation: op, left: l.displayName, right: r.displayName)
    }

    private mutating func bindBinary(
        _ op: BinaryOp, _ l: Expr, _ r: Expr, _ range: SourceRange, at: SourceRange, in scope: Scope
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        let (bl, tl) = try bind(l, in: scope)
        let (br, tr) = try bind(r, in: scope)
        switch op {
        case .logical(let connective):
            for (t, x) in [(tl, l), (tr, r)] where t != .bool && t != .null {
                throw .wrongType(
                    x.range, context: connective.description, expected: "a condition", found: t.displayName)
            }
            switch connective {
            case .and: return (BoundExpr(.and(bl, br), range), .bool)
            case .or: return (BoundExpr(.or(bl, br), range), .bool)
            }
        case .comparison(let comparison):
            let mode = try compareMode(op.description, tl, tr, range)
            if comparison == .equal && mode == .text {
                checkValue(bl, br, written: l.range, in: scope)
                checkValue(br, bl, written: r.range, in: scope)
            }
            return (BoundExpr(.compare(comparison, bl, br, mode), range), .bool)
        case .text(let textOp):
            for t in [tl, tr] where !t.isTextual && t != .null {
                throw .typeMismatch(range, operation: op.description, left: tl.displayName, right: tr.displayName)
            }
            switch textOp {
            case .matches:
                guard case .constant(.text(let pattern)) = br.kind else {
                    throw .wrongType(
                        r.range, context: "=~", expected: "a quoted regular expression", found: tr.displayName)
                }
                do { _ = try Pattern.cached(pattern) } catch {
                    throw .invalidRegex(r.range, pattern: pattern, detail: error.detail)
                }
                return (BoundExpr(.regex(bl, pattern: pattern), range), .bool)
            case .startsWith: return (BoundExpr(.prefix(bl, br), range), .bool)
            case .contains: return (BoundExpr(.contains(bl, br, negated: false), range), .bool)
            case .notContains: return (BoundExpr(.contains(bl, br, negated: true), range), .bool)
            }
        case .arithmetic(let arithmetic):
            let type = try Resolver.arithmeticType(arithmetic, tl, tr, range)
            return (BoundExpr(.arithmetic(arithmetic, bl, br, type, at: at), range), type)
        }
    }

    /// The type of `-x` — one rule for row expressions and for expressions over aggregates.
    package static func negationType(_ t: ValueType, _ range: SourceRange) throws(QueryError) -> ValueType {
        guard t.isNumeric || t == .null else {
            throw .wrongType(range, context: "-", expected: "a number", found: t.displayName)
        }
        return t
    }

    /// The type of `l op r` — one rule for row expressions and for expressions over aggregates.
    /// Money stays money through `+ - * %` and when divided by a number (an amount ÷ 3 is an
    /// amount); money ÷ money is a ratio.
    package static func arithmeticType(_ op: ArithmeticOp, _ tl: ValueType, _ tr: ValueType, _ range: SourceRange)
        throws(QueryError) -> ValueType
    {
        for t in [tl, tr] where !t.isNumeric && t != .null {
            throw .typeMismatch(range, operation: op.description, left: tl.displayName, right: tr.displayName)
        }
        switch op {
        case .divide:
            return (tl == .money && tr != .money) ? .money : .decimal
        case .add, .subtract, .multiply, .remainder:
            if tl == .money || tr == .money { return .money }
            if tl == .integer && tr == .integer { return .integer }
            return .decimal
        }
    }

    private mutating func bindCall(
        _ name: String, _ args: [Expr], _ distinct: Bool, _ range: SourceRange, in scope: Scope
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        if let fn = Functions.aggregate(named: name) {
            // Over a relation: any(indicators, …), count(indicators), sum(indicators.value).
            if let (rel, target, inner) = relationArgument(args.first, in: scope) {
                let targetScope = Scope.of(target, as: target.name)
                var filter: BoundExpr?
                if fn == .share {
                    throw .wrongType(
                        args[0].range, context: name, expected: "a column of the rows, e.g. share(amount)",
                        found: "a relation")
                }
                if fn == .any || fn == .all || (fn == .count && inner == nil) {
                    // any(r, cond), all(r, cond), count(r), count(r, cond).
                    if inner != nil {
                        throw .wrongType(
                            args[0].range, context: name, expected: "a relation such as indicators", found: "a field")
                    }
                    if fn != .count || args.count != 1 {
                        guard args.count == 2 else {
                            throw .wrongArgumentCount(
                                range, function: name,
                                expected: fn == .count
                                    ? "a relation and an optional condition" : "a relation and a condition",
                                found: args.count)
                        }
                        let sharesBefore = windowShares.count
                        let (allowed, stage) = (windowsAllowed, stageName)
                        (windowsAllowed, stageName) = (false, "the condition of \(name)(…)")
                        defer { (windowsAllowed, stageName) = (allowed, stage) }
                        let (p, t) = try bind(args[1], in: targetScope)
                        if windowShares.count > sharesBefore {
                            // share(x) totals x over the stage's rows; the condition is evaluated
                            // on each related row, which is another table.
                            throw .wrongType(
                                windowShares[sharesBefore].range, context: "\(name)(…)",
                                expected: "a condition on each related row",
                                found: "share(), a window over the rows of the stage")
                        }
                        guard t == .bool else {
                            throw .wrongType(
                                args[1].range, context: name, expected: "a condition", found: t.displayName)
                        }
                        filter = p
                    }
                    return (
                        BoundExpr(
                            .relation(
                                relation: rel, target: target, function: fn, inner: nil, filter: filter,
                                type: .integer), range),
                        fn == .count ? .integer : .bool
                    )
                }
                // sum(r.field), avg, min, max, count(r.field) (non-null values), count(distinct r.field).
                guard let inner else {
                    throw .wrongType(
                        args[0].range, context: name,
                        expected: "a field of the relation, e.g. \(name)(\(text(args[0].range)).value)",
                        found: "the relation itself")
                }
                guard args.count == 1, !fn.parameters.contains(where: { !$0.optional }) else {
                    throw .wrongArgumentCount(
                        range, function: name,
                        expected: fn.parameters.isEmpty
                            ? "1 argument" : "1 argument over a relation (group the related rows for more)",
                        found: args.count)
                }
                let (b, t) = try bind(Expr(.name(inner), args[0].range), in: targetScope)
                try fn.check(t, args[0].range)
                let f: AggregateFunction = distinct && fn == .count ? .countDistinct : fn
                return (
                    BoundExpr(
                        .relation(relation: rel, target: target, function: f, inner: b, filter: nil, type: t), range),
                    f.resultType(t)
                )
            }
            if fn.isWindow, args.count == 1 {
                // share(x) outside agg: this row's x as a percentage of the frame's total.
                let (b, t) = try bind(args[0], in: scope)
                try fn.check(t, args[0].range)
                windowShares.append(WindowShare(argument: b, range: range))
                return (BoundExpr(.windowShare(b, slot: windowShares.count - 1), range), .percent)
            }
            throw .aggregateOutsideAgg(range, function: name, stage: stageName)
        }
        if let w = Functions.window(named: name) { return try bindWindow(w, called: name, args, range, in: scope) }
        guard let fn = Functions.scalar(named: name) else {
            throw .unknownFunction(range, name: name, suggestion: closest(name, Functions.englishNames))
        }
        var bound: [BoundExpr] = []
        var types: [ValueType] = []
        for a in args {
            let (b, t) = try bind(a, in: scope)
            bound.append(b)
            types.append(t)
        }
        let type = try fn.type(called: name, range, arguments: args, bound: bound, types: types)
        return (BoundExpr(.call(fn, bound), range), type)
    }

    /// A window function call: checked, recorded in `windowCalls`, bound to its slot.
    private mutating func bindWindow(
        _ w: WindowFunction, called name: String, _ args: [Expr], _ range: SourceRange, in scope: Scope
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        guard windowsAllowed, grouping == nil else {
            throw .misplacedStage(
                range, stage: "\(name)()",
                reason:
                    "is a window function and cannot be used in \(stageName): use it in derive, select, where or sort (inside group by … ( … ) for each group)"
            )
        }
        let parameters = w.parameters
        let arity = parameters.filter { !$0.optional }.count...parameters.count
        guard arity.contains(args.count) else {
            let expected =
                arity.upperBound == 0
                ? "no arguments"
                : arity.lowerBound == arity.upperBound
                    ? "\(arity.lowerBound) argument" : "\(arity.lowerBound) or \(arity.upperBound) arguments"
            throw .wrongArgumentCount(range, function: name, expected: expected, found: args.count)
        }
        var argument: BoundExpr?
        var type = ValueType.null
        if let first = args.first {
            let (b, t) = try bind(first, in: scope)
            guard parameters[0].kind.accepts(t) else {
                throw .wrongType(
                    first.range, context: name, expected: parameters[0].kind.expected, found: t.displayName)
            }
            argument = b
            type = t
        }
        var offset = 1
        if args.count > 1 {
            let (b, _) = try bind(args[1], in: scope)
            guard case .constant(let v) = b.kind, let n = v.decimal?.exactInteger, n >= 0 else {
                throw .wrongType(
                    args[1].range, context: name, expected: "a whole number of rows written out, such as 1",
                    found: "\"\(text(args[1].range))\"")
            }
            // Past every partition's end either way; kept small enough that positions never overflow.
            offset = min(n, Int(Int32.max))
        }
        var keys: [(BoundExpr, Bool)] = []
        if w.ranksBySortKeys {
            guard let k = sortKeys else {
                throw .misplacedStage(
                    range, stage: "\(name)()",
                    reason: "ranks by the keys of a sort before it, e.g. sort -amount | derive r = \(name)()")
            }
            keys = k
        }
        guard w.isLagArithmetic, let x = argument else {
            windowCalls.append(WindowCall(function: w, argument: argument, offset: offset, keys: keys, range: range))
            return (BoundExpr(.window(slot: windowCalls.count - 1), range), w.resultType(type))
        }
        // change(x, n) is x - lag(x, n); pct_change(x, n) is (x - lag(x, n)) / lag(x, n) * 100,
        // null where lag(x, n) is 0: arithmetic over a lag, so the batch, row and SQL engines
        // each run it as they run that expression. Dividing before multiplying keeps the
        // dividend's digits as they are (SQL's 64-bit division needs them below 2^63 / 10^10).
        windowCalls.append(WindowCall(function: .lag, argument: x, offset: offset, keys: [], range: range))
        let earlier = BoundExpr(.window(slot: windowCalls.count - 1), range)
        let difference = BoundExpr(.arithmetic(.subtract, x, earlier, w.resultType(type), at: range), range)
        guard w == .pctChange else { return (difference, w.resultType(type)) }
        let hundred = BoundExpr(.constant(.integer(100)), range)
        let fraction = BoundExpr(.arithmetic(.divide, difference, earlier, .decimal, at: range), range)
        let ratio = BoundExpr(.arithmetic(.multiply, fraction, hundred, .percent, at: range), range)
        let zero = BoundExpr(.compare(.equal, earlier, BoundExpr(.constant(.integer(0)), range), .numeric), range)
        return (
            BoundExpr(.conditional([zero], [BoundExpr(.constant(.null), range)], otherwise: ratio), range),
            .percent
        )
    }

    /// If `arg` names a relation (`indicators`) or a relation's field (`indicators.value`), returns it.
    private func relationArgument(_ arg: Expr?, in scope: Scope) -> (Int, Table, String?)? {
        guard let arg, let base = scope.base else { return nil }
        switch arg.kind {
        case .name(let n) where scope.column(n) == nil:
            guard let r = base.relationIndex(n), let t = catalog.table(base.relations[r].target) else { return nil }
            return (r, t, nil)
        case .member(let o, let f):
            guard case .name(let n) = o.kind, scope.column(n) == nil, let r = base.relationIndex(n),
                let t = catalog.table(base.relations[r].target)
            else { return nil }
            return (r, t, f)
        default: return nil
        }
    }

    /// Whether two bound expressions read the same column.
    package static func sameColumn(_ a: BoundExpr, _ b: BoundExpr) -> Bool {
        switch (a.kind, b.kind) {
        case (.base(let x), .base(let y)), (.column(let x), .column(let y)): return x == y
        default: return false
        }
    }

    // MARK: - Aggregate expressions

    /// Binds an `agg` expression. Aggregate calls become `specs` (computed per group over the input
    /// scope); group keys become columns `0..<keys.count` of the grouped frame; specs follow them.
    /// Everything else — operators, comparisons, conditionals, scalar functions — is typed by the
    /// same rules as in a row expression, over the aggregates' and keys' values.
    package mutating func bindAggregate(
        _ e: Expr, in scope: Scope, keys: [(Expr, BoundExpr)], specs: inout [AggregateSpec]
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        let outer = grouping
        grouping = Grouped(keys: keys, specs: specs)
        defer { grouping = outer }
        let bound = try bind(e, in: scope)
        specs = grouping?.specs ?? specs
        return bound
    }

    /// The aggregate `fn` of a group's rows as called (`name(args)`, `count(distinct x)`): its
    /// argument bound over the input rows, its constant parameters checked, and the argument's type.
    package mutating func aggregateSpec(
        _ fn: AggregateFunction, called name: String, _ args: [Expr], distinct: Bool, _ range: SourceRange,
        in scope: Scope
    ) throws(QueryError) -> (AggregateSpec, ValueType) {
        if fn == .count && args.isEmpty {
            return (AggregateSpec(function: .count, argument: nil, type: .null, range: range), .null)
        }
        let extra = fn.parameters
        let arity = (1 + extra.filter { !$0.optional }.count)...(1 + extra.count)
        guard arity.contains(args.count) else {
            let expected =
                fn == .count
                ? "0 or 1 argument"
                : arity.lowerBound == arity.upperBound
                    ? "\(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
                    : "\(arity.lowerBound) or \(arity.upperBound) arguments"
            throw .wrongArgumentCount(range, function: name, expected: expected, found: args.count)
        }
        let (b, t) = try bindRows(args[0], in: scope)
        try fn.check(t, args[0].range)
        var spec = AggregateSpec(
            function: distinct && fn == .count ? .countDistinct : fn, argument: b, type: t, range: range)
        spec.fraction = fn.fixedFraction
        for a in args.dropFirst() {
            let (pb, _) = try bindRows(a, in: scope)
            let value: Value? = if case .constant(let v) = pb.kind { v } else { nil }
            switch fn {
            case .quantile, .percentile:
                let top = ExactDecimal(fn == .quantile ? 1 : 100)
                guard let p = value?.decimal, !(p < .zero), !(top < p) else {
                    throw .wrongType(
                        a.range, context: name, expected: "a number from 0 to \(top) written out",
                        found: "\"\(text(a.range))\"")
                }
                let n = p.normalized
                guard fn == .quantile || n.scale + 2 <= ExactDecimal.maxScale else {
                    throw .wrongType(
                        a.range, context: name, expected: "at most \(ExactDecimal.maxScale - 2) decimal places",
                        found: "\"\(text(a.range))\"")
                }
                spec.fraction = fn == .quantile ? n : ExactDecimal(mantissa: n.mantissa, scale: n.scale + 2).normalized
            case .stringAgg:
                guard let s = value?.text else {
                    throw .wrongType(
                        a.range, context: name, expected: "a quoted separator such as \"、\"",
                        found: "\"\(text(a.range))\"")
                }
                spec.separator = s
            case .sum, .count, .avg, .min, .max, .countDistinct, .median, .share, .any, .all:
                break
            }
        }
        return (spec, t)
    }

    /// Binds `e` in row mode even while an `agg` expression is being bound (aggregate arguments).
    private mutating func bindRows(_ e: Expr, in scope: Scope) throws(QueryError) -> (BoundExpr, ValueType) {
        let outer = grouping
        grouping = nil
        defer { grouping = outer }
        return try bind(e, in: scope)
    }

    /// One node of an `agg` expression: a group key, an aggregate of the group's rows, or an
    /// operator or function over those (bound as in a row expression, children again here).
    private mutating func bindGrouped(_ e: Expr, in scope: Scope, _ g: Grouped) throws(QueryError) -> (
        BoundExpr, ValueType
    ) {
        // A group key used as is, written as in `group by` or by another name of the same field
        // (group by 类 | agg x = 类名称).
        if let k = g.keys.firstIndex(where: { $0.0.kind == e.kind }) {
            return (BoundExpr(.column(k), e.range), (try? bindRows(e, in: scope).1) ?? .text)
        }
        if case .name = e.kind, let (b, t) = try? bindRows(e, in: scope),
            let k = g.keys.firstIndex(where: { Resolver.sameColumn($0.1, b) })
        {
            return (BoundExpr(.column(k), e.range), t)
        }
        switch e.kind {
        case .call(let name, let args, let distinct):
            guard let fn = Functions.aggregate(named: name) else { return try bindRow(e, in: scope) }
            if relationArgument(args.first, in: scope) != nil {
                // any(indicators, …), count(indicators), sum(indicators.value): one value per input row.
                throw .wrongType(
                    e.range, context: "agg",
                    expected:
                        "an aggregate of the group's rows (compute \(name)(…) per row with derive before group by)",
                    found: "\"\(text(e.range))\"")
            }
            if !fn.foldsGroups { throw .aggregateOutsideAgg(e.range, function: name, stage: "agg") }
            let (spec, t) = try aggregateSpec(fn, called: name, args, distinct: distinct, e.range, in: scope)
            grouping?.specs.append(spec)
            return (
                BoundExpr(.column(g.keys.count + (grouping?.specs.count ?? 1) - 1), e.range),
                spec.function.resultType(t)
            )
        case .name, .member:
            throw .wrongType(
                e.range, context: "agg", expected: "an aggregate such as sum(amount) or a group by key",
                found: "\"\(text(e.range))\"")
        default:
            return try bindRow(e, in: scope)
        }
    }
}
