// SQLTranslator: turns BudgetQL statements into standard SQL (SQLite, DuckDB or Spark SQL) over
// the tables `SQLExport` writes, giving exactly the answer BudgetQL gives — the same rows in the
// same order, with every value printed as BudgetQL's CSV prints it.
//
// How a pipeline becomes SQL: one chain of CTEs, each stage adding one or more. Every CTE keeps
// an order column (`_row` at the start, `oN` after a stage that reorders), so row order is
// BudgetQL's: `sort` is stable (ties keep the previous order, nulls last), `group by` lists
// groups in order of first appearance, `distinct` keeps the first row of each value.
//
// Exact decimals: a decimal is a pair of SQL integers, mantissa and scale (`amount_m`,
// `amount_s` in the export), and the SQL does BudgetQL's arithmetic on them: + and − align
// scales, × adds them, ÷ rounds half to even at 10 places and drops trailing zeros, round()
// rounds half away from zero, sums keep the largest scale. The final SELECT prints each value
// as BudgetQL's CSV does ("2220.40", "3.5"). Where a column's scale is the same in every row
// (all money columns), that scale is a constant and the SQL is plain integer arithmetic.
//
// Anything that could give a different answer is refused with `SQLTranslationError.notTranslatable`
// saying why: regular expressions on SQLite, text functions over text whose characters are not
// one Unicode scalar each (grapheme rules differ), case mapping beyond ASCII, and so on.
//
// Spark SQL 3.5 (`SQLDialect.spark`) is written for ANSI mode (`spark.sql.ansi.enabled`, which the
// export's load_spark.py sets): an overflow then stops the query as it stops BudgetQL. Money
// never passes through DOUBLE or Spark's DECIMAL division (whose precision rules round): the
// same integer arithmetic runs there, with DECIMAL(38, 0) as the wide integer of a division.

import BudgetModel
import BudgetQL
import Foundation

/// The SQL dialect to translate to.
public enum SQLDialect: String, Sendable, CaseIterable, Hashable {
    /// SQLite 3.30 or later (window functions, NULLS LAST, JSON1 for run-time errors).
    case sqlite
    /// DuckDB.
    case duckdb
    /// Spark SQL 3.5 with `spark.sql.ansi.enabled=true` (as the export's load_spark.py sets it),
    /// so that an integer overflow stops the query as it stops BudgetQL instead of wrapping.
    /// Identifiers in backticks, string literals with backslash escapes, `RLIKE` (Java regular
    /// expressions), `raise_error` for run-time errors, DECIMAL(38, 0) for the wide integers of
    /// an exact division, correlated subqueries aggregated (Spark requires it).
    case spark
}

/// Why a statement could not be translated.
public enum SQLTranslationError: Error, Sendable, Equatable {
    /// The statement is not valid BudgetQL (syntax, names, types).
    case query(QueryError)
    /// The statement is valid, but no SQL in `dialect` gives exactly BudgetQL's answer.
    case notTranslatable(SourceRange, dialect: SQLDialect, reason: String)

    /// The source range the error concerns.
    public var range: SourceRange {
        switch self {
        case .query(let e): return e.range
        case .notTranslatable(let r, _, _): return r
        }
    }

    /// The message, without location.
    public var message: String {
        switch self {
        case .query(let e): return e.message
        case .notTranslatable(_, let d, let reason): return "not translatable to \(d.rawValue): \(reason)"
        }
    }

    /// `name:line:column: error: message`, the source line and a caret, rendered by `Diagnostic`.
    public func render(source: String, name: String = "query") -> String {
        switch self {
        case .query(let e):
            return Diagnostic(e, source: source).render(name: name)
        case .notTranslatable(let r, _, _):
            return Diagnostic(message: message, range: r, source: source).render(name: name)
        }
    }
}

/// One translated query statement.
public struct SQLQuery: Sendable {
    /// The SQL text: a single `WITH … SELECT …;` statement.
    public var sql: String
    /// The result's columns, as BudgetQL names and types them.
    public var columns: [ResultColumn]
    /// The statement's source range.
    public var range: SourceRange
}

/// Translates BudgetQL statements to SQL over the tables of `SQLExport` (same names, same
/// fields, decimals as TEXT plus `_m`/`_s` integers, references as `<field>_row`).
///
/// ```swift
/// var t = SQLTranslator(catalog: catalog, dialect: .sqlite)
/// for q in try t.translate("projects | where amount >= 1000万 | select name, amount") { print(q.sql) }
/// ```
/// `let` statements produce no SQL of their own: a later statement that reads the binding
/// includes its CTEs. `$parameters` become literals.
public struct SQLTranslator {
    /// The catalog the SQL is for (the export of the same catalog).
    public let catalog: Catalog
    /// The dialect.
    public let dialect: SQLDialect
    /// `$name` values, inlined as literals.
    public var parameters: [String: Value]
    /// Names the caller's session bound earlier, which this translator has not seen.
    public var outsideBindings: Set<String> = []

    let info: CatalogSQLInfo
    var bindings: [String: BoundSQL] = [:]
    var counter = 0

    /// Creates a translator. Reads the catalog once to learn each decimal column's scales and
    /// each text column's character repertoire.
    public init(catalog: Catalog, dialect: SQLDialect, parameters: [String: Value] = [:]) {
        self.catalog = catalog
        self.dialect = dialect
        self.parameters = parameters
        info = CatalogSQLInfo.of(catalog)
    }

    /// Translates every statement of `source`: one `SQLQuery` per query statement, in order.
    public mutating func translate(_ source: String) throws(SQLTranslationError) -> [SQLQuery] {
        let statements: [Statement]
        do { statements = try Session.parse(source) } catch { throw .query(error) }
        var out: [SQLQuery] = []
        for s in statements {
            if let q = try translate(s, source: source) { out.append(q) }
        }
        return out
    }

    /// Translates one parsed statement of `source`. A `let` is remembered and returns nil.
    public mutating func translate(_ statement: Statement, source: String) throws(SQLTranslationError) -> SQLQuery? {
        let pipeline = statement.pipeline
        if bindings[pipeline.source] == nil, outsideBindings.contains(pipeline.source),
            catalog.table(pipeline.source) == nil
        {
            throw .notTranslatable(
                pipeline.sourceRange, dialect: dialect,
                reason:
                    "\(pipeline.source) is a let binding made earlier in the session; translate its let statement together with this query"
            )
        }
        var fake: [String: Binding] = [:]
        for (name, b) in bindings {
            fake[name] = Binding(
                frame: Frame(base: b.base, rows: [], values: Array(repeating: [], count: b.cols.count), count: 0),
                scope: b.scope)
        }
        var planner = Planner(catalog: catalog, parameters: parameters, source: Array(source.utf8), bindings: fake)
        // A pivot without listed values runs the stages before it natively to find its columns;
        // the translator's bindings hold no rows.
        planner.findsPivotValues = bindings[pipeline.source] == nil
        let plan: Plan
        do { plan = try planner.plan(pipeline) } catch {
            if !planner.findsPivotValues, case .misplacedStage(let r, "pivot", _) = error {
                throw .notTranslatable(
                    r, dialect: dialect, reason: "a pivot over a let binding needs its values listed (pivot x in (…))")
            }
            throw .query(error)
        }
        let builder = SQLBuilder(
            dialect: dialect, info: info, catalog: catalog, counter: counter, range: statement.range)
        builder.parameters = parameters
        defer { counter = builder.counter }
        let ctx: RowContext
        if let b = bindings[pipeline.source] {
            builder.ctes = b.ctes
            ctx = RowContext(builder, source: b.source, base: b.base, cols: b.cols, order: b.order)
            ctx.joinRows = b.joinRows
        } else if case .table(let t) = plan.source {
            ctx = RowContext(builder, source: builder.ident(t.name), base: t, cols: [], order: "_row")
        } else {
            throw .notTranslatable(pipeline.sourceRange, dialect: dialect, reason: "unknown binding \(pipeline.source)")
        }
        do {
            for stage in plan.stages { try builder.stage(stage, ctx) }
            if case .binding(let name, _, _) = statement.kind {
                bindings[name] = BoundSQL(
                    ctes: builder.ctes, source: ctx.source, base: ctx.base, cols: ctx.cols, order: ctx.order,
                    scope: plan.scope, joinRows: ctx.joinRows)
                return nil
            }
            let visible = plan.scope.columns.filter(\.visible)
            var select: [String] = []
            for c in visible {
                let v: SV
                switch c.source {
                case .base(let f): v = try ctx.baseField(f)
                case .frame(let k): v = ctx.cols[k].value
                case .joined: v = try ctx.compile(plan.scope.bound(c, statement.range))
                }
                select.append(try ctx.output(v) + " AS " + builder.quote(c.label))
            }
            let src = ctx.flush()
            let columns = visible.map { ResultColumn(name: $0.label, type: $0.type == .reference ? .text : $0.type) }
            // Spark's default (non-ANSI) mode wraps an overflow around instead of stopping: say so.
            var sql =
                dialect == .spark ? "-- Spark SQL 3.5 with spark.sql.ansi.enabled=true (load_spark.py sets it)\n" : ""
            sql +=
                builder.ctes.isEmpty
                ? ""
                : "WITH\n"
                    + builder.ctes.map {
                        "\($0.name) AS \($0.materialized && dialect != .spark ? "MATERIALIZED " : "")(\n  \($0.sql)\n)"
                    }
                    .joined(separator: ",\n") + "\n"
            sql +=
                "SELECT " + (select.isEmpty ? "NULL AS \"_\"" : select.joined(separator: ",\n       "))
                + "\nFROM \(src) AS c\nORDER BY c.\(ctx.order);"
            return SQLQuery(sql: sql, columns: columns, range: statement.range)
        } catch let e as Untranslatable {
            throw .notTranslatable(e.range ?? statement.range, dialect: dialect, reason: e.reason)
        } catch {
            throw .notTranslatable(statement.range, dialect: dialect, reason: "\(error)")
        }
    }
}

