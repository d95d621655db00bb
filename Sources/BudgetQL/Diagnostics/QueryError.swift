// QueryError: every way a query can fail, as a typed value with a source range. Messages are
// built here and only here. `incomplete` is kept apart so a REPL can ask for more input.

/// Why a query failed. Every case carries the byte range it concerns.
public enum QueryError: Error, Sendable, Equatable {
    /// The input ends before the statement does (an open quote or bracket, a trailing `|` or
    /// operator). A REPL should read another line rather than report it.
    case incomplete(SourceRange, expected: String)
    /// The input is not UTF-8.
    case invalidUTF8(SourceRange)
    /// The input is longer than the engine accepts.
    case tooLong(SourceRange, limit: Int)
    /// Brackets or expressions nest deeper than the engine accepts.
    case tooDeep(SourceRange, limit: Int)
    /// There is nothing to run.
    case empty(SourceRange)
    /// A character that starts no token.
    case invalidCharacter(SourceRange, character: String)
    /// A malformed number literal.
    case invalidNumber(SourceRange, text: String)
    /// A token where another was expected.
    case unexpected(SourceRange, expected: String, found: String)
    /// A table or binding name that does not exist.
    case unknownTable(SourceRange, name: String, suggestion: String?)
    /// A field the current table does not have.
    case unknownField(SourceRange, name: String, table: String, suggestion: String?)
    /// A function that does not exist.
    case unknownFunction(SourceRange, name: String, suggestion: String?)
    /// A `$parameter` the caller did not bind.
    case unboundParameter(SourceRange, name: String)
    /// Operands of incompatible types.
    case typeMismatch(SourceRange, operation: String, left: String, right: String)
    /// A value of the wrong type for its position.
    case wrongType(SourceRange, context: String, expected: String, found: String)
    /// A function called with the wrong number of arguments.
    case wrongArgumentCount(SourceRange, function: String, expected: String, found: Int)
    /// An aggregate (`sum`, `count`, …) outside `agg`, `rollup` or a relation argument: in
    /// `stage` (`select`, `where`, …).
    case aggregateOutsideAgg(SourceRange, function: String, stage: String)
    /// A name an earlier stage (`select`, `group by … | agg`, …) dropped: the stage's keyword is
    /// at `stageRange`, and `kept` are the columns it kept.
    case droppedField(SourceRange, name: String, stage: String, stageRange: SourceRange, kept: [String])
    /// `.field` after something that is not a reference (`name.x`).
    case notARelation(SourceRange, name: String)
    /// A regular expression that does not compile.
    case invalidRegex(SourceRange, pattern: String, detail: String)
    /// Two output columns with one name.
    case duplicateColumn(SourceRange, name: String)
    /// A stage that cannot follow what comes before it.
    case misplacedStage(SourceRange, stage: String, reason: String)
    /// Division by zero at run time.
    case divisionByZero(SourceRange)
    /// A number too large for exact arithmetic.
    case overflow(SourceRange)
    /// The embedder's row limit was exceeded.
    case rowLimit(SourceRange, limit: Int)
    /// The query was cancelled: its task, or the embedder's `CancellationToken`.
    case cancelled(SourceRange)
    /// The query ran longer than the embedder's timeout.
    case timedOut(SourceRange, limit: Duration)
    /// The query's intermediate results grew past the embedder's memory limit.
    case memoryLimit(SourceRange, limit: Int)
    /// The statement read a part of the catalog's store that is damaged (a checksum that does
    /// not match, a value out of bounds, a file changed underneath): its answer cannot be trusted.
    case storeDamaged(SourceRange, StoreError)

    /// The range the error points at.
    public var range: SourceRange {
        switch self {
        case .incomplete(let r, _), .invalidUTF8(let r), .tooLong(let r, _), .tooDeep(let r, _), .empty(let r),
            .invalidCharacter(let r, _), .invalidNumber(let r, _), .unexpected(let r, _, _),
            .unknownTable(let r, _, _), .unknownField(let r, _, _, _), .unknownFunction(let r, _, _),
            .unboundParameter(let r, _), .typeMismatch(let r, _, _, _), .wrongType(let r, _, _, _),
            .wrongArgumentCount(let r, _, _, _), .aggregateOutsideAgg(let r, _, _), .notARelation(let r, _),
            .droppedField(let r, _, _, _, _),
            .invalidRegex(let r, _, _), .duplicateColumn(let r, _), .misplacedStage(let r, _, _),
            .divisionByZero(let r), .overflow(let r), .rowLimit(let r, _), .cancelled(let r),
            .timedOut(let r, _), .memoryLimit(let r, _), .storeDamaged(let r, _):
            return r
        }
    }

    /// A second place the error concerns, with what to say there: where a dropped field was
    /// dropped.
    public var note: (message: String, range: SourceRange)? {
        switch self {
        case .droppedField(_, let name, let stage, let stageRange, _):
            return ("\(stage) drops \"\(name)\" here", stageRange)
        default: return nil
        }
    }

