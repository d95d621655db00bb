// Accumulator: folds a group's (or a relation's) values into one aggregate result with exact
// decimal sums; used by grouping, relation aggregates and the row-by-row evaluator.

import BudgetModel

/// Folds values into one aggregate result.
struct Accumulator {
    let function: AggregateFunction
    let type: ValueType
    var sum = ExactDecimal.zero
    var count = 0
    /// The number of true values (`count(cond)`, `avg(cond)`).
    var trues = 0
    var best: Value = .null
    var seen: Set<Value> = []
    /// The non-null values of a quantile.
    var values: [ExactDecimal] = []
    /// The non-null texts of `string_agg`.
    var texts: [String] = []
    var overflow = false
    /// The aggregate call, where an overflow of the sum is reported.
    let range: SourceRange
    /// The fraction of a quantile (0.5 for `median`).
    let fraction: ExactDecimal
    /// The separator of `string_agg`.
    let separator: String

    init(
        function: AggregateFunction, type: ValueType, range: SourceRange, fraction: ExactDecimal? = nil,
        separator: String = AggregateSpec.defaultSeparator
    ) {
        self.function = function
        self.type = type
        self.range = range
        self.fraction = fraction ?? function.fixedFraction ?? .zero
        self.separator = separator
    }

    /// An accumulator for `spec`.
    init(_ spec: AggregateSpec) {
        self.init(
            function: spec.function, type: spec.argument == nil ? .null : spec.type, range: spec.range,
            fraction: spec.fraction, separator: spec.separator)
    }

    mutating func add(_ v: Value) throws(QueryError) {
        if function == .count && type == .null {
            count += 1
            return
        }
        if v.isNull { return }
        count += 1
        if type == .bool, v.bool == true { trues += 1 }
        switch function {
        case .sum, .avg, .share:
            if type == .bool { return }
            guard let d = v.decimal, let s = sum.adding(d) else {
                overflow = true
                return
            }
            sum = s
        case .min: if best.isNull || v < best { best = v }
        case .max: if best.isNull || best < v { best = v }
        case .countDistinct: seen.insert(v)
        case .median, .quantile, .percentile: if let d = v.decimal { values.append(d) }
        case .stringAgg: if let s = v.text { texts.append(s) }
        case .count: break
        case .any, .all:
            // Relation-only aggregates: `VectorEvaluator` and `Evaluator` count their selected rows
            // without an accumulator, and the resolver admits them nowhere else.
            break
        }
    }

    func result(total: ExactDecimal?) throws(QueryError) -> Value {
        if overflow { throw .overflow(range) }
        switch function {
        case .count: return .integer(type == .bool ? trues : count)
        case .countDistinct: return .integer(seen.count)
        case .sum:
            if count == 0 { return .null }
            return type == .integer ? (sum.exactInteger.map(Value.integer) ?? .decimal(sum)) : .decimal(sum)
        case .avg:
            if count == 0 { return .null }
            if type == .bool {
                // The share of true values, in percent.
                return ExactDecimal(trues * 100).dividing(by: ExactDecimal(count), places: 10).map(Value.decimal)
                    ?? .null
            }
            return sum.dividing(by: ExactDecimal(count), places: 10).map(Value.decimal) ?? .null
        case .min, .max: return best
        case .median, .quantile, .percentile: return try Accumulator.quantile(values, fraction, range)
        case .stringAgg: return texts.isEmpty ? .null : .text(texts.joined(separator: separator))
        case .share:
            guard let total, !total.isZero, count > 0, let h = sum.multiplying(ExactDecimal(100)) else { return .null }
            return h.dividing(by: total, places: 10).map(Value.decimal) ?? .null
        case .any, .all: return .null
        }
    }

    /// The value at fraction `p` (0…1) of `values` sorted: at position h = (n − 1) × p, the
    /// value x[⌊h⌋] itself when h is whole, else x[⌊h⌋] + (x[⌊h⌋ + 1] − x[⌊h⌋]) × (h − ⌊h⌋),
    /// exactly (the linear interpolation of DuckDB's `quantile_cont`), without trailing zeros
    /// beyond the two values' own places. Null for no values.
    static func quantile(_ values: [ExactDecimal], _ p: ExactDecimal, _ range: SourceRange) throws(QueryError)
        -> Value
    {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted(by: <)
        guard let h = ExactDecimal(sorted.count - 1).multiplying(p.normalized) else { throw .overflow(range) }
        var whole = h.mantissa
        for _ in 0..<Int(h.scale) { whole /= 10 }
        let lo = Int(whole)
        guard let f = h.subtracting(ExactDecimal(lo)) else { throw .overflow(range) }
        if f.isZero || lo + 1 >= sorted.count { return .decimal(sorted[min(lo, sorted.count - 1)]) }
        guard let d = sorted[lo + 1].subtracting(sorted[lo]), let t = d.multiplying(f), var r = sorted[lo].adding(t)
        else { throw .overflow(range) }
        let keep = max(sorted[lo].scale, sorted[lo + 1].scale)
        while r.scale > keep && r.mantissa % 10 == 0 { r = ExactDecimal(mantissa: r.mantissa / 10, scale: r.scale - 1) }
        return .decimal(r)
    }
}