extension Session {
    /// Translates the statements of `source` to SQL in `dialect`, with this session's
    /// `$parameters` inlined. See `SQLTranslator`.
    public func translate(_ source: String, dialect: SQLDialect) throws(SQLTranslationError) -> [SQLQuery] {
        var t = SQLTranslator(catalog: catalog, dialect: dialect, parameters: parameters)
        t.outsideBindings = Set(bindingNames)
        return try t.translate(source)
    }
}

// MARK: - Internals

/// A `let` binding already translated: its CTEs and the shape of its rows.
struct BoundSQL {
    var ctes: [CTE]
    var source: String
    var base: Table?
    var cols: [FrameCol]
    var order: String
    var scope: Scope
    /// The columns holding each join's matched rows.
    var joinRows: [String]
}

struct CTE {
    var name: String
    var sql: String
    /// Computed in full (`AS MATERIALIZED`): its rows can stop the query with a run-time error,
    /// which BudgetQL raises for every row of the frame, needed later or not.
    var materialized: Bool { sql.contains(SQLBuilder.failMarker) }
}

/// Thrown inside the builder; becomes `SQLTranslationError.notTranslatable`.
struct Untranslatable: Error {
    var reason: String
    /// Where: set by `RowContext.compile` to the node being compiled when none was given.
    var range: SourceRange?
}

/// What is known of a text value's characters.
struct TextInfo: Sendable {
    /// NFC, and every grapheme cluster is one Unicode scalar: SQL's character functions and
    /// byte comparison then agree with Swift's grapheme-based String.
    var simple = true
    /// Upper- and lower-casing change ASCII letters only.
    var caseSafe = true
    /// Some value holds a line break.
    var newlines = false
    /// Every value is either 1–18 ASCII digits or not a number at all (for code/number comparison).
    var plainCodes = true

