// ResultFormatter: the output layer — renders a typed QueryResult as an aligned table (by
// terminal display width, CJK = 2 columns), CSV, JSON, JSON Lines, Markdown or line mode.
// Table mode formats money with thousands separators and 2 decimals; CSV and JSON are exact.

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
    /// Terminal width to fit table output into; `nil` for no truncation (pipes and files).
    public var width: Int?
    /// The most rows table output shows; `nil` for all.
    public var maxRows: Int?
    /// Colour.
    public var style: TextStyle

    /// Creates options.
    public init(width: Int? = nil, maxRows: Int? = nil, style: TextStyle = .plain) {
        self.width = width
        self.maxRows = maxRows
        self.style = style
    }
}

/// Renders results.
public enum ResultFormatter {
    /// Renders `result` in `format`.
    public static func render(_ result: QueryResult, as format: OutputFormat, options: FormatOptions = FormatOptions())
        -> String
    {
        switch format {
        case .table: return table(result, options)
        case .csv: return csv(result)
        case .json: return json(result, lines: false)
        case .jsonl: return json(result, lines: true)
        case .markdown: return markdown(result)
        case .line: return lineMode(result)
        }
    }

    /// A value as people read it: money `1,761.18`, percent `12.34%`, null empty or `NULL`.
    public static func display(_ v: Value, _ type: ValueType, null: String = "NULL") -> String {
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

    static func csv(_ r: QueryResult) -> String {
        var out = r.columns.map { CSVReader.escape($0.name) }.joined(separator: ",") + "\n"
        for row in r.rows { out += row.map { CSVReader.escape(exact($0)) }.joined(separator: ",") + "\n" }
        return out
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func jsonValue(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal: return exact(v)
        case .text(let s): return jsonString(s)
        }
    }

    static func json(_ r: QueryResult, lines: Bool) -> String {
        let objects = r.rows.map { row in
            "{" + zip(r.columns, row).map { jsonString($0.name) + ":" + jsonValue($1) }.joined(separator: ",") + "}"
        }
        if lines { return objects.map { $0 + "\n" }.joined() }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
    }

    static func markdown(_ r: QueryResult) -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "| " + r.columns.map { cell($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + r.columns.map { $0.type.isNumeric ? " ---: |" : " --- |" }.joined() + "\n"
        for row in r.rows {
            out +=
                "| " + zip(r.columns, row).map { cell(display($1, $0.type, null: "")) }.joined(separator: " | ")
                + " |\n"
        }
        return out
    }

    static func lineMode(_ r: QueryResult) -> String {
        let w = r.columns.map { DisplayWidth.of($0.name) }.max() ?? 0
        return r.rows.map { row in
            zip(r.columns, row).map { c, v in
                String(repeating: " ", count: w - DisplayWidth.of(c.name)) + c.name + " = " + display(v, c.type)
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
        let right = r.columns.map { $0.type.isNumeric }
        // One cell per column, even for a hand-built result whose rows are short.
        var cells: [[String]] = r.rows.prefix(shown).map { row in
            let texts = zip(r.columns, row).map { display($1, $0.type) }
            return texts + Array(repeating: "", count: r.columns.count - texts.count)
        }
        let headers = r.columns.map(\.name)
        // Multi-line text becomes one line.
        cells = cells.map { $0.map { $0.contains("\n") || $0.contains("\t") ? truncate($0, Int.max / 4) : $0 } }
        var widths = headers.indices.map { c in
            max(DisplayWidth.of(headers[c]), cells.map { DisplayWidth.of($0[c]) }.max() ?? 0)
        }
        if let total = o.width {
            // Shrink the widest columns until the table fits: "│ " + cells joined by " │ " + " │".
            let overhead = 3 * widths.count + 1
            while widths.reduce(0, +) + overhead > total,
                let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 6
            {
                widths[widest] -= 1
            }
        }
        func line(_ l: String, _ m: String, _ rr: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + rr + "\n"
        }
        var out = line("┌", "┬", "┐")
        out +=
            "│"
            + headers.indices.map {
                " " + o.style.bold(pad(truncate(headers[$0], widths[$0]), widths[$0], right: right[$0])) + " "
            }.joined(separator: "│") + "│\n"
        out += line("├", "┼", "┤")
        for row in cells {
            out +=
                "│"
                + row.indices.map { c -> String in
                    let text = pad(truncate(row[c], widths[c]), widths[c], right: right[c])
                    return " " + (row[c] == "NULL" ? o.style.dim(text) : text) + " "
                }.joined(separator: "│") + "│\n"
        }
        out += line("└", "┴", "┘")
        let n = r.rows.count
        var footer = "\(n) row\(n == 1 ? "" : "s")"
        if shown < n { footer += " (\(shown) shown; .maxrows to change)" }
        out += o.style.dim(footer) + "\n"
        return out
    }
}
