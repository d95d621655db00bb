// CSV: an RFC 4180 reader that remembers where every field starts, so that the loader can
// say "projects.csv:12:31" when a cell is wrong. It also validates UTF-8 (with
// `UTF8Validation`) and reports the first invalid byte's line and column.

import Foundation

/// Where a cell sits in a text file: 1-based line, and 1-based column counted in characters.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars (characters as a reader counts them).
    public let column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One parsed CSV record: its fields and where each starts.
public struct CSVRecord: Sendable {
    /// The field texts, unquoted.
    public var fields: [String]
    /// The position of each field's first character.
    public var positions: [TextPosition]
    /// The line the record starts on.
    public var line: Int { positions.first?.line ?? 0 }
}

/// Why a CSV file could not be read.
public enum CSVProblem: Error, Sendable, Equatable {
    /// A byte sequence that is not UTF-8.
    case invalidUTF8(TextPosition)
    /// A quoted field whose closing quote never comes.
    case unterminatedQuote(TextPosition)
    /// Text right after a closing quote that is neither a comma nor a line end.
    case textAfterQuote(TextPosition)
}

/// An RFC 4180 CSV reader over UTF-8 bytes.
public enum CSVReader {
    /// Returns the position of the first invalid UTF-8 byte, or `nil` if all bytes are valid
    /// (``UTF8Validation`` decides).
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> TextPosition? {
        UTF8Validation.firstInvalidSequence(in: bytes).map { UTF8Validation.position(ofByte: $0.lowerBound, in: bytes) }
    }

    /// Parses `bytes` into records. Blank lines between records are skipped; a trailing line end is optional.
    public static func parse(_ bytes: [UInt8]) -> Result<[CSVRecord], CSVProblem> {
        if let bad = firstInvalidUTF8(in: bytes) { return .failure(.invalidUTF8(bad)) }
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var records: [CSVRecord] = []
        var fields: [String] = []
        var positions: [TextPosition] = []
        var field: [UInt8] = []
        var line = 1
        var column = 1
        var fieldStart = TextPosition(line: 1, column: 1)
        var i = start
        let n = bytes.count
        var atFieldStart = true
        var quoted = false
        var afterQuote = false
        var recordHasContent = false

        func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            positions.append(fieldStart)
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
            quoted = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            if recordHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty {
                records.append(CSVRecord(fields: fields, positions: positions))
            }
            fields.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            recordHasContent = false
        }

        while i < n {
            let b = bytes[i]
            if atFieldStart {
                fieldStart = TextPosition(line: line, column: column)
                atFieldStart = false
                if b == UInt8(ascii: "\"") {
                    quoted = true
                    recordHasContent = true
                    i += 1
                    column += 1
                    continue
                }
            }
            if quoted && !afterQuote {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        column += 2
                        continue
                    }
                    afterQuote = true
                    i += 1
                    column += 1
                    continue
                }
                field.append(b)
                if b == 0x0A {
                    line += 1
                    column = 1
                } else if !isContinuation(b) {
                    column += 1
                }
                i += 1
                continue
            }
            if afterQuote && b != UInt8(ascii: ",") && b != 0x0A && b != 0x0D {
                return .failure(.textAfterQuote(TextPosition(line: line, column: column)))
            }
            switch b {
            case UInt8(ascii: ","):
                recordHasContent = true
                endField()
                i += 1
                column += 1
            case 0x0D where i + 1 < n && bytes[i + 1] == 0x0A:
                i += 1
            case 0x0A, 0x0D:
                endRecord()
                i += 1
                line += 1
                column = 1
            default:
                recordHasContent = true
                field.append(b)
                if !isContinuation(b) { column += 1 }
                i += 1
            }
        }
        if quoted && !afterQuote { return .failure(.unterminatedQuote(fieldStart)) }
        if !atFieldStart || !fields.isEmpty || !field.isEmpty { endRecord() }
        return .success(records)
    }

    /// Quotes a field for writing when it holds a comma, quote, or line break.
    public static func escape(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}

/// A CSV file split into cells without making any `String`: each cell is a byte range of the
/// file. This is the loader's fast path; it splits exactly as ``CSVReader/parse(_:)`` does (same
/// records, same fields, same record lines), and leaves that reader, the reference, to say where a
/// problem is: a malformed file's problem, and a cell's line and column, come from it (only ever
/// on the way to an error, so the fast path never counts columns).
struct CSVCells {
    /// The file, as read.
    let bytes: [UInt8]
    /// Byte range of each cell's content: inside the quotes for a quoted field.
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    /// Cells that are quoted and hold doubled quotes (`""`), which ``text(_:)`` undoubles.
    private(set) var escaped: Set<Int> = []