    static func of(_ s: String) -> TextInfo {
        var t = TextInfo()
        t.simple =
            s.unicodeScalars.count == s.count
            && s.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(s.unicodeScalars)
        let asciiUpper = String(
            String.UnicodeScalarView(
                s.unicodeScalars.map { ("a"..."z").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 }))
        let asciiLower = String(
            String.UnicodeScalarView(
                s.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
        t.caseSafe =
            s.uppercased().unicodeScalars.elementsEqual(asciiUpper.unicodeScalars)
            && s.lowercased().unicodeScalars.elementsEqual(asciiLower.unicodeScalars)
        t.newlines = s.unicodeScalars.contains {
            $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" || $0 == "\u{0B}"
                || $0 == "\u{0C}"
        }
        let digits = !s.isEmpty && s.utf8.count <= 18 && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        t.plainCodes = digits || ExactDecimal(s) == nil
        return t
    }

    func merged(_ o: TextInfo) -> TextInfo {
        TextInfo(
            simple: simple && o.simple, caseSafe: caseSafe && o.caseSafe, newlines: newlines || o.newlines,
            plainCodes: plainCodes && o.plainCodes)
    }
}

/// What the translator knows of a catalog field's values.
struct FieldSQLInfo: Sendable {
    var text = TextInfo()
    /// For decimals: the scale every value has, if they all have the same.
    var scale: Int?
    /// For decimals: the largest scale of any value.
    var maxScale = 0
}

/// How a relation's rows are found: `target.targetColumn = source.sourceColumn`.
struct RelationJoin: Sendable {
    var targetColumn: String
    var sourceColumn: String
}

/// Facts about a catalog that the SQL depends on, read once.
final class CatalogSQLInfo: Sendable {
    let fields: [String: [FieldSQLInfo]]
    let relations: [String: [RelationJoin?]]

    private final class WeakCatalog {
        weak var catalog: Catalog?
        let info: CatalogSQLInfo
        init(_ c: Catalog, _ i: CatalogSQLInfo) {
            catalog = c
            info = i
        }
    }
    nonisolated(unsafe) private static var cache: [WeakCatalog] = []
    private static let lock = NSLock()

    /// The facts of `catalog`, read once per catalog (catalogs are immutable).
    static func of(_ catalog: Catalog) -> CatalogSQLInfo {
        lock.lock()
        defer { lock.unlock() }
        cache.removeAll { $0.catalog == nil }
        if let hit = cache.first(where: { $0.catalog === catalog }) { return hit.info }
        let info = CatalogSQLInfo(catalog: catalog)
        cache.append(WeakCatalog(catalog, info))
        return info
    }

    init(catalog: Catalog) {
        var fields: [String: [FieldSQLInfo]] = [:]
        for t in catalog.tables {
            fields[t.name] = t.fields.indices.map { fi in
                var info = FieldSQLInfo()
                var scales = Set<Int>()
                for v in t.columns[fi] {
                    switch v {
                    case .text(let s): info.text = info.text.merged(TextInfo.of(s))
                    case .decimal(let d): scales.insert(Int(d.scale))
                    case .integer: scales.insert(0)
                    default: break
                    }
                }
                info.scale = scales.count <= 1 ? (scales.first ?? 0) : nil
                info.maxScale = scales.max() ?? 0
                return info
            }
        }
        self.fields = fields
        let itemRows = SQLExport(catalog: catalog).projectItemRows()
        var relations: [String: [RelationJoin?]] = [:]
        for t in catalog.tables {
            relations[t.name] = t.relations.map { rel in
                guard let target = catalog.table(rel.target) else { return nil }
                for (fi, f) in target.fields.enumerated() where f.type == .reference {
                    guard let refs = target.references[fi] else { continue }
                    var key: [Int?]
                    var sourceColumn: String
                    if f.target == t.name {
                        key = (0..<t.count).map { Optional($0) }
                        sourceColumn = "_row"
                    } else if f.target == "items" && t.name == "projects" && itemRows.count == t.count {
                        key = itemRows
                        sourceColumn = "item_row"
                    } else {
                        continue
                    }
                    var byKey: [Int: [Int]] = [:]
                    for (r, k) in refs.enumerated() { if let k { byKey[k, default: []].append(r) } }
                    let matches = (0..<t.count).allSatisfy { r in
                        let expected = key[r].map { byKey[$0] ?? [] } ?? []
                        return expected.elementsEqual(rel.rows[r])
                    }
                    if matches { return RelationJoin(targetColumn: f.name + "_row", sourceColumn: sourceColumn) }
                }
                return nil
            }
        }
        self.relations = relations
    }
}

/// A scale: known when the SQL is written, or an SQL expression.
enum Scale {
    case fixed(Int)
    case dynamic(String)

    var sql: String {
        switch self {
        case .fixed(let s): return String(s)
        case .dynamic(let e): return e
        }
    }
    var fixed: Int? {
        if case .fixed(let s) = self { return s }
        return nil
    }
}

/// An exact decimal in SQL: `m × 10^-s`. Null exactly when `m` is null.
struct Num {
    var m: String
    var s: Scale
    /// An upper bound of the scale.
    var maxScale: Int
    /// For a stored field: the TEXT column holding the same value exactly as BudgetQL prints it.
    var exactText: String? = nil
}

/// A translated value over the current row (the row is `c`).
enum SV {
    case text(String, TextInfo)
    case bool(String)
    case num(Num)
    case null
}

/// What a stored frame column holds.
enum ColKind {
    case text(TextInfo)
    case bool
    case num(scale: Int?, maxScale: Int)
    case null
}

/// A frame column stored in a CTE under `name` (`name_m`/`name_s` for decimals).
struct FrameCol {
    var name: String
    var kind: ColKind

    var value: SV {
        switch kind {
        case .text(let t): return .text("c." + name, t)
        case .bool: return .bool("c." + name)
        case .num(let s, let mx):
            return .num(Num(m: "c.\(name)_m", s: s.map(Scale.fixed) ?? .dynamic("c.\(name)_s"), maxScale: mx))
        case .null: return .null
        }
    }
}

/// Builds the CTE list of one statement.
final class SQLBuilder {
    let dialect: SQLDialect
    /// `$parameter` values, inlined as literals.
    var parameters: [String: Value] = [:]
    let info: CatalogSQLInfo
    let catalog: Catalog
    var counter: Int
    var ctes: [CTE] = []
    /// The statement, for errors without a narrower range.
    let range: SourceRange

    init(dialect: SQLDialect, info: CatalogSQLInfo, catalog: Catalog, counter: Int, range: SourceRange) {
        self.dialect = dialect
        self.info = info
        self.catalog = catalog
        self.counter = counter
        self.range = range
    }

    func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    func add(_ name: String, _ sql: String) { ctes.append(CTE(name: name, sql: sql)) }

    // MARK: Dialect pieces

    static let reserved: Set<String> = [
        "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "any", "array", "as", "asc",
        "attach", "autoincrement",
        "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column", "commit",
        "conflict", "constraint",
        "create", "cross", "current", "current_date", "current_time", "current_timestamp", "database", "default",
        "deferrable", "deferred",
        "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end", "escape", "except", "exclude",
        "exclusive", "exists",
        "explain", "fail", "filter", "first", "following", "for", "foreign", "from", "full", "generated", "glob",
        "group", "groups",
        "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
        "intersect", "into",
        "is", "isnull", "join", "key", "last", "lateral", "left", "like", "limit", "match", "materialized", "natural",
        "no", "not",
        "nothing", "notnull", "null", "nulls", "of", "offset", "on", "or", "order", "others", "outer", "over",
        "partition", "plan",
        "pragma", "preceding", "primary", "qualify", "query", "raise", "range", "recursive", "references", "regexp",
        "reindex", "release",
        "rename", "replace", "restrict", "returning", "right", "rollback", "row", "rows", "savepoint", "select", "set",
        "table", "temp",
        "temporary", "then", "ties", "to", "transaction", "trigger", "unbounded", "union", "unique", "update", "using",
        "vacuum", "values",
        "view", "virtual", "when", "where", "window", "with", "without", "year", "month", "day", "hour", "minute",
        "second", "level",
        "public", "text", "type", "value", "source", "code", "name", "kind", "unit", "total", "version",
    ]

    /// An identifier, quoted when it is not a plain lower-case word or is a keyword.
    func ident(_ s: String) -> String {
        let plain =
            !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !(s.utf8.first! >= 0x30 && s.utf8.first! <= 0x39)
        return plain && !SQLBuilder.reserved.contains(s) ? s : quote(s)
    }

    /// A quoted identifier: `"x"`, or `` `x` `` in Spark (where "x" is a string).
    func quote(_ s: String) -> String {
        switch dialect {
        case .sqlite, .duckdb: return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + s.replacingOccurrences(of: "`", with: "``") + "`"
        }
    }

    func stringLiteral(_ s: String) throws -> String {
        if s.unicodeScalars.contains("\u{0}") {
            throw Untranslatable(reason: "a text value holds a NUL character", range: range)
        }
        switch dialect {
        case .sqlite, .duckdb:
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark:
            // Spark reads backslash escapes in literals ('' would be two literals run together),
            // and replaces ${name} in the statement's text with a setting's value.
            if s.contains("${") {
                throw Untranslatable(
                    reason: "a text value holds ${, which Spark SQL replaces with a setting's value", range: range)
            }
            return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                + "'"
        }
    }

    /// The SQL type of text: `TEXT`, or `STRING` in Spark.
    var textType: String {
        switch dialect {
        case .sqlite, .duckdb: return "TEXT"
        case .spark: return "STRING"
        }
    }

    /// `x` without its trailing zeros (text of digits).
    func trimZeros(_ x: String) -> String {
        switch dialect {
        case .sqlite, .duckdb: return "rtrim(\(x), '0')"
        // Spark's two-argument rtrim takes the characters first; the standard form is unambiguous.
        case .spark: return "TRIM(TRAILING '0' FROM \(x))"
        }
    }

    /// `x` without its leading digits (empty when `x` is all digits).
    func trimDigits(_ x: String) -> String {
        switch dialect {
        case .sqlite, .duckdb: return "ltrim(\(x), '0123456789')"
        case .spark: return "TRIM(LEADING '0123456789' FROM \(x))"
        }
    }

    static let tenPowers = "1000000000000000000"

    /// 10^k as an SQL integer (k from 0 to 18).
    func p10(_ k: String) -> String {
        if let n = Int(k), n >= 0, n <= 18 { return "1" + String(repeating: "0", count: n) }
        return "CAST(substr('\(SQLBuilder.tenPowers)', 1, \(k) + 1) AS \(dialect == .sqlite ? "INTEGER" : "BIGINT"))"
    }

    /// The SQL type of the wide integers of an exact division: DuckDB's 128-bit HUGEINT, Spark's
    /// DECIMAL(38, 0) (whole numbers: no scale to lose). SQLite has none.
    var wideInteger: String { dialect == .spark ? "DECIMAL(38, 0)" : "HUGEINT" }

    /// 10^k as a wide integer (`wideInteger`) in DuckDB and Spark (k from 0 to 38 in DuckDB, 37 in Spark).
    func p10h(_ k: String) -> String {
        if let n = Int(k), n >= 0, n <= 18 { return "CAST(1\(String(repeating: "0", count: n)) AS \(wideInteger))" }
        return "CAST(substr('1\(String(repeating: "0", count: 38))', 1, \(k) + 1) AS \(wideInteger))"
    }

    /// Integer division; used only where both operands are non-negative or the division is exact.
    func idiv(_ a: String, _ b: String) -> String {
        func p(_ x: String) -> String {
            SQLBuilder.isAtom(x)
                || (x.hasPrefix("abs(") && x.hasSuffix(")")
                    && x.dropFirst(4).dropLast().allSatisfy { $0 != "(" && $0 != ")" })
                ? x : "(\(x))"
        }
        switch dialect {
        case .sqlite: return "\(p(a)) / \(p(b))"
        case .duckdb: return "\(p(a)) // \(p(b))"
        // Spark's / is always fractional; div truncates (and stops on an overflow in ANSI mode).
        case .spark: return "\(p(a)) div \(p(b))"
        }
    }
    func greatest(_ a: String, _ b: String) -> String {
        dialect == .sqlite ? "max(\(a), \(b))" : "greatest(\(a), \(b))"
    }
    func least(_ a: String, _ b: String) -> String { dialect == .sqlite ? "min(\(a), \(b))" : "least(\(a), \(b))" }

    static let failMarker = "'BudgetQL run-time error: "

    /// An expression that stops the query with `message` when evaluated (SQLite has no error
    /// function: an invalid JSON path stops it, with the message in the error).
    func fail(_ message: String) -> String {
        switch dialect {
        case .sqlite: return "json_extract('{}', \(SQLBuilder.failMarker)\(message)')"
        case .duckdb: return "error(\(SQLBuilder.failMarker)\(message)')"
        case .spark: return "raise_error(\(SQLBuilder.failMarker)\(message)')"
        }
    }

    /// `fail(message)`, only where BudgetQL would evaluate the expression: not in the right
    /// operand of `and` when the left is false, nor of `or` when it is true.
    func fail(_ message: String, _ ctx: RowContext) -> String {
        ctx.guards.isEmpty
            ? fail(message) : "CASE WHEN \(ctx.guards.joined(separator: " AND ")) THEN \(fail(message)) END"
    }

    /// `m × 10^k` for a k known only per row (0…18). SQLite turns an overflowing product into a
    /// floating-point value, so there the SQL stops instead; DuckDB stops by itself.
    func mulPow(_ m: String, _ k: String, _ ctx: RowContext? = nil, maxK: Int? = nil) -> String {
        if let n = Int(k) { return scaled(m, n) }
        guard dialect == .sqlite else { return "\(m) * \(p10(k))" }
        // A literal times at most 10^maxK cannot overflow: no guard needed.
        if let mk = maxK, mk <= 18, let n = Int64(m.trimmingCharacters(in: CharacterSet(charactersIn: "()"))),
            n != .min, n.magnitude <= UInt64(Int64.max / Int64(p10(String(mk)))!)
        {
            return "\(m) * \(p10(k))"
        }
        let message = "a value needs more than 64-bit integers"
        return
            "CASE WHEN abs(\(m)) > 9223372036854775807 / \(p10(k)) THEN \(ctx.map { fail(message, $0) } ?? fail(message)) ELSE \(m) * \(p10(k)) END"
    }

    /// `x` multiplied by 10^k for a known k ≥ 0.
    func scaled(_ x: String, _ k: Int) -> String {
        if k == 0 { return x }
        if let n = Int64(x.trimmingCharacters(in: CharacterSet(charactersIn: "()"))) {
            let (r, o) = n.multipliedReportingOverflow(by: Int64(p10(String(k)))!)
            if !o { return r < 0 ? "(\(r))" : String(r) }
        }
        return "\(x) * \(p10(String(k)))"
    }

    func literal(_ v: Value) throws -> SV {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b ? "TRUE" : "FALSE")
        case .integer(let i): return .num(Num(m: i < 0 ? "(\(i))" : String(i), s: .fixed(0), maxScale: 0))
        case .decimal(let d):
            return .num(
                Num(
                    m: d.mantissa < 0 ? "(\(d.mantissa))" : String(d.mantissa), s: .fixed(Int(d.scale)),
                    maxScale: Int(d.scale)))
        case .text(let s): return .text(try stringLiteral(s), TextInfo.of(s))
        }
    }

