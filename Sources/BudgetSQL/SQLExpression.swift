// SQLExpression: compiles bound BudgetQL expressions into SQL over one row context — a chain of
// CTEs whose current row is `c`. Pieces that are used more than once (a divisor, a rounded
// quotient) become temp columns `tN` of extra CTEs, so no SQL expression grows past a few lines.
// Semantics follow `Evaluator` exactly: three-valued logic, codes compared with numbers,
// exact decimals as (mantissa, scale) pairs.

import BudgetModel
import BudgetQL
import Foundation

/// The rows a stage reads: a source relation (table or CTE) seen as `c`, its base table if the
/// rows are still the base table's, its computed columns, and its order column.
final class RowContext {
    let b: SQLBuilder
    var source: String
    var base: Table?
    var cols: [FrameCol]
    var order: String
    /// After a group: the intermediate frame's values (keys, then aggregates), read by `.column(k)`.
    var midValues: [SV]?
    /// Conditions under which BudgetQL evaluates the expression being compiled (short-circuit).
    var guards: [String] = []
    /// For a relation's rows: the condition selecting the rows related to the outer frame, applied
    /// when the chain can raise run-time errors (BudgetQL evaluates only those rows).
    var restrict: String?
    /// Inside `group by keys ( … )`: the key columns that partition the rows.
    var partition: [String]?
    /// Inside `group by keys ( … )`: the column holding each group's first row order.
    var partitionFirst: String?
    /// The window function calls of the stage being compiled, by slot.
    var windowCalls: [WindowCall] = []
    /// The columns holding each join's matched row (`_row` of the joined table), by join number.
    var joinRows: [String] = []
    private var pending: [Int: [(String, String)]] = [:]
    private var levels: [String: Int] = [:]

    init(_ b: SQLBuilder, source: String, base: Table?, cols: [FrameCol], order: String) {
        self.b = b
        self.source = source
        self.base = base
        self.cols = cols
        self.order = order
    }

    /// After a stage that replaces the rows (group, rollup).
    func reset(source: String, cols: [FrameCol], order: String) {
        self.source = source
        self.cols = cols
        self.order = order
        base = nil
        midValues = nil
        joinRows = []
    }

    // MARK: Temps

    /// The CTE level a piece of SQL can be computed at: one past the temps it reads.
    func level(of sql: String) -> Int {
        var result = 0
        let bytes = Array(sql.utf8)
        var i = 0
        while i + 3 < bytes.count {
            if bytes[i] == 0x63, bytes[i + 1] == 0x2E, bytes[i + 2] == 0x74,
                (i == 0 || !SQLBuilder.isWordByte(bytes[i - 1]))
            {
                var j = i + 3
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
                if j > i + 3, j == bytes.count || !SQLBuilder.isWordByte(bytes[j]) {
                    let name = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                    result = max(result, levels[name] ?? 0)
                }
                i = j
            } else {
                i += 1
            }
        }
        return result
    }

    /// Computes `sql` once per row in a temp column; returns `c.tN`.
    func temp(_ sql: String) -> String {
        let name = b.fresh("t")
        let l = level(of: sql) + 1
        pending[l, default: []].append((name, sql))
        levels[name] = l
        return "c." + name
    }

    /// `sql` itself when it is a column or a literal, else a temp.
    func simple(_ sql: String) -> String {
        SQLBuilder.isAtom(sql) ? sql : temp(sql)
    }

    /// Emits the pending temps as CTEs; returns the relation to read the row from.
    func flush() -> String {
        var first = true
        let failing = pending.values.contains { $0.contains { $0.1.contains(SQLBuilder.failMarker) } }
        for l in (pending.keys.sorted()) {
            guard let defs = pending[l], !defs.isEmpty else { continue }
            let name = b.fresh("s")
            let filter = first && failing ? restrict.map { " WHERE \($0)" } ?? "" : ""
            b.add(
                name,
                "SELECT c.*, " + defs.map { "\($0.1) AS \($0.0)" }.joined(separator: ", ") + " FROM \(source) AS c"
                    + filter)
            source = name
            first = false
            // Spark drops a column no later step reads, and with it the error it would raise
            // (a filter such as `x IS NULL OR rand() >= 0` is optimized away too); BudgetQL raises
            // it for every row of the frame. A count of the column over all the rows, which the
            // optimizer cannot know, keeps it computed.
            let raising = defs.filter { $0.1.contains(SQLBuilder.failMarker) }.map(\.0)
            if b.dialect == .spark && !raising.isEmpty {
                let kept = b.fresh("s")
                b.add(
                    kept,
                    "SELECT c.* FROM \(source) AS c WHERE (SELECT "
                        + raising.map { "count(k.\($0))" }.joined(separator: " + ") + " FROM \(source) AS k) >= 0")
                source = kept
            }
        }
        pending = [:]
        levels = [:]
        return source
    }

    func fail(_ reason: String) -> Untranslatable { Untranslatable(reason: reason, range: nil) }

    // MARK: Values

    /// A field of `table` for the row reached as `alias`.
    func field(_ table: Table, _ f: Int, alias: String) throws -> SV {
        let field = table.fields[f]
        let info = b.info.fields[table.name]?[f] ?? FieldSQLInfo()
        let col = alias + "." + b.ident(field.name)
        switch SQLStorage(field) {
        case .text, .reference: return .text(col, info.text)
        case .integer: return .num(Num(m: col, s: .fixed(0), maxScale: 0))
        case .bool: return .bool(col)
        case .decimal:
            return .num(
                Num(
                    m: alias + "." + b.ident(field.name + "_m"),
                    s: info.scale.map(Scale.fixed) ?? .dynamic(alias + "." + b.ident(field.name + "_s")),
                    // DuckDB loads the exact text as DECIMAL(38, s), which pads every value to the
                    // column's scale: there the text is built from the mantissa and scale.
                    maxScale: info.maxScale, exactText: b.dialect == .sqlite ? col : nil))
        }
    }

    func baseField(_ f: Int) throws -> SV {
        guard let base else { throw fail("a field of a table after the rows were grouped") }
        return try field(base, f, alias: "c")
    }

    /// Applies `f` to every SQL fragment of a value.
    func map(_ v: SV, _ f: (String) -> String) -> SV {
        switch v {
        case .text(let t, let i): return .text(f(t), i)
        case .bool(let x): return .bool(f(x))
        case .num(let n):
            var n2 = n
            n2.m = f(n.m)
            if case .dynamic(let s) = n.s { n2.s = .dynamic(f(s)) }
            n2.exactText = n.exactText.map(f)
            return .num(n2)
        case .null: return .null
        }
    }

    /// A constant subexpression, evaluated here exactly as BudgetQL evaluates it.
    func fold(_ e: BoundExpr) -> Value? {
        guard SQLBuilder.isConstant(e) else { return nil }
        if case .constant(let v) = e.kind { return v }
        let ev = Evaluator(frame: Frame(base: nil, rows: [], values: [], count: 0), parameters: b.parameters)
        return try? ev.eval(e, row: 0)
    }

    /// The SQL value of `e`. A construct that cannot be translated is reported at the innermost
    /// node being compiled when it failed.
    func compile(_ e: BoundExpr) throws -> SV {
        do { return try compileNode(e) } catch var u as Untranslatable where u.range == nil {
            u.range = e.range
            throw u
        }
    }

