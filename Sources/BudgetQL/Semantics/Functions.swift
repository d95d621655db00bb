// Functions: the one registry of the language's functions, like SQLite's table of built-ins.
// Every scalar function is one entry of `Functions.scalars`: its names, parameters (arity and
// argument kinds), result type, row implementation, batch implementation where it has one, and
// SQL rendering per dialect. Every aggregate is a case of `AggregateFunction` whose names,
// argument kind, result type and batch form are given by the exhaustive switches below; its fold
// is `Accumulator` and its SQL `SQLBuilder.aggregate`, both exhaustive over the cases, so an
// aggregate without an implementation does not compile. The resolver (row expressions and
// expressions over aggregates alike), rollup planning, both evaluators, the SQL backend, the
// shell's completion and the test of docs/LANGUAGE.md all read this file.

import BudgetModel

// MARK: - Signatures

/// What an argument must be.
package enum ArgumentKind: Sendable, Hashable {
    /// Text (or a classification code, or a reference).
    case text
    /// A number (whole, decimal, amount or percentage).
    case number
    /// A regular expression: text; a quoted one must compile.
    case pattern
    /// Any value.
    case any

    /// How the kind is named in a wrong-type error.
    var expected: String {
        switch self {
        case .text, .pattern: return "text"
        case .number: return "a number"
        case .any: return "a value"
        }
    }

    /// Whether a value of static type `t` is accepted (null always is).
    func accepts(_ t: ValueType) -> Bool {
        switch self {
        case .text, .pattern: return t.isTextual || t == .null
        case .number: return t.isNumeric || t == .null
        case .any: return true
        }
    }
}

/// One parameter of a scalar function.
package struct Parameter: Sendable, Hashable {
    /// Its name in the signature (`s`, `places`).
    package var name: String
    /// What the argument must be.
    package var kind: ArgumentKind
    /// Whether it may be left out (only trailing parameters are).
    package var optional: Bool

    /// A parameter.
    package init(_ name: String, _ kind: ArgumentKind, optional: Bool = false) {
        self.name = name
        self.kind = kind
        self.optional = optional
    }
}

// MARK: - Implementations

/// The arguments of one scalar call at run time, with typed accessors. The resolver has checked
/// the argument kinds, so an accessor fails only on an internal inconsistency, and then with a
/// typed error rather than a trap.
package struct FunctionArguments {
    /// The function's name, for errors.
    package let function: String
    /// The argument values.
    package let values: [Value]
    /// The call: errors (an overflow, a bad pattern) point here.
    package let range: SourceRange
    /// The running statement's cancellation, deadline and work count, for bodies whose cost
    /// grows with their input (a regular-expression match checks it while it runs).
    package var interruption: Interruption? = nil

    /// Whether argument `i` was given.
    package func has(_ i: Int) -> Bool { i < values.count }

    /// Argument `i` as text.
    package func text(_ i: Int) throws(QueryError) -> String {
        guard i < values.count, let s = values[i].text else { throw mismatch(i, "text") }
        return s
    }

    /// Argument `i` as an exact decimal.
    package func decimal(_ i: Int) throws(QueryError) -> ExactDecimal {
        guard i < values.count, let d = values[i].decimal else { throw mismatch(i, "a number") }
        return d
    }

    /// Argument `i` as a whole number, `otherwise` when it is not given or not whole.
    package func integer(_ i: Int, otherwise: Int) -> Int {
        i < values.count ? (values[i].decimal?.exactInteger ?? otherwise) : otherwise
    }

    private func mismatch(_ i: Int, _ expected: String) -> QueryError {
        .wrongType(
            range, context: function, expected: expected,
            found: i < values.count ? Resolver.parameterType(values[i]).displayName : "nothing")
    }
}

/// A scalar function's row implementation: the reference semantics, one call at a time.
package typealias RowImplementation = @Sendable (FunctionArguments) throws(QueryError) -> Value

/// A batch implementation: how `VectorEvaluator` computes a function for a whole column at once.
package enum BatchImplementation: Sendable {
    /// Over a column of exact decimals (the first argument; any others are constants, given as
    /// values): each non-null decimal maps to a decimal, or nil for an overflow. It must agree
    /// with the row implementation, which `BatchEvaluationTests` checks.
    case decimals(@Sendable (ExactDecimal, [Value]) -> ExactDecimal?)
}

// MARK: - SQL