    // MARK: Stages

    func stage(_ stage: PlannedStage, _ ctx: RowContext) throws {
        switch stage {
        case .filter(_, let windows), .compute(_, let windows), .sort(_, let windows):
            ctx.windowCalls = windows.calls
        default:
            ctx.windowCalls = []
        }
        switch stage {
        case .filter(let cond, _):
            let c = try ctx.boolean(try ctx.compile(cond))
            let src = ctx.flush()
            let name = fresh("s")
            add(name, "SELECT c.* FROM \(src) AS c WHERE \(c)")
            ctx.source = name
        case .compute(let exprs, _):
            var defs: [String] = []
            var cols: [FrameCol] = []
            for e in exprs {
                let v = try ctx.compile(e)
                let (d, col) = try ctx.store(v)
                defs += d
                cols.append(col)
            }
            let src = ctx.flush()
            let name = fresh("s")
            add(name, "SELECT c.*, " + defs.joined(separator: ", ") + " FROM \(src) AS c")
            ctx.source = name
            ctx.cols += cols
        case .sort(let keys, _):
            var order: [String] = []
            for (e, descending) in keys {
                for k in try ctx.sortKeys(try ctx.compile(e)) {
                    order.append(k + (descending ? " DESC" : "") + " NULLS LAST")
                }
            }
            let src = ctx.flush()
            let name = fresh("s")
            let o = fresh("o")
            order.append("c.\(ctx.order)")
            // Inside group by … ( … ): each group's rows sorted in place of them.
            if let first = ctx.partitionFirst { order.insert(first, at: 0) }
            add(
                name,
                "SELECT c.*, ROW_NUMBER() OVER (ORDER BY \(order.joined(separator: ", "))) AS \(o) FROM \(src) AS c")
            ctx.source = name
            ctx.order = o
        case .take(let n):
            // A row number rather than LIMIT: every row of the frame is still computed (and can
            // still stop the query with a run-time error), as in BudgetQL. Per group inside
            // group by … ( … ).
            let rank = ctx.temp("ROW_NUMBER() OVER (\(ctx.partitionClause)ORDER BY c.\(ctx.order))")
            let src = ctx.flush()
            let name = fresh("s")
            add(name, "SELECT c.* FROM \(src) AS c WHERE \(rank) <= \(n)")
            ctx.source = name
        case .distinct(let keys):
            var parts: [String] = []
            for e in keys { parts += try ctx.groupKeys(try ctx.compile(e)) }
            let rn = ctx.temp(
                "ROW_NUMBER() OVER (\(parts.isEmpty ? "" : "PARTITION BY " + parts.joined(separator: ", ") + " ")ORDER BY c.\(ctx.order))"
            )
            let src = ctx.flush()
            let name = fresh("s")
            add(name, "SELECT c.* FROM \(src) AS c WHERE \(rn) = 1")
            ctx.source = name
        case .partition(let keys, _):
            var parts: [String] = []
            for k in keys { parts += try ctx.groupKeys(try ctx.compile(k)) }
            let by = parts.isEmpty ? "" : "PARTITION BY " + parts.joined(separator: ", ")
            let first = ctx.temp("min(c.\(ctx.order)) OVER (\(by))")
            let src = ctx.flush()
            let name = fresh("s")
            let o = fresh("o")
            // Each group's rows together, groups in order of their first rows.
            add(name, "SELECT c.*, ROW_NUMBER() OVER (ORDER BY \(first), c.\(ctx.order)) AS \(o) FROM \(src) AS c")
            ctx.source = name
            ctx.order = o
            ctx.partition = parts
            ctx.partitionFirst = first
        case .unpivot(let values, let labels):
            var cells: [SV] = []
            for v in values { cells.append(try ctx.compile(v)) }
            let src = ctx.flush()
            let name = fresh("s")
            let o = fresh("o")
            let k = fresh("k")
            let tests = values.indices.map { "\(k).i = \($0 + 1)" }
            var labelInfo = TextInfo()
            var labelSQL: [SV] = []
            for l in labels {
                labelSQL.append(.text(try stringLiteral(l), TextInfo.of(l)))
                labelInfo = labelInfo.merged(TextInfo.of(l))
            }
            let (labelDefs, labelCol) = try ctx.store(try ctx.choose(tests, labelSQL + [.null]))
            let (valueDefs, valueCol) = try ctx.store(try ctx.choose(tests, cells + [.null]))
            let each = values.indices.map { "SELECT \($0 + 1) AS i" }.joined(separator: " UNION ALL ")
            add(
                name,
                "SELECT c.*, " + (labelDefs + valueDefs).joined(separator: ", ")
                    + ", ROW_NUMBER() OVER (ORDER BY c.\(ctx.order), \(k).i) AS \(o) FROM \(src) AS c CROSS JOIN (\(each)) AS \(k)"
            )
            ctx.source = name
            ctx.order = o
            ctx.cols += [labelCol, valueCol]
        case .join(let plan):
            try join(plan, ctx)
        case .endPartition:
            ctx.partition = nil
            ctx.partitionFirst = nil
        case .group(let keys, let specs, let outputs, _):
            try group(keys: keys, specs: specs, outputs: outputs, ctx)
        case .rollup(let levels, let specs, _):
            try rollup(levels: levels, specs: specs, ctx)
        }
    }

