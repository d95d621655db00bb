// Planner: resolves a pipeline stage by stage — each stage's names against the scope the stage
// before it leaves — into a `Plan` of bound stages, without touching any data — except for a
// `pivot` whose values are not listed: its columns are the values the rows reaching it hold, so
// the stages before it run once to find them (as DuckDB's PIVOT does).

import BudgetModel

/// The windows a stage's expressions read, computed over the frame (per partition) before the
/// stage's rows are evaluated: `share(x)` totals and window-function values.
package struct StageWindows: Sendable {
    /// `share(x)`: the totals of x.
    package var shares: [WindowShare] = []
    /// `row_number()`, `rank()`, `lag(x)`, …: a value per row.
    package var calls: [WindowCall] = []
}

/// A planned `join`.
package struct JoinPlan: Sendable {
    /// The joined table.
    package var target: Table
    /// A left join: rows without a match are kept once, with the joined fields null.
    package var left: Bool
    /// Hash keys over the frame's rows.
    package var leftKeys: [BoundExpr]
    /// The matching keys over the joined table's rows (its own fields).
    package var rightKeys: [BoundExpr]
    /// How each pair of keys compares (a code against a number compares its digits).
    package var modes: [CompareMode]
    /// The rest of the condition, over a pair (the joined table's fields as `.joined`).
    package var residual: BoundExpr?
}

/// One resolved stage.
package enum PlannedStage: Sendable {
    /// Keep rows where the condition is true.
    case filter(BoundExpr, windows: StageWindows)
    /// Append computed columns to the frame.
    case compute([BoundExpr], windows: StageWindows)
    /// Reorder rows by keys (descending flags); within each partition while there are partitions.
    case sort([(BoundExpr, Bool)], windows: StageWindows)
    /// Keep the first n rows (of each partition while there are partitions).
    case take(Int)
    /// `group by keys ( … )`: the rows, reordered so that each group's rows follow one another
    /// (groups in order of their first rows), become partitions for the stages up to
    /// `endPartition` (window shares in the keys totalled over the input rows first).
    case partition([BoundExpr], shares: [WindowShare])
    /// The end of the partitioned stages: the rows are one frame again.
    case endPartition
    /// `unpivot`: each row once per value, followed in turn by two columns: the value's label and
    /// the value.
    case unpivot([BoundExpr], labels: [String])
    /// `join`: each row with the rows of another table that match it (a hash join on the
    /// condition's `=` keys, the rest checked on the pairs).
    case join(JoinPlan)
    /// Drop rows whose key values repeat.
    case distinct([BoundExpr])
    /// Group by keys, compute aggregate specs per group, then outputs over keys + specs. Window
    /// shares in keys and aggregate arguments are totalled over the input rows first.
    case group(keys: [BoundExpr], specs: [AggregateSpec], outputs: [BoundExpr], shares: [WindowShare])
    /// 类 → 款 → 项 subtotals (window shares in aggregate arguments totalled over the input rows).
    case rollup(levels: [(code: BoundExpr, name: BoundExpr)], specs: [AggregateSpec], shares: [WindowShare])
}

/// Where a pipeline's rows come from.
package enum PlanSource: Sendable {
    case table(Table)
    case binding(Frame)
}

/// A resolved pipeline, ready to execute.
package struct Plan: Sendable {
    package var source: PlanSource
    package var stages: [PlannedStage]
    /// What the result's columns are.
    package var scope: Scope
    /// Text fields compared with a constant or parameter by `=` or `in`: checked after the run
    /// for values the field never holds (result warnings).
    package var valueChecks: [ValueCheck] = []
}

/// A `let` binding available to later statements: its rows and its scope.
public struct Binding: Sendable {
    package let frame: Frame
    package let scope: Scope
    package init(frame: Frame, scope: Scope) {
        self.frame = frame
        self.scope = scope
    }
}

