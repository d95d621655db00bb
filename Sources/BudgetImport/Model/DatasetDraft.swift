// DatasetDraft: the dataset being built — rows of each table of the format (`DatasetSchema`),
// as the CSV cells they will be written as, each figure with where it was printed.

import BudgetModel

/// Where a figure was printed.
public struct FigureSource: Sendable, Hashable {
    /// The page (1-based; 0 for a text document, which has none).
    public var page: Int
    /// The line: on the page for a PDF, in the file for a text.
    public var line: Int
    /// The published table (or 情况说明) it comes from.
    public var table: String
    /// The figure exactly as printed.
    public var printed: String
    /// The unit it was printed in.
    public var unit: String

    /// 「p. 12 line 7」 or 「line 312」.
    public var place: String { page > 0 ? "p. \(page) line \(line)" : "line \(line)" }
}

/// One row of a dataset table: cell texts by field name, and the source of each figure.
struct DraftRow: Sendable {
    var values: [String: String] = [:]
    var sources: [String: FigureSource] = [:]

    subscript(field: String) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }
}

/// The rows of every table of a dataset.
struct DatasetDraft: Sendable {
    /// Rows by table name (`spending`, `three_public`, …).
    private(set) var rows: [String: [DraftRow]] = [:]

    /// Appends `row` to `table`; returns its index.
    @discardableResult
    mutating func append(_ table: String, _ row: DraftRow) -> Int {
        rows[table, default: []].append(row)
        return rows[table, default: []].count - 1
    }

    /// Sets one cell of an existing row.
    mutating func set(_ table: String, row: Int, field: String, value: String, source: FigureSource? = nil) {
        guard var list = rows[table], row < list.count else { return }
        list[row].values[field] = value
        if let source { list[row].sources[field] = source }
        rows[table] = list
    }

    /// Income rows in the order of the schema's sources (the template's order).
    mutating func sortIncome() {
        let order = DatasetSchema.incomeSources
        rows["income"]?.sort {
            (order.firstIndex(of: $0["source"] ?? "") ?? order.count)
                < (order.firstIndex(of: $1["source"] ?? "") ?? order.count)
        }
    }

    /// The rows of `table`.
    func rows(_ table: String) -> [DraftRow] { rows[table] ?? [] }

    /// The number of figures with a recorded source.
    var sourcedFigures: Int { rows.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.sources.count } } }
}
