// StoreDirectory: the table of contents at the end of a catalog store — where each section is
// and what it holds, every table with its fields, references and relations (names, types,
// documentation), the classification names, the known contradictions and the model section.
// Written and read here only, with every count and text checked as it is read.

import BudgetModel

/// One section of the file: a typed array or encoded block.
struct SectionEntry {
    var kind: StoreLayout.Kind
    var offset: UInt64
    var length: UInt64
    var checksum: UInt64
}

/// How one field's column is stored, and in which sections.
struct FieldEntry {
    /// How `Column.Storage` stores it.
    enum Storage: UInt8 {
        case values = 0
        case coded = 1
        case decimal = 2
    }
    var field: Field
    var storage: Storage
    /// Values, codes or mantissas.
    var first: UInt32
    /// The dictionary or scales (`noSection` for values).
    var second: UInt32
}

/// A relation and its two sections.
struct RelationEntry {
    var name: String
    var alias: String
    var target: String
    var doc: String
    var offsets: UInt32
    var targets: UInt32
    /// How many target rows the relation lists.
    var targetCount: Int
}

/// A table as the store describes it.
struct TableEntry {
    var name: String
    var alias: String
    var doc: String
    var measure: String?
    var count: Int
    var fields: [FieldEntry]
    /// Reference fields: the field's index and the section of its targets.
    var references: [(field: Int, section: UInt32)]
    var relations: [RelationEntry]
}

/// The store's table of contents.
struct StoreDirectory {
    var sections: [SectionEntry] = []
    var tables: [TableEntry] = []
    var codeNames: [(code: String, name: String)] = []
    var known: [KnownContradiction] = []
    var budgetCount = 0
    var model = StoreLayout.noSection