package struct Planner {
    package var resolver: Resolver
    package let bindings: [String: Binding]
    /// While planning: what names mean after the stages planned so far.
    private var scope = Scope(columns: [], base: nil, tableName: "", chinese: false)
    /// While planning: the number of computed columns the frame will have.
    private var width = 0
    /// While planning: the stages planned so far.
    private var stages: [PlannedStage] = []
    /// While planning: where the rows come from.
    private var source: PlanSource?
    /// Whether a `pivot` without listed values may run the stages before it to find them (the
    /// SQL translator, whose `let` bindings hold no rows, turns it off for them).
    package var findsPivotValues = true
    /// The limits the stages before a `pivot` run under while its values are found.
    package var limits = QueryLimits()

    package init(catalog: Catalog, parameters: [String: Value], source: [UInt8], bindings: [String: Binding]) {
        resolver = Resolver(catalog: catalog, parameters: parameters, source: source)
        self.bindings = bindings
    }

    package mutating func plan(_ p: Pipeline) throws(QueryError) -> Plan {
        let source: PlanSource
        defer { self.source = nil }
        if let b = bindings[p.source] {
            scope = b.scope
            scope.tableName = p.source
            source = .binding(b.frame)
            width = b.frame.values.count
        } else if let t = resolver.catalog.table(p.source) {
            scope = Scope.of(t, as: p.source)
            source = .table(t)
            width = 0
        } else {
            let names = resolver.catalog.tableNames + Array(bindings.keys)
            throw .unknownTable(p.sourceRange, name: p.source, suggestion: closest(p.source, names))
        }
        stages = []
        self.source = source
        resolver.sortKeys = nil
        resolver.valueChecks = []
        try planStages(p.stages, partitioned: false)
        var plan = Plan(source: source, stages: stages, scope: scope)
        plan.valueChecks = resolver.valueChecks
        return plan
    }

    /// Starts binding the expressions of one stage: no window shares or window calls yet, and
    /// whether window functions may appear.
    private mutating func beginStage(_ name: String, windows: Bool) {
        resolver.windowShares = []
        resolver.windowCalls = []
        resolver.stageName = name
        resolver.windowsAllowed = windows
    }

    /// The window shares and calls bound since `beginStage`.
    private var stageWindows: StageWindows {
        StageWindows(shares: resolver.windowShares, calls: resolver.windowCalls)
    }

    /// Plans `list` in order onto `stages`; inside `group by … ( … )` (`partitioned`), only
    /// the stages that keep rows apart are allowed.
    private mutating func planStages(_ list: [Stage], partitioned: Bool) throws(QueryError) {
        var i = 0
        while i < list.count {
            let stage = list[i]
            if partitioned {
                switch stage.kind {
                case .filter, .derive, .select, .sort, .take: break
                case .group, .partition, .aggregate, .distinct, .rollup, .pivot, .unpivot, .join:
                    throw .misplacedStage(
                        stage.keywordRange, stage: resolver.text(stage.keywordRange).lowercased(),
                        reason: "cannot run inside group by … ( … ): use where, derive, select, sort or take there")
                }
            }
            switch stage.kind {
            case .filter(let e):
                beginStage("where", windows: true)
                let (b, t) = try resolver.bind(e, in: scope)
                guard t == .bool || t == .null else {
                    throw .wrongType(
                        e.range, context: "where", expected: "a condition such as amount > 100", found: t.displayName)
                }
                stages.append(.filter(b, windows: stageWindows))
            case .derive(let items):
                try checkDuplicates(items)
                // Items are computed in order, so a later one can use an earlier one:
                // derive a2 = amount * 2, a3 = a2 + 1.
                for item in items {
                    guard let name = item.name else {
                        throw .unexpected(
                            item.expr.range, expected: "name = expression in derive",
                            found: "\"\(resolver.text(item.expr.range))\"")
                    }
                    beginStage("derive", windows: true)
                    let (b, t) = try resolver.bind(item.expr, in: scope)
                    stages.append(.compute([b], windows: stageWindows))
                    let column = ScopeColumn(
                        name: name, aliases: [], label: name, type: t, source: .frame(width), visible: true)
                    width += 1
                    // A derived column replaces a same-named one.
                    scope.columns.removeAll { column.matches($0.name) || $0.matches(name) }
                    scope.columns.append(column)
                }
            case .select(let items):
                beginStage("select", windows: true)
                var computed: [BoundExpr] = []
                var columns: [ScopeColumn] = []
                for item in items {
                    if case .name("*") = item.expr.kind, item.name == nil {
                        // Every column, hidden ones included, except those already selected.
                        for c in scope.columns where !columns.contains(where: { $0.label == c.label }) {
                            var c = c
                            c.visible = true
                            columns.append(c)
                        }
                        continue
                    }
                    let (b, t) = try resolver.bind(item.expr, in: scope)
                    let label = item.name ?? resolver.text(item.expr.range)
                    if columns.contains(where: { $0.label == label }) {
                        throw .duplicateColumn(item.nameRange ?? item.expr.range, name: label)
                    }
                    var c = ScopeColumn(
                        name: label, aliases: [], label: label, type: t, source: .frame(0), visible: true)
                    switch b.kind {
                    case .base(let f):
                        c.source = .base(f)
                        if item.name == nil, let i = scope.column(label) {
                            c.aliases = [scope.columns[i].name] + scope.columns[i].aliases
                        }
                    case .column(let k):
                        c.source = .frame(k)
                        if item.name == nil, let i = scope.column(label) {
                            c.aliases = [scope.columns[i].name] + scope.columns[i].aliases
                        }
                    default:
                        computed.append(b)
                        c.source = .frame(width + computed.count - 1)
                    }
                    columns.append(c)
                }
                if !computed.isEmpty { stages.append(.compute(computed, windows: stageWindows)) }
                width += computed.count
                var next = scope
                next.columns = columns
                scope = scope.replaced(by: next, stage: "select", range: stage.keywordRange)
            case .group(let keyItems):
                var aggItems: [NamedExpr]? = nil
                if i + 1 < list.count, case .aggregate(let a) = list[i + 1].kind {
                    aggItems = a
                    i += 1
                } else if i + 1 < list.count, case .pivot(let field, let values, let aggregates) = list[i + 1].kind {
                    // group by keys | pivot field agg …: one row per key, one column per value.
                    beginStage("pivot", windows: false)
                    let items = try pivotItems(field, values, aggregates, pivotRange: list[i + 1].keywordRange)
                    let before = scope
                    (stages, scope, width) = try planGroup(
                        keyItems, items, scope: scope, stages: stages, stageRange: stage.keywordRange)
                    scope = before.replaced(by: scope, stage: "group by … | pivot", range: stage.keywordRange)
                    resolver.sortKeys = nil
                    i += 2
                    continue
                }
                beginStage("group by", windows: false)
                let before = scope
                (stages, scope, width) = try planGroup(
                    keyItems, aggItems, scope: scope, stages: stages, stageRange: stage.keywordRange)
                scope = before.replaced(
                    by: scope, stage: aggItems == nil ? "group by" : "group by … | agg", range: stage.keywordRange)
                resolver.sortKeys = nil
            case .partition(let keyItems, let inner):
                beginStage("group by", windows: false)
                var keys: [BoundExpr] = []
                for item in keyItems { keys.append(try resolver.bind(item.expr, in: scope).0) }
                stages.append(.partition(keys, shares: resolver.windowShares))
                try planStages(inner, partitioned: true)
                stages.append(.endPartition)
                // The groups follow one another: the rows are no longer in the order of a sort.
                resolver.sortKeys = nil
            case .aggregate(let items):
                beginStage("agg", windows: false)
                let before = scope
                (stages, scope, width) = try planGroup(
                    [], items, scope: scope, stages: stages, stageRange: stage.keywordRange)
                scope = before.replaced(by: scope, stage: "agg", range: stage.keywordRange)
                resolver.sortKeys = nil
            case .sort(let keys):
                beginStage("sort", windows: true)
                var bound: [(BoundExpr, Bool)] = []
                for k in keys { bound.append((try resolver.bind(k.expr, in: scope).0, k.descending)) }
                stages.append(.sort(bound, windows: stageWindows))
                resolver.sortKeys = bound
            case .take(let n):
                stages.append(.take(n))
            case .distinct(let items):
                beginStage("distinct", windows: false)
                if !items.isEmpty {
                    // distinct a, b: select those columns, then drop repeats.
                    var columns: [ScopeColumn] = []
                    var computed: [BoundExpr] = []
                    for item in items {
                        let (b, t) = try resolver.bind(item.expr, in: scope)
                        let label = item.name ?? resolver.text(item.expr.range)
                        computed.append(b)
                        columns.append(
                            ScopeColumn(
                                name: label, aliases: [], label: label, type: t,
                                source: .frame(width + computed.count - 1), visible: true))
                    }
                    stages.append(.compute(computed, windows: stageWindows))
                    width += computed.count
                    var next = scope
                    next.columns = columns
                    scope = scope.replaced(by: next, stage: "distinct", range: stage.keywordRange)
                }
                stages.append(
                    .distinct(
                        scope.columns.filter(\.visible).map { scope.bound($0, stage.range) }))
            case .pivot(let field, let values, let aggregates):
                beginStage("pivot", windows: false)
                let items = try pivotItems(field, values, aggregates, pivotRange: stage.keywordRange)
                let before = scope
                (stages, scope, width) = try planGroup(
                    [], items, scope: scope, stages: stages, stageRange: stage.keywordRange)
                scope = before.replaced(by: scope, stage: "pivot", range: stage.keywordRange)
                resolver.sortKeys = nil
            case .unpivot(let items, let names):
                beginStage("unpivot", windows: false)
                let before = scope
                try planUnpivot(items, names, range: stage.keywordRange)
                scope = before.replaced(by: scope, stage: "unpivot", range: stage.keywordRange)
                resolver.sortKeys = nil
            case .join(let clause):
                try planJoin(clause)
            case .rollup(let items):
                beginStage("rollup", windows: false)
                let before = scope
                (stages, scope, width) = try planRollup(items, scope: scope, stages: stages, range: stage.keywordRange)
                scope = before.replaced(by: scope, stage: "rollup", range: stage.keywordRange)
                resolver.sortKeys = nil
            }
            i += 1
        }
    }

    // MARK: - pivot and unpivot

    // MARK: - join

    /// `join [left] [alias =] table on condition`: the other table's fields become columns
    /// `alias.field` (also reachable by the bare name where this side has no such column), the
    /// condition is bound over both sides, and its `=` conjuncts between this side and the other
    /// become hash keys; the rest is checked on the matched pairs.
    private mutating func planJoin(_ j: JoinClause) throws(QueryError) {
        guard let target = resolver.catalog.table(j.table) else {
            throw .unknownTable(
                j.tableRange, name: j.table, suggestion: closest(j.table, resolver.catalog.tableNames))
        }
        let number = scope.joinTargets.count
        var combined = scope
        combined.joinTargets.append(target)
        let prefix = j.alias + "."
        if scope.columns.contains(where: { $0.name.hasPrefix(prefix) }) {
            throw .duplicateColumn(j.tableRange, name: j.alias)
        }
        for c in Scope.of(target, as: j.table).columns {
            guard case .base(let f) = c.source else { continue }
            var aliases = c.aliases.map { prefix + $0 }
            for n in [c.name] + c.aliases where scope.column(n) == nil { aliases.append(n) }
            let label = prefix + (scope.chinese ? (c.aliases.first ?? c.name) : c.name)
            combined.columns.append(
                ScopeColumn(
                    name: prefix + c.name, aliases: aliases, label: label, type: c.type,
                    source: .joined(join: number, field: f), visible: c.visible))
        }
        combined.tableName = "\(scope.tableName) or \(j.alias) (\(j.table))"
        beginStage("join", windows: false)
        let (condition, type) = try resolver.bind(j.condition, in: combined)
        guard type == .bool || type == .null else {
            throw .wrongType(
                j.condition.range, context: "join … on", expected: "a condition such as 项 = \(prefix)code",
                found: type.displayName)
        }
        var plan = JoinPlan(target: target, left: j.left, leftKeys: [], rightKeys: [], modes: [], residual: nil)
        var rest: [BoundExpr] = []
        for part in Planner.conjuncts(condition) {
            if case .compare(.equal, let a, let b, let mode) = part.kind, mode != .null {
                let (sa, sb) = (Planner.side(a, number), Planner.side(b, number))
                if sa == .this && sb == .other || sa == .other && sb == .this {
                    let (l, r) = sa == .this ? (a, b) : (b, a)
                    plan.leftKeys.append(l)
                    plan.rightKeys.append(Planner.unjoined(r, number))
                    plan.modes.append(mode)
                    continue
                }
            }
            rest.append(part)
        }
        if var residual = rest.first {
            for r in rest.dropFirst() { residual = BoundExpr(.and(residual, r), r.range) }
            plan.residual = residual
        }
        stages.append(.join(plan))
        scope = combined
    }

    /// The `and`-ed parts of a condition.
    private static func conjuncts(_ e: BoundExpr) -> [BoundExpr] {
        if case .and(let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// Which rows an expression of a join condition reads.
    private enum JoinSide {
        case neither, this, other, both
        func with(_ s: JoinSide) -> JoinSide {
            if self == s || s == .neither { return self }
            return self == .neither ? s : .both
        }
    }

    /// Whether `e` reads this side's rows, the joined table's (join `number`), both or neither.
    private static func side(_ e: BoundExpr, _ number: Int) -> JoinSide {
        switch e.kind {
        case .joined(let j, _, _) where j == number: return .other
        case .base, .column, .navigate, .joined, .relation, .windowShare, .window: return .this
        case .parameter, .constant: return .neither
        default: return e.children.reduce(JoinSide.neither) { $0.with(side($1, number)) }
        }
    }

    /// `e` (which reads only the joined table) over the joined table's own rows.
    private static func unjoined(_ e: BoundExpr, _ number: Int) -> BoundExpr {
        if case .joined(let j, _, let inner) = e.kind, j == number { return inner }
        return e.mapChildren { unjoined($0, number) }
    }

    /// The most columns a pivot over a field's own values makes (listing values lifts it).
    static let maxPivotValues = 64

    /// `pivot field [in (…)] agg items` as the aggregates of a group: for each value v of the
    /// field and each item, the item with every aggregate's argument `x` replaced by
    /// `if(field = v, x, null)` (`count()` by `count(field = v)`), named by the value (and the
    /// item's name when there are several). Values are the listed constants, or the distinct
    /// values the field's table holds, ascending.
    private mutating func pivotItems(
        _ field: Expr, _ listed: [Expr]?, _ aggregates: [NamedExpr], pivotRange: SourceRange
    ) throws(QueryError) -> [NamedExpr] {
        let (bound, type) = try resolver.bind(field, in: scope)
        var values: [Value] = []
        var written: [Value: SourceRange] = [:]
        if let listed, listed.isEmpty {
            throw .wrongType(
                field.range, context: "pivot … in ()", expected: "at least one value to make a column of",
                found: "an empty list")
        }
        if let listed {
            for item in listed {
                let (b, t) = try resolver.bind(item, in: scope)
                guard case .constant(let v) = b.kind, !v.isNull else {
                    throw .wrongType(
                        item.range, context: "pivot … in", expected: "a value written out, such as \"产出指标\"",
                        found: "\"\(resolver.text(item.range))\"")
                }
                _ = try resolver.compareMode("pivot", type, t, item.range)
                if !values.contains(v) {
                    values.append(v)
                    written[v] = item.range
                }
            }
        } else {
            values = try valuesReaching(bound, field.range).sorted(by: <)
            if values.count > Planner.maxPivotValues {
                throw .wrongType(
                    field.range, context: "pivot",
                    expected:
                        "a field with at most \(Planner.maxPivotValues) values, or the columns listed: pivot \(resolver.text(field.range)) in (…) agg …",
                    found: "\(values.count) values")
            }
        }
        var items: [NamedExpr] = []
        for v in values {
            let literal = Planner.literal(v, written[v] ?? field.range)
            let test = Expr(.binary(.comparison(.equal), field, literal, at: pivotRange), field.range)
            for a in aggregates {
                let column = Planner.label(v)
                let label = aggregates.count == 1 ? column : column + "_" + (a.name ?? resolver.text(a.expr.range))
                items.append(NamedExpr(name: label, nameRange: a.nameRange, expr: Planner.restrict(a.expr, to: test)))
            }
        }
        return items
    }

    /// The distinct non-null values of `field` over the rows the stages planned so far produce:
    /// they run once, now.
    private func valuesReaching(_ field: BoundExpr, _ range: SourceRange) throws(QueryError) -> [Value] {
        guard findsPivotValues, let source else {
            throw .misplacedStage(
                range, stage: "pivot", reason: "over a let binding needs its values listed here: pivot x in (…) agg …")
        }
        if stages.isEmpty, case .table(let t) = source, case .base(let f) = field.kind {
            return Array(Set(t.columns[f].filter { !$0.isNull }))
        }
        var executor = Executor(limits: limits, range: range)
        executor.parameters = resolver.parameters
        let (frame, _) = try executor.run(Plan(source: source, stages: stages, scope: scope))
        let ev = Evaluator(frame: frame, parameters: resolver.parameters)
        let column = try VectorEvaluator(scalar: ev).eval(field, .of(frame))
        var seen = Set<Value>()
        for r in 0..<frame.count where !column.value(at: r).isNull { seen.insert(column.value(at: r)) }
        return Array(seen)
    }

    /// A value written as a literal expression.
    private static func literal(_ v: Value, _ range: SourceRange) -> Expr {
        switch v {
        case .text(let s): return Expr(.string(s), range)
        case .bool(let b): return Expr(.bool(b), range)
        case .integer(let i): return Expr(.number(ExactDecimal(i), .plain), range)
        case .decimal(let d): return Expr(.number(d, .plain), range)
        case .null: return Expr(.null, range)
        }
    }

    /// A pivot column's name for a value.
    private static func label(_ v: Value) -> String {
        switch v {
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal(let d): return d.description
        case .null: return "NULL"
        }
    }

    /// `e` with every aggregate call's argument restricted to the rows where `test` is true.
    private static func restrict(_ e: Expr, to test: Expr) -> Expr {
        func r(_ x: Expr) -> Expr { restrict(x, to: test) }
        let k: Expr.Kind
        switch e.kind {
        case .call(let name, let args, let distinct):
            if Functions.aggregate(named: name) != nil {
                if args.isEmpty { return Expr(.call(name, [test], distinct: distinct), e.range) }
                let first = Expr(
                    .conditional([WhenClause(condition: test, value: args[0])], otherwise: nil), args[0].range)
                return Expr(.call(name, [first] + args.dropFirst(), distinct: distinct), e.range)
            }
            k = .call(name, args.map(r), distinct: distinct)
        case .number, .string, .null, .bool, .parameter, .name, .member: return e
        case .unary(let op, let x, let at): k = .unary(op, r(x), at: at)
        case .binary(let op, let a, let b, let at): k = .binary(op, r(a), r(b), at: at)
        case .inList(let x, let items, let negated): k = .inList(r(x), items.map(r), negated: negated)
        case .between(let x, let lo, let hi, let negated): k = .between(r(x), r(lo), r(hi), negated: negated)
        case .isNull(let x, let negated): k = .isNull(r(x), negated: negated)
        case .conditional(let whens, let otherwise):
            k = .conditional(
                whens.map { WhenClause(condition: r($0.condition), value: r($0.value)) }, otherwise: otherwise.map(r))
        }
        return Expr(k, e.range)
    }

    /// `unpivot a, b, … [into name, value]`: the shown columns other than the listed ones, then
    /// the listed field's name and its value (the listed values' common type).
    private mutating func planUnpivot(_ items: [NamedExpr], _ names: UnpivotNames?, range: SourceRange)
        throws(QueryError)
    {
        var values: [BoundExpr] = []
        var labels: [String] = []
        var type = ValueType.null
        for item in items {
            let (b, t) = try resolver.bind(item.expr, in: scope)
            guard let common = Resolver.commonType(type, t) else {
                throw .wrongType(
                    item.expr.range, context: "unpivot",
                    expected: "a value of the same kind as the fields before (\(type.displayName))",
                    found: t.displayName)
            }
            type = common
            values.append(b)
            labels.append(item.name ?? resolver.text(item.expr.range))
        }
        let nameColumn = names?.name ?? (scope.chinese ? "字段" : "field")
        let valueColumn = names?.value ?? (scope.chinese ? "值" : "value")
        var kept = scope.columns.filter { c in
            c.visible && !values.contains { b in Resolver.sameColumn(b, scope.bound(c, range)) }
        }
        for n in [nameColumn, valueColumn]
        where kept.contains(where: { $0.label == n || $0.name == n }) || nameColumn == valueColumn {
            throw .duplicateColumn(range, name: n)
        }
        kept.append(
            ScopeColumn(
                name: nameColumn, aliases: [], label: nameColumn, type: .text, source: .frame(width), visible: true))
        kept.append(
            ScopeColumn(
                name: valueColumn, aliases: [], label: valueColumn, type: type, source: .frame(width + 1), visible: true
            ))
        stages.append(.unpivot(values, labels: labels))
        width += 2
        // The hidden columns stay reachable by name, except those unpivoted.
        scope.columns =
            kept
            + scope.columns.filter { c in
                !c.visible && !kept.contains { $0.matches(c.name) }
                    && !values.contains { b in Resolver.sameColumn(b, scope.bound(c, range)) }
            }
    }

    private func checkDuplicates(_ items: [NamedExpr]) throws(QueryError) {
        var seen = Set<String>()
        for item in items {
            let label = item.name ?? resolver.text(item.expr.range)
            if label == "*" { continue }
            if seen.contains(label) { throw .duplicateColumn(item.nameRange ?? item.expr.range, name: label) }
            seen.insert(label)
        }
    }

    /// Finds the name field that goes with a classification code field (类 → 类名称).
    private func partnerName(of b: BoundExpr, in scope: Scope) -> (BoundExpr, ScopeColumn)? {
        guard case .base(let f) = b.kind, let base = scope.base else { return nil }
        let field = base.fields[f].name
        guard ["lei", "kuan", "xiang"].contains(field), let i = scope.column(field + "_name") else { return nil }
        guard case .base(let nf) = scope.columns[i].source else { return nil }
        return (BoundExpr(.base(nf), b.range), scope.columns[i])
    }

    private mutating func planGroup(
        _ keyItems: [NamedExpr], _ aggItems: [NamedExpr]?, scope: Scope, stages: [PlannedStage], stageRange: SourceRange
    ) throws(QueryError) -> ([PlannedStage], Scope, Int) {
        var keys: [(Expr, BoundExpr)] = []
        var keyColumns: [ScopeColumn] = []
        /// Keys added for a code's name field (类 → 类名称) that no key item asked for.
        var implied = Set<Int>()
        for item in keyItems {
            let (b, t) = try resolver.bind(item.expr, in: scope)
            let label = item.name ?? resolver.text(item.expr.range)
            var aliases: [String] = []
            if item.name == nil, let i = scope.column(label) {
                aliases = [scope.columns[i].name] + scope.columns[i].aliases
            }
            if item.name == nil, let k = implied.first(where: { Resolver.sameColumn(keys[$0].1, b) }) {
                // group by lei, lei_name: the name is already a key; show it once, as written.
                keyColumns[k].name = label
                keyColumns[k].label = label
                keyColumns[k].aliases = aliases
                implied.remove(k)
                continue
            }
            keys.append((item.expr, b))
            keyColumns.append(
                ScopeColumn(
                    name: label, aliases: aliases, label: label, type: t == .reference ? .text : t, source: .frame(0),
                    visible: true))
            // Grouping by 款 shows its name too (unless a key already reads it).
            if let (nb, nc) = partnerName(of: b, in: scope), item.name == nil,
                !keys.contains(where: { Resolver.sameColumn($0.1, nb) })
            {
                let nameExpr = Expr(.name(nc.name), item.expr.range)
                implied.insert(keys.count)
                keys.append((nameExpr, nb))
                let nameLabel =
                    scope.chinese || label.unicodeScalars.contains(where: { !$0.isASCII })
                    ? nc.aliases.first ?? nc.name : nc.name
                keyColumns.append(
                    ScopeColumn(
                        name: nc.name, aliases: nc.aliases, label: nameLabel, type: .text, source: .frame(0),
                        visible: true))
            }
        }
        var items = aggItems ?? []
        if aggItems == nil {
            // group by without agg: the count and the sum of the table's amount.
            let r = stageRange
            items.append(
                NamedExpr(
                    name: scope.chinese ? "个数" : "n", nameRange: nil, expr: Expr(.call("count", [], distinct: false), r)
                ))
            if let m = scope.base?.measure, let i = scope.column(m), scope.columns[i].type.isNumeric {
                items.append(
                    NamedExpr(
                        name: scope.columns[i].label, nameRange: nil,
                        expr: Expr(.call("sum", [Expr(.name(m), r)], distinct: false), r)))
            }
        }
        var specs: [AggregateSpec] = []
        var outputs: [BoundExpr] = []
        var outColumns: [ScopeColumn] = []
        for (k, c) in keyColumns.enumerated() {
            outputs.append(BoundExpr(.column(k), stageRange))
            var c = c
            c.source = .frame(k)
            outColumns.append(c)
        }
        resolver.stageName = "agg"
        for item in items {
            let (b, t) = try resolver.bindAggregate(item.expr, in: scope, keys: keys, specs: &specs)
            let label = item.name ?? resolver.text(item.expr.range)
            if outColumns.contains(where: { $0.label == label }) {
                throw .duplicateColumn(item.nameRange ?? item.expr.range, name: label)
            }
            outputs.append(b)
            outColumns.append(
                ScopeColumn(
                    name: label, aliases: [], label: label, type: t, source: .frame(outColumns.count), visible: true))
        }
        var stages = stages
        stages.append(.group(keys: keys.map(\.1), specs: specs, outputs: outputs, shares: resolver.windowShares))
        let newScope = Scope(columns: outColumns, base: nil, tableName: scope.tableName, chinese: scope.chinese)
        return (stages, newScope, outColumns.count)
    }

    private mutating func planRollup(_ items: [NamedExpr], scope: Scope, stages: [PlannedStage], range: SourceRange)
        throws(QueryError) -> ([PlannedStage], Scope, Int)
    {
        var levels: [(code: BoundExpr, name: BoundExpr)] = []
        for level in ["lei", "kuan", "xiang"] {
            guard let ci = scope.column(level), let ni = scope.column(level + "_name") else {
                throw .misplacedStage(
                    range, stage: "rollup",
                    reason: "needs 类/款/项 fields: use it on spending, projects or items (before select)")
            }
            levels.append((scope.bound(scope.columns[ci], range), scope.bound(scope.columns[ni], range)))
        }
        var items = items
        if items.isEmpty {
            for name in ["amount", "basic", "personnel", "public", "project"] {
                if let i = scope.column(name), scope.columns[i].type == .money, scope.columns[i].visible {
                    let c = scope.columns[i]
                    items.append(
                        NamedExpr(
                            name: c.label, nameRange: nil,
                            expr: Expr(.call("sum", [Expr(.name(c.name), range)], distinct: false), range)))
                }
            }
            if items.isEmpty {
                items.append(
                    NamedExpr(name: "n", nameRange: nil, expr: Expr(.call("count", [], distinct: false), range)))
            }
        }
        var specs: [AggregateSpec] = []
        var columns = [
            ScopeColumn(
                name: "level", aliases: ["级次"], label: scope.chinese ? "级次" : "level", type: .text, source: .frame(0),
                visible: true),
            ScopeColumn(
                name: "code", aliases: ["编码"], label: scope.chinese ? "编码" : "code", type: .code, source: .frame(1),
                visible: true),
            ScopeColumn(
                name: "name", aliases: ["名称"], label: scope.chinese ? "名称" : "name", type: .text, source: .frame(2),
                visible: true),
        ]
        for item in items {
            guard case .call(let fname, let args, let distinct) = item.expr.kind,
                let fn = Functions.aggregate(named: fname), fn.foldsGroups
            else {
                throw .wrongType(
                    item.expr.range, context: "rollup", expected: "an aggregate such as total = sum(amount)",
                    found: "\"\(resolver.text(item.expr.range))\"")
            }
            let (spec, t) = try resolver.aggregateSpec(
                fn, called: fname, args, distinct: distinct, item.expr.range, in: scope)
            specs.append(spec)
            let f = spec.function
            let label = item.name ?? resolver.text(item.expr.range)
            columns.append(
                ScopeColumn(
                    name: label, aliases: [], label: label, type: f.resultType(t),
                    source: .frame(columns.count), visible: true))
        }
        var stages = stages
        stages.append(.rollup(levels: levels, specs: specs, shares: resolver.windowShares))
        return (
            stages, Scope(columns: columns, base: nil, tableName: scope.tableName, chinese: scope.chinese),
            columns.count
        )
    }
}
