// StatementScanner: one fast pass over script bytes that follows the lexer's rules for strings,
// backquoted names, comments and brackets without making tokens. It enforces the length limit
// per statement before any token is made, so an over-long statement is rejected at once however
// long the input, and it tells a shell which lines begin outside every string and bracket: the
// only lines where a dot-command may start.

/// A line of a script and the lexical state at its start.
public struct ScriptLine: Sendable, Equatable {
    /// Byte offset of the line's first byte.
    public var start: Int
    /// Byte offset just past the line's last byte (its line break excluded).
    public var end: Int
    /// Whether the line starts outside every string and bracket, where a statement may begin.
    public var startsAtTopLevel: Bool
}

/// The lexer's view of statement boundaries, without tokens.
public enum StatementScanner {
    /// The lines of `source`, each with whether it starts at the top level (outside strings and
    /// brackets). Throws `QueryError.tooLong` when a statement (or a comment) is longer than
    /// `Lexer.maxLength`, having read at most that many bytes past the statement's start.
    public static func lines(of source: String) throws(QueryError) -> [ScriptLine] {
        var lines: [ScriptLine] = []
        try withBytes(source) { (bytes) throws(QueryError) in try scan(bytes, lines: &lines, record: true) }
        return lines
    }

    /// Throws `QueryError.tooLong` when a statement of `source` is longer than `Lexer.maxLength`.
    static func checkLength(_ source: String) throws(QueryError) {
        var unused: [ScriptLine] = []
        try withBytes(source) { (bytes) throws(QueryError) in try scan(bytes, lines: &unused, record: false) }
    }

    /// Throws `QueryError.tooLong` when a statement of `bytes` is longer than `Lexer.maxLength`.
    static func checkLength(bytes: [UInt8]) throws(QueryError) {
        var unused: [ScriptLine] = []
        try bytes.withUnsafeBufferPointer { (buffer) throws(QueryError) in
            try scan(buffer, lines: &unused, record: false)
        }
    }

