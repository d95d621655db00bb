// Grouping: the hash aggregation of `group by … | agg …` and `agg`. Keys are evaluated as
// vectors; keys that are all dictionary codes (or conditions) combine into one integer per row,
// so grouping is an array or integer-hash lookup; `count` and `sum`/`avg`/`share` of decimals
// accumulate in 128-bit integers. Other aggregates use the row `Accumulator`. Groups appear in
// order of their first row, and the answer is the one the row-at-a-time definition gives.

import BudgetModel

struct Grouping {
    /// The row evaluator over the input frame (with its parameters and window-share totals).
    let scalar: Evaluator
    let mode: EvaluationMode
    let interruption: Interruption?

    var parameters: [String: Value] { scalar.parameters }

    func group(_ frame: Frame, keys: [BoundExpr], specs: [AggregateSpec], outputs: [BoundExpr]) throws(QueryError)
        -> Frame
    {
        let vectors = VectorEvaluator(scalar: scalar, mode: mode, interruption: interruption)
        let ctx = VectorContext.of(frame)
        var keyVectors: [Vector] = []
        for k in keys { keyVectors.append(try vectors.eval(k, ctx)) }
        let (groupOf, firstRows) = try Grouping.assign(keyVectors, count: frame.count, interruption: interruption)
        var groups = firstRows.count
        // With no keys, the whole input is exactly one group (even with no rows).
        if keys.isEmpty && groups == 0 { groups = 1 }

        var intermediate: [[Value]] = keyVectors.map { v in firstRows.map { v.value(at: $0) } }
        for spec in specs {
            let argument = try spec.argument.map { (a: BoundExpr) throws(QueryError) -> Vector in
                try vectors.eval(a, ctx)
            }
            intermediate.append(try aggregate(spec, argument, groupOf: groupOf, groups: groups))
        }
        let mid = Frame(base: nil, rows: [], values: intermediate, count: groups)
        var ev = Evaluator(frame: mid, parameters: parameters)
        ev.interruption = interruption
        var values: [[Value]] = []
        for o in outputs {
            let weight = VectorEvaluator.weight(o)
            var column: [Value] = []
            column.reserveCapacity(groups)
            for r in 0..<groups {
                try interruption?.tick(weight)
                column.append(try ev.eval(o, row: r))
            }
            values.append(column)
        }
        return Frame(base: nil, rows: [], values: values, count: groups)
    }

    /// The group number of every row, and the first row of every group.
    static func assign(
        _ keys: [Vector], count n: Int, interruption: Interruption?
    ) throws(QueryError) -> ([Int32], [Int]) {
        var groupOf = [Int32](repeating: 0, count: n)
        var firstRows: [Int] = []
        if keys.isEmpty {
            if n > 0 { firstRows = [0] }
            return (groupOf, firstRows)
        }
        // Integer keys: dictionary codes and condition bytes, combined in mixed radix.
        var radices: [Int] = []
        var product = 1
        for k in keys {
            let radix: Int
            switch k {
            case .coded(_, let d): radix = d.count + 1
            case .logical: radix = 3
            default: radix = 0
            }
            guard radix > 0, product <= (1 << 48) / radix else {
                radices = []
                break
            }
            radices.append(radix)
            product *= radix
        }
        if radices.count == keys.count {
            var composite = [Int](repeating: 0, count: n)
            for k in keys.reversed() {
                switch k {
                case .coded(let c, let d):
                    let radix = d.count + 1
                    for i in 0..<n { composite[i] = composite[i] * radix + Int(c[i]) }
                case .logical(let l):
                    for i in 0..<n { composite[i] = composite[i] * 3 + Int(l[i]) }
                default: break
                }
            }
            if product <= 1 << 22 {
                var slot = [Int32](repeating: -1, count: product)
                for i in 0..<n {
                    if i & 4095 == 4095 { try interruption?.tick(4096) }
                    var g = slot[composite[i]]
                    if g < 0 {
                        g = Int32(firstRows.count)
                        slot[composite[i]] = g
                        firstRows.append(i)
                    }
                    groupOf[i] = g
                }
            } else {
                var slot: [Int: Int32] = [:]
                for i in 0..<n {
                    if i & 1023 == 1023 { try interruption?.tick(1024) }
                    let g: Int32
                    if let existing = slot[composite[i]] {
                        g = existing
                    } else {
                        g = Int32(firstRows.count)
                        slot[composite[i]] = g
                        firstRows.append(i)
                    }
                    groupOf[i] = g
                }
            }
            return (groupOf, firstRows)
        }
        var slot: [[Value]: Int32] = [:]
        for i in 0..<n {
            try interruption?.tick(keys.count)
            let key = keys.map { $0.value(at: i) }
            let g: Int32
            if let existing = slot[key] {
                g = existing
            } else {
                g = Int32(firstRows.count)
                slot[key] = g
                firstRows.append(i)
            }
            groupOf[i] = g
        }
        return (groupOf, firstRows)
    }

