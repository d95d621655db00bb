// ResultFormatter: the output layer — renders a typed QueryResult as an aligned table (by
// terminal display width, CJK = 2 columns), CSV, JSON, JSON Lines, Markdown or line mode.
// Table mode formats money with thousands separators and 2 decimals; CSV and JSON are exact.

import BudgetModel
import BudgetQL
import Foundation

/// An output format.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// An aligned box table for people.
    case table
    /// RFC 4180 CSV with a header row, exact values.
    case csv
    /// A JSON array of objects, exact values.
    case json
    /// One JSON object per line.
    case jsonl
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// One `column = value` line per field, records separated by blank lines.
    case line
}

/// Options for rendering.
public struct FormatOptions: Sendable {
    /// Screen width to fit table output into; `nil` for no truncation (pipes and files).
    public var width: Int?
    /// The most rows table output shows; `nil` for all.
    public var maxRows: Int?
    /// Colour.
    public var style: TextStyle
    /// Table mode: wrap text cells at this many display columns instead of cutting them
    /// (`.mode table --wrap N`); `nil` or 0 cuts text to fit the screen.
    public var wrap: Int?
    /// Whether table and CSV output have a header row (`.headers on|off`).
    public var headers: Bool
    /// How a null is shown (`.nullvalue TEXT`); `nil` for each format's own: `NULL` in tables
    /// and line mode, empty in CSV and Markdown. JSON always writes `null`.
    public var nullValue: String?
    /// The unit amounts (money) are shown in (`.units`).
    public var units: MoneyUnit

    /// Creates options.
    public init(
        width: Int? = nil, maxRows: Int? = nil, style: TextStyle = .plain, wrap: Int? = nil, headers: Bool = true,
        nullValue: String? = nil, units: MoneyUnit = .wanYuan
    ) {
        self.width = width
        self.maxRows = maxRows
        self.style = style
        self.wrap = wrap
        self.headers = headers
        self.nullValue = nullValue
        self.units = units
    }
}

/// Renders results.
public enum ResultFormatter {
    /// Renders `result` in `format`. JSON is an array of row objects; JSON Lines one object per
    /// row (the shell frames results of a run as one document: see `OutputDocument`).
    public static func render(_ result: QueryResult, as format: OutputFormat, options: FormatOptions = FormatOptions())
        -> String
    {
        switch format {
        case .table: return table(result, options)
        case .csv: return csv(result, options)
        case .json: return json(result, lines: false, options)
        case .jsonl: return json(result, lines: true, options)
        case .markdown: return markdown(result, options)
        case .line: return lineMode(result, options)
        }
    }

    /// A value as people read it: money `1,761.18`, percent `12.34%`, null empty or `NULL`.
    public static func display(_ v: Value, _ type: ValueType, null: String = "NULL") -> String {
        display(v, type, null: null, units: .wanYuan)
    }

    /// A value as people read it, amounts in `units`.
    static func display(_ v: Value, _ type: ValueType, null: String, units: MoneyUnit) -> String {
        if type == .money, case .decimal(let d) = v { return units.display(d) }
        switch v {
        case .null: return null
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .text(let s): return s
        case .decimal(let d):
            switch type {
            case .money: return d.formatted(places: 2, grouping: true)
            case .percent: return d.formatted(places: 2, grouping: false) + "%"
            default:
                // Long fractions from division are shown to 4 places; exact values elsewhere.
                return d.normalized.scale > 4 ? d.formatted(places: 4, grouping: false) : d.description
            }
        }
    }

