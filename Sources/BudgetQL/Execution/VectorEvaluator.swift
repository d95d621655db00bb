// VectorEvaluator: evaluates a bound expression for a whole batch of rows at once. Columns are
// read as typed arrays; a condition on one text column is computed once per distinct string of
// its dictionary and then looked up by code; decimals compare as 128-bit integers; references
// and relations follow precomputed row arrays. Whatever has no batch form falls back to the
// row-at-a-time `Evaluator`, so every expression gives exactly the answer it gives row by row.

import BudgetModel

/// How a session evaluates expressions.
public enum EvaluationMode: Sendable, Hashable {
    /// Whole columns at a time (the default).
    case batch
    /// One row at a time: the reference definition of every operator, slower. The test suite
    /// runs the corpus both ways and requires identical answers.
    case rowByRow
}

struct VectorEvaluator {
    /// The row-at-a-time evaluator for fallbacks (holds the frame, parameters and share totals).
    let scalar: Evaluator
    /// `.rowByRow` sends every expression to `scalar`.
    var mode: EvaluationMode = .batch
    /// Checked every 4,096 rows evaluated one at a time.
    var interruption: Interruption?

    var parameters: [String: Value] { scalar.parameters }

    // MARK: - Entry

    func eval(_ e: BoundExpr, _ ctx: VectorContext) throws(QueryError) -> Vector {
        if mode == .rowByRow { return try fallback(e, ctx) }
        switch e.kind {
        case .base(let f):
            let column = Vector.of(ctx.table!.columns[f])
            return ctx.identity ? column : column.gathered(ctx.rows)
        case .column(let c):
            let values = ctx.frame!.values[c]
            guard let positions = ctx.positions else { return .values(values) }
            return .values(positions.map { values[$0] })
        case .constant, .parameter:
            let value = constant(e) ?? .null
            try interruption?.checkMemory(ctx.count &* Interruption.bytes(of: value))
            return .values(Array(repeating: value, count: ctx.count))
        case .navigate(let f, let target, let inner):
            return try navigate(ctx, field: f, target: target, inner: inner)
        case .relation(let r, let target, let fn, let inner, let filter, let type):
            return try relation(ctx, r, target, fn, inner, filter, type, e.range)
        case .joined(let j, let target, let inner) where ctx.frame != nil:
            let rows = ctx.frame?.joins[j].rows ?? []
            let matched = ctx.positions.map { $0.map { rows[$0] } } ?? rows
            let v = try eval(inner, .rows(matched, of: target))
            return matched.contains(where: { $0 < 0 }) ? v.nulled(where: matched) : v
        case .window(let slot) where ctx.frame != nil:
            let values = scalar.windowValues[slot]
            guard let positions = ctx.positions else { return .values(values) }
            return .values(positions.map { values[$0] })
        default:
            break
        }
        if let v = try byDictionary(e, ctx) { return v }
        if let v = try once(e, ctx) { return v }
        switch e.kind {
        case .not(let x):
            let v = try eval(x, ctx).logical
            return .logical(v.map { $0 == Logical.null ? Logical.null : 1 - $0 })
        case .and(let a, let b):
            return try connective(a, b, ctx, isAnd: true)
        case .or(let a, let b):
            return try connective(a, b, ctx, isAnd: false)
        case .isNull(let a, let negated):
            let v = try eval(a, ctx)
            let yes = negated ? Logical.no : Logical.yes
            let no = negated ? Logical.yes : Logical.no
            switch v {
            case .decimal(_, let s): return .logical(s.map { $0 < 0 ? yes : no })
            case .coded(let c, _): return .logical(c.map { $0 == 0 ? yes : no })
            case .logical(let l): return .logical(l.map { $0 == Logical.null ? yes : no })
            case .values(let vs): return .logical(vs.map { $0.isNull ? yes : no })
            }
        case .compare(let op, let a, let b, let mode):
            if let v = try compare(op, a, b, mode, ctx) { return v }
        case .arithmetic(let op, let a, let b, let type, let at):
            if let v = try arithmetic(op, a, b, type, at, ctx) { return v }
        case .call(let fn, let args):
            if let v = try call(fn, args, e.range, ctx) { return v }
        case .conditional(let conditions, let values, let otherwise):
            return try conditional(conditions, values, otherwise, ctx)
        default:
            break
        }
        return try fallback(e, ctx)
    }

