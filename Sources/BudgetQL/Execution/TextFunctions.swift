// TextFunctions: the bodies of the text functions whose cost grows with their input — case
// mapping, substrings, regular-expression matching — written so that cost stays linear and
// small (no per-scalar string allocation, no array of characters per call), and the work they
// report to a statement's Interruption.

enum TextFunctions {
    /// The work units a call on `values` costs: the UTF-8 bytes of its text arguments.
    @inline(__always) static func work(_ values: [Value]) -> Int {
        var n = 0
        for v in values {
            if case .text(let s) = v { n &+= s.utf8.count }
        }
        return n
    }

    /// `lower(s)`: exactly `s.lowercased()` (each scalar's full lowercase mapping), without
    /// building a string per scalar for the scalars that do not change.
    static func lowercased(_ s: String) -> String { mapCase(s, upper: false) }

    /// `upper(s)`: exactly `s.uppercased()` (each scalar's full uppercase mapping), as `lowercased`.
    static func uppercased(_ s: String) -> String { mapCase(s, upper: true) }

    /// `lower(s)` or `upper(s)` of a call's values; a value that is not text is `wrongType`.
    static func caseMapped(_ v: [Value], upper: Bool, _ range: SourceRange) throws(QueryError) -> Value {
        guard let s = v.first?.text else {
            let found = v.first.map { $0.decimal != nil ? "a number" : "a condition" } ?? "nothing"
            throw .wrongType(range, context: upper ? "upper" : "lower", expected: "text", found: found)
        }
        return .text(mapCase(s, upper: upper))
    }

    private static func mapCase(_ s: String, upper: Bool) -> String {
        if isASCII(s) { return upper ? s.uppercased() : s.lowercased() }
        var text = s
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { mapCase($0, upper: upper) } ?? s
    }

    /// The case mapping of valid UTF-8: runs of scalars that do not change are copied as bytes;
    /// ASCII letters are mapped in place; any other scalar is looked up.
    private static func mapCase(_ b: UnsafeBufferPointer<UInt8>, upper: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var run = 0  // start of the bytes not yet copied
        var i = 0
        while i < b.count {
            let byte = b[i]
            if byte < 0x80 {
                let mapped: UInt8 =
                    upper
                    ? (byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
                    : (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                if mapped != byte {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    out.append(mapped)
                    run = i + 1
                }
                i += 1
                continue
            }
            let (v, next) = PatternScanner.decode(b, at: i)
            if !caseless(v), let scalar = Unicode.Scalar(v) {
                let p = scalar.properties
                if upper ? p.changesWhenUppercased : p.changesWhenLowercased {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    out.append(contentsOf: (upper ? p.uppercaseMapping : p.lowercaseMapping).utf8)
                    run = next
                }
            }
            i = next
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<min(i, b.count)]))
        return String(decoding: out, as: UTF8.self)
    }

    /// Blocks without case (CJK symbols and ideographs, kana, Hangul, Yi, Vai): copied without a
    /// property lookup. The tests compare every scalar with the standard library's mapping.
    @inline(__always) static func caseless(_ v: UInt32) -> Bool {
        (v >= 0x3000 && v <= 0xA63F) || (v >= 0xAC00 && v <= 0xD7FF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x20000 && v <= 0x3FFFF)
    }

    /// Whether `s` is all ASCII, eight bytes at a time.
    static func isASCII(_ s: String) -> Bool {
        let answer = s.utf8.withContiguousStorageIfAvailable { (b: UnsafeBufferPointer<UInt8>) -> Bool in
            let raw = UnsafeRawBufferPointer(b)
            var i = 0
            while i + 8 <= raw.count {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < raw.count {
                if raw[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
        return answer ?? s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `substr(s, start [, length])` in characters (grapheme clusters), 1-based, a start below 1
    /// counting as 1: walks only to the start and the end of the part, and copies it once.
    static func substr(_ v: [Value]) -> Value {
        guard let s = v.first?.text, v.count >= 2 else { return .null }
        let start = max(0, (v[1].decimal?.exactInteger ?? 1) - 1)
        guard let from = s.index(s.startIndex, offsetBy: start, limitedBy: s.endIndex), from < s.endIndex else {
            return .text("")
        }
        guard v.count > 2 else { return .text(String(s[from...])) }
        let length = max(0, v[2].decimal?.exactInteger ?? 0)
        let to = s.index(from, offsetBy: length, limitedBy: s.endIndex) ?? s.endIndex
        return .text(String(s[from..<to]))
    }

    /// `matches(s, pattern)`: whether part of `s` matches, on the linear-time engine; a pattern
    /// that does not compile is `invalidRegex` at the call.
    static func matches(_ v: [Value], _ range: SourceRange, _ interruption: Interruption?) throws(QueryError) -> Value {
        guard v.count == 2, let text = v[0].text, let source = v[1].text else { return .null }
        let pattern: Pattern
        do { pattern = try Pattern.cached(source) } catch {
            throw .invalidRegex(range, pattern: source, detail: error.detail)
        }
        return .bool(try pattern.matches(text, interruption: interruption))
    }
}
