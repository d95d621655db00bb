// SQLExport: writes every catalog table as SQL tables (a SQLite script) or as CSV files, under
// BudgetQL's table and field names, so that `SQLTranslator`'s SQL runs over them.
//
// Layout of an exported table (the same in SQLite, CSV and DuckDB):
// - `_row`: the row's 0-based position in BudgetQL's table (BudgetQL's row order).
// - text and code fields: TEXT, exactly as BudgetQL holds them.
// - whole numbers: INTEGER. true/false: BOOLEAN (SQLite stores 1/0; CSV writes true/false).
// - a reference field such as `dept` or `indicators.project`: the label BudgetQL shows (TEXT)
//   and `<field>_row`, the `_row` of the row it refers to (`dept_row` → departments._row,
//   `indicators.project_row` → items._row).
// - money and other decimals: three columns. `amount` is TEXT holding the exact decimal as
//   BudgetQL's CSV prints it ("2220.40"); `amount_m` (INTEGER) and `amount_s` (INTEGER) are its
//   mantissa and scale, `amount = amount_m × 10^-amount_s` (222040 and 2). Exact arithmetic is
//   done on the integers; no value passes through binary floating point. DuckDB and Spark load
//   `amount` as DECIMAL(38, s) (s: the column's most decimals), so `sum(amount)` works there.
// - `projects.item_row`: the same project's `_row` in `items` (indicators refer to items).
// A table `_fields` describes every column.

import BudgetModel
import BudgetQL
import Foundation

/// How a catalog field is stored in exported tables.
public enum SQLStorage: Sendable, Hashable {
    /// One TEXT column.
    case text
    /// One INTEGER column.
    case integer
    /// One BOOLEAN column.
    case bool
    /// TEXT (exact), `<name>_m` INTEGER mantissa and `<name>_s` INTEGER scale.
    case decimal
    /// TEXT label and `<name>_row` INTEGER row of the target table.
    case reference(target: String)

    /// The storage of a field of `type`.
    public init(_ field: Field) {
        switch field.type {
        case .text, .code, .null: self = .text
        case .integer: self = .integer
        case .bool: self = .bool
        case .decimal, .money, .percent: self = .decimal
        case .reference: self = .reference(target: field.target ?? "")
        }
    }
}

/// One column of an exported table.
public struct SQLExportColumn: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// `TEXT`, `INTEGER` or `BOOLEAN`.
    public var sqlType: String
    /// The BudgetQL field it comes from (nil for `_row` and `item_row`).
    public var field: String?
    /// What it holds.
    public var doc: String
}

/// Writes a catalog as SQL tables or CSV files. See the file comment for the layout.
public struct SQLExport: Sendable {
    /// The catalog exported.
    public let catalog: Catalog