    private static func withBytes(
        _ source: String, _ body: (UnsafeBufferPointer<UInt8>) throws(QueryError) -> Void
    ) throws(QueryError) {
        var copy = source
        // `withUTF8` makes the string contiguous (a copy only for bridged strings).
        let failure: QueryError? = copy.withUTF8 { buffer in
            do throws(QueryError) {
                try body(buffer)
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
    }

    /// The length in bytes of the UTF-8 sequence led by `b` (1 for a stray byte).
    private static func sequenceLength(_ b: UInt8) -> Int {
        switch b {
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0..<0xF8: return 4
        default: return 1
        }
    }

    /// The scalar value at `i` (of `length` bytes), or the byte itself when it is not valid UTF-8.
    private static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ length: Int) -> UInt32 {
        guard length > 1, i + length <= b.count else { return UInt32(b[i]) }
        var v = UInt32(b[i]) & (0xFF >> (length + 1))
        for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return v
    }

    /// What a scalar outside strings means to statement boundaries (see Lexer.tokenize and
    /// Lexer.symbolMap, which reads the full-width forms as ASCII).
    private enum Role {
        case other, pipe, semicolon, open, close
        /// A quote opening a string that ends at either closer.
        case quote(UInt32, UInt32)
    }

    private static func role(_ s: UInt32) -> Role {
        switch s {
        case 0x7C, 0xFF5C: return .pipe  // | ｜
        case 0x3B, 0xFF1B: return .semicolon  // ; ；
        case 0x28, 0x5B, 0xFF08, 0x3010: return .open  // ( [ （ 【
        case 0x29, 0x5D, 0xFF09, 0x3011: return .close  // ) ] ） 】
        case 0x22: return .quote(0x22, 0x201D)  // "…" or "…”
        case 0x27: return .quote(0x27, 0x27)  // '…'
        case 0x201C: return .quote(0x201D, 0x22)  // “…” or “…"
        case 0x2018: return .quote(0x2019, 0x2019)  // ‘…’
        case 0x300C: return .quote(0x300D, 0x300D)  // 「…」
        case 0x201D: return .quote(0x201D, 0x201D)  // ”…”
        default: return .other
        }
    }

    /// The scan's state. Statement boundaries are line breaks outside strings and brackets,
    /// and `;`; a line break is not one when the line ends with `|` or the next one starts
    /// with it (the parser's continuation rules). Lines ending with an operator also continue
    /// a statement; the scan takes them as boundaries, so its segments are never longer than a
    /// statement, and `Session.parse` checks each statement's exact length afterwards.
    private struct Scan {
        let limit = Lexer.maxLength
        var depth = 0
        /// The closers of the open string, if one is open.
        var string: (UInt32, UInt32)?
        var lineStart = 0
        var lineAtTop = true
        /// The first byte of the current statement, or -1 between statements.
        var segmentStart = -1
        /// A line break was seen that ends the statement unless `|` follows.
        var boundaryPending = false
        /// The last significant character was `|`.
        var afterPipe = false

        /// Marks byte `at` as part of a statement and checks the statement's length.
        mutating func touch(_ at: Int, pipe: Bool) throws(QueryError) {
            if boundaryPending {
                boundaryPending = false
                if !pipe { segmentStart = -1 }
            }
            if segmentStart < 0 { segmentStart = at }
            if at - segmentStart >= limit {
                throw .tooLong(SourceRange(segmentStart + limit, at + 1), limit: limit)
            }
        }
    }

    private static func scan(
        _ b: UnsafeBufferPointer<UInt8>, lines: inout [ScriptLine], record: Bool
    ) throws(QueryError) {
        let n = b.count
        var i = 0
        var state = Scan()
        while i < n {
            let c = b[i]
            // ASCII letters, digits and `_`, `.`, `$`: part of a statement, nothing more.
            if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
                || c == 0x2E || c == 0x24, state.string == nil
            {
                try state.touch(i, pipe: false)
                state.afterPipe = false
                i += 1
                continue
            }
            if c == 0x0A {  // line break
                if record {
                    lines.append(ScriptLine(start: state.lineStart, end: i, startsAtTopLevel: state.lineAtTop))
                }
                state.lineStart = i + 1
                state.lineAtTop = state.string == nil && state.depth == 0
                if state.lineAtTop && !state.afterPipe { state.boundaryPending = true }
                i += 1
                continue
            }
            if case let (close, alternative)? = state.string {
                try state.touch(i, pipe: false)
                if c == 0x5C {  // backslash: the next scalar is escaped
                    i += 1
                    if i < n && b[i] != 0x0A { i += sequenceLength(b[i]) }
                    continue
                }
                let length = sequenceLength(c)
                let s = scalar(b, i, length)
                if s == close || s == alternative { state.string = nil }
                i += length
                continue
            }
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
                continue
            }
            // Comments run to the end of the line: # … and // ….
            if c == 0x23 || (c == 0x2F && i + 1 < n && b[i + 1] == 0x2F) {
                try state.touch(i, pipe: false)
                var j = i
                while j < n && b[j] != 0x0A { j += 1 }
                if j > i { try state.touch(j - 1, pipe: false) }
                i = j
                continue
            }
            // Backquoted names end at ` or at the line's end.
            if c == 0x60 {
                try state.touch(i, pipe: false)
                var j = i + 1
                while j < n && b[j] != 0x60 && b[j] != 0x0A { j += 1 }
                if j < n && b[j] == 0x60 { j += 1 }
                try state.touch(j - 1, pipe: false)
                state.afterPipe = false
                i = j
                continue
            }
            let length = sequenceLength(c)
            let role = role(scalar(b, i, length))
            var pipe = false
            if case .pipe = role { pipe = true }
            try state.touch(i, pipe: pipe)
            state.afterPipe = pipe
            switch role {
            case .quote(let close, let alternative): state.string = (close, alternative)
            case .open: state.depth += 1
            case .close: if state.depth > 0 { state.depth -= 1 }
            case .semicolon: state.segmentStart = -1
            case .pipe, .other: break
            }
            i += length
        }
        if record { lines.append(ScriptLine(start: state.lineStart, end: n, startsAtTopLevel: state.lineAtTop)) }
    }
}