/// SQL text per dialect; `$0`, `$1`, … stand for the arguments' SQL (a number's mantissa). An
/// argument that appears more than once is computed once.
package struct SQLTemplate: Sendable, Hashable {
    /// For SQLite.
    package var sqlite: String
    /// For DuckDB.
    package var duckdb: String
    /// For Spark SQL 3.5.
    package var spark: String

    /// The same text in every dialect.
    package init(_ all: String) {
        sqlite = all
        duckdb = all
        spark = all
    }

    /// A text per dialect.
    package init(sqlite: String, duckdb: String, spark: String) {
        self.sqlite = sqlite
        self.duckdb = duckdb
        self.spark = spark
    }
}

/// The scale of a number computed from a mantissa by an SQL template.
package enum TemplateScale: Sendable, Hashable {
    /// The argument's scale (`abs`).
    case kept
    /// A whole number.
    case zero
}

/// How the SQL backend (BudgetSQL) writes a scalar function.
package enum FunctionSQL: Sendable, Hashable {
    /// A condition over text arguments that are plain NFC text (one Unicode scalar per
    /// character, so SQL's character functions agree with Swift's grapheme-based strings).
    case textCondition(SQLTemplate)
    /// A count of the characters of plain NFC text.
    case textCount(SQLTemplate)
    /// Text from text whose case mapping changes ASCII letters only (SQL maps no others alike).
    case caseMapping(SQLTemplate)
    /// A number from a number: the template maps the mantissa; the scale is given.
    case mantissa(SQLTemplate, scale: TemplateScale)
    /// Written by the backend's own code, shared with an operator or needing more than a template.
    case backend(BackendSQL)
}

/// Scalar functions the SQL backend writes with code of its own.
package enum BackendSQL: Sendable, Hashable {
    /// As the `~` operator.
    case contains
    /// As the `=~` operator (DuckDB's RE2 for portable patterns; SQLite has none).
    case matches
    /// Characters by position, with constant positions.
    case substring
    /// Exact rounding half away from zero to a constant number of places.
    case round
    /// The first argument that is not null, over arguments of one kind.
    case coalesce
}

// MARK: - Scalar functions

/// A scalar function: one entry of the registry. Two entries are the same function when they
/// have the same name.
package struct ScalarFunction: Sendable, Hashable, CustomStringConvertible {
    /// The English name, matched case-insensitively.
    package let name: String
    /// Other names (Chinese), matched exactly.
    package let aliases: [String]
    /// The parameters; optional ones come last.
    package let parameters: [Parameter]
    /// When set, the last parameter repeats: the call takes up to this many arguments in all.
    package let maxArguments: Int?
    /// Whether a null argument makes the result null without calling `row` (all but `coalesce`).
    package let propagatesNull: Bool
    /// The result type for the arguments' static types (their kinds already checked).
    package let result: @Sendable ([ValueType]) -> ValueType
    /// The row implementation: the definition of the function.
    package let row: RowImplementation
    /// The batch implementation, when the function has one (else batch evaluation calls `row`).
    package let batch: BatchImplementation?
    /// How SQL writes it.
    package let sql: FunctionSQL

    /// A registry entry.
    package init(
        _ name: String, aliases: [String] = [], _ parameters: [Parameter], maxArguments: Int? = nil,
        propagatesNull: Bool = true, result: @escaping @Sendable ([ValueType]) -> ValueType,
        row: @escaping RowImplementation, batch: BatchImplementation? = nil, sql: FunctionSQL
    ) {
        self.name = name
        self.aliases = aliases
        self.parameters = parameters
        self.maxArguments = maxArguments
        self.propagatesNull = propagatesNull
        self.result = result
        self.row = row
        self.batch = batch
        self.sql = sql
    }

    /// Whether two entries are the same function (by name).
    package static func == (a: ScalarFunction, b: ScalarFunction) -> Bool { a.name == b.name }
    /// Hashes the name.
    package func hash(into h: inout Hasher) { h.combine(name) }
    /// The name.
    package var description: String { name }

    /// How many arguments the function takes.
    package var arity: ClosedRange<Int> {
        let required = parameters.filter { !$0.optional }.count
        return required...(maxArguments ?? parameters.count)
    }

    /// The arity in words, for errors: "1 argument", "2 or 3 arguments", "1 to 16 arguments".
    package var arityDescription: String {
        let a = arity
        if a.lowerBound == a.upperBound { return "\(a.lowerBound) argument" + (a.lowerBound == 1 ? "" : "s") }
        if a.upperBound == a.lowerBound + 1 { return "\(a.lowerBound) or \(a.upperBound) arguments" }
        return "\(a.lowerBound) to \(a.upperBound) arguments"
    }

    /// What argument `i` must be.
    package func kind(ofArgument i: Int) -> ArgumentKind {
        parameters.isEmpty ? .any : parameters[min(i, parameters.count - 1)].kind
    }

    /// The one typing rule of a call, for row expressions and for expressions over aggregates
    /// alike: checks the number and kinds of the arguments (and compiles a quoted pattern), and
    /// gives the result type. `called` is the name as written, `arguments` the argument
    /// expressions (for error ranges), `bound` and `types` their bound forms and static types.
    package func type(
        called: String, _ range: SourceRange, arguments: [Expr], bound: [BoundExpr], types: [ValueType]
    ) throws(QueryError) -> ValueType {
        guard arity.contains(types.count) else {
            throw .wrongArgumentCount(range, function: called, expected: arityDescription, found: types.count)
        }
        for (i, t) in types.enumerated() {
            let kind = kind(ofArgument: i)
            guard kind.accepts(t) else {
                throw .wrongType(arguments[i].range, context: called, expected: kind.expected, found: t.displayName)
            }
            if kind == .pattern, case .constant(.text(let p)) = bound[i].kind {
                do { _ = try Pattern.cached(p) } catch {
                    throw .invalidRegex(arguments[i].range, pattern: p, detail: error.detail)
                }
            }
        }
        return result(types)
    }

    /// Calls the function on one row's argument values.
    package func evaluate(
        _ values: [Value], _ range: SourceRange, interruption: Interruption? = nil
    ) throws(QueryError) -> Value {
        if propagatesNull && values.contains(where: \.isNull) { return .null }
        return try row(FunctionArguments(function: name, values: values, range: range, interruption: interruption))
    }
}

