// Scope: what names mean at a stage — the columns visible there (with their English and Chinese
// names, types and where their values live) and the base table whose relations can be followed.
// QueryDefaults lists the fields each table shows when no `select` says otherwise.

/// Where a scope column's values live.
package enum ColumnSource: Sendable, Hashable {
    /// A field of the frame's base table.
    case base(Int)
    /// A computed column of the frame.
    case frame(Int)
    /// Field `field` of the table joined by the frame's join number `join` (`Scope.joinTargets`).
    case joined(join: Int, field: Int)
}

/// A column visible to names at some stage.
package struct ScopeColumn: Sendable {
    /// The name it is found by (English or as written by the user).
    package var name: String
    /// Further names (the Chinese alias, other names).
    package var aliases: [String]
    /// The header shown in results.
    package var label: String
    /// Static type.
    package var type: ValueType
    /// Where the values are.
    package var source: ColumnSource
    /// Whether results show it when no `select` says otherwise.
    package var visible: Bool

    package func matches(_ word: String) -> Bool {
        word.lowercased() == name.lowercased() || aliases.contains(word) || label == word
    }
}

/// The names a stage dropped: the stage, where its keyword is, and the columns it kept.
package struct DroppedNames: Sendable {
    /// The stage as messages name it (`select`, `group by … | agg`).
    package var stage: String
    /// Its keyword.
    package var range: SourceRange
    /// The dropped names (English ones lower-cased).
    package var names: Set<String>
    /// The labels of the columns it kept.
    package var kept: [String]
}

/// What names mean at a stage: the columns, and the base table whose relations can be followed.
package struct Scope: Sendable {
    package var columns: [ScopeColumn]
    package var base: Table?
    /// The table's name as the user wrote it, for messages.
    package var tableName: String
    /// Whether headers use Chinese names (the table was named in Chinese).
    package var chinese: Bool
    /// The tables joined to the frame's rows, by join number.
    package var joinTargets: [Table] = []
    /// Names earlier stages dropped, oldest first (for errors that say which stage did).
    package var dropped: [DroppedNames] = []

    /// The scope `next` that a stage written at `range` leaves, remembering the names this one
    /// had that `next` has not.
    package func replaced(by next: Scope, stage: String, range: SourceRange) -> Scope {
        var out = next
        var names: Set<String> = []
        for c in columns where next.column(c.name) == nil {
            names.insert(c.name.lowercased())
            for a in c.aliases where next.column(a) == nil { names.insert(a) }
        }
        if let base, next.base == nil {
            for r in base.relations {
                names.insert(r.name)
                names.insert(r.alias)
            }
        }
        out.dropped = dropped
        if !names.isEmpty {
            let kept = next.columns.filter(\.visible).map(\.label)
            out.dropped.append(DroppedNames(stage: stage, range: range, names: names, kept: kept))
        }
        return out
    }

    /// A scope.
    package init(columns: [ScopeColumn], base: Table?, tableName: String, chinese: Bool, joinTargets: [Table] = []) {
        self.columns = columns
        self.base = base
        self.tableName = tableName
        self.chinese = chinese
        self.joinTargets = joinTargets
    }

    /// For a column of a joined table: `alias (table)`, as messages name it.
    package func joinedTableName(_ c: ScopeColumn) -> String? {
        guard case .joined(let j, _) = c.source, let dot = c.name.firstIndex(of: ".") else { return nil }
        return "\(c.name[..<dot]) (\(joinTargets[j].name))"
    }

    /// Column `c` read as a bound expression (its source at `range`).
    package func bound(_ c: ScopeColumn, _ range: SourceRange) -> BoundExpr {
        switch c.source {
        case .base(let f): return BoundExpr(.base(f), range)
        case .frame(let k): return BoundExpr(.column(k), range)
        case .joined(let j, let f):
            return BoundExpr(.joined(join: j, target: joinTargets[j], inner: BoundExpr(.base(f), range)), range)
        }
    }

    /// The scope of a base table with all its fields.
    package static func of(_ table: Table, as written: String) -> Scope {
        let chinese = written == table.alias
        let shown = Set(QueryDefaults.visibleFields[table.name] ?? table.fields.map(\.name))
        let columns = table.fields.enumerated().map { i, f in
            ScopeColumn(
                name: f.name, aliases: [f.alias] + f.otherNames, label: chinese ? f.alias : f.name, type: f.type,
                source: .base(i), visible: shown.contains(f.name))
        }
        return Scope(columns: columns, base: table, tableName: written, chinese: chinese)
    }

    package func column(_ word: String) -> Int? { columns.firstIndex { $0.matches(word) } }

    /// Every name usable here, for suggestions and completion.
    package var names: [String] {
        var out = columns.map(\.name)
        if chinese { out += columns.flatMap(\.aliases) }
        if let base { out += base.relations.map(\.name) }
        return out
    }
}

/// Which fields a table shows by default (the rest stay queryable, and `select *` shows all).
package enum QueryDefaults {
    package static let visibleFields: [String: [String]] = [
        "departments": [
            "id", "name", "year", "kind", "total", "basic", "project", "three_public", "n_projects", "n_indicators",
        ],
        "units": ["dept", "code", "name"],
        "spending": ["dept", "code", "name", "amount", "basic", "personnel", "public", "project"],
        "spending_lines": ["dept", "level", "code", "name", "amount", "basic", "project", "table"],
        "economic": ["dept", "table", "level", "code", "name", "amount", "personnel", "public"],
        "economic_lines": ["dept", "table", "level", "code", "name", "amount", "personnel", "public", "project"],
        "projects": ["dept", "unit", "name", "category", "amount", "n_indicators"],
        "items": ["dept", "unit", "name", "category", "type", "amount", "n_indicators"],
        "indicators": ["dept", "project", "level1", "level2", "name", "op", "value", "unit", "text"],
        "plans": ["dept", "project", "seq", "period", "kind", "amount"],
        "three_public": ["dept", "total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"],
        "procurement": ["dept", "unit", "project", "item", "catalog_code", "quantity", "unit_price", "amount"],
        "narrative": ["dept", "key", "label", "amount", "table_value", "measure"],
        "totals": ["dept", "key", "label", "column", "table", "amount"],
        "checks": ["dept", "kind", "rule", "subject", "published", "computed", "difference", "documented"],
        "tasks": ["dept", "unit", "name", "amount"],
        "assets": ["dept", "category", "item", "quantity", "amount"],
        "income": ["dept", "source", "amount"],
        "purchase_services": ["dept", "unit", "project", "item", "category", "amount"],
    ]
}
