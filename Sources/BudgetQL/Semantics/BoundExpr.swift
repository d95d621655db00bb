// BoundExpr: the bound IR — an expression after name resolution and type checking. Columns are
// indices, relations are resolved to tables, and every operator knows how its operands compare.
// The Evaluator (Execution/Evaluator.swift) gives it meaning one row at a time.

import BudgetModel

/// How a comparison compares its operands.
package enum CompareMode: Sendable, Hashable {
    /// Both numbers.
    case numeric
    /// Both text.
    case text
    /// A classification code against a number: `类 = 210`.
    case codeNumber
    /// Both booleans.
    case boolean
    /// One side is the null literal: never true.
    case null
}

/// Aggregates over a relation or a group.
package enum AggregateFunction: String, Sendable, Hashable {
    case sum, count, avg, min, max, countDistinct = "count_distinct", share, any, all
}

/// Scalar functions.
package enum ScalarFunction: String, Sendable, Hashable, CaseIterable {
    case startsWith = "starts_with", endsWith = "ends_with", contains, length, lower, upper, round, abs, coalesce,
        matches, substr
}

/// A resolved expression.
package indirect enum BoundExpr: Sendable {
    case constant(Value)
    /// `$name`, read when the statement runs (so one prepared statement serves many values).
    case parameter(String, ValueType)
    /// A computed column of the current frame.
    case column(Int)
    /// A field of the frame's base table, at the row's base row.
    case base(Int)
    /// Follow reference field `field` of the base table to `target`, then evaluate `inner` there.
    case navigate(field: Int, target: Table, inner: BoundExpr)
    /// Aggregate `inner` (or count rows) over relation `relation` of the base table; `filter` selects related rows.
    case relation(
        relation: Int, target: Table, function: AggregateFunction, inner: BoundExpr?, filter: BoundExpr?,
        type: ValueType)
    case negate(BoundExpr, SourceRange)
    case not(BoundExpr)
    case and(BoundExpr, BoundExpr)
    case or(BoundExpr, BoundExpr)
    case arithmetic(ArithmeticOp, BoundExpr, BoundExpr, ValueType, SourceRange)
    case compare(ComparisonOp, BoundExpr, BoundExpr, CompareMode)
    /// `~` (contains) and `!~`.
    case contains(BoundExpr, BoundExpr, negated: Bool)
    /// `^=` (starts with).
    case prefix(BoundExpr, BoundExpr)
    /// `=~` with a pattern compiled per evaluation.
    case regex(BoundExpr, pattern: String)
    /// `x in (…)`: each item with its own comparison mode (`项 in (2101501, "2101505")`).
    case inList(BoundExpr, [BoundExpr], [CompareMode], negated: Bool)
    /// `x between low and high`, with the comparison modes for low and for high.
    case between(BoundExpr, BoundExpr, BoundExpr, CompareMode, CompareMode, negated: Bool)
    case isNull(BoundExpr, negated: Bool)
    case call(ScalarFunction, [BoundExpr], SourceRange)
    /// `share(x)` outside agg: the row's x over the frame's total of x, in percent. `slot` indexes precomputed totals.
    case windowShare(BoundExpr, slot: Int)
}
