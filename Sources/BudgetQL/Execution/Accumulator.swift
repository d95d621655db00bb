// Accumulator: folds a group's (or a relation's) values into one aggregate result with exact
// decimal sums; used by grouping, relation aggregates and the row-by-row evaluator.

import BudgetModel

/// Folds values into one aggregate result.
struct Accumulator {
    let function: AggregateFunction
    let type: ValueType
    var sum = ExactDecimal.zero
    var count = 0
    var best: Value = .null
    var seen: Set<Value> = []
    var overflow = false
    /// The aggregate call, where an overflow of the sum is reported.
    let range: SourceRange

    init(function: AggregateFunction, type: ValueType, range: SourceRange) {
        self.function = function
        self.type = type
        self.range = range
    }

    mutating func add(_ v: Value) throws(QueryError) {
        if function == .count && type == .null {
            count += 1
            return
        }
        if v.isNull { return }
        count += 1
        switch function {
        case .sum, .avg, .share:
            guard let d = v.decimal, let s = sum.adding(d) else {
                overflow = true
                return
            }
            sum = s
        case .min: if best.isNull || v < best { best = v }
        case .max: if best.isNull || best < v { best = v }
        case .countDistinct: seen.insert(v)
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
        case .count: return .integer(count)
        case .countDistinct: return .integer(seen.count)
        case .sum:
            if count == 0 { return .null }
            return type == .integer ? (sum.exactInteger.map(Value.integer) ?? .decimal(sum)) : .decimal(sum)
        case .avg:
            if count == 0 { return .null }
            return sum.dividing(by: ExactDecimal(count), places: 10).map(Value.decimal) ?? .null
        case .min, .max: return best
        case .share:
            guard let total, !total.isZero, count > 0, let h = sum.multiplying(ExactDecimal(100)) else { return .null }
            return h.dividing(by: total, places: 10).map(Value.decimal) ?? .null
        case .any, .all: return .null
        }
    }
}