    private func compileNode(_ e: BoundExpr) throws -> SV {
        if let v = fold(e) { return try b.literal(v) }
        switch e.kind {
        case .constant(let v):
            return try b.literal(v)
        case .parameter(let name, _):
            return try b.literal(b.parameters[name] ?? .null)
        case .column(let k):
            if let mid = midValues { return mid[k] }
            guard k < cols.count else { throw fail("a column the translator does not know") }
            return cols[k].value
        case .base(let f):
            return try baseField(f)
        case .joined(let j, let target, let inner):
            guard j < joinRows.count else { throw fail("a joined field the translator does not know") }
            return try navigate(row: "c." + joinRows[j], target, inner)
        case .navigate(let f, let target, let inner):
            guard let base else { throw fail("a reference after the rows were grouped") }
            return try navigate(row: "c." + b.ident(base.fields[f].name + "_row"), target, inner)
        case .relation(let r, let target, let fn, let inner, let filter, _):
            return try relation(r, target, fn, inner, filter)
        case .negate(let x, _):
            switch try compile(x) {
            case .num(let n): return .num(Num(m: "-(\(n.m))", s: n.s, maxScale: n.maxScale))
            case .null: return .null
            default: throw fail("- of a value that is not a number")
            }
        case .not(let x):
            switch try compile(x) {
            case .bool(let s): return .bool("NOT (\(s))")
            case .null: return .null
            default: throw fail("not of a value that is not a condition")
            }
        case .and(let x, let y):
            let l = try boolean(try compile(x))
            guards.append("(\(l)) IS NOT FALSE")
            defer { guards.removeLast() }
            return .bool("(\(l) AND \(try boolean(try compile(y))))")
        case .or(let x, let y):
            let l = try boolean(try compile(x))
            guards.append("(\(l)) IS NOT TRUE")
            defer { guards.removeLast() }
            return .bool("(\(l) OR \(try boolean(try compile(y))))")
        case .arithmetic(let op, let x, let y, _, _):
            return try arithmetic(op, try compile(x), try compile(y))
        case .compare(let op, let x, let y, let mode):
            return try compare(op, try compile(x), try compile(y), mode)
        case .contains(let x, let y, let negated):
            guard case .text(let a, let ai) = try compile(x), case .text(let c, let ci) = try compile(y) else {
                return .null
            }
            if !ai.simple || !ci.simple {
                throw fail("~ over text that is not plain NFC characters (one Unicode scalar per character)")
            }
            let test = contains(a, c)
            return .bool(negated ? "NOT \(test)" : test)
        case .prefix(let x, let y):
            guard case .text(let a, let ai) = try compile(x), case .text(let c, let ci) = try compile(y) else {
                return .null
            }
            if !ai.simple || !ci.simple {
                throw fail("^= over text that is not plain NFC characters (one Unicode scalar per character)")
            }
            return .bool(startsWith(a, c))
        case .regex(let x, let pattern):
            guard case .text(let a, let ai) = try compile(x) else { return .null }
            return .bool(try regex(a, ai, pattern))
        case .inList(let x, let items, let modes, let negated):
            var v = try compile(x)
            if case .null = v { return .null }
            v = map(v) { self.simple($0) }
            var parts: [String] = []
            // Items are evaluated while no earlier one matched (and only for a non-null x).
            let depth = guards.count
            defer { guards.removeSubrange(depth...) }
            guards.append("\(nullProbe(v)) IS NOT NULL")
            for (item, mode) in zip(items, modes) {
                if !parts.isEmpty { guards.append("(\(parts.last!)) IS NOT TRUE") }
                parts.append(try boolean(try compare(.equal, v, try compile(item), mode)))
            }
            let any = "(" + parts.joined(separator: " OR ") + ")"
            return .bool(negated ? "NOT \(any)" : any)
        case .between(let x, let low, let high, let lowMode, let highMode, let negated):
            let v = map(try compile(x)) { self.simple($0) }
            let p = simple(try boolean(try compare(.greaterOrEqual, v, try compile(low), lowMode)))
            let q = simple(try boolean(try compare(.lessOrEqual, v, try compile(high), highMode)))
            let both = "(\(p) AND \(q))"
            return .bool("CASE WHEN \(p) IS NULL OR \(q) IS NULL THEN NULL ELSE \(negated ? "NOT " + both : both) END")
        case .isNull(let x, let negated):
            let v = try compile(x)
            if case .null = v { return .bool(negated ? "FALSE" : "TRUE") }
            return .bool("\(nullProbe(v)) IS \(negated ? "NOT " : "")NULL")
        case .call(let fn, let args):
            return try call(fn, args)
        case .conditional(let conditions, let values, let otherwise):
            return try conditional(conditions, values, otherwise)
        case .window(let slot):
            guard slot < windowCalls.count else { throw fail("a window function outside its stage") }
            return try window(windowCalls[slot])
        case .windowShare(let x, _):
            switch try compile(x) {
            case .null: return .null
            case .num(let n):
                let v = Num(
                    m: simple(n.m), s: n.s.fixed.map(Scale.fixed) ?? .dynamic(simple(n.s.sql)), maxScale: n.maxScale)
                let total = b.grandTotal(v, self)
                return try b.divide(
                    Num(m: "\(v.m) * 100", s: v.s, maxScale: v.maxScale), total, zeroGivesNull: true, self)
            default: throw fail("share() of a value that is not a number")
            }
        }
    }

    /// `case`/`if` as SQL's CASE. Each condition is compiled where no earlier one is true, and
    /// each value where its condition is (run-time errors are guarded accordingly).
    func conditional(_ conditions: [BoundExpr], _ values: [BoundExpr], _ otherwise: BoundExpr) throws -> SV {
        let depth = guards.count
        defer { guards.removeSubrange(depth...) }
        var tests: [String] = []
        var branches: [SV] = []
        for (c, v) in zip(conditions, values) {
            let test = simple(try boolean(try compile(c)))
            tests.append(test)
            guards.append("(\(test)) IS TRUE")
            branches.append(try compile(v))
            guards.removeLast()
            guards.append("(\(test)) IS NOT TRUE")
        }
        branches.append(try compile(otherwise))
        return try choose(tests, branches)
    }

    /// The branch of the first test that is true, else the last branch (`branches` has one more
    /// than `tests`), as SQL's CASE over values of one kind (or null).
    func choose(_ tests: [String], _ branches: [SV]) throws -> SV {
        func cases(_ parts: [String]) -> String {
            zip(tests, parts).map { "WHEN \($0) THEN \($1)" }.joined(separator: " ")
        }
        func choose(_ parts: [String]) -> String { "CASE \(cases(parts)) ELSE \(parts[parts.count - 1]) END" }
        var kind: SV?
        for b in branches {
            if case .null = b { continue }
            kind = b
            break
        }
        switch kind {
        case nil, .null?:
            return .null
        case .text?:
            var info = TextInfo()
            var parts: [String] = []
            for b in branches {
                switch b {
                case .text(let t, let i):
                    parts.append(t)
                    info = info.merged(i)
                case .null: parts.append("NULL")
                default: throw fail("case over values of different kinds")
                }
            }
            return .text(choose(parts), info)
        case .bool?:
            var parts: [String] = []
            for b in branches {
                switch b {
                case .bool(let x): parts.append(x)
                case .null: parts.append("NULL")
                default: throw fail("case over values of different kinds")
                }
            }
            return .bool(choose(parts))
        case .num?:
            var mantissas: [String] = []
            var scales: [String] = []
            var fixed = Set<Int>()
            var dynamic = false
            var maxScale = 0
            for b in branches {
                switch b {
                case .num(let n):
                    mantissas.append(n.m)
                    scales.append(n.s.sql)
                    if let s = n.s.fixed { fixed.insert(s) } else { dynamic = true }
                    maxScale = max(maxScale, n.maxScale)
                case .null:
                    mantissas.append("NULL")
                    scales.append("NULL")
                default: throw fail("case over values of different kinds")
                }
            }
            let scale: Scale =
                !dynamic && fixed.count == 1 ? .fixed(fixed.first ?? 0) : .dynamic(choose(scales))
            return .num(Num(m: choose(mantissas), s: scale, maxScale: maxScale))
        }
    }

