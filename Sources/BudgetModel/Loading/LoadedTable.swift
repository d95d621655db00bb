// LoadedTable: one CSV table of a dataset folder, read and validated against its schema — every
// cell trimmed, checked (required, enumeration, number) and typed once, in a row-major store per
// type — and turned into rows of its record type by walking the type's field declarations.

import Foundation

/// A column of a loaded table: the schema field's index, and its name for error messages.
struct LoadedColumn {
    let field: Int
    let name: String
}

/// One table, read and validated: every cell trimmed and typed once, by schema field.
final class LoadedTable {
    let schema: TableSchema
    let file: String
    let csv: CSVCells
    /// The header column of each schema field.
    let headerColumn: [Int]
    /// Rows (the header excluded).
    private(set) var rowCount = 0
    /// Cells per row of each type, and each field's place among the fields of its type.
    private let textWidth: Int, decimalWidth: Int, integerWidth: Int
    private let slot: [Int]
    /// Row-major by type: texts of string fields (`row * textWidth + slot[field]`), values of
    /// decimal and integer fields.
    private var texts: [String?] = []
    private var decimals: [ExactDecimal?] = []
    private var integers: [Int?] = []

    init(schema: TableSchema, file: String, csv: CSVCells, headerColumn: [Int]) {
        self.schema = schema
        self.file = file
        self.csv = csv
        self.headerColumn = headerColumn
        var texts = 0
        var decimals = 0
        var integers = 0
        var slot: [Int] = []
        for field in schema.fields {
            switch field.type {
            case .string:
                slot.append(texts)
                texts += 1
            case .decimal:
                slot.append(decimals)
                decimals += 1
            case .integer:
                slot.append(integers)
                integers += 1
            }
        }
        self.slot = slot
        textWidth = texts
        decimalWidth = decimals
        integerWidth = integers
    }

    /// The column named `name`, or `nil` if the schema has none (the rules name only fields the
    /// row types declare, so that never happens).
    func column(_ name: String) -> LoadedColumn? {
        schema.fields.firstIndex { $0.name == name }.map { LoadedColumn(field: $0, name: name) }
    }

    /// The line row `r` starts on.
    func line(_ r: Int) -> Int { csv.lines[r + 1] }

    /// Where row `r`'s cell of `c` is (read again from the file: for error messages only).
    func location(_ r: Int, _ c: LoadedColumn) -> DataLocation {
        DataLocation(file: file, position: csv.position(ofRecord: r + 1, field: headerColumn[c.field]))
    }

