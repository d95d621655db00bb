// Schema: the dataset format as the row types declare it — a table (CSV resource) per record
// type of `Budget.visitTables`, a field per line of its `visitFields`, with the field's Chinese
// title, type, unit, Fiscal Data Package tag and how queries show it. The loader validates
// against it, `datapackage.json` is generated from it, and Datasets/README.md documents it.

import Foundation

/// The type of a dataset field as stored in CSV.
public enum FieldType: String, Sendable, Codable {
    /// Free text.
    case string
    /// An exact decimal (amounts in 万元, indicator values, weights).
    case decimal = "number"
    /// A whole number (year, quantity, row id).
    case integer
}

/// One column of a dataset table, as a row type declares it in `Record.visitFields`.
public struct FieldSchema: Sendable {
    /// The column name in the CSV header.
    public let name: String
    /// The Chinese name, as the published tables print it.
    public let title: String
    /// How the cell is parsed: the declaring property's type.
    public private(set) var type: FieldType = .string
    /// Whether an empty cell is an error: the declaring property is not optional (and the
    /// declaration does not allow an empty cell).
    public private(set) var required = false
    /// The unit of the value, e.g. `万元`.
    public let unit: String?
    /// The Fiscal Data Package column type, where one fits.
    public let fdpType: String?
    /// The values allowed, when the field is an enumeration.
    public let allowed: [String]?
    /// What the field holds.
    public let summary: String
    /// How queries show the field; `nil` when the query catalog does not show it.
    public private(set) var query: QueryColumn?

    /// For a non-optional text property: an empty cell loads as `""` instead of being an error.
    let allowsEmpty: Bool
    private let queryDeclaration: QueryDeclaration

    /// Declares a field. Its type and whether it is required come from the property it is declared
    /// with; `query` says how the query catalog shows it (by default under the same names, with
    /// `summary` as its description).
    package init(
        _ name: String, _ title: String, unit: String? = nil, fdp: String? = nil, allowed: [String]? = nil,
        allowsEmpty: Bool = false, _ summary: String, query: QueryDeclaration = .same
    ) {
        self.name = name
        self.title = title
        self.unit = unit
        self.fdpType = fdp
        self.allowed = allowed
        self.allowsEmpty = allowsEmpty
        self.summary = summary
        self.queryDeclaration = query
    }

    /// The declaration completed with the type of its property.
    func typed(_ type: FieldType, optional: Bool) -> FieldSchema {
        assert(!allowsEmpty || (type == .string && !optional), "\(name): allowsEmpty is for non-optional text")
        var field = self
        field.type = type
        field.required = !optional && !allowsEmpty
        if case .shown(let name, let title, let other, let kind, let doc) = queryDeclaration {
            let defaultKind: QueryColumn.Kind =
                switch type {
                case .string: .text
                case .integer: .integer
                case .decimal: unit == DatasetSchema.money ? .money : .number
                }
            field.query = QueryColumn(
                name: name ?? self.name, title: title ?? self.title, otherNames: other, kind: kind ?? defaultKind,
                doc: doc ?? summary)
        }
        return field
    }
}

extension FieldSchema {
    /// The `origin` field of a table whose rows may hold inferred values (``DatasetSchema/origins``).
    package static var origin: FieldSchema {
        FieldSchema(
            "origin", "取得方式", allowed: DatasetSchema.origins,
            "printed, inferred (placed by the transcriber where the layout does not show it; see the notes) or derived. Empty: printed.",
            query: .column(
                nil, "取得方式", other: ["来源方式"],
                doc:
                    "printed, inferred or derived (a blank cell shows as printed); the dataset notes explain each inference."
            ))
    }
}

/// How the query catalog shows a field: one column of the table named like the CSV file.
public struct QueryColumn: Sendable, Hashable {
    /// The column's value type in queries.
    public enum Kind: String, Sendable, Hashable {
        /// Text.
        case text
        /// A classification or catalog code (text that sorts and groups as a code).
        case code
        /// An amount in 万元.
        case money
        /// A decimal that is not money (an indicator value, a quantity).
        case number
        /// A whole number.
        case integer
    }