    /// `PARTITION BY …` for the current partition (with a trailing space), or nothing.
    var partitionClause: String {
        guard let partition, !partition.isEmpty else { return "" }
        return "PARTITION BY " + partition.joined(separator: ", ") + " "
    }

    /// A window function over the current partition in row order (`c.order`), as SQL's window
    /// functions: ROW_NUMBER, RANK and DENSE_RANK over the last sort's keys, LAG/LEAD, and an
    /// exact running SUM (on the largest scale so far).
    func window(_ call: WindowCall) throws -> SV {
        let p = partitionClause
        let ordered = "OVER (\(p)ORDER BY c.\(order))"
        let running = "OVER (\(p)ORDER BY c.\(order) ROWS UNBOUNDED PRECEDING)"
        func integer(_ sql: String) -> SV { .num(Num(m: temp(sql), s: .fixed(0), maxScale: 0)) }
        switch call.function {
        case .rowNumber:
            return integer("ROW_NUMBER() \(ordered)")
        case .rank, .denseRank:
            var terms: [String] = []
            for (e, descending) in call.keys {
                for k in try sortKeys(try compile(e)) { terms.append(k + (descending ? " DESC" : "") + " NULLS LAST") }
            }
            let fn = call.function == .rank ? "RANK" : "DENSE_RANK"
            return integer("\(fn)() OVER (\(p)ORDER BY \(terms.isEmpty ? "NULL" : terms.joined(separator: ", ")))")
        case .lag, .lead:
            guard let argument = call.argument else { return .null }
            let fn = call.function == .lag ? "LAG" : "LEAD"
            func shifted(_ sql: String) -> String { temp("\(fn)(\(sql), \(call.offset)) \(ordered)") }
            switch try compile(argument) {
            case .null: return .null
            case .text(let t, let ti): return .text(shifted(t), ti)
            case .bool(let x): return .bool(shifted(x))
            case .num(let n):
                let s: Scale = n.s.fixed.map(Scale.fixed) ?? .dynamic(shifted(n.s.sql))
                return .num(Num(m: shifted(n.m), s: s, maxScale: n.maxScale))
            }
        case .change, .pctChange:
            // Bound as arithmetic over a LAG (Resolver.bindWindow): never a call of its own.
            return .null
        case .runningSum:
            guard let argument = call.argument else { return .null }
            switch try compile(argument) {
            case .num(let n):
                if let s = n.s.fixed {
                    return .num(Num(m: temp("sum(\(n.m)) \(running)"), s: .fixed(s), maxScale: n.maxScale))
                }
                let m = simple(n.m)
                let s = simple(n.s.sql)
                let widest = temp(
                    "max(CASE WHEN \(m) IS NOT NULL THEN \(s) END) OVER (\(p.trimmingCharacters(in: .whitespaces)))")
                let sofar = temp("max(CASE WHEN \(m) IS NOT NULL THEN \(s) END) \(running)")
                let sum = temp("sum(\(b.mulPow(m, "\(widest) - \(s)", self))) \(running)")
                return .num(
                    Num(m: temp(b.idiv(sum, b.p10("\(widest) - \(sofar)"))), s: .dynamic(sofar), maxScale: n.maxScale))
            case .null: return .null
            default: throw fail("running_sum() of a value that is not a number")
            }
        }
    }

    /// SQL that is true for rows where the condition holds.
    func boolean(_ v: SV) throws -> String {
        switch v {
        case .bool(let s): return s
        case .null: return "NULL"
        default: throw fail("a value that is not a condition where a condition is needed")
        }
    }

    /// SQL that is null exactly when the value is.
    func nullProbe(_ v: SV) -> String {
        switch v {
        case .text(let t, _): return t
        case .bool(let x): return x
        case .num(let n): return n.m
        case .null: return "NULL"
        }
    }

    // MARK: Navigation and relations

    /// `inner` (a field, possibly through further references) of the `target` row whose `_row` is `row`.
    func navigate(row: String, _ target: Table, _ inner: BoundExpr) throws -> SV {
        if b.dialect == .spark { return try sparkNavigate(row: row, target, inner) }
        let alias = b.fresh("n")
        switch inner.kind {
        case .base(let g):
            let v = try field(target, g, alias: alias)
            return map(v) {
                "(SELECT \($0) FROM \(b.ident(target.name)) AS \(alias) WHERE \(alias)._row = \(row))"
            }
        case .navigate(let g, let next, let rest):
            let nextRow =
                "(SELECT \(alias).\(b.ident(target.fields[g].name + "_row")) FROM \(b.ident(target.name)) AS \(alias) WHERE \(alias)._row = \(row))"
            return try navigate(row: nextRow, next, rest)
        default:
            throw fail("a reference to something other than a field")
        }
    }

    /// `navigate` in Spark, which reads an outer row only one subquery deep and only through an
    /// aggregate: the hops become joins of one subquery, and the value is its `max` (one row
    /// matches, `_row` being unique; none when a reference on the way is null).
    private func sparkNavigate(row: String, _ target: Table, _ inner: BoundExpr) throws -> SV {
        var from = ""
        var condition = ""
        var row = row
        var table = target
        var expr = inner
        while true {
            let alias = b.fresh("n")
            let t = "\(b.ident(table.name)) AS \(alias)"
            if from.isEmpty {
                from = t
                condition = "\(alias)._row = \(row)"
            } else {
                from += " JOIN \(t) ON \(alias)._row = \(row)"
            }
            switch expr.kind {
            case .base(let g):
                let v = try field(table, g, alias: alias)
                return map(v) { "(SELECT max(\($0)) FROM \(from) WHERE \(condition))" }
            case .navigate(let g, let next, let rest):
                row = "\(alias).\(b.ident(table.fields[g].name + "_row"))"
                table = next
                expr = rest
            default:
                throw fail("a reference to something other than a field")
            }
        }
    }