    /// A join key as SQL whose equality is BudgetQL's: plain text, or a number's shortest decimal
    /// text (so 2.5 = 2.50, and a code compares with a number by its digits); an atom of `ctx`.
    func joinKey(_ v: SV, _ ctx: RowContext) throws -> String {
        switch v {
        case .null: return "NULL"
        case .text(let t, let ti):
            if !ti.simple {
                throw Untranslatable(reason: "joining on text that is not plain NFC characters", range: nil)
            }
            return ctx.simple(t)
        case .bool(let x): return ctx.simple(x)
        case .num(let n): return ctx.simple(try ctx.canonicalText(n))
        }
    }

    /// `join`: the pairs whose keys are equal (an SQL join on the keys, computed on each side),
    /// then the residual condition on the pairs; a left join adds each row without a kept pair
    /// once. The joined table's row is a column (`jN`); its fields are read through it.
    func join(_ plan: JoinPlan, _ ctx: RowContext) throws {
        var leftKeys: [String] = []
        for k in plan.leftKeys { leftKeys.append(try joinKey(try ctx.compile(k), ctx)) }
        let sub = RowContext(
            self, source: ident(plan.target.name), base: plan.target, cols: [], order: "_row")
        var rightKeys: [String] = []
        for k in plan.rightKeys { rightKeys.append(try joinKey(try sub.compile(k), sub)) }
        let right = sub.flush()
        let left = ctx.flush()
        let j = fresh("j")
        func other(_ s: String) -> String { s.hasPrefix("c.") ? "r." + s.dropFirst(2) : s }
        let on =
            leftKeys.isEmpty
            ? "1 = 1" : zip(leftKeys, rightKeys).map { "\($0) = \(other($1))" }.joined(separator: " AND ")
        let pairs = fresh("s")
        let outer = plan.left && plan.residual == nil ? "LEFT " : ""
        add(pairs, "SELECT c.*, r._row AS \(j) FROM \(left) AS c \(outer)JOIN \(right) AS r ON \(on)")
        ctx.source = pairs
        ctx.joinRows.append(j)
        var joined = pairs
        if let residual = plan.residual {
            let holds = try ctx.boolean(try ctx.compile(residual))
            let checked = ctx.flush()
            let kept = fresh("s")
            add(
                kept,
                "SELECT p.* FROM \(pairs) AS p JOIN (SELECT c.\(ctx.order) AS ko, c.\(j) AS kj FROM \(checked) AS c WHERE \(holds)) AS k ON k.ko = p.\(ctx.order) AND k.kj = p.\(j)"
            )
            joined = kept
            if plan.left {
                let all = fresh("s")
                add(
                    all,
                    "SELECT * FROM \(kept) UNION ALL SELECT c.*, NULL AS \(j) FROM \(left) AS c WHERE NOT EXISTS (SELECT 1 FROM \(kept) AS k WHERE k.\(ctx.order) = c.\(ctx.order))"
                )
                joined = all
            }
        }
        let ordered = fresh("s")
        let o = fresh("o")
        add(ordered, "SELECT c.*, ROW_NUMBER() OVER (ORDER BY c.\(ctx.order), c.\(j)) AS \(o) FROM \(joined) AS c")
        ctx.source = ordered
        ctx.order = o
    }

    /// An aggregate's value over a grouped row: ready, or computed in the post-group context (avg, share).
    enum AggValue {
        case ready(SV)
        case later((RowContext) throws -> SV)

        func resolve(_ post: RowContext) throws -> SV {
            switch self {
            case .ready(let v): return v
            case .later(let f): return try f(post)
            }
        }
    }

    /// One aggregate's SQL inside a GROUP BY.
    struct AggregateSQL {
        /// Columns of the grouping query: (expression, column name).
        var columns: [(String, String)]
        /// The aggregate's value over a grouped row whose columns are reached as `c.NAME`.
        var value: AggValue
    }