    /// Row-at-a-time evaluation of `e` at every position. Each row reports work in proportion
    /// to the expression's size, and the values built so far count against the memory limit.
    func fallback(_ e: BoundExpr, _ ctx: VectorContext) throws(QueryError) -> Vector {
        var out: [Value] = []
        out.reserveCapacity(ctx.count)
        let weight = interruption == nil ? 0 : VectorEvaluator.weight(e)
        var held = 0
        for i in 0..<ctx.count {
            let v: Value
            if ctx.frame != nil {
                v = try scalar.eval(e, row: ctx.frameRow(i))
            } else {
                let r = ctx.rows[i]
                v = r < 0 ? .null : try scalar.eval(e, table: ctx.table!, row: r)
            }
            out.append(v)
            if let interruption {
                try interruption.tick(weight)
                held &+= Interruption.bytes(of: v)
                try interruption.checkMemory(held)
            }
        }
        return .values(out)
    }

    /// An expression that reads no row (`upper("…")`, `substr("…", 2)`, `1 + 2`): evaluated once
    /// and repeated, when there is a row to evaluate it for — as row by row, where its first
    /// evaluation would give the same value or the same error.
    private func once(_ e: BoundExpr, _ ctx: VectorContext) throws(QueryError) -> Vector? {
        guard ctx.count > 0, VectorEvaluator.readsNoRow(e) else { return nil }
        let value: Value
        if ctx.frame != nil {
            value = try scalar.eval(e, row: ctx.frameRow(0))
        } else {
            let r = ctx.rows[0]
            guard r >= 0, let table = ctx.table else { return nil }
            value = try scalar.eval(e, table: table, row: r)
        }
        try interruption?.checkMemory(ctx.count &* Interruption.bytes(of: value))
        return .values(Array(repeating: value, count: ctx.count))
    }

    /// Whether `e` is made of constants, parameters and operators on them only.
    static func readsNoRow(_ e: BoundExpr) -> Bool {
        // Exhaustive, so that a new kind of node must say whether it reads the row.
        switch e.kind {
        case .constant, .parameter: return true
        case .base, .column, .navigate, .joined, .relation, .windowShare, .window: return false
        case .negate, .not, .and, .or, .arithmetic, .compare, .contains, .prefix, .regex, .inList, .between, .isNull,
            .conditional, .call:
            return e.children.allSatisfy(readsNoRow)
        }
    }

    /// The work one row-at-a-time evaluation of `e` reports: its number of nodes (relations
    /// count their related rows when evaluated).
    static func weight(_ e: BoundExpr) -> Int {
        e.children.reduce(1) { $0 + weight($1) }
    }

    /// The value of a constant or parameter, else nil.
    func constant(_ e: BoundExpr) -> Value? {
        switch e.kind {
        case .constant(let v): return v
        case .parameter(let name, _): return parameters[name] ?? .null
        default: return nil
        }
    }

    // MARK: - Navigation and relations

    private func navigate(_ ctx: VectorContext, field f: Int, target: Table, inner: BoundExpr) throws(QueryError)
        -> Vector
    {
        let refs = ctx.table!.references[f]!.targets
        var rows = [Int]()
        rows.reserveCapacity(ctx.count)
        var missing = false
        for (i, r) in ctx.rows.enumerated() {
            if i & 4095 == 4095 { try interruption?.tick(4096) }
            let t = r < 0 ? -1 : Int(refs[r])
            if t < 0 { missing = true }
            rows.append(t)
        }
        let v: Vector
        if case .base = inner.kind {
            v = try eval(inner, .rows(rows, of: target))
        } else if rows.count > target.count && !VectorEvaluator.mayThrow(inner) {
            // Many rows share few targets: evaluate once per target row, then look up.
            v = try eval(inner, .all(target)).gathered(rows)
        } else {
            v = try eval(inner, .rows(rows, of: target))
        }
        return missing ? v.nulled(where: rows) : v
    }

