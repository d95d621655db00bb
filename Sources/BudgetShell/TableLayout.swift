// TableLayout: the box table for people, fitted to a screen by display width (CJK = 2 columns).
// Numbers, codes and true/false are never cut; text columns shrink first, ending in `…` (or
// wrap within their cells with `--wrap N`); when even that cannot fit, each row is shown as a
// record, one field per line (psql's `\x auto`). Without a screen width nothing is cut.

import BudgetQL

/// How a table that is wider than the screen is shown.
enum TableLayout {
    /// The narrowest a text column is cut or wrapped to before the table gives way to records.
    static let minimumTextWidth = 10

    /// One cell: its lines (one unless wrapped) and whether it shows a null.
    struct Cell {
        var text: String
        var isNull: Bool
    }

    /// Renders `cells` (already formatted for display) under `columns`.
    static func render(
        columns: [ResultColumn], cells: [[Cell]], totalRows: Int, options o: FormatOptions, headers: [String]
    ) -> String {
        let right = columns.map { $0.type.isNumeric }
        // Free text may be cut or wrapped; numbers, codes, booleans and nulls never are.
        let flexible = columns.map { $0.type == .text || $0.type == .reference }
        let wrap = o.wrap.flatMap { $0 > 0 ? $0 : nil }
        let flat = cells.map { row in
            row.map { Cell(text: wrap == nil ? oneLine($0.text) : $0.text, isNull: $0.isNull) }
        }
        let headerTexts = headers.map(oneLine)
        var natural = columns.indices.map { c in
            max(o.headers ? DisplayWidth.of(headerTexts[c]) : 0, flat.map { longestLine($0[c].text) }.max() ?? 0)
        }
        if let wrap {
            for c in columns.indices where flexible[c] { natural[c] = min(natural[c], max(wrap, 1)) }
        }
        var widths = natural
        let overhead = 3 * columns.count + 1
        if let screen = o.width, widths.reduce(0, +) + overhead > screen {
            // Shrink the widest text column one column at a time, so they end up balanced.
            let floor = natural.indices.map { flexible[$0] ? min(natural[$0], minimumTextWidth) : natural[$0] }
            while widths.reduce(0, +) + overhead > screen,
                let widest = widths.indices.filter({ widths[$0] > floor[$0] }).max(by: { widths[$0] < widths[$1] })
            {
                widths[widest] -= 1
            }
            if widths.reduce(0, +) + overhead > screen {
                return records(
                    columns: columns, cells: cells, totalRows: totalRows, options: o, headers: headers,
                    needed: floor.reduce(0, +) + overhead, screen: screen)
            }
        }
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        /// The lines of one table row: cells cut (or wrapped) to their widths, padded.
        func lines(_ row: [Cell], bold: Bool) -> String {
            let parts: [[String]] = row.indices.map { c in
                let text = row[c].text
                if wrap != nil && flexible[c] { return wrapped(text, widths[c]) }
                return [ResultFormatter.truncate(text, widths[c])]
            }
            let height = parts.map(\.count).max() ?? 1
            var out = ""
            for k in 0..<height {
                out += "│"
                for c in row.indices {
                    let piece = k < parts[c].count ? parts[c][k] : ""
                    var text = ResultFormatter.pad(piece, widths[c], right: right[c])
                    if bold { text = o.style.bold(text) } else if row[c].isNull { text = o.style.dim(text) }
                    out += " " + text + " │"
                }
                out += "\n"
            }
            return out
        }
        var out = rule("┌", "┬", "┐")
        if o.headers {
            out += lines(headerTexts.map { Cell(text: $0, isNull: false) }, bold: true)
            out += rule("├", "┼", "┤")
        }
        for row in flat { out += lines(row, bold: false) }
        out += rule("└", "┴", "┘")
        return out + footer(shown: cells.count, total: totalRows, options: o, note: nil)
    }

    /// Each row as a record: `─[ RECORD n ]`, then one `field │ value` line per field. Values
    /// are left-aligned and wrapped to the screen, never cut.
    static func records(
        columns: [ResultColumn], cells: [[Cell]], totalRows: Int, options o: FormatOptions, headers: [String],
        needed: Int?, screen: Int?
    ) -> String {
        let labels = headers.map(oneLine)
        let labelWidth = labels.map { DisplayWidth.of($0) }.max() ?? 0
        let valueWidth = screen.map { max(1, $0 - labelWidth - 3) }
        let longest = cells.flatMap { $0.map { longestLine($0.text) } }.max() ?? 0
        let span = labelWidth + 3 + min(longest, valueWidth ?? longest)
        var out = ""
        for (i, row) in cells.enumerated() {
            let title = "─[ RECORD \(i + 1) ]"
            out += o.style.dim(title + String(repeating: "─", count: max(0, span - DisplayWidth.of(title)))) + "\n"
            for c in row.indices {
                let label = o.style.bold(ResultFormatter.pad(labels[c], labelWidth, right: false))
                let pieces =
                    valueWidth.map { wrapped(row[c].text, $0) }
                    ?? row[c].text.split(
                        separator: "\n", omittingEmptySubsequences: false
                    ).map(String.init)
                for (k, piece) in pieces.enumerated() {
                    let text = row[c].isNull ? o.style.dim(piece) : piece
                    out += (k == 0 ? label : String(repeating: " ", count: labelWidth)) + " │ " + text + "\n"
                }
            }
        }
        var note = needed.map { n in
            "shown as records: a table needs \(n) columns" + (screen.map { ", the screen has \($0)" } ?? "")
        }
        // On a narrow screen, the short form.
        if let screen, let long = note,
            DisplayWidth.of(footer(shown: cells.count, total: totalRows, options: .init(), note: long)) > screen + 1
        {
            note = "as records"
        }
        return out + footer(shown: cells.count, total: totalRows, options: o, note: note)
    }

    static func footer(shown: Int, total: Int, options o: FormatOptions, note: String?) -> String {
        var footer = "\(total) row\(total == 1 ? "" : "s")"
        var notes: [String] = []
        if shown < total { notes.append("\(shown) shown; .maxrows to change, .last for all") }
        if let note { notes.append(note) }
        if !notes.isEmpty { footer += " (" + notes.joined(separator: "; ") + ")" }
        return o.style.dim(footer) + "\n"
    }

    /// Line breaks and tabs as spaces.
    static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r\n" || $0 == "\r" }) else { return s }
        return String(s.map { $0 == "\n" || $0 == "\t" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
    }

    /// The display width of the longest line of `s`.
    static func longestLine(_ s: String) -> Int {
        guard s.contains(where: { $0 == "\n" || $0 == "\r\n" }) else { return DisplayWidth.of(s) }
        return s.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { DisplayWidth.of($0) }.max() ?? 0
    }

    /// `s` broken into lines of at most `width` display columns (at its own line breaks too),
    /// between graphemes; nothing is dropped.
    static func wrapped(_ s: String, _ width: Int) -> [String] {
        var lines: [String] = []
        for part in s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = ""
            var used = 0
            for ch in part {
                let ch: Character = ch == "\t" ? " " : ch
                let w = DisplayWidth.of(ch)
                if used + w > width && !line.isEmpty {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                line.append(ch)
                used += w
            }
            lines.append(line)
        }
        return lines.isEmpty ? [""] : lines
    }
}