    /// Whether `cell` holds doubled quotes.
    func isEscaped(_ cell: Int) -> Bool { !escaped.isEmpty && escaped.contains(cell) }
    /// Record `r`'s cells are `firstCell[r] ..< firstCell[r + 1]`.
    private(set) var firstCell: [Int] = [0]
    /// The line each record starts on.
    private(set) var lines: [Int] = []

    /// The number of records (the header included).
    var count: Int { lines.count }
    /// The number of cells of record `r`.
    func cellCount(_ r: Int) -> Int { firstCell[r + 1] - firstCell[r] }
    /// The cell `c` of record `r`: its index into ``starts`` and ``ends``.
    func cell(_ r: Int, _ c: Int) -> Int { firstCell[r] + c }

    /// The content of `cell` as ``CSVReader/parse(_:)`` gives it (quotes undoubled, untrimmed).
    func text(_ cell: Int) -> String {
        var field = Array(bytes[starts[cell]..<ends[cell]])
        if isEscaped(cell) {
            var out: [UInt8] = []
            out.reserveCapacity(field.count)
            var i = 0
            while i < field.count {
                out.append(field[i])
                i += field[i] == UInt8(ascii: "\"") ? 2 : 1
            }
            field = out
        }
        return String(decoding: field, as: UTF8.self)
    }

    /// Where each field of record `r` starts, from the reference reader (slow: for error messages).
    /// Empty if the reference reader has no such record (the two readers agree; tests check it).
    func positions(ofRecord r: Int) -> [TextPosition] {
        guard case .success(let records) = CSVReader.parse(bytes), r >= 0, r < records.count else { return [] }
        return records[r].positions
    }

    /// Where field `c` of record `r` starts, if known.
    func position(ofRecord r: Int, field c: Int) -> TextPosition? {
        let positions = positions(ofRecord: r)
        return positions.indices.contains(c) ? positions[c] : nil
    }

    /// Splits `bytes` into records and cells, or returns the problem ``CSVReader/parse(_:)`` reports.
    static func split(_ bytes: [UInt8]) -> Result<CSVCells, CSVProblem> {
        if !UTF8Validation.isValid(bytes) { return referenceProblem(bytes) }
        var table = CSVCells(bytes: bytes)
        let malformed = bytes.withUnsafeBufferPointer { table.scan($0) }
        return malformed ? referenceProblem(bytes) : .success(table)
    }

    private static func referenceProblem(_ bytes: [UInt8]) -> Result<CSVCells, CSVProblem> {
        guard case .failure(let problem) = CSVReader.parse(bytes) else {
            preconditionFailure("CSVCells and CSVReader.parse disagree")
        }
        return .failure(problem)
    }

    /// What `CSVReader.parse` does, one field at a time, recording byte ranges. Returns whether
    /// the file is malformed (an unterminated quote, or text after a closing quote).
    private mutating func scan(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        starts.reserveCapacity(n / 8)
        ends.reserveCapacity(n / 8)
        var i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
        var line = 1
        var recordLine = 1
        var recordFirst = 0  // the current record's first cell
        var recordHasContent = false

        func endRecord() {
            // A record of one empty unquoted field is a blank line: skipped.
            if recordHasContent || starts.count - recordFirst > 1 || ends[recordFirst] > starts[recordFirst] {
                firstCell.append(starts.count)
                lines.append(recordLine)
            } else {
                starts.removeLast(starts.count - recordFirst)
                ends.removeLast(ends.count - recordFirst)
            }
            recordFirst = starts.count
            recordHasContent = false
        }

        while i < n {
            if starts.count == recordFirst { recordLine = line }
            var contentStart = i
            let contentEnd: Int
            if p[i] == quote {
                recordHasContent = true
                i += 1
                contentStart = i
                var doubled = false
                while true {
                    i = Self.next(quote, or: lf, in: p, from: i)
                    if i < n && p[i] == lf {
                        line += 1
                        i += 1
                        continue
                    }
                    if i >= n { return true }  // unterminated
                    if i + 1 < n && p[i + 1] == quote {
                        doubled = true
                        i += 2
                        continue
                    }
                    break
                }
                contentEnd = i
                i += 1
                if i < n && p[i] != comma && p[i] != lf && p[i] != cr { return true }  // text after the quote
                if doubled { escaped.insert(starts.count) }
            } else {
                i = Self.next(comma, or: lf, or: cr, in: p, from: i)
                if i > contentStart { recordHasContent = true }
                contentEnd = i
            }
            starts.append(contentStart)
            ends.append(contentEnd)
            if i >= n {
                endRecord()
                break
            }
            if p[i] == comma {
                recordHasContent = true
                i += 1
                continue
            }
            // A line end: CR LF, LF or a lone CR.
            i += p[i] == cr && i + 1 < n && p[i + 1] == lf ? 2 : 1
            line += 1
            endRecord()
        }
        if starts.count > recordFirst {
            // A comma at the very end: an empty last field.
            starts.append(n)
            ends.append(n)
            endRecord()
        }
        return false
    }