    private func relation(
        _ ctx: VectorContext, _ r: Int, _ target: Table, _ fn: AggregateFunction, _ inner: BoundExpr?,
        _ filter: BoundExpr?, _ type: ValueType, _ range: SourceRange
    ) throws(QueryError) -> Vector {
        let index = ctx.table!.relations[r].rows
        let offsets = index.offsets
        let targets = index.targets
        var related = 0
        for row in ctx.rows where row >= 0 { related += offsets[row + 1] - offsets[row] }
        // Either evaluate over every target row and address by target row, or over exactly the
        // related rows (flattened) and address by position in that list.
        let whole =
            related >= target.count / 2 && !(filter.map(VectorEvaluator.mayThrow) ?? false)
            && !(inner.map(VectorEvaluator.mayThrow) ?? false)
        var flat: [Int] = []
        if !whole {
            flat.reserveCapacity(related)
            for row in ctx.rows where row >= 0 {
                for j in offsets[row]..<offsets[row + 1] { flat.append(Int(targets[j])) }
            }
        }
        let sub: VectorContext = whole ? .all(target) : .rows(flat, of: target)
        let selected: [UInt8]? = try filter.map { (f: BoundExpr) throws(QueryError) -> [UInt8] in
            try eval(f, sub).logical
        }
        let values: Vector? = try inner.map { (i: BoundExpr) throws(QueryError) -> Vector in try eval(i, sub) }

        var logical: [UInt8] = []
        var out: [Value] = []
        let wantsLogical = fn == .any || fn == .all
        if wantsLogical { logical.reserveCapacity(ctx.count) } else { out.reserveCapacity(ctx.count) }
        var k = 0
        for row in ctx.rows {
            try interruption?.tick(1 + (row < 0 ? 0 : offsets[row + 1] - offsets[row]))
            if row < 0 {
                if wantsLogical { logical.append(Logical.null) } else { out.append(.null) }
                continue
            }
            let lo = offsets[row]
            let hi = offsets[row + 1]
            @inline(__always) func element(_ j: Int) -> Int { whole ? Int(targets[j]) : k + (j - lo) }
            defer { if !whole { k += hi - lo } }
            switch fn {
            case .any, .all:
                var n = 0
                if let selected {
                    for j in lo..<hi where selected[element(j)] == Logical.yes { n += 1 }
                } else {
                    n = hi - lo
                }
                logical.append(
                    fn == .any ? (n > 0 ? Logical.yes : Logical.no) : (n == hi - lo ? Logical.yes : Logical.no))
            case .count where inner == nil:
                var n = 0
                if let selected {
                    for j in lo..<hi where selected[element(j)] == Logical.yes { n += 1 }
                } else {
                    n = hi - lo
                }
                out.append(.integer(n))
            default:
                if out.count & 4095 == 0 { try interruption?.check() }
                var acc = Accumulator(function: fn, type: type, range: range)
                for j in lo..<hi {
                    let e = element(j)
                    if let selected, selected[e] != Logical.yes { continue }
                    try acc.add(values!.value(at: e))
                }
                out.append(try acc.result(total: nil))
            }
        }
        return wantsLogical ? .logical(logical) : .values(out)
    }

    // MARK: - Conditions

    private func connective(_ a: BoundExpr, _ b: BoundExpr, _ ctx: VectorContext, isAnd: Bool) throws(QueryError)
        -> Vector
    {
        var x = try eval(a, ctx).logical
        let decided = isAnd ? Logical.no : Logical.yes
        if VectorEvaluator.mayThrow(b) {
            // Row by row, `b` is not evaluated where `a` decides: keep it that way, so an error
            // in `b` (a division by zero) surfaces only where it would.
            let open = x.indices.filter { x[$0] != decided }
            let y = try eval(b, ctx.subset(open)).logical
            for (j, i) in open.enumerated() { x[i] = isAnd ? Logical.and(x[i], y[j]) : Logical.or(x[i], y[j]) }
            return .logical(x)
        }
        let y = try eval(b, ctx).logical
        for i in x.indices { x[i] = isAnd ? Logical.and(x[i], y[i]) : Logical.or(x[i], y[i]) }
        return .logical(x)
    }

    /// Comparisons of decimals with a constant or with each other, as 128-bit integers.
    private func compare(_ op: ComparisonOp, _ a: BoundExpr, _ b: BoundExpr, _ mode: CompareMode, _ ctx: VectorContext)
        throws(QueryError) -> Vector?
    {
        guard mode == .numeric else { return nil }
        let test: (Int128, Int128) -> Bool
        switch op {
        case .equal: test = { $0 == $1 }
        case .notEqual: test = { $0 != $1 }
        case .less: test = { $0 < $1 }
        case .lessOrEqual: test = { $0 <= $1 }
        case .greater: test = { $0 > $1 }
        case .greaterOrEqual: test = { $0 >= $1 }
        }
        func wide(_ v: Value) -> Int128? { v.decimal.map { DecimalScaling.wide($0.mantissa, $0.scale) } }
        if let c = constant(b) ?? constant(a) {
            let flipped = constant(b) == nil
            let other = flipped ? b : a
            if constant(other) != nil { return nil }
            guard case .decimal(let m, let s) = try eval(other, ctx) else { return nil }
            guard let k = wide(c) else { return .logical(Array(repeating: Logical.null, count: ctx.count)) }
            var out = [UInt8](repeating: Logical.null, count: m.count)
            for i in m.indices where s[i] >= 0 {
                if i & 4095 == 4095 { try interruption?.tick(4096) }
                let x = DecimalScaling.wide(m[i], s[i])
                out[i] = (flipped ? test(k, x) : test(x, k)) ? Logical.yes : Logical.no
            }
            return .logical(out)
        }
        guard case .decimal(let m1, let s1) = try eval(a, ctx), case .decimal(let m2, let s2) = try eval(b, ctx) else {
            return nil
        }
        var out = [UInt8](repeating: Logical.null, count: m1.count)
        for i in m1.indices where s1[i] >= 0 && s2[i] >= 0 {
            if i & 4095 == 4095 { try interruption?.tick(4096) }
            out[i] =
                test(DecimalScaling.wide(m1[i], s1[i]), DecimalScaling.wide(m2[i], s2[i])) ? Logical.yes : Logical.no
        }
        return .logical(out)
    }