/// The registry.
package enum Functions {
    /// Every scalar function, in the order docs/LANGUAGE.md lists them.
    package static let scalars: [ScalarFunction] = [
        ScalarFunction(
            "starts_with", [Parameter("s", .text), Parameter("prefix", .text)], result: { _ in .bool },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .bool(try a.text(0).hasPrefix(try a.text(1)))
            },
            sql: .textCondition(
                SQLTemplate(
                    sqlite: "(substr($0, 1, length($1)) = $1)", duckdb: "starts_with($0, $1)",
                    spark: "startswith($0, $1)"))
        ),
        ScalarFunction(
            "ends_with", [Parameter("s", .text), Parameter("suffix", .text)], result: { _ in .bool },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .bool(try a.text(0).hasSuffix(try a.text(1)))
            },
            sql: .textCondition(
                SQLTemplate(
                    sqlite: "(CASE WHEN length($1) = 0 THEN $0 IS NOT NULL ELSE substr($0, -length($1)) = $1 END)",
                    duckdb: "ends_with($0, $1)", spark: "endswith($0, $1)"))
        ),
        ScalarFunction(
            "contains", [Parameter("s", .text), Parameter("part", .text)], result: { _ in .bool },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .bool(try a.text(0).containsBytes(try a.text(1)))
            },
            sql: .backend(.contains)
        ),
        ScalarFunction(
            "matches", [Parameter("s", .text), Parameter("pattern", .pattern)], result: { _ in .bool },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                try TextFunctions.matches(a.values, a.range, a.interruption)
            },
            sql: .backend(.matches)
        ),
        ScalarFunction(
            "length", [Parameter("s", .text)], result: { _ in .integer },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in .integer(try a.text(0).count) },
            sql: .textCount(SQLTemplate("length($0)"))
        ),
        ScalarFunction(
            "lower", [Parameter("s", .text)], result: { _ in .text },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .text(TextFunctions.lowercased(try a.text(0)))
            },
            sql: .caseMapping(SQLTemplate("lower($0)"))
        ),
        ScalarFunction(
            "upper", [Parameter("s", .text)], result: { _ in .text },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .text(TextFunctions.uppercased(try a.text(0)))
            },
            sql: .caseMapping(SQLTemplate("upper($0)"))
        ),
        ScalarFunction(
            "substr",
            [Parameter("s", .text), Parameter("start", .number), Parameter("length", .number, optional: true)],
            result: { _ in .text },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                _ = try a.text(0)
                return TextFunctions.substr(a.values)
            },
            sql: .backend(.substring)
        ),
        ScalarFunction(
            "round", [Parameter("x", .number), Parameter("places", .number, optional: true)],
            result: { $0[0] == .integer ? .decimal : $0[0] },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                guard let r = Evaluator.roundHalfAwayFromZero(try a.decimal(0), places: a.integer(1, otherwise: 0))
                else { throw .overflow(a.range) }
                return .decimal(r)
            },
            batch: .decimals { d, rest in
                Evaluator.roundHalfAwayFromZero(d, places: rest.first?.decimal?.exactInteger ?? 0)
            },
            sql: .backend(.round)
        ),
        ScalarFunction(
            "abs", [Parameter("x", .number)], result: { $0[0] },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                if case .integer(let i) = a.values[0], i != .min { return .integer(Swift.abs(i)) }
                let d = try a.decimal(0)
                guard d.mantissa != .min else { throw .overflow(a.range) }
                return .decimal(d.magnitude)
            },
            batch: .decimals { d, _ in d.mantissa == .min ? nil : d.magnitude },
            sql: .mantissa(SQLTemplate("abs($0)"), scale: .kept)
        ),
        ScalarFunction(
            "sign", [Parameter("x", .number)], result: { _ in .integer },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in
                .integer(Int(try a.decimal(0).mantissa.signum()))
            },
            sql: .mantissa(
                // Spark's sign() is a DOUBLE: the sign as a whole number instead.
                SQLTemplate(
                    sqlite: "(($0 > 0) - ($0 < 0))", duckdb: "sign($0)",
                    spark: "(CASE WHEN $0 > 0 THEN 1 WHEN $0 < 0 THEN -1 WHEN $0 = 0 THEN 0 END)"), scale: .zero)
        ),
        ScalarFunction(
            "coalesce", [Parameter("value", .any)], maxArguments: 16, propagatesNull: false,
            result: { types in types.first { $0 != .null } ?? .null },
            row: { (a: FunctionArguments) throws(QueryError) -> Value in a.values.first { !$0.isNull } ?? .null },
            sql: .backend(.coalesce)
        ),
    ]

    private static let scalarsByName: [String: ScalarFunction] = {
        var table: [String: ScalarFunction] = [:]
        for f in scalars {
            table[f.name] = f
            for a in f.aliases { table[a] = f }
        }
        return table
    }()

    private static let aggregatesByName: [String: AggregateFunction] = {
        var table: [String: AggregateFunction] = [:]
        for f in AggregateFunction.allCases {
            for n in f.names + f.chineseNames { table[n] = f }
        }
        return table
    }()

    /// The scalar function called `name` (English names in any case, other names exactly).
    package static func scalar(named name: String) -> ScalarFunction? {
        scalarsByName[name.lowercased()] ?? scalarsByName[name]
    }

    /// The aggregate called `name` (English names in any case, Chinese names exactly).
    package static func aggregate(named name: String) -> AggregateFunction? {
        aggregatesByName[name.lowercased()] ?? aggregatesByName[name]
    }

    /// Every English function name (aggregates first, then scalars, then windows), for
    /// suggestions and completion.
    package static var englishNames: [String] {
        AggregateFunction.allCases.flatMap(\.names) + scalars.map(\.name)
            + WindowFunction.allCases.flatMap { [$0.name] + $0.otherNames }
    }

    /// Every other (Chinese) function name.
    package static var chineseNames: [String] {
        AggregateFunction.allCases.flatMap(\.chineseNames) + scalars.flatMap(\.aliases)
            + WindowFunction.allCases.flatMap(\.chineseNames)
    }
}