    /// An aggregate over a relation (`any(indicators, …)`, `sum(indicators.value)`) as a correlated subquery.
    func relation(_ r: Int, _ target: Table, _ fn: AggregateFunction, _ inner: BoundExpr?, _ filter: BoundExpr?) throws
        -> SV
    {
        guard let base, let join = b.info.relations[base.name]?[r] else {
            throw fail("the relation \(base?.relations[r].name ?? "?") does not match a key of the exported tables")
        }
        let sub = RowContext(b, source: b.ident(target.name), base: target, cols: [], order: "_row")
        sub.restrict =
            "c.\(b.ident(join.targetColumn)) IN (SELECT x.\(b.ident(join.sourceColumn)) FROM \(source) AS x)"
        var filterSQL: String?
        if let filter { filterSQL = sub.simple(try sub.boolean(try sub.compile(filter))) }
        var value: SV?
        if let inner { value = sub.map(try sub.compile(inner)) { sub.simple($0) } }
        let rel = sub.flush()
        func rebase(_ s: String, _ alias: String = "r") -> String {
            s.hasPrefix("c.") ? alias + "." + s.dropFirst(2) : s
        }
        let joinSQL = "r.\(b.ident(join.targetColumn)) = c.\(b.ident(join.sourceColumn))"
        let whereSQL = joinSQL + (filterSQL.map { " AND \(rebase($0))" } ?? "")
        let from = "FROM \(rel) AS r WHERE \(whereSQL)"
        switch fn {
        case .any:
            // Spark takes a correlated subquery in a SELECT list only as an aggregate.
            if b.dialect == .spark { return .bool("(SELECT count(*) > 0 \(from))") }
            return .bool("EXISTS (SELECT 1 \(from))")
        case .all:
            let cond = filterSQL.map { rebase($0) } ?? "TRUE"
            if b.dialect == .spark {
                return .bool("(SELECT count(*) = 0 FROM \(rel) AS r WHERE \(joinSQL) AND (\(cond)) IS NOT TRUE)")
            }
            return .bool("NOT EXISTS (SELECT 1 FROM \(rel) AS r WHERE \(joinSQL) AND (\(cond)) IS NOT TRUE)")
        case .count where inner == nil:
            return .num(Num(m: "(SELECT count(*) \(from))", s: .fixed(0), maxScale: 0))
        case .share:
            throw fail("share() over a relation")
        default: break
        }
        guard let value else { throw fail("\(fn.rawValue)() over a relation without a field") }
        let v = map(value) { rebase($0) }
        /// The largest scale of the field over the whole related table, to compare values exactly.
        func widest(_ n: Num) -> String {
            // Spark refuses a subquery (or an outer column) inside a correlated aggregate: there
            // the column's largest scale in the whole catalog, a constant, orders the values alike.
            if b.dialect == .spark { return String(n.maxScale) }
            return "(SELECT coalesce(max(\(rebase(value.numScale ?? "0", "w"))), 0) FROM \(rel) AS w)"
        }
        if case .bool(let x) = v, fn == .count || fn == .avg {
            let trues = Num(m: "(SELECT count(CASE WHEN \(x) THEN 1 END) \(from))", s: .fixed(0), maxScale: 0)
            if fn == .count { return .num(trues) }
            let hundred = Num(m: "\(trues.m) * 100", s: .fixed(0), maxScale: 0)
            let count = Num(m: "(SELECT count(\(x)) \(from))", s: .fixed(0), maxScale: 0)
            return try b.divide(hundred, count, zeroGivesNull: true, self)
        }
        switch fn {
        case .count:
            return .num(Num(m: "(SELECT count(\(nullProbe(v))) \(from))", s: .fixed(0), maxScale: 0))
        case .stringAgg:
            guard case .text(let t, let ti) = v else {
                if case .null = v { return .null }
                throw fail("string_agg() of a value that is not text")
            }
            let sep = try b.stringLiteral(AggregateSpec.defaultSeparator)
            let info = ti.merged(TextInfo.of(AggregateSpec.defaultSeparator))
            switch b.dialect {
            case .sqlite, .duckdb:
                let joined = b.dialect == .sqlite ? "group_concat" : "string_agg"
                return .text(
                    "(SELECT \(joined)(\(t), \(sep)) OVER (ORDER BY r._row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) \(from) LIMIT 1)",
                    info)
            case .spark:
                // The related texts sorted by row, joined (null when there are none).
                return .text(
                    "(SELECT CASE WHEN count(\(t)) > 0 THEN array_join(transform(array_sort(collect_list(struct(r._row AS k, \(t) AS v))), e -> e.v), \(sep)) END \(from))",
                    info)
            }
        case .countDistinct:
            switch v {
            case .text(let t, let ti):
                if !ti.simple { throw fail("count(distinct …) of text that is not plain NFC characters") }
                return .num(Num(m: "(SELECT count(DISTINCT \(t)) \(from))", s: .fixed(0), maxScale: 0))
            case .bool(let x): return .num(Num(m: "(SELECT count(DISTINCT \(x)) \(from))", s: .fixed(0), maxScale: 0))
            case .null: return .num(Num(m: "0", s: .fixed(0), maxScale: 0))
            case .num(let n):
                if n.s.fixed != nil {
                    return .num(Num(m: "(SELECT count(DISTINCT \(n.m)) \(from))", s: .fixed(0), maxScale: 0))
                }
                return .num(
                    Num(
                        m: "(SELECT count(DISTINCT \(b.mulPow(n.m, "\(widest(n)) - \(n.s.sql)", self))) \(from))",
                        s: .fixed(0), maxScale: 0))
            }
        case .sum, .avg:
            guard case .num(let n) = v else {
                if case .null = v { return .null }
                throw fail("\(fn.rawValue)() of a value that is not a number")
            }
            let sum: Num
            if let s = n.s.fixed {
                sum = Num(m: "(SELECT sum(\(n.m)) \(from))", s: .fixed(s), maxScale: n.maxScale)
            } else if b.dialect == .spark {
                // Summed at the column's largest scale (a constant), then brought to the largest
                // scale among the related values, exactly (every term is a multiple of the step).
                let w = temp("(SELECT max(\(n.s.sql)) \(from) AND \(n.m) IS NOT NULL)")
                let wide = temp("(SELECT sum(\(b.mulPow(n.m, "\(n.maxScale) - \(n.s.sql)", self))) \(from))")
                sum = Num(m: b.idiv(wide, b.p10("\(n.maxScale) - \(w)")), s: .dynamic(w), maxScale: n.maxScale)
            } else {
                let w = temp("(SELECT max(\(n.s.sql)) \(from) AND \(n.m) IS NOT NULL)")
                sum = Num(
                    m: "(SELECT sum(\(b.mulPow(n.m, "\(w) - \(n.s.sql)", self))) \(from))", s: .dynamic(w),
                    maxScale: n.maxScale)
            }
            if fn == .sum { return .num(sum) }
            let count = Num(m: "(SELECT count(\(n.m)) \(from))", s: .fixed(0), maxScale: 0)
            return try b.divide(sum, count, zeroGivesNull: true, self)
        case .min, .max:
            let agg = fn == .min ? "min" : "max"
            switch v {
            case .null: return .null
            case .text(let t, let ti):
                if !ti.simple { throw fail("\(agg)() of text that is not plain NFC characters") }
                return .text("(SELECT \(agg)(\(t)) \(from))", ti)
            case .bool(let x): return .bool("(SELECT \(agg)(\(x)) \(from))")
            case .num(let n):
                if let s = n.s.fixed {
                    return .num(Num(m: "(SELECT \(agg)(\(n.m)) \(from))", s: .fixed(s), maxScale: n.maxScale))
                }
                // The first of the smallest (largest) values in relation order, with its own scale.
                if b.dialect == .spark {
                    let key = b.mulPow(n.m, "\(widest(n)) - \(n.s.sql)", self)
                    let by = fn == .min ? "min_by" : "max_by"
                    let rank = "struct(\(key), \(fn == .min ? "" : "-")r._row)"
                    return .num(
                        Num(
                            m: "(SELECT \(by)(\(n.m), \(rank)) \(from) AND \(n.m) IS NOT NULL)",
                            s: .dynamic("(SELECT \(by)(\(n.s.sql), \(rank)) \(from) AND \(n.m) IS NOT NULL)"),
                            maxScale: n.maxScale))
                }
                let order =
                    "ORDER BY \(b.mulPow(n.m, "\(widest(n)) - \(n.s.sql)", self))\(fn == .min ? "" : " DESC"), r._row LIMIT 1"
                return .num(
                    Num(
                        m: "(SELECT \(n.m) \(from) AND \(n.m) IS NOT NULL \(order))",
                        s: .dynamic("(SELECT \(n.s.sql) \(from) AND \(n.m) IS NOT NULL \(order))"), maxScale: n.maxScale
                    ))
            }
        default:
            throw fail("\(fn.rawValue)() over a relation")
        }
    }