    /// The column name queries use.
    public let name: String
    /// Its Chinese name.
    public let title: String
    /// Further names queries accept.
    public let otherNames: [String]
    /// The value type.
    public let kind: Kind
    /// What the column holds.
    public let doc: String
}

/// How a field declaration says it is shown in queries.
package enum QueryDeclaration: Sendable {
    /// Not a column of the query catalog.
    case hidden
    /// A column; each `nil` takes the field's own name, title, kind (from its type and unit) or summary.
    case shown(name: String?, title: String?, other: [String], kind: QueryColumn.Kind?, doc: String?)

    /// A column under the field's own names, described by its summary.
    package static var same: QueryDeclaration { .shown(name: nil, title: nil, other: [], kind: nil, doc: nil) }

    /// A column with some of the field's names, kind or description replaced.
    package static func column(
        _ name: String? = nil, _ title: String? = nil, other: [String] = [], kind: QueryColumn.Kind? = nil,
        doc: String? = nil
    ) -> QueryDeclaration {
        .shown(name: name, title: title, other: other, kind: kind, doc: doc)
    }
}

/// One table (one CSV resource) of a dataset.
public struct TableSchema: Sendable {
    /// The resource name, also the CSV file's base name.
    public let name: String
    /// The Chinese title.
    public let title: String
    /// What one row is.
    public let summary: String
    /// The columns, in header order.
    public let fields: [FieldSchema]
    /// The CSV file name.
    public var file: String { name + ".csv" }

    init(heading: TableHeading, fields: [FieldSchema]) {
        name = heading.name
        title = heading.title
        summary = heading.summary
        self.fields = fields
    }

    /// The field named `name`, if any.
    public func field(_ name: String) -> FieldSchema? { fields.first { $0.name == name } }
}

/// The dataset format: the list of tables every department folder holds.
public enum DatasetSchema {
    /// The format version written into `datapackage.json`.
    /// Files a dataset may describe beside its tables that the loader does not read: `provenance.csv`,
    /// written by `bql import` (where each figure was printed: page, line, printed text, unit).
    public static let sidecarFiles: Set<String> = ["provenance.csv"]

    public static let version = "1"

    /// Income sources a budget can list.
    public static let incomeSources = [
        "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
        "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转",
    ]
    /// Funds spending can come from.
    public static let funds = ["一般公共预算", "政府性基金", "国有资本经营"]
    /// Indicator operators.
    public static let operators = ["=", "≥", "≤", ">", "<", "定性"]
    /// How a row's values were obtained (the `origin` field): `printed` (every value read where the
    /// document prints it), `inferred` (a value's column, level or code was decided by the
    /// transcriber because the document's layout does not show it; the dataset's notes say how),
    /// `derived` (computed from other printed figures). A blank cell means `printed`.
    public static let origins = ["printed", "inferred", "derived"]

    /// The unit of amounts.
    static let money = "万元"

    /// Every table, in load order: the tables of ``Budget/visitTables(_:)``, each with the fields
    /// its row type declares.
    public static var tables: [TableSchema] { Budget.tableSchemas }

    /// The table named `name`.
    public static func table(_ name: String) -> TableSchema? { tables.first { $0.name == name } }

    /// The `datapackage.json` descriptor for a dataset, as pretty-printed JSON with sorted keys.
    public static func dataPackageJSON(id: String, title: String) -> String {
        var resources: [[String: Any]] = []
        for table in tables {
            var fields: [[String: Any]] = []
            for f in table.fields {
                var d: [String: Any] = [
                    "name": f.name, "title": f.title, "type": f.type.rawValue, "description": f.summary,
                ]
                if f.required { d["constraints"] = ["required": true] }
                if let allowed = f.allowed {
                    var c = (d["constraints"] as? [String: Any]) ?? [:]
                    c["enum"] = allowed
                    d["constraints"] = c
                }
                if let u = f.unit { d["unit"] = u }
                if let t = f.fdpType { d["columnType"] = t }
                if f.type == .decimal { d["bareNumber"] = true }
                fields.append(d)
            }
            resources.append([
                "name": table.name, "path": table.file, "title": table.title, "description": table.summary,
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": ["fields": fields],
            ])
        }
        let package: [String: Any] = [
            "name": id, "title": title, "profile": "tabular-data-package",
            "bql:format": version, "resources": resources,
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text + "\n"
    }
}