    /// Aggregates folded straight from a typed vector, without a `Value` per row: quantiles of
    /// decimals, `count`/`avg` of conditions, `string_agg` of dictionary codes. Nil when the
    /// argument has no such form (the general fold then gives the same answer).
    private func typedFold(_ spec: AggregateSpec, _ argument: Vector?, groupOf: [Int32], groups: Int) throws(QueryError)
        -> [Value]?
    {
        switch (spec.function, argument) {
        case (.median, .decimal(let m, let s)?), (.quantile, .decimal(let m, let s)?),
            (.percentile, .decimal(let m, let s)?):
            var lists = [[ExactDecimal]](repeating: [], count: groups)
            for i in m.indices where s[i] >= 0 {
                lists[Int(groupOf[i])].append(ExactDecimal(mantissa: m[i], scale: s[i]))
            }
            let p = spec.fraction ?? spec.function.fixedFraction ?? .zero
            var out: [Value] = []
            out.reserveCapacity(groups)
            for list in lists { out.append(try Accumulator.quantile(list, p, spec.range)) }
            return out
        case (.count, .logical(let l)?), (.avg, .logical(let l)?):
            var trues = [Int](repeating: 0, count: groups)
            var known = [Int](repeating: 0, count: groups)
            for i in l.indices where l[i] != Logical.null {
                let g = Int(groupOf[i])
                known[g] += 1
                if l[i] == Logical.yes { trues[g] += 1 }
            }
            if spec.function == .count { return trues.map { .integer($0) } }
            return (0..<groups).map { g in
                known[g] == 0
                    ? .null
                    : ExactDecimal(trues[g] * 100).dividing(by: ExactDecimal(known[g]), places: 10).map(Value.decimal)
                        ?? .null
            }
        case (.stringAgg, .coded(let c, let d)?):
            var lists = [[String]](repeating: [], count: groups)
            for i in c.indices where c[i] != 0 { lists[Int(groupOf[i])].append(d.strings[Int(c[i]) - 1]) }
            return lists.map { $0.isEmpty ? .null : .text($0.joined(separator: spec.separator)) }
        default:
            return nil
        }
    }

    /// One aggregate's value per group.
    private func aggregate(_ spec: AggregateSpec, _ argument: Vector?, groupOf: [Int32], groups: Int) throws(QueryError)
        -> [Value]
    {
        let type: ValueType = spec.argument == nil ? .null : spec.type
        var accs = [Accumulator](repeating: Accumulator(spec), count: groups)
        if spec.function.sumsDecimalsInBatch, case .decimal(let m, let s)? = argument, type != .integer {
            // Exact decimal sums: every value on the column's largest scale, in 128 bits.
            var scale: Int8 = 0
            for x in s where x > scale { scale = x }
            var sums = [Int128](repeating: 0, count: groups)
            var seen = [Int8](repeating: 0, count: groups)
            var counts = [Int](repeating: 0, count: groups)
            for i in m.indices where s[i] >= 0 {
                if i & 4095 == 4095 { try interruption?.tick(4096) }
                let g = Int(groupOf[i])
                let (t, overflow) = sums[g].addingReportingOverflow(
                    Int128(m[i]) * DecimalScaling.powers[Int(scale - s[i])])
                if overflow { throw .overflow(spec.range) }
                sums[g] = t
                if s[i] > seen[g] { seen[g] = s[i] }
                counts[g] += 1
            }
            var total = ExactDecimal.zero
            for g in 0..<groups {
                accs[g].count = counts[g]
                // Back to the largest scale the group's own values have, as a running sum gives.
                var sum = sums[g] / DecimalScaling.powers[Int(scale - seen[g])]
                var places = seen[g]
                while (sum > Int128(Int64.max) || sum < -Int128(Int64.max)) && places > 0 && sum % 10 == 0 {
                    sum /= 10
                    places -= 1
                }
                guard sum <= Int128(Int64.max) && sum >= -Int128(Int64.max) else { throw .overflow(spec.range) }
                accs[g].sum = ExactDecimal(mantissa: Int64(sum), scale: places)
                if spec.function == .share {
                    guard let t = total.adding(accs[g].sum) else { throw .overflow(spec.range) }
                    total = t
                }
            }
            return try accs.map { (a: Accumulator) throws(QueryError) -> Value in try a.result(total: total) }
        }
        if spec.argument == nil && spec.function == .count {
            var counts = [Int](repeating: 0, count: groups)
            for g in groupOf { counts[Int(g)] += 1 }
            return counts.map { .integer($0) }
        }
        if let typed = try typedFold(spec, argument, groupOf: groupOf, groups: groups) { return typed }
        var total = ExactDecimal.zero
        for i in groupOf.indices {
            try interruption?.tick()
            let v = argument?.value(at: i) ?? .integer(1)
            try accs[Int(groupOf[i])].add(v)
            if spec.function == .share, let d = v.decimal {
                guard let t = total.adding(d) else { throw .overflow(spec.range) }
                total = t
            }
        }
        return try accs.map { (a: Accumulator) throws(QueryError) -> Value in try a.result(total: total) }
    }
}
