// ResultRow: results as an embedder reads them — a row's values by column name
// (`row["amount"]`), and values that print as a user reads them (`26260.00`, `抚顺市…`, `NULL`)
// rather than as enum cases (`BudgetQL.Value.decimal(26260.00)`).

extension Value: CustomStringConvertible {
    /// The value as a user reads it: decimals exactly (`26260.00`), text as is, `true`/`false`,
    /// and `NULL`.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal(let d): return d.description
        case .text(let s): return s
        }
    }
}

/// One row of a result, whose values can be read by column name or position.
public struct ResultRow: Sendable, RandomAccessCollection, CustomStringConvertible {
    /// The result's columns.
    public let columns: [ResultColumn]
    /// The row's values, one per column.
    public let values: [Value]

    /// Creates a row over `columns`.
    public init(columns: [ResultColumn], values: [Value]) {
        self.columns = columns
        self.values = values
    }

    public var startIndex: Int { values.startIndex }
    public var endIndex: Int { values.endIndex }
    /// The value in column `position`.
    public subscript(position: Int) -> Value { values[position] }

    /// The value of the column called `name` (the first, if several share it), or nil when the
    /// result has no such column.
    public subscript(name: String) -> Value? {
        guard let i = columns.firstIndex(where: { $0.name == name }), i < values.count else { return nil }
        return values[i]
    }

    /// `name: value` for every column: `dept: 鞍山市医疗保障局, amount: 115.11`.
    public var description: String {
        zip(columns, values).map { "\($0.name): \($1)" }.joined(separator: ", ")
    }
}

extension QueryResult {
    /// The rows, each readable by column name: `for row in result.namedRows { row["amount"] }`.
    public var namedRows: [ResultRow] { rows.map { ResultRow(columns: columns, values: $0) } }

    /// The values of the column called `name`, top to bottom; nil when there is no such column.
    public func column(_ name: String) -> [Value]? {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return rows.map { i < $0.count ? $0[i] : .null }
    }
}