    /// Reads every row: checks and types each cell in schema order, throwing the first bad
    /// cell's error (row by row, field by field). Text is trimmed; a number must follow the
    /// one number grammar (`CellGrammar`) exactly, with no space around it.
    func read(interner: inout StringInterner) throws(DatasetError) {
        let rows = csv.count - 1
        let width = schema.fields.count
        var texts = [String?](repeating: nil, count: rows * textWidth)
        var decimals = [ExactDecimal?](repeating: nil, count: rows * decimalWidth)
        var integers = [Int?](repeating: nil, count: rows * integerWidth)
        let headerCount = csv.cellCount(0)
        let types = schema.fields.map(\.type)
        let required = schema.fields.map(\.required)
        let allowed = schema.fields.map(\.allowed)
        let columns = schema.fields.map { LoadedColumn(field: 0, name: $0.name) }
        let bytes = csv.bytes
        try bytes.withUnsafeBufferPointer { (p) throws(DatasetError) in
            for r in 0..<rows {
                let record = r + 1
                guard csv.cellCount(record) == headerCount else {
                    throw .wrongCellCount(
                        DataLocation(file: file, position: csv.positions(ofRecord: record).first),
                        expected: headerCount, found: csv.cellCount(record))
                }
                for f in 0..<width {
                    let cell = csv.cell(record, headerColumn[f])
                    let name = columns[f].name
                    func fail(_ error: (DataLocation) -> DatasetError) -> DatasetError {
                        error(location(r, LoadedColumn(field: f, name: name)))
                    }
                    if types[f] != .string {
                        // A number: the cell exactly as written, untrimmed (see Datasets/FORMAT.md).
                        let start = csv.starts[cell]
                        let end = csv.ends[cell]
                        if start == end {
                            if required[f] { throw fail { .missingValue($0, column: name) } }
                            continue
                        }
                        let number = UnsafeBufferPointer(rebasing: p[start..<end])
                        if types[f] == .decimal, let d = ExactDecimal(cell: number) {
                            decimals[r * decimalWidth + slot[f]] = d
                        } else if types[f] == .integer, let i = Int(cell: number) {
                            integers[r * integerWidth + slot[f]] = i
                        } else {
                            let found = csv.text(cell)
                            let expected = types[f] == .decimal ? CellGrammar.decimal : CellGrammar.integer
                            throw fail { .invalidNumber($0, column: name, found: found, expected: expected) }
                        }
                        continue
                    }
                    // A text cell trimmed: a range of the file (nearly always), or a String when
                    // it has doubled quotes or may have white space for Foundation to trim.
                    var start = csv.starts[cell]
                    var end = csv.ends[cell]
                    var slow: String?
                    if csv.isEscaped(cell)
                        || (end > start && Whitespace.isCandidate(p, first: start, last: end - 1))
                    {
                        slow = csv.text(cell).trimmedWhitespace
                    }
                    if let s = slow {
                        start = 0
                        end = s.utf8.count
                    }
                    if start == end {
                        if required[f] { throw fail { .missingValue($0, column: name) } }
                        continue
                    }
                    func string() -> String {
                        slow ?? interner.string(UnsafeBufferPointer(rebasing: p[start..<end]))
                    }
                    var value: String?
                    if let allowed = allowed[f] {
                        let v = string()
                        guard allowed.contains(v) else {
                            throw fail { .invalidChoice($0, column: name, found: v, allowed: allowed) }
                        }
                        value = v
                    }
                    texts[r * textWidth + slot[f]] = value ?? string()
                }
            }
        }
        self.texts = texts
        self.decimals = decimals
        self.integers = integers
        rowCount = rows
    }

    /// The rows as values of their record type, each field filled from its typed cell.
    func rows<R: Record>(_: R.Type) -> [R] {
        var out: [R] = []
        out.reserveCapacity(rowCount)
        texts.withUnsafeBufferPointer { texts in
            decimals.withUnsafeBufferPointer { decimals in
                integers.withUnsafeBufferPointer { integers in
                    var reader = CellReader(texts: texts, decimals: decimals, integers: integers)
                    for _ in 0..<rowCount {
                        var row = R()
                        row.visitFields(&reader)
                        out.append(consume row)
                    }
                }
            }
        }
        return out
    }
}

/// Fills a row's fields from a loaded table's typed cells. The cells are stored row by row, and
/// within a row in field order by type, which is the order `visitFields` visits the fields in:
/// so each type's cells are consumed in sequence, one cursor per type, across all rows.
private struct CellReader: FieldVisitor {
    let texts: UnsafeBufferPointer<String?>
    let decimals: UnsafeBufferPointer<ExactDecimal?>
    let integers: UnsafeBufferPointer<Int?>
    private var text = 0
    private var decimal = 0
    private var integer = 0

    init(
        texts: UnsafeBufferPointer<String?>, decimals: UnsafeBufferPointer<ExactDecimal?>,
        integers: UnsafeBufferPointer<Int?>
    ) {
        self.texts = texts
        self.decimals = decimals
        self.integers = integers
    }

    // Required cells were checked non-empty when read; a non-optional text that may be empty
    // (`allowsEmpty`) loads as "".
    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) {
        value = texts[text] ?? ""
        text += 1
    }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) {
        value = texts[text]
        text += 1
    }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) {
        value = integers[integer] ?? 0
        integer += 1
    }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) {
        value = decimals[decimal] ?? .zero
        decimal += 1
    }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) {
        value = decimals[decimal]
        decimal += 1
    }
}
