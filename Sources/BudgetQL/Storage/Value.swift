// Value: the typed values a query computes with, and their static types. Money and numbers are
// exact decimals; null is explicit; classification codes compare equal to numbers (`类 = 210`).

import BudgetModel

/// The static type of a column or expression.
public enum ValueType: String, Sendable, Hashable, Codable {
    /// Text.
    case text
    /// A classification code (类/款/项, economic codes): text that also compares with numbers.
    case code
    /// A whole number (counts, years).
    case integer
    /// An exact decimal (indicator values, weights, quantities).
    case decimal
    /// An amount in 万元, shown with 2 decimals and thousands separators.
    case money
    /// A percentage (0–100), shown with 2 decimals and `%`.
    case percent
    /// true / false.
    case bool
    /// A reference to one row of another table (shows the row's name).
    case reference
    /// The type of `null` before anything else is known.
    case null

    /// Whether values of this type are numbers.
    public var isNumeric: Bool { self == .integer || self == .decimal || self == .money || self == .percent }
    /// Whether values of this type are text-like.
    public var isTextual: Bool { self == .text || self == .code || self == .reference }

    /// The type's name in error messages.
    public var displayName: String {
        switch self {
        case .text: return "text"
        case .code: return "a classification code"
        case .integer: return "a whole number"
        case .decimal: return "a number"
        case .money: return "an amount (万元)"
        case .percent: return "a percentage"
        case .bool: return "true/false"
        case .reference: return "a reference"
        case .null: return "null"
        }
    }
}

/// One value.
public enum Value: Sendable, Hashable, Comparable {
    /// No value (a blank cell, a missing relation).
    case null
    /// true / false.
    case bool(Bool)
    /// A whole number.
    case integer(Int)
    /// An exact decimal.
    case decimal(ExactDecimal)
    /// Text (also codes and reference names).
    case text(String)

    /// Whether this is null.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as an exact decimal, if numeric.
    public var decimal: ExactDecimal? {
        switch self {
        case .integer(let i): return ExactDecimal(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    /// The value as text, if textual.
    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The value as a bool, if boolean.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    private var rank: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .integer, .decimal: return 2
        case .text: return 3
        }
    }

    /// Total order used by `sort`: null first, then booleans, numbers, text (by Unicode scalars).
    public static func < (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return !x && y
        case (.text(let x), .text(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        default:
            if let x = a.decimal, let y = b.decimal { return x < y }
            return a.rank < b.rank
        }
    }

    /// Equality used by comparisons, grouping and `distinct`: numbers compare numerically.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.text(let x), .text(let y)): return x == y
        default:
            if let x = a.decimal, let y = b.decimal { return x == y }
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b):
            hasher.combine(1)
            hasher.combine(b)
        case .integer, .decimal:
            hasher.combine(2)
            hasher.combine(decimal!)
        case .text(let s):
            hasher.combine(3)
            hasher.combine(s)
        }
    }
}
