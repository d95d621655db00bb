// BoundExpr: the bound IR — an expression after name resolution and type checking. Columns are
// indices, relations are resolved to tables, and every operator knows how its operands compare.
// Every node keeps the source range it was bound from, so a run-time error (an overflow, a
// division by zero) and an untranslatable construct point at their own operator. `children` and
// `mapChildren` are the one walk over the tree. The Evaluator (Execution/Evaluator.swift) gives
// it meaning one row at a time.

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

/// A resolved expression: what it computes, and where it was written.
package struct BoundExpr: Sendable {
    /// What a node computes.
    package indirect enum Kind: Sendable {
        /// A literal.
        case constant(Value)
        /// `$name`, read when the statement runs (so one prepared statement serves many values).
        case parameter(String, ValueType)
        /// A computed column of the current frame.
        case column(Int)
        /// A field of the frame's base table, at the row's base row.
        case base(Int)
        /// Follow reference field `field` of the base table to `target`, then evaluate `inner` there.
        case navigate(field: Int, target: Table, inner: BoundExpr)
        /// Evaluate `inner` on the row of `target` that the frame's join number `join` matched to
        /// this row (null where a left join matched none).
        case joined(join: Int, target: Table, inner: BoundExpr)
        /// Aggregate `inner` (or count rows) over relation `relation` of the base table; `filter`
        /// selects related rows. `inner` and `filter` are evaluated on `target`'s rows.
        case relation(
            relation: Int, target: Table, function: AggregateFunction, inner: BoundExpr?, filter: BoundExpr?,
            type: ValueType)
        /// `-x`; `at` is the `-` (an overflow points there).
        case negate(BoundExpr, at: SourceRange)
        /// `not x`.
        case not(BoundExpr)
        /// `a and b` (three-valued; `b` is evaluated only where `a` is not false).
        case and(BoundExpr, BoundExpr)
        /// `a or b` (three-valued; `b` is evaluated only where `a` is not true).
        case or(BoundExpr, BoundExpr)
        /// `a op b` with its result type; `at` is the operator (an overflow or a division by
        /// zero points there).
        case arithmetic(ArithmeticOp, BoundExpr, BoundExpr, ValueType, at: SourceRange)
        /// `a op b`, comparing as `CompareMode` says.
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
        /// `x is null` / `x is not null`.
        case isNull(BoundExpr, negated: Bool)
        /// `case when c1 then v1 … else e end` (and `if`): the value of the first branch whose
        /// condition is true (conditions are evaluated in order, each branch's value only where it
        /// is chosen), else `otherwise`.
        case conditional([BoundExpr], [BoundExpr], otherwise: BoundExpr)
        /// A scalar function of the registry (`Semantics/Functions.swift`).
        case call(ScalarFunction, [BoundExpr])
        /// `share(x)` outside agg: the row's x over the frame's (partition's) total of x, in
        /// percent. `slot` indexes the totals computed before the stage's rows are evaluated.
        case windowShare(BoundExpr, slot: Int)
        /// A window function's value for the row (`row_number()`, `lag(x)`, …): `slot` indexes
        /// the stage's `WindowCall`s, computed for every row before the stage is evaluated.
        case window(slot: Int)
    }

    /// What the node computes.
    package var kind: Kind
    /// The source bytes it was bound from: errors raised while evaluating it point here.
    package var range: SourceRange

    /// A node.
    package init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The direct sub-expressions, in evaluation order. Those of `navigate` and `relation` are
    /// evaluated on another table's rows, and that of `windowShare` over the whole frame.
    package var children: [BoundExpr] {
        switch kind {
        case .constant, .parameter, .column, .base, .window: return []
        case .navigate(_, _, let inner), .joined(_, _, let inner): return [inner]
        case .relation(_, _, _, let inner, let filter, _): return [filter, inner].compactMap { $0 }
        case .negate(let x, _), .not(let x), .regex(let x, _), .isNull(let x, _), .windowShare(let x, _): return [x]
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b, _, _), .compare(_, let a, let b, _),
            .contains(let a, let b, _), .prefix(let a, let b):
            return [a, b]
        case .inList(let x, let items, _, _): return [x] + items
        case .between(let x, let low, let high, _, _, _): return [x, low, high]
        case .call(_, let args): return args
        case .conditional(let conditions, let values, let otherwise):
            return zip(conditions, values).flatMap { [$0, $1] } + [otherwise]
        }
    }

    /// This node with every direct child replaced by `transform(child)` (the same children
    /// `children` lists), keeping its range.
    package func mapChildren(_ transform: (BoundExpr) -> BoundExpr) -> BoundExpr {
        let f = transform
        let k: Kind
        switch kind {
        case .constant, .parameter, .column, .base, .window: return self
        case .navigate(let field, let target, let inner): k = .navigate(field: field, target: target, inner: f(inner))
        case .joined(let j, let target, let inner): k = .joined(join: j, target: target, inner: f(inner))
        case .relation(let r, let target, let fn, let inner, let filter, let type):
            k = .relation(
                relation: r, target: target, function: fn, inner: inner.map(f), filter: filter.map(f), type: type)
        case .negate(let x, let at): k = .negate(f(x), at: at)
        case .not(let x): k = .not(f(x))
        case .and(let a, let b): k = .and(f(a), f(b))
        case .or(let a, let b): k = .or(f(a), f(b))
        case .arithmetic(let op, let a, let b, let t, let at): k = .arithmetic(op, f(a), f(b), t, at: at)
        case .compare(let op, let a, let b, let m): k = .compare(op, f(a), f(b), m)
        case .contains(let a, let b, let n): k = .contains(f(a), f(b), negated: n)
        case .prefix(let a, let b): k = .prefix(f(a), f(b))
        case .regex(let a, let p): k = .regex(f(a), pattern: p)
        case .inList(let a, let items, let modes, let n): k = .inList(f(a), items.map(f), modes, negated: n)
        case .between(let a, let l, let h, let lm, let hm, let n): k = .between(f(a), f(l), f(h), lm, hm, negated: n)
        case .isNull(let a, let n): k = .isNull(f(a), negated: n)
        case .call(let fn, let args): k = .call(fn, args.map(f))
        case .conditional(let conditions, let values, let otherwise):
            k = .conditional(conditions.map(f), values.map(f), otherwise: f(otherwise))
        case .windowShare(let x, let slot): k = .windowShare(f(x), slot: slot)
        }
        return BoundExpr(k, range)
    }
}