    // MARK: - Conditionals

    /// `case`/`if` over a batch: each condition is evaluated over the positions no earlier
    /// condition chose, each value only over the positions its condition chose — exactly where
    /// row-by-row evaluation evaluates them, so an error in an unchosen branch never surfaces.
    private func conditional(
        _ conditions: [BoundExpr], _ values: [BoundExpr], _ otherwise: BoundExpr, _ ctx: VectorContext
    ) throws(QueryError) -> Vector {
        var open = Array(0..<ctx.count)
        var pieces: [(positions: [Int], values: Vector)] = []
        func over(_ positions: [Int]) -> VectorContext {
            positions.count == ctx.count ? ctx : ctx.subset(positions)
        }
        for (c, v) in zip(conditions, values) where !open.isEmpty {
            let test = try eval(c, over(open)).logical
            var chosen: [Int] = []
            var rest: [Int] = []
            for (j, i) in open.enumerated() {
                if test[j] == Logical.yes { chosen.append(i) } else { rest.append(i) }
            }
            if !chosen.isEmpty { pieces.append((chosen, try eval(v, over(chosen)))) }
            open = rest
        }
        if !open.isEmpty { pieces.append((open, try eval(otherwise, over(open)))) }
        return Vector.scatter(pieces, count: ctx.count)
    }

    // MARK: - Arithmetic

    /// One side of a decimal operation: a column of decimals or one constant.
    private enum Operand {
        case column([Int64], [Int8])
        case scalar(ExactDecimal?)

        @inline(__always) func value(_ i: Int) -> ExactDecimal? {
            switch self {
            case .column(let m, let s): return s[i] < 0 ? nil : ExactDecimal(mantissa: m[i], scale: s[i])
            case .scalar(let d): return d
            }
        }
    }

    private func operand(_ e: BoundExpr, _ ctx: VectorContext) throws(QueryError) -> Operand? {
        if let c = constant(e) {
            if c.isNull { return .scalar(nil) }
            return c.decimal.map { .scalar($0) }
        }
        guard case .decimal(let m, let s) = try eval(e, ctx) else { return nil }
        return .column(m, s)
    }

    /// `+ - * /` on decimals, row by row through the same `Evaluator.arithmetic` (so results,
    /// scales and errors are the row evaluator's), without boxing each operand in a `Value`.
    /// Whole-number arithmetic (counts) stays with the row evaluator.
    private func arithmetic(
        _ op: ArithmeticOp, _ a: BoundExpr, _ b: BoundExpr, _ type: ValueType, _ range: SourceRange,
        _ ctx: VectorContext
    ) throws(QueryError) -> Vector? {
        guard type != .integer, op != .remainder else { return nil }
        guard let x = try operand(a, ctx), let y = try operand(b, ctx) else { return nil }
        if case .scalar = x, case .scalar = y { return nil }
        var m = [Int64](repeating: 0, count: ctx.count)
        var s = [Int8](repeating: -1, count: ctx.count)
        for i in 0..<ctx.count {
            if i & 1023 == 1023 { try interruption?.tick(1024) }
            guard let l = x.value(i), let r = y.value(i) else { continue }
            guard case .decimal(let d) = try Evaluator.arithmetic(op, .decimal(l), .decimal(r), type, range) else {
                continue
            }
            m[i] = d.mantissa
            s[i] = d.scale
        }
        return .decimal(m, s)
    }

    // MARK: - Functions