    // MARK: Operators

    func arithmetic(_ op: ArithmeticOp, _ x: SV, _ y: SV) throws -> SV {
        if case .null = x { return .null }
        if case .null = y { return .null }
        guard case .num(let a) = x, case .num(let c) = y else {
            throw fail("arithmetic on a value that is not a number")
        }
        switch op {
        case .add, .subtract:
            if let sa = a.s.fixed, let sc = c.s.fixed {
                let s = max(sa, sc)
                return .num(
                    Num(m: "(\(b.scaled(a.m, s - sa)) \(op) \(b.scaled(c.m, s - sc)))", s: .fixed(s), maxScale: s))
            }
            let s = temp(b.greatest(a.s.sql, c.s.sql))
            return .num(
                Num(
                    m:
                        "(\(b.mulPow(a.m, "\(s) - \(a.s.sql)", self)) \(op) \(b.mulPow(c.m, "\(s) - \(c.s.sql)", self)))",
                    s: .dynamic(s), maxScale: max(a.maxScale, c.maxScale)))
        case .multiply:
            if a.maxScale + c.maxScale > 18 {
                throw fail("a product with more than 18 decimal places (BudgetQL rounds it; the SQL would not)")
            }
            let s: Scale
            if let sa = a.s.fixed, let sc = c.s.fixed {
                s = .fixed(sa + sc)
            } else {
                s = .dynamic("(\(a.s.sql) + \(c.s.sql))")
            }
            return .num(Num(m: "(\(a.m) * \(c.m))", s: s, maxScale: a.maxScale + c.maxScale))
        case .divide:
            return try b.divide(a, c, zeroGivesNull: false, self)
        case .remainder:
            let am = simple(a.m)
            let cm = simple(c.m)
            let xs: String
            let ys: String
            let s: Scale
            if let sa = a.s.fixed, let sc = c.s.fixed {
                let m = max(sa, sc)
                xs = b.scaled(am, m - sa)
                ys = b.scaled(cm, m - sc)
                s = .fixed(m)
            } else {
                let m = temp(b.greatest(a.s.sql, c.s.sql))
                xs = b.mulPow(am, "\(m) - \(a.s.sql)", self)
                ys = b.mulPow(cm, "\(m) - \(c.s.sql)", self)
                s = .dynamic(m)
            }
            return .num(
                Num(
                    m: temp(
                        "CASE WHEN \(am) IS NULL OR \(cm) IS NULL THEN NULL WHEN \(cm) = 0 THEN \(b.fail("division by zero", self)) ELSE (\(xs)) % (\(ys)) END"
                    ),
                    s: s, maxScale: max(a.maxScale, c.maxScale)))
        }
    }

    /// The comparison as SQL writes it.
    static func sqlOp(_ op: ComparisonOp) -> String {
        switch op {
        case .equal: return "="
        case .notEqual: return "<>"
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        }
    }

    /// `x op y` for exact decimals.
    func numCompare(_ op: ComparisonOp, _ x: Num, _ y: Num) -> String {
        let o = RowContext.sqlOp(op)
        if let sx = x.s.fixed, let sy = y.s.fixed {
            let s = max(sx, sy)
            return "\(b.scaled(x.m, s - sx)) \(o) \(b.scaled(y.m, s - sy))"
        }
        let l = y.s.fixed.map { b.scaled(x.m, $0) } ?? b.mulPow(x.m, y.s.sql, self, maxK: y.maxScale)
        let r = x.s.fixed.map { b.scaled(y.m, $0) } ?? b.mulPow(y.m, x.s.sql, self, maxK: x.maxScale)
        return "\(l) \(o) \(r)"
    }

    func compare(_ op: ComparisonOp, _ x: SV, _ y: SV, _ mode: CompareMode) throws -> SV {
        if case .null = x { return .null }
        if case .null = y { return .null }
        switch (mode, x, y) {
        case (.null, _, _):
            return .null
        case (.numeric, .num(let a), .num(let c)):
            return .bool("(\(numCompare(op, a, c)))")
        case (.text, .text(let a, let ai), .text(let c, let ci)):
            if !ai.simple || !ci.simple {
                throw fail("comparing text that is not plain NFC characters (Swift compares canonically)")
            }
            return .bool("(\(a) \(RowContext.sqlOp(op)) \(c))")
        case (.boolean, .bool(let a), .bool(let c)):
            return .bool("(\(a) \(RowContext.sqlOp(op)) \(c))")
        case (.codeNumber, .text(let code, let ti), .num(let n)):
            return .bool(try codeCompare(op, code, ti, n, codeOnLeft: true))
        case (.codeNumber, .num(let n), .text(let code, let ti)):
            return .bool(try codeCompare(op, code, ti, n, codeOnLeft: false))
        default:
            throw fail("a comparison of mismatched values")
        }
    }

    /// A classification code against a number: `=`/`!=` compare the code's text with the
    /// number's shortest decimal text (类 = 210 ⇔ 类 = "210"); ordering compares numerically
    /// when the code is a number, and is false when it is not.
    func codeCompare(_ op: ComparisonOp, _ code: String, _ ti: TextInfo, _ n: Num, codeOnLeft: Bool) throws -> String {
        if op == .equal || op == .notEqual {
            let text = try canonicalText(n)
            return "(\(code) \(RowContext.sqlOp(op)) \(text))"
        }
        if !ti.plainCodes {
            throw fail("codes that are numbers with a sign, a point or more than 18 digits, compared with < or >")
        }
        let c = simple(code)
        let codeNum = Num(
            m: b.dialect == .sqlite ? "CAST(\(c) AS INTEGER)" : "TRY_CAST(\(c) AS BIGINT)", s: .fixed(0), maxScale: 0)
        let cmp = codeOnLeft ? numCompare(op, codeNum, n) : numCompare(op, n, codeNum)
        return
            "(CASE WHEN \(c) IS NULL OR \(n.m) IS NULL THEN NULL WHEN \(c) <> '' AND \(b.trimDigits(c)) = '' AND length(\(c)) <= 18 THEN \(cmp) ELSE FALSE END)"
    }

