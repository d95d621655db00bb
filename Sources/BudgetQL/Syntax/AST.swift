// AST: the parser's output. Every node is a kind plus the UTF-8 byte range it was parsed from.

import BudgetModel

/// How a number literal was written.
public enum NumberUnit: String, Sendable, Hashable {
    /// A plain number: `95`, `0.5`.
    case plain
    /// An amount with 万, 亿 or 元, normalised to 万元.
    case money
    /// A percentage written with `%`: `95%` is the number 95 compared with `%` indicators.
    case percent
}

/// An expression node.
public struct Expr: Sendable, Hashable {
    /// What the node is.
    public indirect enum Kind: Sendable, Hashable {
        /// A number literal, normalised (万元 for money).
        case number(ExactDecimal, NumberUnit)
        /// A string literal.
        case string(String)
        /// `null`.
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// `$name`.
        case parameter(String)
        /// A bare name: a field, relation, or output column.
        case name(String)
        /// `base.field`: navigation through a relation.
        case member(Expr, String)
        /// `f(args)`; `distinct` for `count(distinct x)`.
        case call(String, [Expr], distinct: Bool)
        /// `-x` or `not x`; `at` is the operator token's range (run-time errors point there).
        case unary(UnaryOp, Expr, at: SourceRange)
        /// `a op b` for arithmetic, comparison, `~`, `!~`, `=~`, `^=`, `and`, `or`; `at` is the
        /// operator token's range (an overflow or a division by zero points there).
        case binary(BinaryOp, Expr, Expr, at: SourceRange)
        /// `x in (a, b)` / `x not in (…)`.
        case inList(Expr, [Expr], negated: Bool)
        /// `x between a and b` / `x not between …`.
        case between(Expr, Expr, Expr, negated: Bool)
        /// `x is null` / `x is not null`.
        case isNull(Expr, negated: Bool)
        /// `case when c1 then v1 … [else e] end`, and `if(c, a, b)` (`如果`): the value of the
        /// first branch whose condition is true, else `otherwise` (null when absent).
        case conditional([WhenClause], otherwise: Expr?)
    }
    /// The node kind.
    public var kind: Kind
    /// The source bytes it was parsed from.
    public var range: SourceRange

    /// Creates a node.
    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// One branch of a conditional: `when condition then value`.
public struct WhenClause: Sendable, Hashable {
    /// The condition.
    public var condition: Expr
    /// The value where the condition is true.
    public var value: Expr

    /// A branch.
    public init(condition: Expr, value: Expr) {
        self.condition = condition
        self.value = value
    }
}

/// What `join` joins.
public struct JoinClause: Sendable, Hashable {
    /// `join left`: rows without a match are kept, the other table's fields null.
    public var left: Bool
    /// The other table, as written.
    public var table: String
    /// Where the table's name is.
    public var tableRange: SourceRange
    /// The name its fields are reached by (`alias.field`): the alias, else the table's name.
    public var alias: String
    /// The condition, over both tables' fields.
    public var condition: Expr
}

/// The names `unpivot … into name, value` gives its two new columns.
public struct UnpivotNames: Sendable, Hashable {
    /// The column holding each listed field's name.
    public var name: String
    /// The column holding its value.
    public var value: String
}

/// An expression with an optional output name (`name = expr` or `expr as name`).
public struct NamedExpr: Sendable, Hashable {
    /// The output name, if written, and where.
    public var name: String?
    /// Where the name was written.
    public var nameRange: SourceRange?
    /// The expression.
    public var expr: Expr
}

/// A `sort` key.
public struct SortKey: Sendable, Hashable {
    /// What to sort by.
    public var expr: Expr
    /// Descending (`-field` or `field desc`).
    public var descending: Bool
}

/// One pipeline stage.
public struct Stage: Sendable, Hashable {
    /// What the stage does.
    public enum Kind: Sendable, Hashable {
        /// `where expr`.
        case filter(Expr)
        /// `select a, b = expr, …`.
        case select([NamedExpr])
        /// `derive name = expr, …`.
        case derive([NamedExpr])
        /// `group by key, …` (optionally followed by `agg`).
        case group([NamedExpr])
        /// `group by key, … (stage | …)`: the stages run on each group's rows (a partition), and
        /// the groups' results follow one another in order of the groups' first rows. `take n by
        /// key, …` is `group by key, … (take n)`.
        case partition([NamedExpr], [Stage])
        /// `agg name = aggregate, …`.
        case aggregate([NamedExpr])
        /// `sort key, …`.
        case sort([SortKey])
        /// `take n` / `limit n`.
        case take(Int)
        /// `distinct [fields]`.
        case distinct([NamedExpr])
        /// `rollup [name = aggregate, …]`: 类 → 款 → 项 subtotals.
        case rollup([NamedExpr])
        /// `pivot field [in (v, …)] agg name = aggregate, …`: one column per value of `field`
        /// (listed, or the values its table holds) and aggregate; after `group by`, one row per key.
        case pivot(field: Expr, values: [Expr]?, aggregates: [NamedExpr])
        /// `unpivot a, b, … [into name, value]` (`melt`): one row per input row and listed
        /// field, with the field's name and its value in two new columns.
        case unpivot([NamedExpr], into: UnpivotNames?)
        /// `join [left] [alias =] table on condition`: each row with every row of `table` for
        /// which the condition holds (a left join keeps a row that has none, with nulls).
        case join(JoinClause)
    }
    /// The stage kind.
    public var kind: Kind
    /// The source bytes of the whole stage.
    public var range: SourceRange
    /// The keyword's range.
    public var keywordRange: SourceRange
}

/// A pipeline: a source table or binding, then stages.
public struct Pipeline: Sendable, Hashable {
    /// The source name (table or `let` binding).
    public var source: String
    /// Where the source name is.
    public var sourceRange: SourceRange
    /// The stages in order.
    public var stages: [Stage]
    /// The whole pipeline.
    public var range: SourceRange
}

/// A statement: a query, or a `let` binding.
public struct Statement: Sendable, Hashable {
    /// What the statement is.
    public enum Kind: Sendable, Hashable {
        /// A pipeline whose result is shown.
        case query(Pipeline)
        /// `let name = pipeline`.
        case binding(name: String, nameRange: SourceRange, Pipeline)
    }
    /// The statement kind.
    public var kind: Kind
    /// The whole statement.
    public var range: SourceRange

    /// The statement's pipeline.
    public var pipeline: Pipeline {
        switch kind {
        case .query(let p), .binding(_, _, let p): return p
        }
    }
}
