// Resolver: binds names in expressions to columns, relations and functions of a scope, and
// checks types (a name compared with a number is an error, not a silent false). Aggregate
// expressions are split into per-group accumulators and an expression over their results.

import BudgetModel

/// One aggregate computed per group.
package struct AggregateSpec: Sendable {
    package var function: AggregateFunction
    /// The argument, bound in the input scope (`nil` for `count()`).
    package var argument: BoundExpr?
    /// The argument's type.
    package var type: ValueType
}

/// Binds expressions to a scope.
package struct Resolver {
    package let catalog: Catalog
    package let parameters: [String: Value]
    package let source: [UInt8]
    /// Inner expressions of `share(x)` used outside agg; their totals are computed before rows are evaluated.
    package var windowShares: [BoundExpr] = []
    /// The `$parameters` the statement reads, with the type each was resolved as.
    package var usedParameters: [String: ValueType] = [:]

    package static let aggregateNames: [String: AggregateFunction] = [
        "sum": .sum, "count": .count, "avg": .avg, "mean": .avg, "min": .min, "max": .max,
        "count_distinct": .countDistinct, "share": .share, "any": .any, "all": .all,
        "合计": .sum, "求和": .sum, "计数": .count, "平均": .avg, "最小": .min, "最大": .max, "占比": .share,
    ]
    package static var functionNames: [String] {
        Array(aggregateNames.keys.filter { $0.allSatisfy(\.isASCII) }) + ScalarFunction.allCases.map(\.rawValue)
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

    package mutating func bind(_ e: Expr, in scope: Scope) throws(QueryError) -> (BoundExpr, ValueType) {
        switch e.kind {
        case .number(let d, let unit):
            return (.constant(.decimal(d)), unit == .money ? .money : unit == .percent ? .percent : .decimal)
        case .string(let s):
            return (.constant(.text(s)), .text)
        case .null:
            return (.constant(.null), .null)
        case .bool(let b):
            return (.constant(.bool(b)), .bool)
        case .parameter(let name):
            guard let v = parameters[name] else { throw .unboundParameter(e.range, name: name) }
            let type = Resolver.parameterType(v)
            usedParameters[name] = type
            return (.parameter(name, type), type)
        case .name(let n):
            if let i = scope.column(n) {
                let c = scope.columns[i]
                switch c.source {
                case .base(let f): return (.base(f), c.type)
                case .frame(let k): return (.column(k), c.type)
                }
            }
            if let base = scope.base, base.relationIndex(n) != nil {
                throw bareRelation(n, e.range)
            }
            throw unknownName(n, e.range, scope)
        case .member(let object, let field):
            return try bindMember(object, field, e.range, in: scope)
        case .unary(let op, let x):
            let (b, t) = try bind(x, in: scope)
            if op == "not" {
                guard t == .bool || t == .null else {
                    throw .wrongType(x.range, context: "not", expected: "a condition", found: t.displayName)
                }
                return (.not(b), .bool)
            }
            guard t.isNumeric || t == .null else {
                throw .wrongType(x.range, context: "-", expected: "a number", found: t.displayName)
            }
            return (.negate(b, e.range), t)
        case .binary(let op, let l, let r):
            return try bindBinary(op, l, r, e.range, in: scope)
        case .inList(let x, let items, let negated):
            let (bx, tx) = try bind(x, in: scope)
            var bound: [BoundExpr] = []
            var modes: [CompareMode] = []
            for item in items {
                let (bi, ti) = try bind(item, in: scope)
                modes.append(try compareMode("in", tx, ti, x.range.union(item.range)))
                bound.append(bi)
            }
            return (.inList(bx, bound, modes, negated: negated), .bool)
        case .between(let x, let low, let high, let negated):
            let (bx, tx) = try bind(x, in: scope)
            let (bl, tl) = try bind(low, in: scope)
            let (bh, th) = try bind(high, in: scope)
            let lowMode = try compareMode("between", tx, tl, e.range)
            let highMode = try compareMode("between", tx, th, e.range)
            return (.between(bx, bl, bh, lowMode, highMode, negated: negated), .bool)
        case .isNull(let x, let negated):
            let (bx, _) = try bind(x, in: scope)
            return (.isNull(bx, negated: negated), .bool)
        case .call(let name, let args, let distinct):
            return try bindCall(name, args, distinct, e.range, in: scope)
        }
    }

    /// A relation (many rows per row) used where one value is needed: `select indicators`.
    package func bareRelation(_ n: String, _ range: SourceRange) -> QueryError {
        .wrongType(
            range, context: "a column", expected: "one value per row such as count(\(n)) or sum(\(n).value)",
            found: "the relation \(n) (many rows per row)")
    }

    package func unknownName(_ n: String, _ range: SourceRange, _ scope: Scope) -> QueryError {
        .unknownField(range, name: n, table: scope.tableName, suggestion: closest(n, scope.names))
    }

    private mutating func bindMember(_ object: Expr, _ field: String, _ range: SourceRange, in scope: Scope)
        throws(QueryError) -> (BoundExpr, ValueType)
    {
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
        return (wrap(.base(f)), targetScope.columns[i].type)
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
            let c = scope.columns[i]
            guard c.type == .reference, case .base(let f) = c.source, let base = scope.base,
                let targetName = base.fields[f].target, let target = catalog.table(targetName)
            else {
                throw .notARelation(object.range, name: n)
            }
            return ({ .navigate(field: f, target: target, inner: $0) }, Scope.of(target, as: target.name))
        case .member(let inner, let n):
            let (outerWrap, innerScope) = try navigation(inner, in: scope)
            let (wrap, target) = try navigation(Expr(.name(n), object.range), in: innerScope)
            return ({ outerWrap(wrap($0)) }, target)
        default:
            throw .notARelation(object.range, name: text(object.range))
        }
    }

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

    private mutating func bindBinary(_ op: String, _ l: Expr, _ r: Expr, _ range: SourceRange, in scope: Scope)
        throws(QueryError) -> (BoundExpr, ValueType)
    {
        let (bl, tl) = try bind(l, in: scope)
        let (br, tr) = try bind(r, in: scope)
        switch op {
        case "and", "且", "or", "或":
            for (t, x) in [(tl, l), (tr, r)] where t != .bool && t != .null {
                throw .wrongType(x.range, context: op, expected: "a condition", found: t.displayName)
            }
            return (op == "and" || op == "且" ? .and(bl, br) : .or(bl, br), .bool)
        case "=", "!=", "<", "<=", ">", ">=":
            return (.compare(op, bl, br, try compareMode(op, tl, tr, range)), .bool)
        case "~", "!~", "^=", "=~":
            for (t, x) in [(tl, l), (tr, r)] where !t.isTextual && t != .null {
                throw .typeMismatch(
                    range, operation: op, left: tl.displayName, right: tr.displayName + (x.range == r.range ? "" : ""))
            }
            if op == "=~" {
                guard case .constant(.text(let pattern)) = br else {
                    throw .wrongType(
                        r.range, context: "=~", expected: "a quoted regular expression", found: tr.displayName)
                }
                do { _ = try Pattern.cached(pattern) } catch {
                    throw .invalidRegex(r.range, pattern: pattern, detail: error.detail)
                }
                return (.regex(bl, pattern: pattern), .bool)
            }
            return (op == "^=" ? .prefix(bl, br) : .contains(bl, br, negated: op == "!~"), .bool)
        default:
            for t in [tl, tr] where !t.isNumeric && t != .null {
                throw .typeMismatch(range, operation: op, left: tl.displayName, right: tr.displayName)
            }
            let type: ValueType
            if op == "/" {
                type = (tl == .money && tr != .money) ? .money : .decimal
            } else if tl == .money || tr == .money {
                type = .money
            } else if tl == .integer && tr == .integer {
                type = .integer
            } else if tl == .percent || tr == .percent {
                type = .decimal
            } else {
                type = .decimal
            }
            return (.arithmetic(op, bl, br, type, range), type)
        }
    }

    private mutating func bindCall(
        _ name: String, _ args: [Expr], _ distinct: Bool, _ range: SourceRange, in scope: Scope
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        if let fn = Resolver.aggregateNames[name.lowercased()] ?? Resolver.aggregateNames[name] {
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
                        let (p, t) = try bind(args[1], in: targetScope)
                        guard t == .bool else {
                            throw .wrongType(
                                args[1].range, context: name, expected: "a condition", found: t.displayName)
                        }
                        filter = p
                    }
                    return (
                        .relation(
                            relation: rel, target: target, function: fn, inner: nil, filter: filter, type: .integer),
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
                guard args.count == 1 else {
                    throw .wrongArgumentCount(range, function: name, expected: "1 argument", found: args.count)
                }
                let (b, t) = try bind(Expr(.name(inner), args[0].range), in: targetScope)
                try checkAggregateArgument(fn, t, args[0].range)
                let f: AggregateFunction = distinct && fn == .count ? .countDistinct : fn
                return (
                    .relation(relation: rel, target: target, function: f, inner: b, filter: nil, type: t),
                    aggregateType(f, t)
                )
            }
            if fn == .share, args.count == 1 {
                // share(x) outside agg: this row's x as a percentage of the frame's total.
                let (b, t) = try bind(args[0], in: scope)
                try checkAggregateArgument(.share, t, args[0].range)
                windowShares.append(b)
                return (.windowShare(b, slot: windowShares.count - 1), .percent)
            }
            throw .aggregateOutsideAgg(range, function: name)
        }
        guard let fn = ScalarFunction(rawValue: name.lowercased()) else {
            throw .unknownFunction(range, name: name, suggestion: closest(name, Resolver.functionNames))
        }
        var bound: [BoundExpr] = []
        var types: [ValueType] = []
        for a in args {
            let (b, t) = try bind(a, in: scope)
            bound.append(b)
            types.append(t)
        }
        func arity(_ n: ClosedRange<Int>, _ desc: String) throws(QueryError) {
            if !n.contains(args.count) {
                throw .wrongArgumentCount(range, function: name, expected: desc, found: args.count)
            }
        }
        func textual(_ i: Int) throws(QueryError) {
            if !types[i].isTextual && types[i] != .null {
                throw .wrongType(args[i].range, context: name, expected: "text", found: types[i].displayName)
            }
        }
        func numeric(_ i: Int) throws(QueryError) {
            if !types[i].isNumeric && types[i] != .null {
                throw .wrongType(args[i].range, context: name, expected: "a number", found: types[i].displayName)
            }
        }
        switch fn {
        case .startsWith, .endsWith, .contains, .matches:
            try arity(2...2, "2 arguments")
            try textual(0)
            try textual(1)
            if fn == .matches, case .constant(.text(let p)) = bound[1] {
                do { _ = try Pattern.cached(p) } catch {
                    throw .invalidRegex(args[1].range, pattern: p, detail: error.detail)
                }
            }
            return (.call(fn, bound, range), .bool)
        case .length:
            try arity(1...1, "1 argument")
            try textual(0)
            return (.call(fn, bound, range), .integer)
        case .lower, .upper:
            try arity(1...1, "1 argument")
            try textual(0)
            return (.call(fn, bound, range), .text)
        case .substr:
            try arity(2...3, "2 or 3 arguments")
            try textual(0)
            try numeric(1)
            if args.count == 3 { try numeric(2) }
            return (.call(fn, bound, range), .text)
        case .round:
            try arity(1...2, "1 or 2 arguments")
            try numeric(0)
            if args.count == 2 { try numeric(1) }
            return (.call(fn, bound, range), types[0] == .integer ? .decimal : types[0])
        case .abs:
            try arity(1...1, "1 argument")
            try numeric(0)
            return (.call(fn, bound, range), types[0])
        case .coalesce:
            try arity(1...16, "1 to 16 arguments")
            try checkCoalesce(name: name, types: types, ranges: args.map(\.range))
            let t = types.first { $0 != .null } ?? .null
            return (.call(fn, bound, range), t)
        }
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

    package func checkAggregateArgument(_ fn: AggregateFunction, _ t: ValueType, _ range: SourceRange)
        throws(QueryError)
    {
        switch fn {
        case .sum, .avg, .share:
            if !t.isNumeric && t != .null {
                throw .wrongType(range, context: fn.rawValue, expected: "a number", found: t.displayName)
            }
        default: break
        }
    }

    package func aggregateType(_ fn: AggregateFunction, _ t: ValueType) -> ValueType {
        switch fn {
        case .count, .countDistinct: return .integer
        case .share: return .percent
        case .avg: return t == .money ? .money : .decimal
        case .sum: return t == .integer ? .integer : t
        case .min, .max: return t
        case .any, .all: return .bool
        }
    }

    /// Whether two bound expressions read the same column.
    package static func sameColumn(_ a: BoundExpr, _ b: BoundExpr) -> Bool {
        switch (a, b) {
        case (.base(let x), .base(let y)), (.column(let x), .column(let y)): return x == y
        default: return false
        }
    }

    // MARK: - Aggregate expressions

    /// Binds an `agg` expression. Aggregate calls become `specs` (computed per group over the input
    /// scope); group keys become columns `0..<keys.count` of the grouped frame; specs follow them.
    package mutating func bindAggregate(
        _ e: Expr, in scope: Scope, keys: [(Expr, BoundExpr)], specs: inout [AggregateSpec]
    ) throws(QueryError) -> (BoundExpr, ValueType) {
        // A group key used as is, written as in `group by` or by another name of the same field
        // (group by 类 | agg x = 类名称).
        if let k = keys.firstIndex(where: { $0.0.kind == e.kind }) {
            return (.column(k), (try? bind(e, in: scope).1) ?? .text)
        }
        if case .name = e.kind, let (b, t) = try? bind(e, in: scope),
            let k = keys.firstIndex(where: { Resolver.sameColumn($0.1, b) })
        {
            return (.column(k), t)
        }
        switch e.kind {
        case .call(let name, let args, let distinct):
            if let fn = Resolver.aggregateNames[name.lowercased()] ?? Resolver.aggregateNames[name],
                relationArgument(args.first, in: scope) == nil
            {
                if fn == .any || fn == .all { throw .aggregateOutsideAgg(e.range, function: name) }
                var argument: BoundExpr?
                var t = ValueType.null
                if fn == .count && args.isEmpty {
                    argument = nil
                } else {
                    guard args.count == 1 else {
                        throw .wrongArgumentCount(
                            e.range, function: name, expected: fn == .count ? "0 or 1 argument" : "1 argument",
                            found: args.count)
                    }
                    let saved = windowShares
                    let (b, bt) = try bind(args[0], in: scope)
                    // share(x) inside an aggregate's argument has no frame to take its total over.
                    if windowShares.count != saved.count {
                        throw .aggregateOutsideAgg(args[0].range, function: "share")
                    }
                    windowShares = saved
                    try checkAggregateArgument(fn, bt, args[0].range)
                    argument = b
                    t = bt
                }
                let f: AggregateFunction = distinct && fn == .count ? .countDistinct : fn
                specs.append(AggregateSpec(function: f, argument: argument, type: argument == nil ? .null : t))
                return (.column(keys.count + specs.count - 1), aggregateType(f, t))
            }
            if Resolver.aggregateNames[name.lowercased()] ?? Resolver.aggregateNames[name] != nil {
                // any(indicators, …), count(indicators), sum(indicators.value): one value per input row.
                throw .wrongType(
                    e.range, context: "agg",
                    expected:
                        "an aggregate of the group's rows (compute \(name)(…) per row with derive before group by)",
                    found: "\"\(text(e.range))\"")
            }
            // A scalar function over aggregates: round(sum(x), 1).
            var bound: [BoundExpr] = []
            var types: [ValueType] = []
            for a in args {
                let (b, t) = try bindAggregate(a, in: scope, keys: keys, specs: &specs)
                bound.append(b)
                types.append(t)
            }
            guard let fn = ScalarFunction(rawValue: name.lowercased()) else {
                throw .unknownFunction(e.range, name: name, suggestion: closest(name, Resolver.functionNames))
            }
            try checkArguments(of: fn, name: name, types: types, ranges: args.map(\.range), range: e.range)
            return (
                .call(fn, bound, e.range),
                fn == .round
                    ? (types.first ?? .decimal)
                    : fn == .length
                        ? .integer
                        : fn == .lower || fn == .upper ? .text : fn == .coalesce ? (types.first ?? .null) : .bool
            )
        case .binary(let op, let l, let r) where ["+", "-", "*", "/"].contains(op):
            let (bl, tl) = try bindAggregate(l, in: scope, keys: keys, specs: &specs)
            let (br, tr) = try bindAggregate(r, in: scope, keys: keys, specs: &specs)
            for t in [tl, tr] where !t.isNumeric && t != .null {
                throw .typeMismatch(e.range, operation: op, left: tl.displayName, right: tr.displayName)
            }
            let type: ValueType =
                op == "/"
                ? .decimal
                : (tl == .money || tr == .money) ? .money : (tl == .integer && tr == .integer) ? .integer : .decimal
            return (.arithmetic(op, bl, br, type, e.range), type)
        case .unary("-", let x):
            let (b, t) = try bindAggregate(x, in: scope, keys: keys, specs: &specs)
            return (.negate(b, e.range), t)
        case .number, .string, .null, .bool, .parameter:
            return try bind(e, in: scope)
        default:
            throw .wrongType(
                e.range, context: "agg", expected: "an aggregate such as sum(amount) or a group by key",
                found: "\"\(text(e.range))\"")
        }
    }
}