    /// The number's shortest decimal text (`ExactDecimal.normalized.description`).
    func canonicalText(_ n: Num) throws -> String {
        if let s = n.s.fixed, let m = Int64(n.m.trimmingCharacters(in: CharacterSet(charactersIn: "()"))) {
            return try b.stringLiteral(ExactDecimal(mantissa: m, scale: Int8(s)).normalized.description)
        }
        let m = simple(n.m)
        let s = simple(n.s.sql)
        let t = "CAST(abs(\(m)) AS \(b.textType))"
        let z = temp("CASE WHEN \(m) = 0 THEN \(s) ELSE \(b.least(s, "length(\(t)) - length(\(b.trimZeros(t)))")) END")
        let nm = temp(b.idiv(m, b.p10(z)))
        let ns = temp("\(s) - \(z)")
        return format(Num(m: nm, s: .dynamic(ns), maxScale: n.maxScale), normalizeLong: false)
    }

    /// Swift's `contains`: false for an empty needle, null when either side is.
    func contains(_ a: String, _ c: String) -> String {
        if c == "''" { return "(CASE WHEN \(a) IS NULL THEN NULL ELSE FALSE END)" }
        if c.hasPrefix("'") { return "(instr(\(a), \(c)) > 0)" }
        let cs = simple(c)
        return "(CASE WHEN \(cs) = '' AND \(a) IS NOT NULL THEN FALSE ELSE instr(\(a), \(cs)) > 0 END)"
    }

    func startsWith(_ a: String, _ c: String) -> String {
        b.dialect == .duckdb ? "starts_with(\(a), \(c))" : "(substr(\(a), 1, length(\(c))) = \(c))"
    }

    /// `=~` / matches(): DuckDB's RE2 for patterns whose meaning is the same as in Swift.
    func regex(_ a: String, _ ai: TextInfo, _ pattern: String) throws -> String {
        switch b.dialect {
        case .sqlite:
            throw fail("regular expressions (=~, matches()) have no built-in function in SQLite")
        case .duckdb:
            if !ai.simple { throw fail("=~ over text that is not plain NFC characters") }
            try SQLBuilder.checkPortableRegex(pattern, newlines: ai.newlines, engine: "DuckDB's RE2")
            return "regexp_matches(\(a), \(try b.stringLiteral(pattern)))"
        case .spark:
            // RLIKE finds the pattern anywhere, as BudgetQL's =~ does, with java.util.regex.
            if !ai.simple { throw fail("=~ over text that is not plain NFC characters") }
            try SQLBuilder.checkPortableRegex(
                pattern, newlines: ai.newlines, engine: "Spark's java.util.regex", backtracks: true)
            return "(\(a) RLIKE \(try b.stringLiteral(pattern)))"
        }
    }

    /// A scalar function of the registry, written as its `FunctionSQL` says.
    func call(_ fn: ScalarFunction, _ args: [BoundExpr]) throws -> SV {
        let values = try args.map { (a: BoundExpr) throws -> SV in try compile(a) }
        if fn.propagatesNull
            && values.contains(where: {
                if case .null = $0 { return true }
                return false
            })
        {
            return .null
        }
        func text(_ i: Int) throws -> (String, TextInfo) {
            guard case .text(let t, let ti) = values[i] else {
                throw fail("\(fn.name)() of a value that is not text")
            }
            return (t, ti)
        }
        func num(_ i: Int) throws -> Num {
            guard case .num(let n) = values[i] else { throw fail("\(fn.name)() of a value that is not a number") }
            return n
        }
        /// Every argument as plain NFC text.
        func plainTexts(_ why: String) throws -> ([String], TextInfo) {
            var parts: [String] = []
            var info = TextInfo()
            for i in values.indices {
                let (t, ti) = try text(i)
                if !ti.simple { throw fail("\(fn.name)() \(why)") }
                parts.append(t)
                info = info.merged(ti)
            }
            return (parts, info)
        }
        switch fn.sql {
        case .textCondition(let template):
            let (parts, _) = try plainTexts("over text that is not plain NFC characters")
            return .bool(render(template, parts))
        case .textCount(let template):
            let (parts, _) = try plainTexts(
                "of text that is not plain NFC characters (Swift counts grapheme clusters)")
            return .num(Num(m: render(template, parts), s: .fixed(0), maxScale: 0))
        case .caseMapping(let template):
            let (x, xi) = try text(0)
            if !xi.caseSafe {
                throw fail("\(fn.name)() of text with letters beyond ASCII (SQL case mapping differs)")
            }
            return .text(render(template, [x]), xi)
        case .mantissa(let template, let scale):
            let n = try num(0)
            switch scale {
            case .kept: return .num(Num(m: render(template, [n.m]), s: n.s, maxScale: n.maxScale))
            case .zero: return .num(Num(m: render(template, [n.m]), s: .fixed(0), maxScale: 0))
            }
        case .backend(let form):
            return try backendCall(fn, form, args, values, text: text, num: num)
        }
    }

    /// `template` in this dialect with each `$i` replaced by `arguments[i]`, in one pass (an
    /// argument's own text is never rescanned); an argument used more than once is computed once.
    func render(_ template: SQLTemplate, _ arguments: [String]) -> String {
        let chosen: String
        switch b.dialect {
        case .sqlite: chosen = template.sqlite
        case .duckdb: chosen = template.duckdb
        case .spark: chosen = template.spark
        }
        let text = Array(chosen.unicodeScalars)
        var pieces: [(literal: String, argument: Int?)] = []
        var literal = ""
        var uses = [Int](repeating: 0, count: arguments.count)
        var i = 0
        while i < text.count {
            var j = i + 1
            var n = 0
            while text[i] == "$", j < text.count, ("0"..."9").contains(text[j]) {
                n = n * 10 + Int(text[j].value - 48)
                j += 1
            }
            if j > i + 1, n < arguments.count {
                pieces.append((literal, n))
                literal = ""
                uses[n] += 1
                i = j
            } else {
                literal.unicodeScalars.append(text[i])
                i += 1
            }
        }
        pieces.append((literal, nil))
        let sql = arguments.indices.map { uses[$0] > 1 ? simple(arguments[$0]) : arguments[$0] }
        return pieces.map { $0.literal + ($0.argument.map { sql[$0] } ?? "") }.joined()
    }

    /// The scalar functions whose SQL is code of the backend's own.
    private func backendCall(
        _ fn: ScalarFunction, _ form: BackendSQL, _ args: [BoundExpr], _ values: [SV],
        text: (Int) throws -> (String, TextInfo), num: (Int) throws -> Num
    ) throws -> SV {
        func constInt(_ i: Int) throws -> Int? {
            guard let v = fold(args[i]) else { throw fail("\(fn.name)() with an argument that is not a constant") }
            return v.decimal?.exactInteger
        }
        switch form {
        case .contains:
            let (x, xi) = try text(0)
            let (y, yi) = try text(1)
            if !xi.simple || !yi.simple { throw fail("\(fn.name)() over text that is not plain NFC characters") }
            return .bool(contains(x, y))
        case .matches:
            let (x, xi) = try text(0)
            guard case .text(let p)? = fold(args[1]) else {
                throw fail("matches() with a pattern that is not a constant")
            }
            return .bool(try regex(x, xi, p))
        case .substring:
            let (x, xi) = try text(0)
            if !xi.simple {
                throw fail("substr() of text that is not plain NFC characters (Swift counts grapheme clusters)")
            }
            let start = max(0, (try constInt(1) ?? 1) - 1)
            if args.count > 2 {
                let len = max(0, try constInt(2) ?? 0)
                return .text("substr(\(x), \(start + 1), \(len))", xi)
            }
            return .text("substr(\(x), \(start + 1))", xi)
        case .round:
            let n = try num(0)
            let places = args.count > 1 ? (try constInt(1) ?? 0) : 0
            return .num(b.round(n, places: places, self))
        case .coalesce:
            return try coalesce(values)
        }
    }

