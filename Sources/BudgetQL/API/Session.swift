// Session: the library façade — one call per stage (lex, parse, prepare, execute) and one that
// chains them (run). A session holds `let` bindings and `$parameters`; it never prints or exits.

@_exported import BudgetModel

/// A result column: its header and type.
public struct ResultColumn: Sendable, Hashable, Codable {
    /// The header.
    public var name: String
    /// The static type.
    public var type: ValueType

    /// Creates a column.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}

/// A typed result table.
public struct QueryResult: Sendable {
    /// The columns.
    public var columns: [ResultColumn]
    /// The rows, each with one value per column.
    public var rows: [[Value]]
    /// What the statement should still tell its user (a text compared with a value its field
    /// never holds, with the values it does hold).
    public var warnings: [QueryWarning]

    /// Creates a result.
    public init(columns: [ResultColumn], rows: [[Value]], warnings: [QueryWarning] = []) {
        self.columns = columns
        self.rows = rows
        self.warnings = warnings
    }
}

/// What running one statement produced.
public enum StatementOutcome: Sendable {
    /// A query's result.
    case result(QueryResult)
    /// A `let` binding was made, holding `rows` rows.
    case bound(name: String, rows: Int)
}

/// A statement resolved against a catalog, ready to execute.
public struct PreparedStatement: Sendable {
    /// The parsed statement.
    public let statement: Statement
    let plan: Plan
    /// The `$parameters` the statement reads, and the type each was resolved as.
    public let parameterTypes: [String: ValueType]
}

/// A query session over one catalog.
public struct Session: Sendable {
    /// The tables.
    public let catalog: Catalog
    /// `$name` values.
    public var parameters: [String: Value]
    /// Limits on each query.
    public var limits: QueryLimits
    /// Batch (default) or row-by-row evaluation; both give the same answers.
    public var evaluation: EvaluationMode = .batch
    /// `let` bindings made so far.
    public private(set) var bindings: [String: Binding] = [:]

    /// Creates a session.
    public init(catalog: Catalog, parameters: [String: Value] = [:], limits: QueryLimits = QueryLimits()) {
        self.catalog = catalog
        self.parameters = parameters
        self.limits = limits
    }

    /// Stage 1: tokens of `source`.
    public static func lex(_ source: String) throws(QueryError) -> [Token] {
        try Lexer.tokenize(source)
    }

    /// Stages 1–2: the statements of `source`. Each statement may be up to `Lexer.maxLength`
    /// bytes long; a script may hold any number of them.
    public static func parse(_ source: String) throws(QueryError) -> [Statement] {
        let statements = try Parser.parse(try Lexer.tokenize(source))
        for s in statements where s.range.end - s.range.start > Lexer.maxLength {
            throw .tooLong(SourceRange(s.range.start + Lexer.maxLength, s.range.end), limit: Lexer.maxLength)
        }
        return statements
    }

    /// Stage 3: resolves names and types of `statement` (parsed from `source`).
    public func prepare(_ statement: Statement, source: String) throws(QueryError) -> PreparedStatement {
        var planner = Planner(catalog: catalog, parameters: parameters, source: Array(source.utf8), bindings: bindings)
        planner.limits = limits
        let plan = try planner.plan(statement.pipeline)
        return PreparedStatement(statement: statement, plan: plan, parameterTypes: planner.resolver.usedParameters)
    }

    /// Stage 4: runs a prepared statement. A `let` binds its rows for later statements.
    /// `parameters` override the session's for this run: a statement prepared once can run
    /// with many values, each of the kind (number, text, bool) it was prepared with.
    public mutating func execute(_ prepared: PreparedStatement, parameters overrides: [String: Value] = [:])
        throws(QueryError) -> StatementOutcome
    {
        var values = parameters
        for (k, v) in overrides { values[k] = v }
        for (name, type) in prepared.parameterTypes {
            guard let v = values[name] else { throw .unboundParameter(prepared.statement.range, name: name) }
            let actual = Resolver.parameterType(v)
            if actual != type && actual != .null {
                throw .wrongType(
                    prepared.statement.range, context: "$\(name)", expected: type.displayName, found: actual.displayName
                )
            }
        }
        var executor = Executor(limits: limits, range: prepared.statement.range)
        executor.parameters = values
        executor.mode = evaluation
        let (frame, scope) = try executor.run(prepared.plan)
        // A store found damaged while this (or an earlier) statement read it: nothing it
        // computed can be trusted.
        if let damage = catalog.storeDamage { throw .storeDamaged(prepared.statement.range, damage) }
        if case .binding(let name, _, _) = prepared.statement.kind {
            bindings[name] = Binding(frame: frame, scope: scope)
            return .bound(name: name, rows: frame.count)
        }
        var result = Session.materialize(frame, scope)
        result.warnings = ValueHints.warnings(prepared.plan.valueChecks, parameters: values)
        if let damage = catalog.storeDamage { throw .storeDamaged(prepared.statement.range, damage) }
        return .result(result)
    }

    /// All stages: runs every statement of `source` in order and returns their outcomes.
    /// Syntax errors anywhere stop before anything runs; other errors stop at the failing statement.
    public mutating func run(_ source: String) throws(QueryError) -> [StatementOutcome] {
        let statements = try Session.parse(source)
        var out: [StatementOutcome] = []
        for s in statements { out.append(try execute(try prepare(s, source: source))) }
        return out
    }

    /// Runs a single query and returns its result (the last statement's, if several).
    public mutating func query(_ source: String) throws(QueryError) -> QueryResult {
        let outcomes = try run(source)
        for o in outcomes.reversed() { if case .result(let r) = o { return r } }
        return QueryResult(columns: [], rows: [])
    }

    /// The names of the current bindings.
    public var bindingNames: [String] { bindings.keys.sorted() }

    /// The visible field names of a table or binding, for completion and `.schema`.
    public func fieldNames(of source: String) -> [String] {
        if let b = bindings[source] { return b.scope.columns.map(\.label) }
        guard let t = catalog.table(source) else { return [] }
        return t.fields.flatMap { [$0.name, $0.alias] } + t.relations.flatMap { [$0.name, $0.alias] }
    }

    static func materialize(_ frame: Frame, _ scope: Scope) -> QueryResult {
        let visible = scope.columns.filter(\.visible)
        let columns = visible.map { ResultColumn(name: $0.label, type: $0.type == .reference ? .text : $0.type) }
        var rows: [[Value]] = []
        rows.reserveCapacity(frame.count)
        for r in 0..<frame.count {
            rows.append(
                visible.map { c in
                    switch c.source {
                    case .base(let f): return frame.base!.columns[f][frame.rows[r]]
                    case .frame(let k): return frame.values[k][r]
                    case .joined(let j, let f):
                        let t = frame.joins[j].rows[r]
                        return t < 0 ? .null : frame.joins[j].table.columns[f][t]
                    }
                })
        }
        return QueryResult(columns: columns, rows: rows)
    }
}
