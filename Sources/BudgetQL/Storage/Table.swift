// Table: an immutable, column-major table of typed values, with its fields' English and Chinese
// names, its references to rows of other tables, and its one-to-many relations.

import BudgetModel

/// One field of a table.
public struct Field: Sendable, Hashable {
    /// English name.
    public let name: String
    /// Chinese name (from the published headers).
    public let alias: String
    /// Further accepted names.
    public let otherNames: [String]
    /// The static type.
    public let type: ValueType
    /// For `.reference` fields: the table referred to.
    public let target: String?
    /// What the field holds.
    public let doc: String

    /// Whether `name` names this field (case-insensitive for ASCII).
    public func matches(_ word: String) -> Bool {
        word.lowercased() == name.lowercased() || word == alias || otherNames.contains(word)
    }
}

/// A one-to-many relation: for each row, the rows of `target` that belong to it.
public struct Relation: Sendable {
    /// English name, e.g. `indicators`.
    public let name: String
    /// Chinese name, e.g. `指标`.
    public let alias: String
    /// The related table's name.
    public let target: String
    /// For each row of this table, the related row indices of `target`.
    public var rows: RelationIndex {
        switch source {
        case .ready(let r): return r
        case .deferred(let d): return d.value
        }
    }
    /// What the relation means.
    public let doc: String

    private enum Source: Sendable {
        case ready(RelationIndex)
        case deferred(Deferred<RelationIndex>)
    }
    private let source: Source

    init(name: String, alias: String, target: String, rows: RelationIndex, doc: String) {
        (self.name, self.alias, self.target, self.doc) = (name, alias, target, doc)
        source = .ready(rows)
    }

    /// A relation read from a store on first use.
    init(name: String, alias: String, target: String, deferred: Deferred<RelationIndex>, doc: String) {
        (self.name, self.alias, self.target, self.doc) = (name, alias, target, doc)
        source = .deferred(deferred)
    }

    /// Whether `word` names this relation.
    public func matches(_ word: String) -> Bool { word.lowercased() == name.lowercased() || word == alias }
}

/// An immutable table.
public final class Table: Sendable {
    /// English name, e.g. `projects`.
    public let name: String
    /// Chinese name, e.g. `项目`.
    public let alias: String
    /// What a row is.
    public let doc: String
    /// The fields, in display order.
    public let fields: [Field]
    /// Column-major values: `columns[field][row]`.
    public let columns: ColumnList
    /// For each reference field (by index), the target row of each row.
    public let references: [Int: ReferenceColumn]
    /// One-to-many relations.
    public let relations: [Relation]
    /// The field `group by` sums when no `agg` follows (e.g. `amount`).
    public let measure: String?
    /// Number of rows.
    public let count: Int

    package init(
        name: String, alias: String, doc: String, fields: [Field], columns: ColumnList,
        references: [Int: ReferenceColumn],
        relations: [Relation], measure: String?, count: Int
    ) {
        self.name = name
        self.alias = alias
        self.doc = doc
        self.fields = fields
        self.columns = columns
        self.references = references
        self.relations = relations
        self.measure = measure
        self.count = count
    }

    /// The index of the field called `word`, if any.
    public func fieldIndex(_ word: String) -> Int? { fields.firstIndex { $0.matches(word) } }

    /// The distinct texts of field `word`, in order of first appearance, without nulls: the
    /// column's dictionary when it is dictionary-encoded (no scan of the rows), for completion.
    public func distinctTexts(_ word: String) -> [String] {
        guard let f = fieldIndex(word) else { return [] }
        if case .coded(_, let dictionary) = columns[f].storage { return dictionary.strings }
        var seen = Set<String>()
        return columns[f].compactMap(\.text).filter { seen.insert($0).inserted }
    }
    /// The relation called `word`, if any.
    public func relationIndex(_ word: String) -> Int? { relations.firstIndex { $0.matches(word) } }
    /// Whether `word` names this table.
    public func matches(_ word: String) -> Bool { word.lowercased() == name.lowercased() || word == alias }
}

/// Builds a `Table` column by column.
struct TableBuilder {
    package let name: String
    package let alias: String
    package let doc: String
    package var measure: String?
    package var fields: [Field] = []
    package var columns: [Column] = []
    package var references: [Int: ReferenceColumn] = [:]
    package var relations: [Relation] = []

    package init(_ name: String, _ alias: String, _ doc: String, measure: String? = nil) {
        self.name = name
        self.alias = alias
        self.doc = doc
        self.measure = measure
    }

    package mutating func add(
        _ name: String, _ alias: String, _ type: ValueType, _ column: Column, other: [String] = [], doc: String = ""
    ) {
        fields.append(Field(name: name, alias: alias, otherNames: other, type: type, target: nil, doc: doc))
        columns.append(column)
    }

    package mutating func text(
        _ name: String, _ alias: String, _ values: some Sequence<String?>, other: [String] = [], doc: String = ""
    ) {
        add(name, alias, .text, TextEncoder.encode(values), other: other, doc: doc)
    }

    package mutating func code(
        _ name: String, _ alias: String, _ values: some Sequence<String?>, other: [String] = [], doc: String = ""
    ) {
        add(name, alias, .code, TextEncoder.encode(values), other: other, doc: doc)
    }

    package mutating func money(
        _ name: String, _ alias: String, _ values: some Sequence<ExactDecimal?>, other: [String] = [], doc: String = ""
    ) {
        add(name, alias, .money, Column(decimals: values), other: other, doc: doc)
    }

    package mutating func number(
        _ name: String, _ alias: String, _ values: some Sequence<ExactDecimal?>, other: [String] = [], doc: String = ""
    ) {
        add(name, alias, .decimal, Column(decimals: values), other: other, doc: doc)
    }

    package mutating func integer(
        _ name: String, _ alias: String, _ values: some Sequence<Int?>, other: [String] = [], doc: String = ""
    ) {
        add(
            name, alias, .integer, Column(values: values.map { $0.map(Value.integer) ?? .null }), other: other, doc: doc
        )
    }

    package mutating func bool(
        _ name: String, _ alias: String, _ values: some Sequence<Bool?>, other: [String] = [], doc: String = ""
    ) {
        add(name, alias, .bool, Column(values: values.map { $0.map(Value.bool) ?? .null }), other: other, doc: doc)
    }

    /// A reference field: shows `labels` (dictionary-encoded), navigates to `targets` rows of
    /// table `target`.
    package mutating func reference(
        _ name: String, _ alias: String, target: String, labels: Column, targets: ReferenceColumn, other: [String] = [],
        doc: String = ""
    ) {
        references[fields.count] = targets
        fields.append(Field(name: name, alias: alias, otherNames: other, type: .reference, target: target, doc: doc))
        columns.append(labels)
    }

    package mutating func relation(_ name: String, _ alias: String, target: String, rows: RelationIndex, doc: String) {
        relations.append(Relation(name: name, alias: alias, target: target, rows: rows, doc: doc))
    }

    package func build() -> Table {
        Table(
            name: name, alias: alias, doc: doc, fields: fields, columns: ColumnList(columns), references: references,
            relations: relations, measure: measure, count: columns.first?.count ?? 0)
    }
}