// MARK: - Aggregates

/// Aggregates over a relation or a group.
package enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
    /// The sum of the non-null values (null when there are none).
    case sum
    /// The number of rows (`count()`) or of non-null values.
    case count
    /// The mean of the non-null values, at 10 decimal places.
    case avg
    /// The smallest value.
    case min
    /// The largest value.
    case max
    /// The number of distinct non-null values (`count(distinct x)`).
    case countDistinct = "count_distinct"
    /// The middle value of the non-null values: `quantile(x, 0.5)`.
    case median
    /// `quantile(x, p)`: the value at fraction `p` (0 to 1) of the sorted non-null values,
    /// interpolated linearly between the two nearest, exactly.
    case quantile
    /// `percentile(x, p)`: `quantile(x, p / 100)`.
    case percentile
    /// `string_agg(x [, separator])`: the non-null texts joined in row order (default `、`).
    case stringAgg = "string_agg"
    /// The group's sum as a percentage of the sum over all groups.
    case share
    /// Whether some related row satisfies a condition (relations only).
    case any
    /// Whether every related row satisfies a condition (relations only).
    case all

    /// The English names; the first is the canonical one.
    package var names: [String] {
        switch self {
        case .avg: return ["avg", "mean"]
        case .sum, .count, .min, .max, .countDistinct, .median, .quantile, .percentile, .stringAgg, .share, .any, .all:
            return [rawValue]
        }
    }

    /// The Chinese names.
    package var chineseNames: [String] {
        switch self {
        case .sum: return ["合计", "求和"]
        case .count: return ["计数"]
        case .avg: return ["平均"]
        case .min: return ["最小"]
        case .max: return ["最大"]
        case .share: return ["占比"]
        case .countDistinct: return ["去重计数"]
        case .median: return ["中位数"]
        case .quantile: return ["分位数"]
        case .percentile: return ["百分位数"]
        case .stringAgg: return ["拼接"]
        case .any, .all: return []
        }
    }

    /// What the aggregated argument must be (`avg` also takes a condition: the share of rows
    /// where it is true).
    package var argumentKind: ArgumentKind {
        switch self {
        case .sum, .avg, .share, .median, .quantile, .percentile: return .number
        case .stringAgg: return .text
        case .count, .countDistinct, .min, .max, .any, .all: return .any
        }
    }

    /// The constant parameters after the aggregated argument: the fraction of `quantile`, the
    /// percentage of `percentile`, the separator of `string_agg`.
    package var parameters: [Parameter] {
        switch self {
        case .quantile: return [Parameter("p", .number)]
        case .percentile: return [Parameter("p", .number)]
        case .stringAgg: return [Parameter("separator", .text, optional: true)]
        case .sum, .count, .avg, .min, .max, .countDistinct, .median, .share, .any, .all: return []
        }
    }

    /// The fraction of the sorted values a quantile takes, when the aggregate fixes it.
    package var fixedFraction: ExactDecimal? {
        switch self {
        case .median: return ExactDecimal(mantissa: 5, scale: 1)
        case .sum, .count, .avg, .min, .max, .countDistinct, .quantile, .percentile, .stringAgg, .share, .any, .all:
            return nil
        }
    }

    /// Whether it folds the rows of a group (`agg`, `rollup`); `any` and `all` take a relation
    /// and a condition only.
    package var foldsGroups: Bool {
        switch self {
        case .any, .all: return false
        case .sum, .count, .avg, .min, .max, .countDistinct, .median, .quantile, .percentile, .stringAgg, .share:
            return true
        }
    }

    /// Whether it is also a window function outside `agg` (`share(x)`: the row's part of the
    /// frame's total).
    package var isWindow: Bool {
        switch self {
        case .share: return true
        case .sum, .count, .avg, .min, .max, .countDistinct, .median, .quantile, .percentile, .stringAgg, .any, .all:
            return false
        }
    }

    /// The batch implementation: whether grouping sums a column of decimals in 128-bit integers
    /// (`Grouping`) instead of folding values one at a time with `Accumulator`.
    package var sumsDecimalsInBatch: Bool {
        switch self {
        case .sum, .avg, .share, .count: return true
        case .min, .max, .countDistinct, .median, .quantile, .percentile, .stringAgg, .any, .all: return false
        }
    }

    /// Checks the aggregated argument's static type (`range` is the argument's). A condition
    /// is a number of true rows to `count` and a share to `avg`; to `sum` and the others it is
    /// an error that names those forms.
    package func check(_ t: ValueType, _ range: SourceRange) throws(QueryError) {
        if self == .avg && t == .bool { return }
        if !argumentKind.accepts(t) {
            throw .wrongType(
                range, context: rawValue,
                expected: argumentKind.expected
                    + (t == .bool ? " (count(cond) counts the rows where cond is true, avg(cond) is their share)" : ""),
                found: t.displayName)
        }
    }

    /// The result type for an argument of static type `t` (`.null` for `count()`).
    package func resultType(_ t: ValueType) -> ValueType {
        switch self {
        case .count, .countDistinct: return .integer
        case .share: return .percent
        case .avg: return t == .money ? .money : t == .bool ? .percent : .decimal
        case .sum: return t == .integer ? .integer : t
        case .median, .quantile, .percentile: return t == .integer || t == .null ? .decimal : t
        case .min, .max: return t
        case .stringAgg: return .text
        case .any, .all: return .bool
        }
    }
}