    /// The index of the first `a` or `b` (or `c`) at or after `i`, or `p.count`: eight bytes at a time.
    @inline(__always)
    private static func next(_ a: UInt8, or b: UInt8, or c: UInt8? = nil, in p: UnsafeBufferPointer<UInt8>, from i: Int)
        -> Int
    {
        let n = p.count
        var i = i
        let raw = UnsafeRawBufferPointer(p)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func has(_ w: UInt64, _ byte: UInt8) -> Bool {
            let x = w ^ (UInt64(byte) &* ones)
            return (x &- ones) & ~x & highs != 0
        }
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if has(w, a) || has(w, b) || (c.map { has(w, $0) } ?? false) { break }
            i += 8
        }
        while i < n {
            let x = p[i]
            if x == a || x == b || x == c { return i }
            i += 1
        }
        return n
    }
}

/// Leading and trailing white space of UTF-8 text, as `trimmingCharacters(in: .whitespaces)`
/// finds it, without Foundation in the common case.
enum Whitespace {
    /// Whether the scalar starting at `p[i]` (or ending at `p[i]`, `backwards`) might be white space
    /// to Foundation: a superset of CharacterSet.whitespaces (Zs and TAB; U+200B on Linux) with
    /// some other invisible separators for margin. Text whose first and last scalars are not
    /// candidates is left as it is by Foundation; only candidates go to Foundation.
    @inline(__always)
    static func isCandidate(_ p: UnsafeBufferPointer<UInt8>, first: Int, last: Int) -> Bool {
        isCandidateStart(p, first, last) || isCandidateEnd(p, first, last)
    }

    @inline(__always)
    private static func isCandidateStart(_ p: UnsafeBufferPointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        let b = p[first]
        if b < 0x80 { return b <= 0x20 || b == 0x7F }
        guard last - first >= 1 else { return true }
        return isCandidateScalar(b, p[first + 1], last - first >= 2 ? p[first + 2] : 0)
    }

    @inline(__always)
    private static func isCandidateEnd(_ p: UnsafeBufferPointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        let b = p[last]
        if b < 0x80 { return b <= 0x20 || b == 0x7F }
        // Back to the scalar's lead byte (the text is valid UTF-8).
        var s = last
        while s > first && p[s] & 0xC0 == 0x80 { s -= 1 }
        guard last - s >= 1 else { return true }
        return isCandidateScalar(p[s], p[s + 1], last - s >= 2 ? p[s + 2] : 0)
    }

    /// U+0080…U+00BF (C2 xx), U+1680 and U+180E (E1), U+2000…U+206F (E2 80/81), U+3000 (E3 80 80), U+FEFF (EF BB BF).
    @inline(__always)
    private static func isCandidateScalar(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        switch b0 {
        case 0xC2: return true
        case 0xE1: return (b1 == 0x9A && b2 == 0x80) || (b1 == 0xA0 && b2 == 0x8E)
        case 0xE2: return b1 == 0x80 || b1 == 0x81
        case 0xE3: return b1 == 0x80 && b2 == 0x80
        case 0xEF: return b1 == 0xBB && b2 == 0xBF
        default: return false
        }
    }
}

extension String {
    /// The string without leading and trailing white space (`trimmingCharacters(in: .whitespaces)`).
    /// Cells almost never have any, so the common case — first and last characters that cannot
    /// be white space — returns at once without Foundation's character-set scan.
    public var trimmedWhitespace: String {
        var s = self
        let candidate = s.withUTF8 { u in u.isEmpty ? false : Whitespace.isCandidate(u, first: 0, last: u.count - 1) }
        return candidate ? trimmingCharacters(in: .whitespaces) : self
    }

    /// Whether `needle` occurs in the string, comparing UTF-8 bytes (Unicode scalars exactly,
    /// as SQLite's instr does) rather than through Foundation's NSString search.
    public func containsBytes(_ needle: String) -> Bool {
        if needle.isEmpty { return true }
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count <= h.count else { return false }
                let first = n[0]
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
