// Operators: the typed operators of the language, from the parser through the bound IR to both
// evaluators and SQL. Every switch over them is exhaustive, so an operator that some stage does
// not handle is a compile error rather than a fall-through. Symbols are the lexer's normalised
// spellings (`==` is `=`, `<>` is `!=`, full-width forms are ASCII, `且`/`或` are `and`/`or`).

/// An arithmetic operator: `+ - * / %`.
public enum ArithmeticOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `+`.
    case add = "+"
    /// `-`.
    case subtract = "-"
    /// `*`.
    case multiply = "*"
    /// `/`: exact, rounded half to even at 10 places.
    case divide = "/"
    /// `%`: the remainder, with the sign of the dividend.
    case remainder = "%"

    /// The operator as written.
    public var description: String { rawValue }
}

/// A comparison operator: `= != < <= > >=`.
public enum ComparisonOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `=`.
    case equal = "="
    /// `!=`.
    case notEqual = "!="
    /// `<`.
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>`.
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="

    /// The operator as written.
    public var description: String { rawValue }
}

/// A text operator: `~ !~ =~ ^=`.
public enum TextOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `~`: contains.
    case contains = "~"
    /// `!~`: does not contain.
    case notContains = "!~"
    /// `=~`: matches a regular expression.
    case matches = "=~"
    /// `^=`: starts with.
    case startsWith = "^="

    /// The operator as written.
    public var description: String { rawValue }
}

/// A logical connective: `and` (`且`), `or` (`或`).
public enum LogicalOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `and`.
    case and
    /// `or`.
    case or

    /// The operator as written (in English).
    public var description: String { rawValue }
}

/// A binary operator of the AST, grouped by what its operands are.
public enum BinaryOp: Sendable, Hashable, CustomStringConvertible {
    /// `+ - * / %`.
    case arithmetic(ArithmeticOp)
    /// `= != < <= > >=`.
    case comparison(ComparisonOp)
    /// `~ !~ =~ ^=`.
    case text(TextOp)
    /// `and`, `or`.
    case logical(LogicalOp)

    /// The operator written as `symbol` (a normalised symbol token, or `and`/`or`), if any.
    public init?(symbol: String) {
        if let op = ArithmeticOp(rawValue: symbol) {
            self = .arithmetic(op)
        } else if let op = ComparisonOp(rawValue: symbol) {
            self = .comparison(op)
        } else if let op = TextOp(rawValue: symbol) {
            self = .text(op)
        } else if let op = LogicalOp(rawValue: symbol) {
            self = .logical(op)
        } else {
            return nil
        }
    }

    /// The operator as written (in English for `and`/`or`), for messages.
    public var description: String {
        switch self {
        case .arithmetic(let op): return op.description
        case .comparison(let op): return op.description
        case .text(let op): return op.description
        case .logical(let op): return op.description
        }
    }
}

/// A prefix operator: unary `-` and `not`.
public enum UnaryOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `-x`.
    case negate = "-"
    /// `not x`.
    case not

    /// The operator as written.
    public var description: String { rawValue }
}
