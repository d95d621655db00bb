// Text: the importer's view of a document after reading — words with their page and box, and
// lines of words. PDF words come with poppler's coordinates; the cells of a converted text get
// coordinates from their column position, so one layout stage serves both.

/// Where a document came from and how its coordinates can be trusted.
public enum DocumentKind: String, Sendable {
    /// A PDF's text layer: every word has its box on the page.
    case pdf
    /// Converted text with tab-separated (or one-per-line) cells: the cell index is the column.
    case cells
    /// Converted text without cell separators: words in reading order, columns unknown.
    case plain
}

/// A word of text at its place: one word of a PDF's text layer, or one cell of a converted text.
struct Word: Sendable, Hashable {
    /// The text, as printed.
    var text: String
    /// The page (1-based; 1 for text documents).
    var page: Int
    /// Left, right, top and bottom edges (points for a PDF; column units for cells).
    var x0: Double
    var x1: Double
    var y0: Double
    var y1: Double

    var center: Double { (x0 + x1) / 2 }
    var middle: Double { (y0 + y1) / 2 }
    var height: Double { y1 - y0 }
    var width: Double { x1 - x0 }
}

/// One line of a document: the words that share a baseline, left to right.
struct Line: Sendable {
    /// The page (1-based).
    var page: Int
    /// The line's number: on its page for a PDF (1-based, top to bottom), in the file for text.
    var number: Int
    /// The words, sorted by their left edge.
    var words: [Word]
    /// For a row of cells: how many cells it has, empty ones included (0 for a PDF line).
    var cellCount = 0

    var top: Double { words.map(\.y0).min() ?? 0 }
    var bottom: Double { words.map(\.y1).max() ?? 0 }
    var middle: Double { (top + bottom) / 2 }
    /// The typical word height (the median), a proxy for the font size.
    var height: Double {
        let h = words.map(\.height).sorted()
        return h.isEmpty ? 0 : h[h.count / 2]
    }
    /// The words joined by single spaces.
    var text: String { words.map(\.text).joined(separator: " ") }
    /// The text with every whitespace removed (how titles and labels are compared).
    var compact: String { TextNormal.compact(text) }
}

/// A document's lines, in reading order.
struct SourceDocument: Sendable {
    /// The file name shown in reports and provenance.
    var file: String
    /// How the text was obtained.
    var kind: DocumentKind
    /// Every line, page by page, top to bottom.
    var lines: [Line]
    /// The number of pages (1 for text).
    var pageCount: Int
}

/// Text normalisation shared by every stage.
enum TextNormal {
    /// `text` without any whitespace (Chinese labels are letter-spaced at will: 「合 计」).
    static func compact(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{3000}" }.map(Character.init))
    }

    /// Full-width ASCII letters, digits and punctuation folded to half-width, 「（」 to 「(」 etc.
    static func halfWidth(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.value >= 0xFF01 && s.value <= 0xFF5E, let h = Unicode.Scalar(s.value - 0xFEE0) {
                out.append(h)
            } else if s == "\u{3000}" {
                out.append(" ")
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// A cell's text with the line breaks of a wrapped cell (a space between two ideographs)
    /// removed — 「鞍山市医疗保 障局本级」 → 「鞍山市医疗保障局本级」 — unless the whole text is
    /// letter-spaced (「收 入 总 计」), which is kept as printed.
    static func unwrapped(_ text: String) -> String {
        let chars = Array(text)
        func isIdeograph(_ c: Character) -> Bool {
            c.unicodeScalars.first.map { (0x3400...0x9FFF).contains($0.value) || "（）：、()".contains(c) } ?? false
        }
        var breaks: [Int] = []
        for i in chars.indices.dropFirst().dropLast() where chars[i] == " " {
            if isIdeograph(chars[i - 1]) && isIdeograph(chars[i + 1]) { breaks.append(i) }
        }
        guard !breaks.isEmpty else { return text }
        let ideographs = chars.filter(isIdeograph).count
        if breaks.count * 2 >= ideographs - 1 { return text }
        var out = ""
        for (i, c) in chars.enumerated() where !breaks.contains(i) { out.append(c) }
        return out
    }

    /// The text folded for matching: compact, half-width, quotes dropped.
    static func key(_ text: String) -> String {
        let folded = halfWidth(compact(text))
        return String(folded.filter { !"“”\"'‘’「」《》".contains($0) })
    }
}
