// Lexer: turns query text into tokens with UTF-8 byte ranges. It reads a Chinese IME's
// punctuation (，（）“”｜＞＜＝！～ and ≥ ≤ ≠) as ASCII outside strings, number suffixes
// 万/亿/元, `#` and `//` comments, string escapes (\n \t \u4E2D \u{1F600}), and reports an
// unclosed string as incomplete input.

import BudgetModel

/// Splits query text into tokens.
public enum Lexer {
    /// The longest statement accepted, in bytes (a script may hold any number of them).
    public static let maxLength = 256 * 1024

    /// Each string opener and its closer: "…", '…', “…”, ‘…’, 「…」 (and ”…” as some editors type it).
    /// Built once: the lexer used to build this dictionary at every scalar of the input.
    static let stringClosers: [Unicode.Scalar: Unicode.Scalar] = [
        "\"": "\"", "'": "'", "“": "”", "‘": "’", "「": "」", "”": "”",
    ]

    /// Full-width and mathematical symbols read as their ASCII equivalents.
    static let symbolMap: [Unicode.Scalar: String] = [
        "，": ",", "（": "(", "）": ")", "｜": "|", "＞": ">", "＜": "<", "＝": "=", "！": "!",
        "～": "~", "≥": ">=", "≤": "<=", "≠": "!=", "；": ";", "．": ".", "＋": "+", "－": "-",
        "＊": "*", "／": "/", "％": "%", "＄": "$", "【": "(", "】": ")",
    ]

    /// Validates `bytes` as UTF-8 (``UTF8Validation``: overlong forms, UTF-16 surrogates, code
    /// points past U+10FFFF and truncated sequences are invalid) and tokenizes them.
    public static func tokenize(bytes: [UInt8]) throws(QueryError) -> [Token] {
        try StatementScanner.checkLength(bytes: bytes)
        if let bad = UTF8Validation.firstInvalidSequence(in: bytes) {
            throw .invalidUTF8(SourceRange(bad.lowerBound, bad.upperBound))
        }
        return try tokenize(String(decoding: bytes, as: UTF8.self))
    }

