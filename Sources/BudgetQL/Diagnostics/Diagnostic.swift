// Diagnostic: renders an error against its source — `name:line:column: error: message`, the
// source line, and a caret underline placed by terminal display width (CJK = 2 columns), not by
// bytes. Line and column are computed here, at render time only. Query errors and the SQL
// backend's errors are both rendered here.

/// Terminal display width of text.
public enum DisplayWidth {
    /// Columns a scalar occupies: 0 for combining marks and zero-width characters, 2 for East
    /// Asian wide and fullwidth characters and emoji, else 1.
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0xFE00 && v <= 0xFE0F) || (v >= 0xE0100 && v <= 0xE01EF) { return 0 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0x303E) || (v >= 0x3041 && v <= 0x33FF)
            || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xA000 && v <= 0xA4CF)
            || (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F)
            || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1F64F)
            || (v >= 0x1F900 && v <= 0x1F9FF) || (v >= 0x20000 && v <= 0x3FFFD) || (v >= 0x1F680 && v <= 0x1F6FF)
            || (v >= 0x2600 && v <= 0x26FF && s.properties.isEmojiPresentation)
        {
            return 2
        }
        return 1
    }

    /// Columns a grapheme cluster occupies: an emoji sequence counts as 2, combining marks add nothing.
    public static func of(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count > 1 && scalars.contains(where: { $0.value == 0x200D || $0.value == 0xFE0F }) { return 2 }
        if first.value >= 0x1F1E6 && first.value <= 0x1F1FF { return 2 }
        return of(first)
    }

    /// Columns a string occupies.
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }
    /// Columns a substring occupies.
    public static func of(_ s: Substring) -> Int { s.reduce(0) { $0 + of($1) } }
}

/// An error placed in its source, ready to render.
public struct Diagnostic: Sendable {
    /// The query error, when the diagnostic is for one.
    public let error: QueryError?
    /// The message, without location.
    public let message: String
    /// 1-based line of the error's start.
    public let line: Int
    /// 1-based column, counted in characters.
    public let column: Int
    /// The source line's text.
    public let sourceLine: String
    /// Display-width offset of the caret within the line.
    public let caretOffset: Int
    /// Display width of the underline (at least 1).
    public let caretWidth: Int
    /// Further places the error concerns (where a dropped field was dropped), rendered as notes.
    public let notes: [Diagnostic]

    /// Places `error` in `source`.
    public init(_ error: QueryError, source: String, lineOffset: Int = 0) {
        self.init(error: error, message: error.message, range: error.range, source: source, lineOffset: lineOffset)
    }

    /// Places a warning in `source` (rendered with `render(name:severity: "warning")`).
    public init(_ warning: QueryWarning, source: String, lineOffset: Int = 0) {
        self.init(error: nil, message: warning.message, range: warning.range, source: source, lineOffset: lineOffset)
    }

    /// Places an error `message` about `range` in `source` (for errors that are not a `QueryError`).
    public init(message: String, range: SourceRange, source: String, lineOffset: Int = 0) {
        self.init(error: nil, message: message, range: range, source: source, lineOffset: lineOffset)
    }

    private init(error: QueryError?, message: String, range: SourceRange, source: String, lineOffset: Int) {
        self.error = error
        self.message = message
        notes =
            error?.note.map {
                [Diagnostic(error: nil, message: $0.message, range: $0.range, source: source, lineOffset: lineOffset)]
            } ?? []
        let bytes = Array(source.utf8)
        let start = min(max(0, range.start), bytes.count)
        let end = min(max(start, range.end), bytes.count)
        var lineStart = start
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
        line = bytes[..<lineStart].filter { $0 == 0x0A }.count + 1 + lineOffset
        // Byte offsets fall on scalar boundaries (ranges come from the lexer); be safe regardless.
        func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
        var lineText = text(lineStart, lineEnd)
        if lineText.hasSuffix("\r") { lineText.removeLast() }
        sourceLine = lineText
        let before = text(lineStart, start)
        column = before.count + 1
        caretOffset = DisplayWidth.of(before)
        let underlined = text(start, min(end, lineEnd))
        caretWidth = max(1, DisplayWidth.of(underlined))
    }

    /// `name:line:column: error: message` (or another `severity`), the source line, and the
    /// caret underline.
    public func render(name: String = "query", severity: String = "error") -> String {
        let visibleLine = sourceLine.map { $0 == "\t" ? " " : String($0) }.joined()
        return "\(name):\(line):\(column): \(severity): \(message)\n"
            + "  \(visibleLine)\n"
            + "  " + String(repeating: " ", count: caretOffset) + String(repeating: "^", count: caretWidth) + "\n"
            + notes.map { $0.render(name: name, severity: "note") }.joined()
    }
}