    /// Prepares `spec` for grouping the rows of `ctx` by `partition` (canonical key columns);
    /// window columns it needs become temps of `ctx`. `grand` is the frame's total, for share().
    func aggregate(_ spec: AggregateSpec, _ arg: SV?, partition: [String], grand: Num?, _ ctx: RowContext) throws
        -> AggregateSQL
    {
        let over = partition.isEmpty ? "OVER ()" : "OVER (PARTITION BY \(partition.joined(separator: ", ")))"
        let name = fresh("a")
        func intCol(_ e: String) -> AggregateSQL {
            AggregateSQL(
                columns: [(e, name + "_m")], value: .ready(.num(Num(m: "c.\(name)_m", s: .fixed(0), maxScale: 0))))
        }
        guard let arg, spec.argument != nil else { return intCol("count(*)") }
        if spec.function == .count && spec.type == .null { return intCol("count(*)") }
        if case .bool(let b) = arg, spec.function == .count || spec.function == .avg {
            // count(cond): the rows where it is true; avg(cond): their share of the non-null rows, in percent.
            let trues = "count(CASE WHEN \(b) THEN 1 END)"
            if spec.function == .count { return intCol(trues) }
            return AggregateSQL(
                columns: [(trues, name + "_t"), ("count(\(b))", name + "_n")],
                value: .later { post in
                    try self.divide(
                        Num(m: "c.\(name)_t * 100", s: .fixed(0), maxScale: 0),
                        Num(m: "c.\(name)_n", s: .fixed(0), maxScale: 0), zeroGivesNull: true, post)
                })
        }
        switch spec.function {
        case .count:
            return intCol("count(\(ctx.nullProbe(arg)))")
        case .median, .quantile, .percentile:
            return try quantile(spec, arg, partition: partition, name: name, ctx)
        case .stringAgg:
            switch arg {
            case .null: return AggregateSQL(columns: [], value: .ready(.null))
            case .text(let t, let ti):
                // group_concat as a window over the group in row order (SQLite's aggregate form
                // has no ORDER BY before 3.44); every row of the group holds the same text.
                let window =
                    "OVER (\(partition.isEmpty ? "" : "PARTITION BY " + partition.joined(separator: ", ") + " ")ORDER BY c.\(ctx.order) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
                let separator = try stringLiteral(spec.separator)
                let w: String
                switch dialect {
                case .sqlite: w = ctx.temp("group_concat(\(t), \(separator)) \(window)")
                case .duckdb: w = ctx.temp("string_agg(\(t), \(separator)) \(window)")
                case .spark:
                    // Spark 3.5 has no string_agg: the group's texts collected in row order (null
                    // when there are none, as BudgetQL's).
                    w = ctx.temp(
                        "CASE WHEN count(\(t)) \(window) > 0 THEN concat_ws(\(separator), collect_list(\(t)) \(window)) END"
                    )
                }
                return AggregateSQL(
                    columns: [("min(\(w))", name)],
                    value: .ready(.text("c.\(name)", ti.merged(TextInfo.of(spec.separator)))))
            default:
                throw Untranslatable(reason: "string_agg() of a value that is not text", range: range)
            }
        case .countDistinct:
            if case .null = arg { return intCol("0") }
            let keys = try ctx.groupKeys(arg)
            return intCol("count(DISTINCT \(keys[0]))")
        case .sum, .avg, .share:
            guard case .num(let x) = arg else {
                if case .null = arg { return AggregateSQL(columns: [], value: .ready(.null)) }
                throw Untranslatable(
                    reason: "\(spec.function.rawValue)() of a value that is not a number", range: range)
            }
            var cols: [(String, String)] = []
            let sumCol = name + "_m"
            let scaleCol = name + "_s"
            let countCol = name + "_n"
            let fixedScale = x.s.fixed
            if let _ = fixedScale {
                cols.append(("sum(\(x.m))", sumCol))
            } else {
                let w = ctx.temp("max(CASE WHEN \(x.m) IS NOT NULL THEN \(x.s.sql) END) \(over)")
                cols.append(("sum(\(mulPow(x.m, "\(w) - \(x.s.sql)", ctx)))", sumCol))
                cols.append(("max(\(w))", scaleCol))
            }
            cols.append(("count(\(x.m))", countCol))
            let sum = Num(
                m: "c.\(sumCol)", s: fixedScale.map(Scale.fixed) ?? .dynamic("c.\(scaleCol)"), maxScale: x.maxScale)
            switch spec.function {
            case .sum:
                return AggregateSQL(columns: cols, value: .ready(.num(sum)))
            case .avg:
                let count = Num(m: "c.\(countCol)", s: .fixed(0), maxScale: 0)
                return AggregateSQL(
                    columns: cols, value: .later { post in try self.divide(sum, count, zeroGivesNull: true, post) })
            default:
                guard let grand else { return AggregateSQL(columns: cols, value: .ready(.null)) }
                // The frame's total is the same on every row: carry it through the GROUP BY.
                cols.append(("min(\(grand.m))", name + "_gm"))
                var total = Num(m: "c.\(name)_gm", s: grand.s, maxScale: grand.maxScale)
                if case .dynamic(let gs) = grand.s {
                    cols.append(("min(\(gs))", name + "_gs"))
                    total.s = .dynamic("c.\(name)_gs")
                }
                let hundred = Num(m: "c.\(sumCol) * 100", s: sum.s, maxScale: sum.maxScale)
                return AggregateSQL(
                    columns: cols, value: .later { post in try self.divide(hundred, total, zeroGivesNull: true, post) })
            }
        case .min, .max:
            let fn = spec.function == .min ? "min" : "max"
            switch arg {
            case .null:
                return AggregateSQL(columns: [], value: .ready(.null))
            case .text(let t, let ti):
                if !ti.simple {
                    throw Untranslatable(reason: "\(fn)() of text that is not plain NFC characters", range: range)
                }
                return AggregateSQL(columns: [("\(fn)(\(t))", name)], value: .ready(.text("c.\(name)", ti)))
            case .bool(let b):
                return AggregateSQL(columns: [("\(fn)(\(b))", name)], value: .ready(.bool("c.\(name)")))
            case .num(let x):
                if let s = x.s.fixed {
                    return AggregateSQL(
                        columns: [("\(fn)(\(x.m))", name + "_m")],
                        value: .ready(.num(Num(m: "c.\(name)_m", s: .fixed(s), maxScale: x.maxScale))))
                }
                // The first of the smallest (largest) values in row order, with its own scale.
                let key = try ctx.alignedKey(x)
                let dir = spec.function == .min ? "" : " DESC"
                let window =
                    "OVER (\(partition.isEmpty ? "" : "PARTITION BY " + partition.joined(separator: ", ") + " ")ORDER BY \(key)\(dir) NULLS LAST, c.\(ctx.order))"
                let fm = ctx.temp("FIRST_VALUE(\(x.m)) \(window)")
                let fs = ctx.temp("FIRST_VALUE(\(x.s.sql)) \(window)")
                return AggregateSQL(
                    columns: [("min(\(fm))", name + "_m"), ("min(\(fs))", name + "_s")],
                    value: .ready(.num(Num(m: "c.\(name)_m", s: .dynamic("c.\(name)_s"), maxScale: x.maxScale))))
            }
        case .any, .all:
            throw Untranslatable(reason: "\(spec.function.rawValue)() in agg", range: range)
        }
    }

    /// `median`, `quantile`, `percentile` in a GROUP BY: each row's rank among the group's
    /// non-null values (in exact order) and the group's count are window temps; the group keeps
    /// the values at ranks ⌊h⌋ + 1 and ⌊h⌋ + 2 (h = (n − 1) × p) and h's fraction, and the value
    /// is x[⌊h⌋] + (x[⌊h⌋ + 1] − x[⌊h⌋]) × fraction with BudgetQL's exact arithmetic — or x[⌊h⌋]
    /// itself when the fraction is 0 (`Accumulator.quantile`).
    func quantile(_ spec: AggregateSpec, _ arg: SV, partition: [String], name: String, _ ctx: RowContext) throws
        -> AggregateSQL
    {
        guard case .num(let x) = arg else {
            if case .null = arg { return AggregateSQL(columns: [], value: .ready(.null)) }
            throw Untranslatable(reason: "\(spec.function.rawValue)() of a value that is not a number", range: range)
        }
        let p = (spec.fraction ?? spec.function.fixedFraction ?? .zero).normalized
        let by = partition.isEmpty ? "" : "PARTITION BY " + partition.joined(separator: ", ") + " "
        let key = try ctx.alignedKey(x)
        let rank = ctx.temp("ROW_NUMBER() OVER (\(by)ORDER BY \(key) NULLS LAST, c.\(ctx.order))")
        let n = ctx.temp("count(\(x.m)) OVER (\(by.isEmpty ? "" : by.trimmingCharacters(in: .whitespaces)))")
        let h = "((\(n) - 1) * \(p.mantissa))"
        let unit = p10(String(p.scale))
        let lo = ctx.temp("\(idiv(h, unit)) + 1")
        let frac = ctx.temp("CASE WHEN \(n) = 0 THEN 0 ELSE \(h) % \(unit) END")
        var columns = [
            ("min(CASE WHEN \(rank) = \(lo) THEN \(x.m) END)", name + "_am"),
            ("min(CASE WHEN \(rank) = \(lo) + 1 THEN \(x.m) END)", name + "_bm"),
            ("min(\(frac))", name + "_f"),
        ]
        var a = Num(m: "c.\(name)_am", s: x.s, maxScale: x.maxScale)
        var b = Num(m: "c.\(name)_bm", s: x.s, maxScale: x.maxScale)
        if case .dynamic(let s) = x.s {
            columns.append(("min(CASE WHEN \(rank) = \(lo) THEN \(s) END)", name + "_as"))
            columns.append(("min(CASE WHEN \(rank) = \(lo) + 1 THEN \(s) END)", name + "_bs"))
            a.s = .dynamic("c.\(name)_as")
            b.s = .dynamic("c.\(name)_bs")
        }
        let f = Num(m: "c.\(name)_f", s: .fixed(Int(p.scale)), maxScale: Int(p.scale))
        return AggregateSQL(
            columns: columns,
            value: .later { post in
                let step = try post.arithmetic(.multiply, try post.arithmetic(.subtract, .num(b), .num(a)), .num(f))
                guard case .num(let sum) = try post.arithmetic(.add, .num(a), step) else { return .null }
                // Trailing zeros beyond the two values' places are dropped, as Accumulator does.
                let rm = post.simple(sum.m)
                let rs = post.simple(sum.s.sql)
                let keep = self.greatest(a.s.sql, b.s.sql)
                let digits = "CAST(abs(\(rm)) AS \(self.textType))"
                let z = post.temp(
                    "CASE WHEN \(rm) = 0 THEN \(rs) - \(keep) ELSE \(self.least("\(rs) - \(keep)", "length(\(digits)) - length(\(self.trimZeros(digits)))")) END"
                )
                let whole = "c.\(name)_f = 0"
                return .num(
                    Num(
                        m: "CASE WHEN \(whole) THEN \(a.m) ELSE \(self.idiv(rm, self.p10(z))) END",
                        s: .dynamic("CASE WHEN \(whole) THEN \(a.s.sql) ELSE \(rs) - \(z) END"),
                        maxScale: max(a.maxScale, sum.maxScale)))
            })
    }

