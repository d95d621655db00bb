// Frame: the rows flowing between pipeline stages. A frame keeps its base table and base row per
// row while rows are filtered, sorted or projected, so relations (dept, project, indicators) stay
// navigable.

/// The rows of a joined table matched with a frame's rows.
package struct JoinedRows: Sendable {
    /// The joined table.
    package var table: Table
    /// Each frame row's row of `table`, or −1 (a left join's row without a match).
    package var rows: [Int]
}

/// The rows flowing through a pipeline.
package struct Frame: Sendable {
    /// The base table, while rows still correspond to its rows.
    package var base: Table?
    /// The base row of each frame row.
    package var rows: [Int]
    /// Computed columns, column-major.
    package var values: [[Value]]
    /// Number of rows.
    package var count: Int
    /// Whether `rows` is exactly every row of `base` in order (a fresh scan), so columns can be
    /// read without gathering.
    package var identity = false
    /// Inside `group by keys ( … )`: each row's partition, `0..<partitionCount`; nil when the
    /// rows are one partition.
    package var partitions: [Int32]? = nil
    /// The number of partitions (1 without `partitions`).
    package var partitionCount = 1
    /// The rows of joined tables each row was matched with, by join number.
    package var joins: [JoinedRows] = []

    package init(base: Table?, rows: [Int], values: [[Value]], count: Int, identity: Bool = false) {
        self.base = base
        self.rows = rows
        self.values = values
        self.count = count
        self.identity = identity
    }

    package static func of(_ table: Table) -> Frame {
        Frame(base: table, rows: Array(0..<table.count), values: [], count: table.count, identity: true)
    }

    /// The frame restricted to `keep` (indices into its rows), in that order.
    package func selecting(_ keep: [Int]) -> Frame {
        var out = Frame(
            base: base, rows: base == nil ? [] : keep.map { rows[$0] },
            values: values.map { col in keep.map { col[$0] } }, count: keep.count)
        if let partitions {
            out.partitions = keep.map { partitions[$0] }
            out.partitionCount = partitionCount
        }
        out.joins = joins.map { j in JoinedRows(table: j.table, rows: keep.map { j.rows[$0] }) }
        return out
    }

    /// The partition of row `r` (0 when the rows are one partition).
    @inline(__always) package func partition(_ r: Int) -> Int { partitions.map { Int($0[r]) } ?? 0 }
}
