// CSV: an RFC 4180 reader that remembers where every field starts, so that the loader can
// say "projects.csv:12:31" when a cell is wrong. It also validates UTF-8 and reports the
// first invalid byte's line and column.

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
    /// Returns the position of the first invalid UTF-8 byte, or `nil` if all bytes are valid.
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> TextPosition? {
        var line = 1, column = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            var len = 0
            if b < 0x80 { len = 1 } else if b & 0xE0 == 0xC0 && b >= 0xC2 { len = 2 } else if b & 0xF0 == 0xE0 { len = 3 } else if b & 0xF8 == 0xF0 && b <= 0xF4 { len = 4 } else { return TextPosition(line: line, column: column) }
            if i + len > n { return TextPosition(line: line, column: column) }
            for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return TextPosition(line: line, column: column) }
            if len == 3 {
                let b1 = bytes[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) { return TextPosition(line: line, column: column) }
            } else if len == 4 {
                let b1 = bytes[i + 1]
                if (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) { return TextPosition(line: line, column: column) }
            }
            if b == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += len
        }
        return nil
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
        var line = 1, column = 1
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
                    i += 1; column += 1
                    continue
                }
            }
            if quoted && !afterQuote {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2; column += 2
                        continue
                    }
                    afterQuote = true
                    i += 1; column += 1
                    continue
                }
                field.append(b)
                if b == 0x0A { line += 1; column = 1 } else if !isContinuation(b) { column += 1 }
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
                i += 1; column += 1
            case 0x0D where i + 1 < n && bytes[i + 1] == 0x0A:
                i += 1
            case 0x0A, 0x0D:
                endRecord()
                i += 1; line += 1; column = 1
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

extension String {
    /// The string without leading and trailing white space. Cells almost never have any, so the
    /// common case returns at once without Foundation's character-set scan.
    public var trimmedWhitespace: String {
        let u = utf8
        guard let f = u.first, let l = u.last else { return self }
        if f > 0x20 && f < 0x80 && l > 0x20 && l < 0x80 { return self }
        return trimmingCharacters(in: .whitespaces)
    }

    /// Whether `needle` occurs in the string, comparing UTF-8 bytes (Unicode scalars exactly,
    /// as SQLite's instr does) rather than through Foundation's NSString search.
    public func containsBytes(_ needle: String) -> Bool {
        if needle.isEmpty { return true }
        var haystack = self, needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count <= h.count else { return false }
                let first = n[0], last = h.count - n.count
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
