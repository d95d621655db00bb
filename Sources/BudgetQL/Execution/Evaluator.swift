// Evaluator: the row-at-a-time meaning of a BoundExpr — the reference semantics that batch
// evaluation (VectorEvaluator) and SQL translation are tested against. Also the exact
// arithmetic, three-valued comparison and scalar-function bodies both evaluators share.

import BudgetModel

/// Evaluates bound expressions over a frame.
package struct Evaluator {
    package let frame: Frame
    /// Values of `$parameters` for this run.
    package var parameters: [String: Value]
    /// Totals for `share(x)` windows, by slot and partition.
    package var shareTotals: [[ExactDecimal]] = []
    /// Window function values, by slot and frame row.
    package var windowValues: [[Value]] = []
    /// The running statement's limits: regular-expression matches and text functions report
    /// their work to it, so they stop on cancellation or at the deadline.
    var interruption: Interruption?

    package init(frame: Frame, parameters: [String: Value] = [:]) {
        self.frame = frame
        self.parameters = parameters
    }

    package func eval(_ e: BoundExpr, row: Int) throws(QueryError) -> Value {
        try eval(e, frameRow: row, table: frame.base, baseRow: frame.base == nil ? -1 : frame.rows[row])
    }

    /// Evaluates in a base-table context only (no frame columns), for navigation and relations.
    package func eval(_ e: BoundExpr, table: Table, row: Int) throws(QueryError) -> Value {
        try eval(e, frameRow: -1, table: table, baseRow: row)
    }

    private func eval(_ e: BoundExpr, frameRow: Int, table: Table?, baseRow: Int) throws(QueryError) -> Value {
        switch e.kind {
        case .constant(let v):
            return v
        case .parameter(let name, _):
            return parameters[name] ?? .null
        case .column(let c):
            return frame.values[c][frameRow]
        case .base(let f):
            return table!.columns[f][baseRow]
        case .joined(let j, let target, let inner):
            guard frameRow >= 0, case let t = frame.joins[j].rows[frameRow], t >= 0 else { return .null }
            return try eval(inner, frameRow: -1, table: target, baseRow: t)
        case .navigate(let f, let target, let inner):
            guard let targetRow = table!.references[f]?[baseRow] else { return .null }
            return try eval(inner, frameRow: -1, table: target, baseRow: targetRow)
        case .relation(let r, let target, let fn, let inner, let filter, let type):
            let index = table!.relations[r].rows
            let related = index.targets[index.offsets[baseRow]..<index.offsets[baseRow + 1]]
            var selected: [Int] = []
            selected.reserveCapacity(related.count)
            for t32 in related {
                let t = Int(t32)
                if let filter {
                    if try eval(filter, frameRow: -1, table: target, baseRow: t).bool == true { selected.append(t) }
                } else {
                    selected.append(t)
                }
            }
            switch fn {
            case .any: return .bool(!selected.isEmpty)
            case .all: return .bool(selected.count == related.count)
            case .count where inner == nil: return .integer(selected.count)
            default:
                var acc = Accumulator(function: fn, type: type, range: e.range)
                for t in selected { try acc.add(try eval(inner!, frameRow: -1, table: target, baseRow: t)) }
                return try acc.result(total: nil)
            }
        case .negate(let x, let range):
            let v = try eval(x, frameRow: frameRow, table: table, baseRow: baseRow)
            switch v {
            case .integer(let i):
                if i != .min { return .integer(-i) }
                guard let n = Evaluator.negate(ExactDecimal(i)) else { throw .overflow(range) }
                return .decimal(n)
            case .decimal(let d):
                guard let n = Evaluator.negate(d) else { throw .overflow(range) }
                return .decimal(n)
            case .null: return .null
            default: throw .wrongType(range, context: "-", expected: "a number", found: "text")
            }
        case .not(let x):
            switch try eval(x, frameRow: frameRow, table: table, baseRow: baseRow) {
            case .bool(let b): return .bool(!b)
            default: return .null
            }
        case .and(let a, let b):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            if x.bool == false { return .bool(false) }
            let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow)
            if y.bool == false { return .bool(false) }
            if x.bool == true && y.bool == true { return .bool(true) }
            return .null
        case .or(let a, let b):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            if x.bool == true { return .bool(true) }
            let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow)
            if y.bool == true { return .bool(true) }
            if x.bool == false && y.bool == false { return .bool(false) }
            return .null
        case .arithmetic(let op, let a, let b, let type, let at):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow)
            return try Evaluator.arithmetic(op, x, y, type, at)
        case .compare(let op, let a, let b, let mode):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow)
            return Evaluator.compare(op, x, y, mode)
        case .contains(let a, let b, let negated):
            guard let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow).text,
                let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow).text
            else { return .null }
            return .bool(x.containsBytes(y) != negated)
        case .prefix(let a, let b):
            guard let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow).text,
                let y = try eval(b, frameRow: frameRow, table: table, baseRow: baseRow).text
            else { return .null }
            return .bool(x.hasPrefix(y))
        case .regex(let a, let pattern):
            guard let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow).text else { return .null }
            guard let r = try? Pattern.cached(pattern) else { return .null }
            return .bool(try r.matches(x, interruption: interruption))
        case .inList(let a, let items, let modes, let negated):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            if x.isNull { return .null }
            var sawNull = false
            for (item, mode) in zip(items, modes) {
                let y = try eval(item, frameRow: frameRow, table: table, baseRow: baseRow)
                switch Evaluator.compare(.equal, x, y, mode) {
                case .bool(true): return .bool(!negated)
                case .null: sawNull = true
                default: break
                }
            }
            return sawNull ? .null : .bool(negated)
        case .between(let a, let low, let high, let lowMode, let highMode, let negated):
            let x = try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)
            let l = try eval(low, frameRow: frameRow, table: table, baseRow: baseRow)
            let h = try eval(high, frameRow: frameRow, table: table, baseRow: baseRow)
            guard case .bool(let p) = Evaluator.compare(.greaterOrEqual, x, l, lowMode),
                case .bool(let q) = Evaluator.compare(.lessOrEqual, x, h, highMode)
            else { return .null }
            return .bool((p && q) != negated)
        case .isNull(let a, let negated):
            return .bool(try eval(a, frameRow: frameRow, table: table, baseRow: baseRow).isNull != negated)
        case .conditional(let conditions, let values, let otherwise):
            for (c, v) in zip(conditions, values)
            where try eval(c, frameRow: frameRow, table: table, baseRow: baseRow).bool == true {
                return try eval(v, frameRow: frameRow, table: table, baseRow: baseRow)
            }
            return try eval(otherwise, frameRow: frameRow, table: table, baseRow: baseRow)
        case .call(let fn, let args):
            var values: [Value] = []
            for a in args { values.append(try eval(a, frameRow: frameRow, table: table, baseRow: baseRow)) }
            try interruption?.tick(TextFunctions.work(values))
            return try fn.evaluate(values, e.range, interruption: interruption)
        case .window(let slot):
            return frameRow < 0 ? .null : windowValues[slot][frameRow]
        case .windowShare(let x, let slot):
            guard let v = try eval(x, frameRow: frameRow, table: table, baseRow: baseRow).decimal else { return .null }
            let total = shareTotals[slot][frameRow < 0 ? 0 : frame.partition(frameRow)]
            guard !total.isZero, let hundred = v.multiplying(ExactDecimal(100)),
                let r = hundred.dividing(by: total, places: 10)
            else { return .null }
            return .decimal(r)
        }
    }

    /// `-d`, or nil when it does not fit (the mantissa is the smallest 64-bit integer).
    package static func negate(_ d: ExactDecimal) -> ExactDecimal? {
        d.mantissa == .min ? nil : d.negated
    }

    package static func arithmetic(
        _ op: ArithmeticOp, _ x: Value, _ y: Value, _ type: ValueType, _ range: SourceRange
    )
        throws(QueryError) -> Value
    {
        if x.isNull || y.isNull { return .null }
        if case .integer(let a) = x, case .integer(let b) = y, type == .integer {
            let r: (Int, Bool)
            switch op {
            case .add: r = a.addingReportingOverflow(b)
            case .subtract: r = a.subtractingReportingOverflow(b)
            case .multiply: r = a.multipliedReportingOverflow(by: b)
            case .remainder:
                if b == 0 { throw .divisionByZero(range) }
                r = a.remainderReportingOverflow(dividingBy: b)
            case .divide: r = (0, true)
            }
            if !r.1 { return .integer(r.0) }
        }
        guard let a = x.decimal, let b = y.decimal else { return .null }
        let result: ExactDecimal?
        switch op {
        case .add: result = a.adding(b)
        case .subtract: result = a.subtracting(b)
        case .multiply: result = a.multiplying(b)
        case .divide:
            if b.isZero { throw .divisionByZero(range) }
            result = a.dividing(by: b, places: 10)
        case .remainder:
            if b.isZero { throw .divisionByZero(range) }
            let scale = max(a.scale, b.scale)
            guard let x = a.rounded(toPlaces: scale), let y = b.rounded(toPlaces: scale) else { throw .overflow(range) }
            // The only overflowing case, the smallest mantissa % -1, has remainder 0.
            let (r, overflow) = x.mantissa.remainderReportingOverflow(dividingBy: y.mantissa)
            result = ExactDecimal(mantissa: overflow ? 0 : r, scale: scale)
        }
        guard let r = result else { throw .overflow(range) }
        return .decimal(r)
    }

    /// Three-valued comparison: null when either side is null.
    package static func compare(_ op: ComparisonOp, _ x: Value, _ y: Value, _ mode: CompareMode) -> Value {
        if x.isNull || y.isNull || mode == .null { return .null }
        var l = x
        var r = y
        if mode == .codeNumber {
            // Compare the code's digits with the number: 类 = 210 ⇔ 类 = "210".
            if let code = x.text, let n = y.decimal {
                guard let c = ExactDecimal(code) else { return .bool(op == .notEqual) }
                if op == .equal || op == .notEqual {
                    return .bool((code == n.normalized.description) == (op == .equal))
                }
                l = .decimal(c)
                r = .decimal(n)
            } else if let n = x.decimal, let code = y.text {
                guard let c = ExactDecimal(code) else { return .bool(op == .notEqual) }
                if op == .equal || op == .notEqual {
                    return .bool((code == n.normalized.description) == (op == .equal))
                }
                l = .decimal(n)
                r = .decimal(c)
            }
        }
        switch op {
        case .equal: return .bool(l == r)
        case .notEqual: return .bool(l != r)
        case .less: return .bool(l < r)
        case .lessOrEqual: return .bool(l < r || l == r)
        case .greater: return .bool(r < l)
        case .greaterOrEqual: return .bool(r < l || l == r)
        }
    }

    /// `d` rounded to `places` decimals (0…18), half away from zero (四舍五入, as the documents
    /// round): round(0.125, 2) = 0.13, round(-2.5) = -3. `nil` on overflow.
    package static func roundHalfAwayFromZero(_ d: ExactDecimal, places: Int) -> ExactDecimal? {
        let p = Int8(clamping: max(0, min(places, Int(ExactDecimal.maxScale))))
        if p >= d.scale { return d.rounded(toPlaces: p) }
        var divisor: Int64 = 1
        for _ in 0..<Int(d.scale - p) { divisor *= 10 }
        var q = d.mantissa / divisor
        if (d.mantissa % divisor).magnitude * 2 >= divisor.magnitude { q += d.mantissa < 0 ? -1 : 1 }
        return ExactDecimal(mantissa: q, scale: p)
    }

    /// A scalar function of the registry on one row's argument values.
    package static func call(_ fn: ScalarFunction, _ v: [Value], _ range: SourceRange) throws(QueryError) -> Value {
        try fn.evaluate(v, range)
    }
}