    /// A function with a batch implementation over a column of decimals (its first argument; the
    /// others constant and not null), in place on the mantissas and scales. Rows are visited in
    /// order, so the first row that overflows is the one row-by-row evaluation reports.
    private func call(_ fn: ScalarFunction, _ args: [BoundExpr], _ range: SourceRange, _ ctx: VectorContext)
        throws(QueryError) -> Vector?
    {
        guard case .decimals(let body)? = fn.batch, let first = args.first else { return nil }
        var rest: [Value] = []
        for a in args.dropFirst() {
            guard let c = constant(a), !c.isNull else { return nil }
            rest.append(c)
        }
        guard case .decimal(var m, var s) = try eval(first, ctx) else { return nil }
        for i in m.indices where s[i] >= 0 {
            guard let d = body(ExactDecimal(mantissa: m[i], scale: s[i]), rest) else { throw .overflow(range) }
            m[i] = d.mantissa
            s[i] = d.scale
        }
        return .decimal(m, s)
    }

    // MARK: - Evaluation over a dictionary

    /// An expression whose only data is one dictionary-encoded text column (`name ~ "满意度"`,
    /// `lower(unit) = "%"`, `项 in (…)`) has one value per distinct string: compute it for each
    /// string of the dictionary with the row evaluator, then look the rows' codes up.
    private func byDictionary(_ e: BoundExpr, _ ctx: VectorContext) throws(QueryError) -> Vector? {
        guard let table = ctx.table, let f = VectorEvaluator.singleField(e),
            case .coded(let codes, let dictionary) = table.columns[f].storage,
            dictionary.count < max(ctx.count, 1)
        else { return nil }
        let domain = Frame(
            base: nil, rows: [], values: [[.null] + dictionary.strings.map(Value.text)], count: dictionary.count + 1)
        var ev = Evaluator(frame: domain, parameters: parameters)
        ev.interruption = interruption
        let substituted = VectorEvaluator.substitute(e, field: f)
        let weight = VectorEvaluator.weight(substituted)
        var results: [Value] = []
        results.reserveCapacity(dictionary.count + 1)
        do {
            for code in 0...dictionary.count {
                try interruption?.tick(weight)
                results.append(try ev.eval(substituted, row: code))
            }
        } catch {
            // Cancellation, the deadline and the memory limit stop the statement; any other
            // error is for some string the rows may not contain: let the rows decide.
            switch error {
            case .cancelled, .timedOut, .memoryLimit: throw error
            default: return nil
            }
        }
        let rowCodes: [UInt32] = ctx.identity ? codes : ctx.rows.map { $0 < 0 ? 0 : codes[$0] }
        if results.allSatisfy({ $0.isNull || $0.bool != nil }) {
            let table = results.map(Logical.of)
            return .logical(rowCodes.map { table[Int($0)] })
        }
        if let interruption, interruption.limits.maxMemory != nil {
            let sizes = results.map(Interruption.bytes(of:))
            var held = 0
            for c in rowCodes { held &+= sizes[Int(c)] }
            try interruption.checkMemory(held)
        }
        return .values(rowCodes.map { results[Int($0)] })
    }

    /// The one base field `e` reads, if it reads exactly one and nothing else from rows.
    static func singleField(_ e: BoundExpr) -> Int? {
        var field: Int?
        var ok = true
        func visit(_ e: BoundExpr) {
            guard ok else { return }
            switch e.kind {
            case .base(let f):
                if let field, field != f { ok = false } else { field = f }
            case .column, .navigate, .joined, .relation, .windowShare, .window: ok = false
            default: e.children.forEach(visit)
            }
        }
        visit(e)
        return ok ? field : nil
    }

    /// `e` with base field `field` read from frame column 0 instead. Sub-expressions evaluated
    /// on other rows (through a reference or a relation, or over the frame) are left alone.
    static func substitute(_ e: BoundExpr, field: Int) -> BoundExpr {
        switch e.kind {
        case .base(let f) where f == field: return BoundExpr(.column(0), e.range)
        case .navigate, .joined, .relation, .windowShare: return e
        default: return e.mapChildren { substitute($0, field: field) }
        }
    }

    /// Whether evaluating `e` can throw (arithmetic, negation, functions): such parts are only
    /// evaluated on the rows the row-at-a-time evaluator would evaluate them on. A window
    /// share's argument is evaluated over the whole frame before the stage, not per row.
    static func mayThrow(_ e: BoundExpr) -> Bool {
        switch e.kind {
        case .arithmetic, .negate, .call: return true
        case .windowShare: return false
        default: return e.children.contains(where: mayThrow)
        }
    }
}
