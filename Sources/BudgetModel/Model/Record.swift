// Record: how a table of the model is declared once. A row type (`Project`, `Indicator`, …) lists
// its fields in one method, `visitFields`, one line per field: the stored property, then the
// field's CSV name, Chinese title, unit, description and how a query shows it. The field's type
// is the property's Swift type. Everything that reads or writes rows walks that one list with a
// `FieldVisitor`: the dataset schema (`DatasetSchema.tables`, `datapackage.json`, the README's
// field tables), the CSV loader, the load cache's encoder and decoder, the cache fingerprint's
// model layout, and the query catalog's columns. `Budget.visitTables` is the one list of tables.

/// A row type of the model: one CSV table of a dataset, whose fields are declared once, in
/// ``visitFields(_:)``.
///
/// Conforming types are structs whose stored properties are exactly their fields, each of type
/// `String`, `String?`, `Int`, `ExactDecimal` or `ExactDecimal?`.
package protocol Record: Sendable {
    /// The table's CSV name, Chinese title and what one row is.
    static var heading: TableHeading { get }

    /// A row with every field blank (empty text, `nil`, zero), for a reader to fill field by field.
    init()

    /// Calls `visitor` once for every field, in CSV column order, with the field's stored property
    /// and its declaration.
    ///
    /// Pass stored properties only (never a computed one): read-only visitors walk rows in place
    /// through ``read(_:with:)``, which relies on an `inout` access being a plain address.
    mutating func visitFields<V: FieldVisitor>(_ visitor: inout V)
}

/// A table's name, Chinese title and summary: what `Record.heading` declares besides its fields.
public struct TableHeading: Sendable, Hashable {
    /// The resource name, also the CSV file's base name.
    public let name: String
    /// The Chinese title.
    public let title: String
    /// What one row is.
    public let summary: String

    /// Creates a heading.
    public init(name: String, title: String, summary: String) {
        self.name = name
        self.title = title
        self.summary = summary
    }
}

/// What a reader or writer of rows does with each field of a ``Record``.
///
/// The declaration is an autoclosure: the loader and the cache codec never evaluate it, so a
/// visit costs what a hand-written assignment costs. A visitor that only reads must not assign to
/// the value it is given (see ``Record/read(_:with:)``).
package protocol FieldVisitor {
    /// A required text field.
    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema)
    /// An optional text field.
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema)
    /// A required whole-number field.
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema)
    /// A required decimal field.
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema)
    /// An optional decimal field.
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema)
}

/// What a reader or writer of budgets does with each table of a ``Budget``.
package protocol TableVisitor {
    /// A table of exactly one row (`department`).
    mutating func visit<R: Record>(single row: inout R)
    /// A table of any number of rows.
    mutating func visit<R: Record>(rows: inout [R])
}

extension Record {
    /// The table's schema: its heading and its fields, with each field's type from its property.
    package static var schema: TableSchema {
        var row = Self()
        var collector = SchemaCollector()
        row.visitFields(&collector)
        return TableSchema(heading: heading, fields: collector.fields)
    }

    /// Walks every row of `rows` with a visitor that only reads, in place: no row is copied (a
    /// copy would retain and release every string of it).
    ///
    /// Safe because `visitFields` passes stored properties only, so each `inout` is the field's
    /// address and nothing is written unless the visitor assigns, which a reading visitor never does.
    package static func read<V: FieldVisitor>(_ rows: [Self], with visitor: inout V) {
        rows.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let rows = UnsafeMutablePointer(mutating: base)
            for i in 0..<buffer.count { rows[i].visitFields(&visitor) }
        }
    }
}

/// Collects the declarations, each completed with the type its property gives it.
private struct SchemaCollector: FieldVisitor {
    var fields: [FieldSchema] = []

    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) {
        fields.append(field().typed(.string, optional: false))
    }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) {
        fields.append(field().typed(.string, optional: true))
    }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) {
        fields.append(field().typed(.integer, optional: false))
    }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) {
        fields.append(field().typed(.decimal, optional: false))
    }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) {
        fields.append(field().typed(.decimal, optional: true))
    }
}

/// Collects the schemas of a budget's tables, in order.
private struct TableCollector: TableVisitor {
    var tables: [TableSchema] = []

    mutating func visit<R: Record>(single row: inout R) { tables.append(R.schema) }
    mutating func visit<R: Record>(rows: inout [R]) { tables.append(R.schema) }
}

extension Budget {
    /// The schema of every table, in load order, from ``visitTables(_:)``.
    static let tableSchemas: [TableSchema] = {
        var budget = Budget(department: Department())
        var collector = TableCollector()
        budget.visitTables(&collector)
        return collector.tables
    }()
}