    /// `coalesce(…)` over values of one kind (nulls left out).
    private func coalesce(_ values: [SV]) throws -> SV {
        let present = values.filter {
            if case .null = $0 { return false }
            return true
        }
        guard let first = present.first else { return .null }
        switch first {
        case .text(_, var info):
            var parts: [String] = []
            for v in present {
                guard case .text(let t, let i) = v else {
                    throw fail("coalesce() of text and other kinds of values")
                }
                parts.append(t)
                info = info.merged(i)
            }
            return .text(parts.count == 1 ? parts[0] : "coalesce(\(parts.joined(separator: ", ")))", info)
        case .bool:
            var parts: [String] = []
            for v in present {
                guard case .bool(let t) = v else {
                    throw fail("coalesce() of conditions and other kinds of values")
                }
                parts.append(t)
            }
            return .bool(parts.count == 1 ? parts[0] : "coalesce(\(parts.joined(separator: ", ")))")
        case .num(let firstNum):
            var nums: [Num] = []
            for v in present {
                guard case .num(let n) = v else { throw fail("coalesce() of numbers and other kinds of values") }
                nums.append(n)
            }
            if nums.count == 1 { return .num(firstNum) }
            let scales = Set(nums.compactMap(\.s.fixed))
            let m = "coalesce(\(nums.map(\.m).joined(separator: ", ")))"
            let s: Scale
            if scales.count == 1, let only = scales.first, nums.allSatisfy({ $0.s.fixed != nil }) {
                s = .fixed(only)
            } else {
                s = .dynamic(
                    "CASE " + nums.map { "WHEN \($0.m) IS NOT NULL THEN \($0.s.sql)" }.joined(separator: " ") + " END")
            }
            return .num(Num(m: m, s: s, maxScale: nums.map(\.maxScale).max() ?? 0))
        case .null:
            return .null
        }
    }

    // MARK: Keys and output

    /// An integer that orders the values of `x` exactly: the mantissa at the frame's largest scale.
    func alignedKey(_ x: Num) throws -> String {
        if x.s.fixed != nil { return simple(x.m) }
        let w = temp("coalesce(max(CASE WHEN \(x.m) IS NOT NULL THEN \(x.s.sql) END) OVER (), 0)")
        return temp(b.mulPow(x.m, "\(w) - \(x.s.sql)", self))
    }

    /// ORDER BY terms for a sort key.
    func sortKeys(_ v: SV) throws -> [String] {
        switch v {
        case .null: return []
        case .text(let t, let ti):
            if !ti.simple { throw fail("sorting text that is not plain NFC characters") }
            return [t]
        case .bool(let x): return [x]
        case .num(let n): return [try alignedKey(n)]
        }
    }

    /// Columns whose equality is BudgetQL's value equality (2.5 = 2.50), for GROUP BY and PARTITION BY.
    func groupKeys(_ v: SV) throws -> [String] {
        switch v {
        case .null: return []
        case .text(let t, let ti):
            if !ti.simple { throw fail("grouping text that is not plain NFC characters (Swift compares canonically)") }
            return [simple(t)]
        case .bool(let x): return [simple(x)]
        case .num(let n): return [try alignedKey(n)]
        }
    }

    /// Stores a value as frame column(s): the SELECT items and the column.
    func store(_ v: SV) throws -> ([String], FrameCol) {
        let name = b.fresh("v")
        switch v {
        case .text(let t, let ti): return (["\(t) AS \(name)"], FrameCol(name: name, kind: .text(ti)))
        case .bool(let x): return (["\(x) AS \(name)"], FrameCol(name: name, kind: .bool))
        case .null: return ([], FrameCol(name: name, kind: .null))
        case .num(let n):
            if let s = n.s.fixed {
                return (["\(n.m) AS \(name)_m"], FrameCol(name: name, kind: .num(scale: s, maxScale: n.maxScale)))
            }
            return (
                ["\(n.m) AS \(name)_m", "\(n.s.sql) AS \(name)_s"],
                FrameCol(name: name, kind: .num(scale: nil, maxScale: n.maxScale))
            )
        }
    }

    /// The value as BudgetQL's CSV prints it.
    func output(_ v: SV) throws -> String {
        switch v {
        case .text(let t, _): return t
        case .bool(let x): return "CASE WHEN \(x) THEN 'true' WHEN NOT \(x) THEN 'false' END"
        case .null: return "NULL"
        case .num(let n):
            if let t = n.exactText { return t }
            if n.s.fixed == 0 { return n.m }
            return format(n, normalizeLong: true)
        }
    }

    /// Decimal text with the value's own scale; with `normalizeLong`, more than 10 significant
    /// decimals are rounded half to even to 10 (ResultFormatter.exact).
    func format(_ n: Num, normalizeLong: Bool) -> String {
        var n = n
        if normalizeLong && n.maxScale > 10 {
            let m = simple(n.m)
            let s = simple(n.s.sql)
            let t = "CAST(abs(\(m)) AS \(b.textType))"
            let z = temp(
                "CASE WHEN \(m) = 0 THEN \(s) ELSE \(b.least(s, "length(\(t)) - length(\(b.trimZeros(t)))")) END")
            let long = temp("\(s) - \(z) > 10")
            let d = b.p10(b.greatest("\(s) - 10", "0"))
            let q = temp(b.idiv("abs(\(m))", d))
            let r = temp("abs(\(m)) % \(d)")
            let half = "CASE WHEN \(r) > \(d) - \(r) OR (\(r) = \(d) - \(r) AND \(q) % 2 = 1) THEN 1 ELSE 0 END"
            let rm = temp(
                "CASE WHEN \(long) THEN CASE WHEN \(m) < 0 THEN -(\(q) + \(half)) ELSE \(q) + \(half) END ELSE \(m) END"
            )
            let rs = temp("CASE WHEN \(long) THEN 10 ELSE \(s) END")
            n = Num(m: rm, s: .dynamic(rs), maxScale: 10)
        }
        let m = simple(n.m)
        let text = { (p: String) in
            "CASE WHEN \(m) < 0 THEN '-' ELSE '' END || CAST(\(self.b.idiv("abs(\(m))", p)) AS \(self.b.textType)) || '.' || substr(CAST(\(p) + abs(\(m)) % \(p) AS \(self.b.textType)), 2)"
        }
        switch n.s {
        case .fixed(let s):
            return s == 0 ? "CAST(\(m) AS \(b.textType))" : text(b.p10(String(s)))
        case .dynamic(let s):
            let ss = simple(s)
            return "CASE WHEN \(ss) = 0 THEN CAST(\(m) AS \(b.textType)) ELSE \(text(b.p10(ss))) END"
        }
    }
}