    /// The total of `x` over every row of the frame (for share()), as window temps of `ctx`.
    func grandTotal(_ x: Num, _ ctx: RowContext) -> Num {
        let over = "OVER (\(ctx.partitionClause.trimmingCharacters(in: .whitespaces)))"
        if let s = x.s.fixed {
            let t = ctx.temp("coalesce(sum(\(x.m)) \(over), 0)")
            return Num(m: t, s: .fixed(s), maxScale: x.maxScale)
        }
        let w = ctx.temp("coalesce(max(CASE WHEN \(x.m) IS NOT NULL THEN \(x.s.sql) END) \(over), 0)")
        let t = ctx.temp("coalesce(sum(\(mulPow(x.m, "\(w) - \(x.s.sql)", ctx))) \(over), 0)")
        return Num(m: t, s: .dynamic(w), maxScale: x.maxScale)
    }

    func group(keys: [BoundExpr], specs: [AggregateSpec], outputs: [BoundExpr], _ ctx: RowContext) throws {
        var partition: [String] = []
        var keySelect: [String] = []
        var keyCols: [FrameCol] = []
        for k in keys {
            let v = try ctx.compile(k)
            let parts = try ctx.groupKeys(v)
            partition += parts
            let col = fresh("k")
            switch v {
            case .null:
                keyCols.append(FrameCol(name: col, kind: .null))
            case .text(_, let ti):
                keySelect.append("\(parts[0]) AS \(col)")
                keyCols.append(FrameCol(name: col, kind: .text(ti)))
            case .bool:
                keySelect.append("\(parts[0]) AS \(col)")
                keyCols.append(FrameCol(name: col, kind: .bool))
            case .num(let x):
                if let s = x.s.fixed {
                    keySelect.append("\(parts[0]) AS \(col)_m")
                    keyCols.append(FrameCol(name: col, kind: .num(scale: s, maxScale: x.maxScale)))
                } else {
                    keyCols.append(FrameCol(name: col, kind: .num(scale: nil, maxScale: x.maxScale)))
                    keySelect.append(
                        "min(\(ctx.temp("FIRST_VALUE(\(x.m)) OVER (PARTITION BY \(parts[0]) ORDER BY c.\(ctx.order))"))) AS \(col)_m"
                    )
                    keySelect.append(
                        "min(\(ctx.temp("FIRST_VALUE(\(x.s.sql)) OVER (PARTITION BY \(parts[0]) ORDER BY c.\(ctx.order))"))) AS \(col)_s"
                    )
                }
            }
        }
        var aggs: [AggregateSQL] = []
        for spec in specs {
            let arg = try spec.argument.map { (a: BoundExpr) throws -> SV in try ctx.compile(a) }
            var grand: Num?
            if spec.function == .share, case .num(let x)? = arg { grand = grandTotal(x, ctx) }
            aggs.append(try aggregate(spec, arg, partition: partition, grand: grand, ctx))
        }
        let src = ctx.flush()
        let name = fresh("g")
        let o = fresh("o")
        var select = keySelect
        for a in aggs { select += a.columns.map { "\($0.0) AS \($0.1)" } }
        select.append(keys.isEmpty ? "0 AS \(o)" : "min(c.\(ctx.order)) AS \(o)")
        var sql = "SELECT " + select.joined(separator: ", ") + " FROM \(src) AS c"
        if !partition.isEmpty { sql += " GROUP BY " + partition.joined(separator: ", ") }
        add(name, sql)
        // The grouped rows: keys, then aggregates, as the executor's intermediate frame.
        let post = RowContext(self, source: name, base: nil, cols: [], order: o)
        var mid: [SV] = keyCols.map(\.value)
        for a in aggs { mid.append(try a.value.resolve(post)) }
        post.midValues = mid
        var values: [SV] = []
        for e in outputs { values.append(try post.compile(e)) }
        try finish(values, post, order: o, into: ctx)
    }

    func rollup(levels: [(code: BoundExpr, name: BoundExpr)], specs: [AggregateSpec], _ ctx: RowContext) throws {
        // Per level: the code (null → ''), and the node's name (its first row's).
        var codeCols: [String] = []
        var nameCols: [String] = []
        var codeInfo = TextInfo()
        var nameInfo = TextInfo.of("（未分类）")
        for level in levels {
            let code: String
            switch try ctx.compile(level.code) {
            case .text(let t, let ti):
                if !ti.simple {
                    throw Untranslatable(reason: "rollup over codes that are not plain NFC characters", range: range)
                }
                codeInfo = codeInfo.merged(ti)
                code = ctx.temp("coalesce(\(t), '')")
            case .null, .num, .bool:
                code = ctx.temp("''")
            }
            codeCols.append(code)
            let nameText: String
            switch try ctx.compile(level.name) {
            case .text(let t, let ti):
                nameText = t
                nameInfo = nameInfo.merged(ti)
            case .null: nameText = "NULL"
            default: throw Untranslatable(reason: "rollup names that are not text", range: range)
            }
            nameCols.append(ctx.temp("FIRST_VALUE(\(nameText)) OVER (PARTITION BY \(code) ORDER BY c.\(ctx.order))"))
        }
        var args: [SV?] = []
        var grands: [Num?] = []
        for spec in specs {
            let arg = try spec.argument.map { (a: BoundExpr) throws -> SV in try ctx.compile(a) }
            args.append(arg)
            if spec.function == .share, case .num(let x)? = arg {
                grands.append(grandTotal(x, ctx))
            } else {
                grands.append(nil)
            }
        }
        let partitions: [[String]] = [[], [codeCols[0]], [codeCols[1]], [codeCols[2]]]
        var perLevel: [[AggregateSQL]] = []
        for p in partitions {
            var row: [AggregateSQL] = []
            for (i, spec) in specs.enumerated() {
                row.append(try aggregate(spec, args[i], partition: p, grand: grands[i], ctx))
            }
            perLevel.append(row)
        }
        let src = ctx.flush()
        var levelNames: [String] = []
        for (li, p) in partitions.enumerated() {
            let name = fresh("r")
            var select =
                li == 0 ? ["'' AS code", "'合计' AS name"] : ["\(p[0]) AS code", "min(\(nameCols[li - 1])) AS name"]
            for a in perLevel[li] { select += a.columns.map { "\($0.0) AS \($0.1)" } }
            var sql = "SELECT " + select.joined(separator: ", ") + " FROM \(src) AS c"
            if li > 0 { sql += " GROUP BY \(p[0])" }
            if li > 1 { sql += " HAVING \(p[0]) <> ''" }
            add(name, sql)
            levelNames.append(name)
        }
        // The rows in BudgetQL's order: 合计; then each 类 by code, each with its 款 by code and
        // each 款 with its 项. The union's aggregate columns take the names of the 合计 row's.
        func prefix(_ inner: String, _ outer: String) -> String {
            "substr(\(inner).code, 1, length(\(outer).code)) = \(outer).code"
        }
        let names = perLevel.map { $0.flatMap { $0.columns.map(\.1) } }
        func tail(_ li: Int, _ alias: String) -> String {
            names[li].enumerated().map { i, n in ", \(alias).\(n)" + (li == 0 ? " AS \(names[0][i])" : "") }.joined()
        }
        let u = fresh("u")
        let union = [
            "SELECT 0 AS k0, '' AS k1, '' AS k2, '' AS k3, '合计' AS level, NULL AS code, '合计' AS name\(tail(0, "t")) FROM \(levelNames[0]) AS t",
            "SELECT 1, l.code, '', '', '类', CASE WHEN l.code = '' THEN NULL ELSE l.code END, CASE WHEN l.code = '' THEN '（未分类）' ELSE l.name END\(tail(1, "l")) FROM \(levelNames[1]) AS l",
            "SELECT 1, l.code, k.code, '', '款', k.code, k.name\(tail(2, "k")) FROM \(levelNames[2]) AS k JOIN \(levelNames[1]) AS l ON l.code <> '' AND \(prefix("k", "l"))",
            "SELECT 1, l.code, k.code, x.code, '项', x.code, x.name\(tail(3, "x")) FROM \(levelNames[3]) AS x JOIN \(levelNames[2]) AS k ON \(prefix("x", "k")) JOIN \(levelNames[1]) AS l ON l.code <> '' AND \(prefix("k", "l"))",
        ]
        add(u, union.joined(separator: "\n  UNION ALL "))
        let o = fresh("o")
        let ordered = fresh("s")
        add(ordered, "SELECT c.*, ROW_NUMBER() OVER (ORDER BY c.k0, c.k1, c.k2, c.k3) AS \(o) FROM \(u) AS c")
        let post = RowContext(self, source: ordered, base: nil, cols: [], order: o)
        var mid: [SV] = [.text("c.level", TextInfo.of("合计类款项")), .text("c.code", codeInfo), .text("c.name", nameInfo)]
        for a in perLevel[0] { mid.append(try a.value.resolve(post)) }
        try finish(mid, post, order: o, into: ctx)
    }