    /// The limit on any count in a directory of `length` bytes: every counted thing takes at
    /// least one byte, so a larger count is damage (and is refused before anything is allocated).
    private static func limit(_ length: Int) -> Int { length }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(sections.count))
        for s in sections {
            w.u8(s.kind.rawValue)
            w.u64(s.offset)
            w.u64(s.length)
            w.u64(s.checksum)
        }
        w.u32(UInt32(tables.count))
        for t in tables {
            w.string(t.name)
            w.string(t.alias)
            w.string(t.doc)
            w.optionalString(t.measure)
            w.u64(UInt64(t.count))
            w.u32(UInt32(t.fields.count))
            for f in t.fields {
                w.string(f.field.name)
                w.string(f.field.alias)
                w.u32(UInt32(f.field.otherNames.count))
                for o in f.field.otherNames { w.string(o) }
                w.string(f.field.type.rawValue)
                w.optionalString(f.field.target)
                w.string(f.field.doc)
                w.u8(f.storage.rawValue)
                w.u32(f.first)
                w.u32(f.second)
            }
            w.u32(UInt32(t.references.count))
            for r in t.references {
                w.u32(UInt32(r.field))
                w.u32(r.section)
            }
            w.u32(UInt32(t.relations.count))
            for r in t.relations {
                w.string(r.name)
                w.string(r.alias)
                w.string(r.target)
                w.string(r.doc)
                w.u32(r.offsets)
                w.u32(r.targets)
                w.u64(UInt64(r.targetCount))
            }
        }
        w.u32(UInt32(codeNames.count))
        for (code, name) in codeNames {
            w.string(code)
            w.string(name)
        }
        w.u32(UInt32(known.count))
        for k in known {
            w.string(k.dataset)
            w.string(k.rule)
            w.string(k.subject)
            w.string(k.explanation)
        }
        w.u64(UInt64(budgetCount))
        w.u32(model)
        return w.bytes
    }

    /// Reads a directory, checking that every section lies inside `sectionsEnd` bytes after the
    /// header and that every table's sections have the sizes its row count implies.
    static func decode(_ bytes: UnsafeRawBufferPointer, sectionsEnd: UInt64) throws(CursorError) -> StoreDirectory {
        var c = ByteCursor(bytes)
        let limit = limit(bytes.count)
        var d = StoreDirectory()
        for _ in 0..<(try c.count(limit: limit)) {
            guard let kind = StoreLayout.Kind(rawValue: try c.u8()) else { throw CursorError(detail: "a section kind") }
            let s = SectionEntry(kind: kind, offset: try c.u64(), length: try c.u64(), checksum: try c.u64())
            guard s.offset >= UInt64(StoreLayout.headerSize), s.offset <= sectionsEnd,
                s.length <= sectionsEnd - s.offset
            else { throw CursorError(detail: "a section lies outside the file") }
            d.sections.append(s)
        }
        for _ in 0..<(try c.count(limit: limit)) {
            var t = TableEntry(
                name: try c.string(), alias: try c.string(), doc: try c.string(), measure: try c.optionalString(),
                count: 0, fields: [], references: [], relations: [])
            let count = try c.u64()
            guard count <= UInt64(Int32.max) else { throw CursorError(detail: "table \(t.name) has \(count) rows") }
            t.count = Int(count)
            for _ in 0..<(try c.count(limit: limit)) {
                let name = try c.string()
                let alias = try c.string()
                var other: [String] = []
                for _ in 0..<(try c.count(limit: limit)) { other.append(try c.string()) }
                let typeName = try c.string()
                guard let type = ValueType(rawValue: typeName) else {
                    throw CursorError(detail: "field \(t.name).\(name) has unknown type \(typeName)")
                }
                let field = Field(
                    name: name, alias: alias, otherNames: other, type: type, target: try c.optionalString(),
                    doc: try c.string())
                guard let storage = FieldEntry.Storage(rawValue: try c.u8()) else {
                    throw CursorError(detail: "field \(t.name).\(name) has an unknown storage")
                }
                let entry = FieldEntry(field: field, storage: storage, first: try c.u32(), second: try c.u32())
                try d.checkField(entry, rows: t.count, table: t.name)
                t.fields.append(entry)
            }
            for _ in 0..<(try c.count(limit: limit)) {
                let field = Int(try c.u32())
                let section = try c.u32()
                guard field < t.fields.count else { throw CursorError(detail: "a reference of \(t.name)") }
                try d.checkSection(section, .references, length: t.count * 4, "\(t.name).\(t.fields[field].field.name)")
                t.references.append((field, section))
            }
            for _ in 0..<(try c.count(limit: limit)) {
                let r = RelationEntry(
                    name: try c.string(), alias: try c.string(), target: try c.string(), doc: try c.string(),
                    offsets: try c.u32(), targets: try c.u32(), targetCount: 0)
                let targetCount = try c.u64()
                guard targetCount <= UInt64(Int32.max) else { throw CursorError(detail: "relation \(r.name)") }
                var relation = r
                relation.targetCount = Int(targetCount)
                try d.checkSection(r.offsets, .offsets, length: (t.count + 1) * 8, "\(t.name).\(r.name)")
                try d.checkSection(r.targets, .targets, length: relation.targetCount * 4, "\(t.name).\(r.name)")
                t.relations.append(relation)
            }
            d.tables.append(t)
        }
        for _ in 0..<(try c.count(limit: limit)) { d.codeNames.append((try c.string(), try c.string())) }
        for _ in 0..<(try c.count(limit: limit)) {
            d.known.append(
                KnownContradiction(
                    dataset: try c.string(), rule: try c.string(), subject: try c.string(),
                    explanation: try c.string()))
        }
        let budgets = try c.u64()
        guard budgets <= UInt64(Int32.max) else { throw CursorError(detail: "budget count") }
        d.budgetCount = Int(budgets)
        d.model = try c.u32()
        if d.model != StoreLayout.noSection { try d.checkSection(d.model, .model, length: nil, "the model") }
        guard c.isAtEnd else { throw CursorError(detail: "bytes after the directory's end") }
        // Every relation and reference names a table of the store.
        let names = Set(d.tables.map(\.name))
        for t in d.tables {
            for r in t.relations where !names.contains(r.target) {
                throw CursorError(detail: "relation \(t.name).\(r.name) targets no table")
            }
            for r in t.references {
                guard let target = t.fields[r.field].field.target, names.contains(target) else {
                    throw CursorError(detail: "reference \(t.name).\(t.fields[r.field].field.name) targets no table")
                }
            }
        }
        return d
    }

    private func checkField(_ f: FieldEntry, rows: Int, table: String) throws(CursorError) {
        let part = "\(table).\(f.field.name)"
        // Stored as the catalog builder stores its type (the engine relies on it).
        let expected: FieldEntry.Storage
        switch f.field.type {
        case .text, .code, .reference: expected = .coded
        case .money, .decimal, .percent: expected = .decimal
        case .integer, .bool, .null: expected = .values
        }
        guard f.storage == expected else { throw CursorError(detail: "\(part) is stored as another type") }
        switch f.storage {
        case .values:
            try checkSection(f.first, .values, length: nil, part)
        case .coded:
            try checkSection(f.first, .codes, length: rows * 4, part)
            try checkSection(f.second, .dictionary, length: nil, part)
        case .decimal:
            try checkSection(f.first, .mantissas, length: rows * 8, part)
            try checkSection(f.second, .scales, length: rows, part)
        }
    }

    private func checkSection(_ s: UInt32, _ kind: StoreLayout.Kind, length: Int?, _ part: String) throws(CursorError) {
        guard Int(s) < sections.count, sections[Int(s)].kind == kind else {
            throw CursorError(detail: "\(part) names a missing section")
        }
        if let length, sections[Int(s)].length != UInt64(length) {
            throw CursorError(detail: "\(part) has \(sections[Int(s)].length) bytes where its rows need \(length)")
        }
    }
}