extension SV {
    /// For a decimal: its scale SQL.
    var numScale: String? {
        if case .num(let n) = self { return n.s.sql }
        return nil
    }
}

extension SQLBuilder {
    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    /// Whether `sql` is a column reference (`c.x`, `c."x"`) or a plain literal.
    static func isAtom(_ sql: String) -> Bool {
        if Int64(sql) != nil { return true }
        if sql == "TRUE" || sql == "FALSE" || sql == "NULL" { return true }
        let bytes = Array(sql.utf8)
        guard bytes.count > 2, bytes[1] == 0x2E, isWordByte(bytes[0]) else {
            if sql.hasPrefix("'") && sql.hasSuffix("'") && sql.count >= 2
                && !sql.dropFirst().dropLast().replacingOccurrences(of: "''", with: "").contains("'")
            {
                return true
            }
            return false
        }
        var i = 0
        while i < bytes.count && isWordByte(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] == 0x2E else { return false }
        let rest = bytes[(i + 1)...]
        // c."x", or c.`x` in Spark.
        if let q = rest.first, q == 0x22 || q == 0x60 {
            return rest.count >= 2 && rest.last == q && !rest.dropFirst().dropLast().contains(q)
        }
        return !rest.isEmpty && rest.allSatisfy(isWordByte)
    }

    /// Whether a bound expression reads no row.
    static func isConstant(_ e: BoundExpr) -> Bool {
        switch e.kind {
        case .constant, .parameter: return true
        case .column, .base, .navigate, .joined, .relation, .windowShare, .window: return false
        default: return e.children.allSatisfy(isConstant)
        }
    }

    /// Accepts only regular expressions that Swift's Regex, RE2 (DuckDB) and java.util.regex
    /// (Spark) read the same way over plain NFC text: literal characters, escaped
    /// metacharacters, `.`, `^`, `$`, classes with ranges, groups `( )` and `(?: )`, `|`, and the
    /// quantifiers `* + ? {n} {n,} {n,m}` (lazy or not). Shorthand classes such as `\d` are
    /// refused (Unicode in Swift, ASCII in RE2 and Java); `.` and `$` only over text without line
    /// breaks (which Java's `.` does not match). `engine` names the other reader in the reason.
    ///
    /// With `backtracks` (java.util.regex), a group that holds a quantifier or `|` may not be
    /// repeated (`(a+)+`, `(a|a)*`, `(.*){1000}`): a backtracking matcher can take exponential
    /// time on them where BudgetQL's matcher does not.
    static func checkPortableRegex(
        _ p: String, newlines: Bool, engine: String = "DuckDB's RE2", backtracks: Bool = false
    ) throws {
        let s = Array(p.unicodeScalars)
        func refuse(_ why: String) -> Untranslatable {
            Untranslatable(
                reason: "the regular expression \"\(p)\" \(why); \(engine) may read it differently from BudgetQL",
                range: nil)
        }
        var i = 0
        var inClass = false
        var canQuantify = false
        // Per open group: whether it holds a quantifier or an alternation; and whether the atom
        // a quantifier would repeat is such a group.
        var groups: [Bool] = []
        var riskyAtom = false
        func quantified(_ lazyOrOnce: Bool) throws {
            if backtracks && riskyAtom && !lazyOrOnce {
                throw refuse(
                    "repeats a group that itself repeats or alternates (a backtracking matcher can take exponential time)"
                )
            }
            if !groups.isEmpty { groups[groups.count - 1] = true }
            riskyAtom = false
        }
        while i < s.count {
            let c = s[i]
            if !inClass, c != ")", c != "*", c != "+", c != "?", c != "{" { riskyAtom = false }
            if inClass {
                switch c {
                case "\\":
                    guard i + 1 < s.count, "^-]\\[.$|()*+?{}/".unicodeScalars.contains(s[i + 1]) else {
                        throw refuse("uses an escape inside a class")
                    }
                    i += 2
                    continue
                case "[": throw refuse("nests a class or uses a POSIX class")
                case "]":
                    inClass = false
                    canQuantify = true
                case "&", "~": if i + 1 < s.count && s[i + 1] == c { throw refuse("uses class set operations") }
                case "-": if i + 1 < s.count && s[i + 1] == "-" { throw refuse("uses class set operations") }
                default: break
                }
                i += 1
                continue
            }
            switch c {
            case "\\":
                guard i + 1 < s.count else { throw refuse("ends with a backslash") }
                let e = s[i + 1]
                if ".^$|()[]{}*+?\\/-".unicodeScalars.contains(e) {
                    canQuantify = true
                    i += 2
                    continue
                }
                throw refuse("uses the escape \\\(e)")
            case "[":
                inClass = true
                i += 1
                if i < s.count && s[i] == "^" { i += 1 }
                if i < s.count && s[i] == "]" { throw refuse("starts a class with ]") }
                continue
            case "(":
                if i + 1 < s.count && s[i + 1] == "?" {
                    guard i + 2 < s.count, s[i + 2] == ":" else { throw refuse("uses a group option or lookaround") }
                    i += 3
                } else {
                    i += 1
                }
                groups.append(false)
                canQuantify = false
                continue
            case ")":
                canQuantify = true
                riskyAtom = groups.popLast() ?? false
                if riskyAtom && !groups.isEmpty { groups[groups.count - 1] = true }
                i += 1
                continue
            case "|":
                canQuantify = false
                if !groups.isEmpty { groups[groups.count - 1] = true }
            case "^": canQuantify = false
            case "$":
                if newlines { throw refuse("uses $ over text with line breaks") }
                canQuantify = false
            case ".":
                if newlines { throw refuse("uses . over text with line breaks") }
                canQuantify = true
            case "*", "+", "?":
                guard canQuantify else { throw refuse("has a quantifier with nothing to repeat") }
                try quantified(c == "?")
                if i + 1 < s.count && s[i + 1] == "+" { throw refuse("uses a possessive quantifier") }
                if i + 1 < s.count && s[i + 1] == "?" { i += 1 }
                canQuantify = false
            case "{":
                var j = i + 1
                var body = ""
                while j < s.count && s[j] != "}" {
                    body.unicodeScalars.append(s[j])
                    j += 1
                }
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard canQuantify, j < s.count, !parts.isEmpty, parts.count <= 2, !parts[0].isEmpty,
                    parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
                else { throw refuse("uses { other than a repeat count") }
                if let hi = parts.count == 2 && !parts[1].isEmpty ? Int(parts[1]) : nil, let lo = Int(parts[0]), hi < lo
                {
                    throw refuse("has a repeat range backwards")
                }
                if (Int(parts[0]) ?? 0) > 1000 { throw refuse("repeats more than 1000 times") }
                try quantified(body == "1" || body == "0,1")
                i = j + 1
                if i < s.count && s[i] == "+" { throw refuse("uses a possessive quantifier") }
                if i < s.count && s[i] == "?" { i += 1 }
                canQuantify = false
                continue
            case "}", "]": throw refuse("has an unmatched \(c)")
            case "#", " ": canQuantify = true
            default:
                if c.properties.isWhitespace || c.value < 0x20 { throw refuse("holds a control or space character") }
                canQuantify = true
            }
            i += 1
        }
        if inClass { throw refuse("leaves a class open") }
    }
}