// MARK: - Window functions

/// Functions of a row's place among the rows of its partition — the group of a `group by keys
/// (…)` sub-pipeline, else the whole frame — in the frame's current order. They are computed
/// for every row before the stage that uses them (`derive`, `select`, `where`, `sort`).
package enum WindowFunction: String, Sendable, Hashable, CaseIterable {
    /// The row's position in its partition: 1, 2, 3, …
    case rowNumber = "row_number"
    /// The position of the first row whose keys of the last `sort` equal this row's (1, 1, 3).
    case rank
    /// As `rank`, without gaps (1, 1, 2).
    case denseRank = "dense_rank"
    /// `lag(x [, n])`: x of the row n rows before in the partition (default 1), else null.
    case lag
    /// `lead(x [, n])`: x of the row n rows after in the partition (default 1), else null.
    case lead
    /// `running_sum(x)`: the exact sum of x over the partition's rows up to this one.
    case runningSum = "running_sum"
    /// `change(x [, n])`: `x - lag(x, n)`, null where either is null (a line new this year).
    case change
    /// `pct_change(x [, n])`: `(x - lag(x, n)) / lag(x, n) * 100` in percent, null where either
    /// is null or the earlier value is 0.
    case pctChange = "pct_change"

    /// The English name.
    package var name: String { rawValue }

    /// The Chinese names.
    package var chineseNames: [String] {
        switch self {
        case .rowNumber: return ["行号"]
        case .rank: return ["排名"]
        case .denseRank: return ["密集排名"]
        case .lag: return ["前值"]
        case .lead: return ["后值"]
        case .runningSum: return ["累计"]
        case .change: return ["变动", "增减"]
        case .pctChange: return ["变动率", "增减率"]
        }
    }

    /// Further English names: `prev` for `lag` and `next` for `lead` (the year before and after
    /// in a partition ordered by year).
    package var otherNames: [String] {
        switch self {
        case .lag: return ["prev"]
        case .lead: return ["next"]
        case .rowNumber, .rank, .denseRank, .runningSum, .change, .pctChange: return []
        }
    }

    /// Whether it is written in terms of `lag` (`change`, `pct_change`): bound to arithmetic
    /// over its argument and a `lag` of it, so every engine runs it as that expression.
    package var isLagArithmetic: Bool { self == .change || self == .pctChange }

    /// The parameters: the value (lag, lead, running_sum) and the offset (lag, lead).
    package var parameters: [Parameter] {
        switch self {
        case .rowNumber, .rank, .denseRank: return []
        case .lag, .lead: return [Parameter("x", .any), Parameter("n", .number, optional: true)]
        case .runningSum: return [Parameter("x", .number)]
        case .change, .pctChange: return [Parameter("x", .number), Parameter("n", .number, optional: true)]
        }
    }

    /// Whether it ranks by the keys of the last `sort` (which must exist).
    package var ranksBySortKeys: Bool {
        switch self {
        case .rank, .denseRank: return true
        case .rowNumber, .lag, .lead, .runningSum, .change, .pctChange: return false
        }
    }

    /// The result type for the value's static type (`.null` when it takes none).
    package func resultType(_ t: ValueType) -> ValueType {
        switch self {
        case .rowNumber, .rank, .denseRank: return .integer
        case .lag, .lead: return t == .reference ? .text : t
        case .runningSum, .change: return t == .null ? .decimal : t
        case .pctChange: return .percent
        }
    }
}

extension Functions {
    private static let windowsByName: [String: WindowFunction] = {
        var table: [String: WindowFunction] = [:]
        for f in WindowFunction.allCases {
            for n in [f.name] + f.otherNames + f.chineseNames { table[n] = f }
        }
        return table
    }()

    /// The window function called `name` (English names in any case, Chinese names exactly).
    package static func window(named name: String) -> WindowFunction? {
        windowsByName[name.lowercased()] ?? windowsByName[name]
    }
}