    /// Creates an exporter over `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// The exact text of a value, as BudgetQL's CSV prints it: decimals with their own scale
    /// (more than 10 significant decimals are rounded to 10), booleans `true`/`false`, null nil.
    public static func exactText(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal(let d): return d.normalized.scale > 10 ? d.formatted(places: 10, grouping: false) : d.description
        case .text(let s): return s
        }
    }

    /// The columns of `table` in export order.
    public func columns(of table: Table) -> [SQLExportColumn] {
        var out = [
            SQLExportColumn(
                name: "_row", sqlType: "INTEGER", field: nil, doc: "Row number in BudgetQL's order, from 0.")
        ]
        for f in table.fields {
            switch SQLStorage(f) {
            case .text: out.append(SQLExportColumn(name: f.name, sqlType: "TEXT", field: f.name, doc: f.doc))
            case .integer: out.append(SQLExportColumn(name: f.name, sqlType: "INTEGER", field: f.name, doc: f.doc))
            case .bool: out.append(SQLExportColumn(name: f.name, sqlType: "BOOLEAN", field: f.name, doc: f.doc))
            case .decimal:
                out.append(
                    SQLExportColumn(name: f.name, sqlType: "TEXT", field: f.name, doc: f.doc + " Exact decimal text."))
                out.append(
                    SQLExportColumn(
                        name: f.name + "_m", sqlType: "INTEGER", field: f.name,
                        doc: "Mantissa of \(f.name): \(f.name) = \(f.name)_m × 10^-\(f.name)_s."))
                out.append(
                    SQLExportColumn(
                        name: f.name + "_s", sqlType: "INTEGER", field: f.name,
                        doc: "Scale (decimal places) of \(f.name)."))
            case .reference(let target):
                out.append(
                    SQLExportColumn(
                        name: f.name, sqlType: "TEXT", field: f.name, doc: f.doc + " (the name BudgetQL shows)"))
                out.append(
                    SQLExportColumn(
                        name: f.name + "_row", sqlType: "INTEGER", field: f.name,
                        doc: "The \(target)._row that \(f.name) refers to."))
            }
        }
        if table.name == "projects" {
            out.append(
                SQLExportColumn(name: "item_row", sqlType: "INTEGER", field: nil, doc: "The same project's items._row.")
            )
        }
        return out
    }

    /// For `projects`: each row's row in `items` (matched by department and project id).
    public func projectItemRows() -> [Int?] {
        guard let projects = catalog.table("projects"), let items = catalog.table("items"),
            let pd = projects.fieldIndex("dept"), let pi = projects.fieldIndex("id"),
            let id = items.fieldIndex("dept"), let ii = items.fieldIndex("id")
        else { return [] }
        var index: [String: Int] = [:]
        var duplicate = Set<String>()
        for r in 0..<items.count {
            let key = "\(items.references[id]?[r].map(String.init) ?? "-")|\(items.columns[ii][r].text ?? "")"
            if index[key] != nil { duplicate.insert(key) }
            index[key] = r
        }
        return (0..<projects.count).map { r in
            let key = "\(projects.references[pd]?[r].map(String.init) ?? "-")|\(projects.columns[pi][r].text ?? "")"
            return duplicate.contains(key) ? nil : index[key]
        }
    }

    /// The stored values of row `r` of `table`, one per column of `columns(of:)`: nil is NULL.
    /// Booleans are `true`/`false`, numbers decimal digits, text as is.
    public func values(of table: Table, row r: Int, itemRows: [Int?]) -> [String?] {
        var out: [String?] = [String(r)]
        for (fi, f) in table.fields.enumerated() {
            let v = table.columns[fi][r]
            switch SQLStorage(f) {
            case .text, .integer, .bool:
                out.append(SQLExport.exactText(v))
            case .decimal:
                if let d = v.decimal {
                    out.append(SQLExport.exactText(v))
                    out.append(String(d.mantissa))
                    out.append(String(d.scale))
                } else {
                    out += [nil, nil, nil]
                }
            case .reference:
                out.append(SQLExport.exactText(v))
                out.append(table.references[fi]?[r].map(String.init))
            }
        }
        if table.name == "projects" { out.append(r < itemRows.count ? itemRows[r].map(String.init) : nil) }
        return out
    }

    /// A SQL string literal.
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// An identifier, quoted.
    static func ident(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A SQLite script that creates and fills every table (run it with `sqlite3 FILE < script`).
    public func sqliteScript() -> String {
        var out =
            "-- BudgetQL catalog export: \(catalog.tables.count) tables. Decimals: TEXT exact, _m mantissa, _s scale.\n"
        out += "PRAGMA journal_mode = OFF;\nBEGIN;\n"
        let itemRows = projectItemRows()
        for t in catalog.tables {
            let cols = columns(of: t)
            out += "CREATE TABLE \(SQLExport.ident(t.name)) (\n"
            out += cols.map { "  \(SQLExport.ident($0.name)) \($0.sqlType)\($0.name == "_row" ? " PRIMARY KEY" : "")" }
                .joined(separator: ",\n")
            out += "\n);\n"
            let types = cols.map(\.sqlType)
            var r = 0
            while r < t.count {
                let end = min(t.count, r + 200)
                out += "INSERT INTO \(SQLExport.ident(t.name)) VALUES\n"
                out +=
                    (r..<end).map { row in
                        "("
                            + zip(values(of: t, row: row, itemRows: itemRows), types).map { v, type in
                                guard let v else { return "NULL" }
                                switch type {
                                case "INTEGER": return v
                                case "BOOLEAN": return v == "true" ? "1" : "0"
                                default: return SQLExport.literal(v)
                                }
                            }.joined(separator: ",") + ")"
                    }.joined(separator: ",\n") + ";\n"
                r = end
            }
        }
        out +=
            "CREATE TABLE \"_fields\" (\"table\" TEXT, \"column\" TEXT, \"type\" TEXT, \"field\" TEXT, \"alias\" TEXT, \"budgetql_type\" TEXT, \"doc\" TEXT);\n"
        out +=
            "INSERT INTO \"_fields\" VALUES\n"
            + fieldRows().map { "(" + $0.map { $0.map(SQLExport.literal) ?? "NULL" }.joined(separator: ",") + ")" }
            .joined(separator: ",\n") + ";\n"
        out += "COMMIT;\n"
        return out
    }

    /// Rows of the `_fields` table: table, column, SQL type, BudgetQL field, Chinese name, BudgetQL type, doc.
    func fieldRows() -> [[String?]] {
        var rows: [[String?]] = []
        for t in catalog.tables {
            for c in columns(of: t) {
                let f = c.field.flatMap { t.fieldIndex($0) }.map { t.fields[$0] }
                rows.append([
                    t.name, c.name, c.sqlType, c.field, c.name == c.field ? f?.alias : nil,
                    c.name == c.field ? f?.type.rawValue : nil, c.doc,
                ])
            }
        }
        return rows
    }

    /// One CSV file per table (`NAME.csv`, RFC 4180, header row, exact values; NULL is an empty
    /// field, an empty string a quoted `""`), plus `_fields.csv`.
    public func csvFiles() -> [(name: String, contents: String)] {
        func line(_ fields: [String?]) -> String {
            fields.map { v -> String in
                guard let v else { return "" }
                if v.isEmpty { return "\"\"" }
                // By scalar, so "\r\n" (one Character in Swift) is quoted too.
                if v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                    return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return v
            }.joined(separator: ",") + "\r\n"
        }
        let itemRows = projectItemRows()
        var files: [(String, String)] = []
        for t in catalog.tables {
            var text = line(columns(of: t).map(\.name))
            for r in 0..<t.count { text += line(values(of: t, row: r, itemRows: itemRows)) }
            files.append((t.name + ".csv", text))
        }
        var fields = line(["table", "column", "type", "field", "alias", "budgetql_type", "doc"])
        for row in fieldRows() { fields += line(row) }
        files.append(("_fields.csv", fields))
        return files
    }

    /// A DuckDB script that loads the CSV files of `csvFiles()` from `directory` with their exact
    /// column types (codes such as "073001" stay text; money and other decimals are
    /// `DECIMAL(38, s)`, `s` the most decimals the column has, so `sum(amount)` is exact):
    /// `duckdb budget.duckdb < load_duckdb.sql`.
    public func duckdbLoadScript(directory: String) -> String {
        var out = "-- Load the BudgetQL CSV export into DuckDB with exact column types.\n"
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        for t in catalog.tables {
            let cols = columns(of: t).map {
                "\(SQLExport.literal($0.name)): \(SQLExport.literal(decimalType(t, $0) ?? ($0.sqlType == "INTEGER" ? "BIGINT" : $0.sqlType == "TEXT" ? "VARCHAR" : "BOOLEAN")))"
            }
            out +=
                "CREATE OR REPLACE TABLE \(SQLExport.ident(t.name)) AS SELECT * FROM read_csv(\(SQLExport.literal(dir + t.name + ".csv")), header = true, auto_detect = false, quote = '\"', escape = '\"', allow_quoted_nulls = false, columns = {\(cols.joined(separator: ", "))});\n"
        }
        return out
    }

    /// `DECIMAL(38, s)` for the exact-text column of a decimal field, `s` the most decimals its
    /// values have (2 at least for money); nil for every other column.
    public func decimalType(_ table: Table, _ column: SQLExportColumn) -> String? {
        guard let name = column.field, column.name == name, let f = table.fieldIndex(name),
            SQLStorage(table.fields[f]) == .decimal
        else { return nil }
        var scale = table.fields[f].type == .money ? 2 : 0
        for r in 0..<table.count {
            if case .decimal(let d) = table.columns[f][r] {
                scale = max(scale, Int(d.normalized.scale > 10 ? 10 : d.scale))
            }
        }
        return "DECIMAL(38, \(min(scale, 38)))"
    }

    /// A Spark SQL schema (DDL string) for each table's CSV file, `_fields` last, for
    /// `spark.read.csv(path, header=True, schema=…)`: BIGINT, STRING, BOOLEAN, and each decimal's
    /// exact text as `DECIMAL(38, s)` (never DOUBLE).
    public func sparkSchemas() -> [(table: String, schema: String)] {
        func ident(_ s: String) -> String { "`" + s.replacingOccurrences(of: "`", with: "``") + "`" }
        var out = catalog.tables.map { t in
            (
                t.name,
                columns(of: t).map {
                    "\(ident($0.name)) \(decimalType(t, $0) ?? ($0.sqlType == "INTEGER" ? "BIGINT" : $0.sqlType == "TEXT" ? "STRING" : "BOOLEAN"))"
                }.joined(separator: ", ")
            )
        }
        out.append(
            (
                "_fields",
                ["table", "column", "type", "field", "alias", "budgetql_type", "doc"].map { "\(ident($0)) STRING" }
                    .joined(separator: ", ")
            ))
        return out
    }

    /// A Python string literal.
    static func python(_ s: String) -> String {
        "'"
            + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            .replacingOccurrences(of: "\n", with: "\\n") + "'"
    }

    /// A PySpark script that registers each CSV file of `csvFiles()` in `directory` as a
    /// temporary view with its exact schema (`sparkSchemas()`), and turns on
    /// `spark.sql.ansi.enabled`, which `--dialect spark` SQL assumes (an overflow then stops
    /// the query, as it stops BudgetQL, instead of wrapping around). Run it in `pyspark` with
    /// `exec(open('DIR/load_spark.py').read())`, or import it from a script that made a
    /// SparkSession named `spark` (it makes a local one when there is none).
    public func sparkLoadScript(directory: String) -> String {
        var out = """
            # Load the BudgetQL CSV export into Spark SQL as temporary views with exact column types
            # (money and other decimals DECIMAL(38, s); codes such as "073001" stay text).
            # In pyspark: exec(open('load_spark.py').read()); then spark.sql(open('q.sql').read()).show()
            import os
            try:
                spark
            except NameError:
                from pyspark.sql import SparkSession
                spark = SparkSession.builder.appName('budgetql').getOrCreate()
            # bql sql --dialect spark assumes ANSI mode: an overflow stops the query instead of wrapping.
            spark.conf.set('spark.sql.ansi.enabled', 'true')
            _bql_dir = \(SQLExport.python(directory))
            if not os.path.isdir(_bql_dir) and '__file__' in globals():
                _bql_dir = os.path.dirname(os.path.abspath(__file__))
            for _bql_table, _bql_schema in [

            """
        for (table, schema) in sparkSchemas() {
            out += "    (\(SQLExport.python(table)), \(SQLExport.python(schema))),\n"
        }
        out += """
            ]:
                # RFC 4180: "" inside quotes is a quote; an empty field is NULL, a quoted "" an empty
                # text (Spark reads both as its nullValue unless that is a text no field holds).
                spark.read.csv(
                    os.path.join(_bql_dir, _bql_table + '.csv'), schema=_bql_schema, header=True,
                    multiLine=True, quote='"', escape='"', nullValue='\\u0000', emptyValue='',
                    mode='FAILFAST', encoding='UTF-8').createOrReplaceTempView(_bql_table)

            """
        return out
    }
}