    /// A value exactly, for programs: decimals as written, null as empty.
    public static func exact(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal(let d): return d.normalized.scale > 10 ? d.formatted(places: 10, grouping: false) : d.description
        case .text(let s): return s
        }
    }

    /// A value exactly, amounts in `units` (`auto`: 万元).
    static func exact(_ v: Value, _ type: ValueType, units: MoneyUnit) -> String {
        if type == .money, case .decimal(let d) = v { return units.exact(d) }
        return exact(v)
    }

    /// The column headers, money naming its unit when it is not 万元: `amount (元)`.
    static func headers(_ r: QueryResult, _ o: FormatOptions) -> [String] {
        r.columns.map { $0.type == .money ? o.units.header($0.name) : $0.name }
    }

    static func csv(_ r: QueryResult, _ o: FormatOptions) -> String {
        var out = o.headers ? headers(r, o).map { CSVReader.escape($0) }.joined(separator: ",") + "\n" : ""
        let null = o.nullValue ?? ""
        for row in r.rows {
            let line = zip(r.columns, row).map { c, v in
                CSVReader.escape(v.isNull ? null : exact(v, c.type, units: o.units))
            }.joined(separator: ",")
            // An empty line separates results: a row that would be one is written `""`.
            out += (line.isEmpty ? "\"\"" : line) + "\n"
        }
        return out
    }

    static func jsonString(_ s: String) -> String { JSONText.quoted(s) }

    static func jsonValue(_ v: Value, _ type: ValueType = .null, units: MoneyUnit = .wanYuan) -> String {
        if type == .money, case .decimal(let d) = v { return units.exact(d) }
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal: return exact(v)
        case .text(let s): return jsonString(s)
        }
    }

    /// One row as a JSON object, its fields in column order.
    static func jsonObject(_ r: QueryResult, _ row: [Value], _ o: FormatOptions, prefix: String = "") -> String {
        "{" + prefix
            + zip(r.columns, row).map { jsonString($0.name) + ":" + jsonValue($1, $0.type, units: o.units) }.joined(
                separator: ",") + "}"
    }

    static func json(_ r: QueryResult, lines: Bool, _ o: FormatOptions) -> String {
        let objects = r.rows.map { jsonObject(r, $0, o) }
        if lines { return objects.map { $0 + "\n" }.joined() }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
    }

    static func markdown(_ r: QueryResult, _ o: FormatOptions) -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "| " + headers(r, o).map(cell).joined(separator: " | ") + " |\n"
        out += "|" + r.columns.map { $0.type.isNumeric ? " ---: |" : " --- |" }.joined() + "\n"
        for row in r.rows {
            out +=
                "| "
                + zip(r.columns, row).map { cell(display($1, $0.type, null: o.nullValue ?? "", units: o.units)) }
                .joined(separator: " | ")
                + " |\n"
        }
        return out
    }

    static func lineMode(_ r: QueryResult, _ o: FormatOptions) -> String {
        let names = headers(r, o)
        let w = names.map { DisplayWidth.of($0) }.max() ?? 0
        return r.rows.map { row in
            zip(zip(r.columns, names), row).map { c, v in
                String(repeating: " ", count: w - DisplayWidth.of(c.1)) + c.1 + " = "
                    + display(v, c.0.type, null: o.nullValue ?? "NULL", units: o.units)
            }.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    /// Pads `s` to `width` display columns, on the left for numbers.
    static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let gap = max(0, width - DisplayWidth.of(s))
        return right ? String(repeating: " ", count: gap) + s : s + String(repeating: " ", count: gap)
    }

    /// Cuts `s` to at most `width` display columns, ending in `…` when cut. Never splits a grapheme.
    public static func truncate(_ s: String, _ width: Int) -> String {
        let flat =
            s.contains("\n") || s.contains("\t")
            ? s.map { $0 == "\n" || $0 == "\t" || $0 == "\r\n" ? " " : String($0) }.joined() : s
        if DisplayWidth.of(flat) <= width { return flat }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for ch in flat {
            let w = DisplayWidth.of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    static func table(_ r: QueryResult, _ o: FormatOptions) -> String {
        let shown = o.maxRows.map { max(0, min($0, r.rows.count)) } ?? r.rows.count
        let null = o.nullValue ?? "NULL"
        // One cell per column, even for a hand-built result whose rows are short.
        let cells: [[TableLayout.Cell]] = r.rows.prefix(shown).map { row in
            r.columns.indices.map { c in
                guard c < row.count else { return TableLayout.Cell(text: "", isNull: false) }
                return TableLayout.Cell(
                    text: display(row[c], r.columns[c].type, null: null, units: o.units), isNull: row[c].isNull)
            }
        }
        return TableLayout.render(
            columns: r.columns, cells: cells, totalRows: r.rows.count, options: o, headers: headers(r, o))
    }
}