    /// Whether more input could complete the statement.
    public var isIncomplete: Bool {
        if case .incomplete = self { return true }
        return false
    }

    /// A short stable name for the kind of error (used in tests and JSON output).
    public var kind: String {
        switch self {
        case .incomplete: return "incomplete"
        case .invalidUTF8: return "invalid-utf8"
        case .tooLong: return "too-long"
        case .tooDeep: return "too-deep"
        case .empty: return "empty"
        case .invalidCharacter: return "invalid-character"
        case .invalidNumber: return "invalid-number"
        case .unexpected: return "syntax"
        case .unknownTable: return "unknown-table"
        case .unknownField: return "unknown-field"
        case .unknownFunction: return "unknown-function"
        case .unboundParameter: return "unbound-parameter"
        case .typeMismatch: return "type-mismatch"
        case .wrongType: return "wrong-type"
        case .wrongArgumentCount: return "argument-count"
        case .aggregateOutsideAgg: return "misplaced-aggregate"
        case .droppedField: return "dropped-field"
        case .notARelation: return "not-a-relation"
        case .invalidRegex: return "invalid-regex"
        case .duplicateColumn: return "duplicate-column"
        case .misplacedStage: return "misplaced-stage"
        case .divisionByZero: return "division-by-zero"
        case .overflow: return "overflow"
        case .rowLimit: return "row-limit"
        case .cancelled: return "cancelled"
        case .timedOut: return "timeout"
        case .memoryLimit: return "memory-limit"
        case .storeDamaged: return "store-damaged"
        }
    }

    private static func suggest(_ s: String?) -> String { s.map { "; did you mean \"\($0)\"?" } ?? "" }

    /// The message, without location.
    public var message: String {
        switch self {
        case .incomplete(_, let expected): return "incomplete input: expected \(expected)"
        case .invalidUTF8: return "invalid UTF-8 in the query: expected UTF-8 text"
        case .tooLong(_, let limit): return "query is too long: the limit is \(limit) bytes"
        case .tooDeep(_, let limit): return "query nests too deeply: the limit is \(limit) levels"
        case .empty: return "empty query: expected a table name such as projects"
        case .invalidCharacter(_, let c): return "unexpected character \(c)"
        case .invalidNumber(_, let t): return "invalid number \"\(t)\""
        case .unexpected(_, let expected, let found): return "expected \(expected), found \(found)"
        case .unknownTable(_, let name, let s): return "unknown table \"\(name)\"" + QueryError.suggest(s)
        case .unknownField(_, let name, let table, let s):
            return "unknown field \"\(name)\" in \(table)" + QueryError.suggest(s)
        case .unknownFunction(_, let name, let s): return "unknown function \"\(name)\"" + QueryError.suggest(s)
        case .unboundParameter(_, let name):
            return "parameter $\(name) is not set: bind it with --param \(name)=VALUE or .param set \(name) VALUE"
        case .typeMismatch(_, let op, let l, let r): return "cannot apply \(op) to \(l) and \(r)"
        case .wrongType(_, let context, let expected, let found):
            return "\(context) expects \(expected), found \(found)"
        case .wrongArgumentCount(_, let f, let expected, let found): return "\(f)() takes \(expected), found \(found)"
        case .aggregateOutsideAgg(_, let f, let stage):
            if ["any", "all"].contains(f.lowercased()) {
                return "\(f)() needs a relation of the rows, such as \(f)(indicators, value >= 90) on projects"
            }
            let filter =
                stage == "where"
                ? "; to keep some groups, filter after agg (… | agg s = \(f)(amount) | where s > 100)" : ""
            return
                "aggregate \(f)() cannot be used in \(stage): aggregates belong in agg (group by dept | agg x = \(f)(amount)), rollup, or over a relation (\(f)(indicators.value))\(filter)"
        case .droppedField(_, let name, let stage, _, let kept):
            let shown = kept.count > 8 ? kept.prefix(8).joined(separator: ", ") + ", …" : kept.joined(separator: ", ")
            return "\"\(name)\" was dropped by the \(stage) before this stage (it keeps \(shown))"
        case .notARelation(_, let name):
            return "\"\(name)\" is not a reference: only references such as dept or project can be followed with \".\""
        case .invalidRegex(_, let p, let detail): return "invalid regular expression \"\(p)\": \(detail)"
        case .duplicateColumn(_, let name): return "duplicate column \"\(name)\""
        case .misplacedStage(_, let stage, let reason): return "\(stage) \(reason)"
        case .divisionByZero: return "division by zero"
        case .overflow: return "number too large for exact decimal arithmetic"
        case .rowLimit(_, let limit): return "result exceeds the row limit of \(limit)"
        case .cancelled: return "query cancelled"
        case .timedOut(_, let limit): return "query ran longer than the time limit of \(limit)"
        case .memoryLimit(_, let limit): return "query needs more than the memory limit of \(limit) bytes"
        case .storeDamaged(_, let error): return "\(error)"
        }
    }
}
