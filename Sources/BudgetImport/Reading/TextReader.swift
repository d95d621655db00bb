// TextReader: a budget converted to text (from a PDF or a word processor) as lines of cells.
// Tab-separated rows keep their cell positions; a word processor's one-cell-per-line rows
// (cells on tab-led lines, rows between blank lines) are put back together; lines without tabs
// are words in reading order, whose columns the table stage will not guess.

import Foundation

/// Reads converted text documents.
enum TextReader {
    /// The width of one cell column in the coordinates given to text cells.
    static let cellWidth = 10.0

    /// Decodes `data` as UTF-8, else GB 18030; `nil` for binary data.
    static func decode(_ data: Data) -> String? {
        if data.contains(0) { return nil }
        if let s = String(data: data, encoding: .utf8) { return s }
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        return String(data: data, encoding: gb18030)
    }

    /// The document in `text`.
    static func document(_ text: String, file: String) -> SourceDocument {
        let raw = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let tabbed = raw.filter { $0.contains("\t") }.count
        var lines: [Line] = []
        var i = 0
        while i < raw.count {
            // A run of one-cell lines led by a tab, up to a blank line: one row of cells.
            if isLoneCell(raw[i]) {
                var j = i
                var cells: [String] = []
                while j < raw.count, isLoneCell(raw[j]) {
                    cells.append(String(raw[j].dropFirst()))
                    j += 1
                }
                if cells.count >= 2 {
                    lines.append(cellLine(cells, number: i + 1))
                    i = j
                    continue
                }
            }
            let line = raw[i]
            if line.contains("\t") {
                lines.append(
                    cellLine(
                        line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
                        number: i + 1))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(wordLine(line, number: i + 1))
            }
            i += 1
        }
        let kind: DocumentKind = tabbed >= 20 ? .cells : .plain
        return SourceDocument(file: file, kind: kind, lines: lines.filter { !$0.words.isEmpty }, pageCount: 1)
    }

    private static func isLoneCell(_ line: String) -> Bool {
        line.hasPrefix("\t") && line.dropFirst().firstIndex(of: "\t") == nil
    }

    /// A row of cells: cell `i` spans columns `i`…`i + 1`.
    static func cellLine(_ cells: [String], number: Int) -> Line {
        var words: [Word] = []
        let y = Double(number) * cellWidth
        for (i, cell) in cells.enumerated() {
            let t = cell.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            let x = Double(i) * cellWidth
            words.append(Word(text: t, page: 1, x0: x + 1, x1: x + cellWidth - 1, y0: y, y1: y + cellWidth * 0.8))
        }
        return Line(page: 1, number: number, words: words, cellCount: cells.count)
    }

    /// A line without cells: its words, placed by their character offset (CJK counts two).
    static func wordLine(_ line: String, number: Int) -> Line {
        var words: [Word] = []
        var offset = 0.0
        var current = ""
        var start = 0.0
        let y = Double(number) * cellWidth
        func flush() {
            if !current.isEmpty {
                words.append(Word(text: current, page: 1, x0: start, x1: offset, y0: y, y1: y + cellWidth * 0.8))
            }
            current = ""
        }
        for ch in line {
            let w: Double = ch.unicodeScalars.first.map { $0.value >= 0x1100 ? 2 : 1 } ?? 1
            if ch == " " || ch == "\u{3000}" {
                flush()
            } else {
                if current.isEmpty { start = offset }
                current.append(ch)
            }
            offset += w
        }
        flush()
        return Line(page: 1, number: number, words: words)
    }
}