    /// Tokenizes `source`. The last token is always `.end`.
    public static func tokenize(_ source: String) throws(QueryError) -> [Token] {
        try StatementScanner.checkLength(source)
        let utf8 = source.utf8
        var scalars: [(Unicode.Scalar, Int)] = []  // scalar and its byte offset
        scalars.reserveCapacity(utf8.count)
        var offset = 0
        for s in source.unicodeScalars {
            scalars.append((s, offset))
            offset += UTF8.width(s)
        }
        let endOffset = offset
        func off(_ i: Int) -> Int { i < scalars.count ? scalars[i].1 : endOffset }

        var tokens: [Token] = []
        var depth = 0
        var i = 0
        while i < scalars.count {
            let (c, start) = scalars[i]
            // Whitespace (including the ideographic space).
            if c == " " || c == "\t" || c == "\r" || c == "\u{3000}" || c == "\u{FEFF}" || c == "\u{A0}" {
                i += 1
                continue
            }
            if c == "\n" {
                if depth == 0 {
                    tokens.append(Token(kind: .newline, value: "\n", range: SourceRange(start, start + 1)))
                }
                i += 1
                continue
            }
            // Comments: # … and // … to end of line.
            if c == "#" || (c == "/" && i + 1 < scalars.count && scalars[i + 1].0 == "/") {
                while i < scalars.count && scalars[i].0 != "\n" { i += 1 }
                continue
            }
            // Strings: "…", '…', “…”, ‘…’, 「…」.
            if let close = Self.stringClosers[c] {
                var text = ""
                var j = i + 1
                var closed = false
                while j < scalars.count {
                    let d = scalars[j].0
                    if d == "\\" && j + 1 < scalars.count {
                        let e = scalars[j + 1].0
                        switch e {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "u":
                            // \u4E2D or \u{1F600}: a Unicode scalar by its hex code.
                            var k = j + 2
                            let braced = k < scalars.count && scalars[k].0 == "{"
                            if braced { k += 1 }
                            var hex = ""
                            while k < scalars.count, hex.count < (braced ? 6 : 4),
                                scalars[k].0.properties.isASCIIHexDigit
                            {
                                hex.unicodeScalars.append(scalars[k].0)
                                k += 1
                            }
                            let closed = !braced || (k < scalars.count && scalars[k].0 == "}")
                            if braced && closed { k += 1 }
                            guard closed, braced ? !hex.isEmpty : hex.count == 4, let v = UInt32(hex, radix: 16),
                                let u = Unicode.Scalar(v)
                            else {
                                let stop = min(max(k, j + 2), scalars.count)
                                let written = String(String.UnicodeScalarView(scalars[j..<stop].map(\.0)))
                                throw .invalidCharacter(
                                    SourceRange(off(j), off(stop)),
                                    character: "escape \"\(written)\" (write \\u4E2D or \\u{1F600})")
                            }
                            text.unicodeScalars.append(u)
                            j = k
                            continue
                        default: text.unicodeScalars.append(e)
                        }
                        j += 2
                        continue
                    }
                    if d == close || (c == "\"" && d == "”") || (c == "“" && d == "\"") {
                        closed = true
                        j += 1
                        break
                    }
                    text.unicodeScalars.append(d)
                    j += 1
                }
                if !closed {
                    throw .incomplete(SourceRange(start, endOffset), expected: "a closing \(close) to end the string")
                }
                tokens.append(Token(kind: .string, value: text, range: SourceRange(start, off(j))))
                i = j
                continue
            }
            // Numbers, with an optional 万/亿/元/万元/亿元 suffix.
            if ("0"..."9").contains(c) || (c == "." && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1].0))
            {
                var j = i
                var text = ""
                while j < scalars.count,
                    ("0"..."9").contains(scalars[j].0) || scalars[j].0 == "." || scalars[j].0 == "_"
                {
                    if scalars[j].0 != "_" { text.unicodeScalars.append(scalars[j].0) }
                    j += 1
                }
                for suffix in ["万元", "亿元", "万", "亿", "元", "%"] {
                    let ss = Array(suffix.unicodeScalars)
                    if j + ss.count <= scalars.count && (0..<ss.count).allSatisfy({ scalars[j + $0].0 == ss[$0] }) {
                        text += suffix
                        j += ss.count
                        break
                    }
                }
                // A number glued to letters (e.g. 12abc) is malformed.
                if j < scalars.count, isIdentifierScalar(scalars[j].0), !("0"..."9").contains(scalars[j].0) {
                    var k = j
                    while k < scalars.count && isIdentifierScalar(scalars[k].0) { k += 1 }
                    throw .invalidNumber(
                        SourceRange(start, off(k)), text: String(String.UnicodeScalarView(scalars[i..<k].map(\.0))))
                }
                if text.filter({ $0 == "." }).count > 1 { throw .invalidNumber(SourceRange(start, off(j)), text: text) }
                tokens.append(Token(kind: .number, value: text, range: SourceRange(start, off(j))))
                i = j
                continue
            }
            // Parameters: $name.
            if c == "$" || c == "＄" {
                var j = i + 1
                var name = ""
                while j < scalars.count && isIdentifierScalar(scalars[j].0) {
                    name.unicodeScalars.append(scalars[j].0)
                    j += 1
                }
                if name.isEmpty {
                    throw .unexpected(
                        SourceRange(start, off(j)), expected: "a parameter name after $",
                        found: describe(j < scalars.count ? scalars[j].0 : nil))
                }
                tokens.append(Token(kind: .parameter, value: name, range: SourceRange(start, off(j))))
                i = j
                continue
            }
            // Identifiers (ASCII or Chinese), and backquoted names.
            if isIdentifierScalar(c) && !("0"..."9").contains(c) {
                var j = i
                var name = ""
                while j < scalars.count && isIdentifierScalar(scalars[j].0) {
                    name.unicodeScalars.append(scalars[j].0)
                    j += 1
                }
                tokens.append(Token(kind: .identifier, value: name, range: SourceRange(start, off(j))))
                i = j
                continue
            }
            if c == "`" {
                var j = i + 1
                var name = ""
                while j < scalars.count && scalars[j].0 != "`" && scalars[j].0 != "\n" {
                    name.unicodeScalars.append(scalars[j].0)
                    j += 1
                }
                guard j < scalars.count && scalars[j].0 == "`" else {
                    throw .incomplete(SourceRange(start, off(j)), expected: "a closing ` to end the name")
                }
                tokens.append(Token(kind: .identifier, value: name, range: SourceRange(start, off(j + 1))))
                i = j + 1
                continue
            }
            // Symbols.
            let ascii = symbolMap[c] ?? (c.isASCII ? String(c) : nil)
            guard let sym = ascii, "|,().=!<>~+-*/%;[]^".contains(sym.first!) else {
                throw .invalidCharacter(SourceRange(start, off(i + 1)), character: describe(c))
            }
            var value = sym
            var j = i + 1
            if j < scalars.count,
                let next = symbolMap[scalars[j].0] ?? (scalars[j].0.isASCII ? String(scalars[j].0) : nil)
            {
                let pair = sym + next
                if ["<=", ">=", "!=", "<>", "!~", "=~", "==", "^="].contains(pair) {
                    value = pair == "==" ? "=" : pair == "<>" ? "!=" : pair
                    j += 1
                }
            }
            if value == "!" { throw .invalidCharacter(SourceRange(start, off(j)), character: "\"!\" (use != or not)") }
            if value == "(" || value == "[" {
                depth += 1
                if depth > Parser.maxDepth { throw .tooDeep(SourceRange(start, off(j)), limit: Parser.maxDepth) }
            }
            if (value == ")" || value == "]") && depth > 0 { depth -= 1 }
            tokens.append(Token(kind: .symbol, value: value, range: SourceRange(start, off(j))))
            i = j
        }
        tokens.append(Token(kind: .end, value: "", range: .at(endOffset)))
        return tokens
    }

    /// Whether `c` may appear in a name: ASCII letters, digits and `_`, and any letter (e.g. 汉字).
    static func isIdentifierScalar(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII {
            return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        if symbolMap[c] != nil { return false }
        return c.properties.isAlphabetic || c.properties.numericType != nil
    }

    static func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "end of input" }
        if c == "\n" { return "end of line" }
        if c.value < 0x20 { return "control character U+\(String(c.value, radix: 16, uppercase: true))" }
        return "\"\(c)\""
    }
}