    /// Stores `values` as the columns of a final CTE over `post` and makes it `ctx`'s rows
    /// (the last step of group and rollup).
    func finish(_ values: [SV], _ post: RowContext, order o: String, into ctx: RowContext) throws {
        var defs: [String] = []
        var cols: [FrameCol] = []
        for v in values {
            let (d, col) = try post.store(v)
            defs += d
            cols.append(col)
        }
        let src2 = post.flush()
        let final = fresh("s")
        add(final, "SELECT " + (defs + ["c.\(o)"]).joined(separator: ", ") + " FROM \(src2) AS c")
        ctx.reset(source: final, cols: cols, order: o)
    }

    // MARK: Arithmetic

    /// a ÷ b rounded half to even at 10 places, trailing zeros dropped (ExactDecimal.dividing).
    func divide(_ a: Num, _ b: Num, zeroGivesNull: Bool, _ ctx: RowContext) throws -> SV {
        let a = Num(
            m: ctx.simple(a.m), s: a.s.fixed.map(Scale.fixed) ?? .dynamic(ctx.simple(a.s.sql)), maxScale: a.maxScale)
        let b = Num(
            m: ctx.simple(b.m), s: b.s.fixed.map(Scale.fixed) ?? .dynamic(ctx.simple(b.s.sql)), maxScale: b.maxScale)
        // k = 10 + sb − sa: numerator × 10^k, or denominator × 10^−k.
        let kFixed: Int? = a.s.fixed.flatMap { sa in b.s.fixed.map { 10 + $0 - sa } }
        let k = kFixed.map(String.init) ?? ctx.temp("10 + \(b.s.sql) - \(a.s.sql)")
        let zero = zeroGivesNull ? "NULL" : fail("division by zero", ctx)
        let n: String
        let d: String
        if dialect == .duckdb || dialect == .spark {
            let ma = "CAST(\(a.m) AS \(wideInteger))"
            let mb = "CAST(\(b.m) AS \(wideInteger))"
            if let kf = kFixed {
                n = kf >= 0 ? "\(ma) * \(p10h(String(kf)))" : ma
                d = kf >= 0 ? mb : "\(mb) * \(p10h(String(min(-kf, 18))))"
            } else {
                n = "CASE WHEN \(k) >= 0 THEN \(ma) * \(p10h(k)) ELSE \(ma) END"
                d = "CASE WHEN \(k) >= 0 THEN \(mb) ELSE \(mb) * \(p10h(least("-(\(k))", "18"))) END"
            }
        } else {
            if let kf = kFixed {
                n = kf >= 0 ? scaled(a.m, kf) : a.m
                d = kf >= 0 ? b.m : scaled(b.m, min(-kf, 18))
            } else {
                n = "CASE WHEN \(k) >= 0 THEN \(a.m) * \(p10(k)) ELSE \(a.m) END"
                d = "CASE WHEN \(k) >= 0 THEN \(b.m) ELSE \(b.m) * \(p10(least("-(\(k))", "18"))) END"
            }
        }
        // SQLite has 64-bit integers only: stop rather than lose digits.
        var guardOverflow = ""
        if dialect == .sqlite {
            if let kf = kFixed {
                if kf > 0 {
                    guardOverflow =
                        " WHEN abs(\(a.m)) > \(Int64.max / Int64(p10(String(min(kf, 18))))!) THEN \(fail("a division needs more than 64-bit integers", ctx))"
                }
                if kf > 18 {
                    guardOverflow = " WHEN \(a.m) <> 0 THEN \(fail("a division needs more than 64-bit integers", ctx))"
                }
            } else {
                guardOverflow =
                    " WHEN \(k) > 18 AND \(a.m) <> 0 THEN \(fail("a division needs more than 64-bit integers", ctx)) WHEN \(k) > 0 AND abs(\(a.m)) > 9223372036854775807 / \(p10(least(k, "18"))) THEN \(fail("a division needs more than 64-bit integers", ctx))"
            }
        }
        let tn = ctx.temp(
            "CASE WHEN \(a.m) IS NULL OR \(b.m) IS NULL THEN NULL WHEN \(b.m) = 0 THEN \(zero)\(guardOverflow) ELSE \(n) END"
        )
        let td = ctx.temp("CASE WHEN \(b.m) = 0 THEN NULL ELSE \(d) END")
        let q = ctx.temp(idiv("abs(\(tn))", "abs(\(td))"))
        let r = ctx.temp("abs(\(tn)) % abs(\(td))")
        let half = "CASE WHEN \(r) > abs(\(td)) - \(r) OR (\(r) = abs(\(td)) - \(r) AND \(q) % 2 = 1) THEN 1 ELSE 0 END"
        var rounded = "CASE WHEN (\(tn) < 0) <> (\(td) < 0) THEN -(\(q) + \(half)) ELSE \(q) + \(half) END"
        if dialect != .sqlite { rounded = "CAST(\(rounded) AS BIGINT)" }
        let q2 = ctx.temp(rounded)
        let text = "CAST(\(q2) AS \(textType))"
        let z = ctx.temp(
            "CASE WHEN \(q2) = 0 THEN 10 ELSE \(least("10", "length(\(text)) - length(\(trimZeros(text)))")) END")
        let m = ctx.temp(idiv(q2, p10(z)))
        let s = ctx.temp("10 - \(z)")
        return .num(Num(m: m, s: .dynamic(s), maxScale: 10))
    }

    /// Rounds half away from zero to `places` (BudgetQL's round()).
    func round(_ x: Num, places: Int, _ ctx: RowContext) -> Num {
        let p = max(0, min(places, 18))
        if let s = x.s.fixed {
            if p >= s { return Num(m: scaled(x.m, p - s), s: .fixed(p), maxScale: p) }
            let d = p10(String(s - p))
            let m = ctx.simple(x.m)
            return Num(
                m:
                    "CASE WHEN \(m) < 0 THEN -1 ELSE 1 END * (\(idiv("abs(\(m))", d)) + CASE WHEN (abs(\(m)) % \(d)) * 2 >= \(d) THEN 1 ELSE 0 END)",
                s: .fixed(p), maxScale: p)
        }
        let m = ctx.simple(x.m)
        let s = ctx.simple(x.s.sql)
        let d = p10("\(s) - \(p)")
        let sql =
            "CASE WHEN \(s) <= \(p) THEN \(mulPow(m, "\(p) - \(s)", ctx)) ELSE CASE WHEN \(m) < 0 THEN -1 ELSE 1 END * (\(idiv("abs(\(m))", d)) + CASE WHEN (abs(\(m)) % \(d)) * 2 >= \(d) THEN 1 ELSE 0 END) END"
        return Num(m: ctx.temp(sql), s: .fixed(p), maxScale: p)
    }
}
