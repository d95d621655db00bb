// DescriptorReader: reads the resource paths of a `datapackage.json` without JSONSerialization,
// which was a fifth of the time to load a folder (the descriptor is 33 KB of schema). It accepts
// only plain JSON it is sure of — UTF-8, the RFC 8259 grammar, no \u escapes, no exponents or
// long numbers, no duplicate "resources" or "path" keys, resources that are all objects — and
// says "don't know" (nil) about anything else, which the loader then gives to JSONSerialization
// as before. So every descriptor is judged exactly as JSONSerialization judges it.

enum DescriptorReader {
    /// The `path` strings of the objects in the root object's `resources` array, or `nil` when
    /// the text is not plain JSON of that shape (JSONSerialization must decide).
    static func resourcePaths(_ bytes: [UInt8]) -> Set<String>? {
        guard CSVReader.isValidUTF8(bytes) else { return nil }
        return bytes.withUnsafeBufferPointer { p in
            var reader = Reader(p: p)
            return reader.document()
        }
    }

    private struct Reader {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0
        /// Whether the last string read had escapes (its text is then a placeholder).
        var lastEscaped = false

        init(p: UnsafeBufferPointer<UInt8>) { self.p = p }

        mutating func document() -> Set<String>? {
            skipSpace()
            guard peek == UInt8(ascii: "{") else { return nil }
            i += 1
            var paths: Set<String>?
            var first = true
            while true {
                skipSpace()
                if peek == UInt8(ascii: "}") && first { i += 1; break }
                guard let key = string() else { return nil }
                guard colon() else { return nil }
                if key == "resources" {
                    guard paths == nil, let r = resources() else { return nil }
                    paths = r
                } else {
                    guard value() else { return nil }
                }
                first = false
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                guard peek == UInt8(ascii: "}") else { return nil }
                i += 1
                break
            }
            skipSpace()
            guard i == p.count else { return nil }
            return paths
        }

        /// The `resources` array: objects only; each one's `path` if it is a string.
        private mutating func resources() -> Set<String>? {
            skipSpace()
            guard peek == UInt8(ascii: "[") else { return nil }
            i += 1
            var paths: Set<String> = []
            skipSpace()
            if peek == UInt8(ascii: "]") { i += 1; return paths }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "{") else { return nil }
                i += 1
                var seenPath = false
                var firstKey = true
                while true {
                    skipSpace()
                    if peek == UInt8(ascii: "}") && firstKey { i += 1; break }
                    guard let key = string() else { return nil }
                    guard colon() else { return nil }
                    if key == "path" {
                        guard !seenPath else { return nil }
                        seenPath = true
                        skipSpace()
                        if peek == UInt8(ascii: "\"") {
                            guard let path = string(), !lastEscaped else { return nil }
                            paths.insert(path)
                        } else {
                            guard value() else { return nil }
                        }
                    } else {
                        guard value() else { return nil }
                    }
                    firstKey = false
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "}") else { return nil }
                    i += 1
                    break
                }
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                guard peek == UInt8(ascii: "]") else { return nil }
                i += 1
                return paths
            }
        }

        private var peek: UInt8 { i < p.count ? p[i] : 0 }

        private mutating func skipSpace() {
            while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }

        private mutating func colon() -> Bool {
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return false }
            i += 1
            return true
        }

        /// A string without \u escapes: its text when it has no escapes at all, else a placeholder
        /// that is no key of interest (the escapes left cannot spell "resources" or "path").
        private mutating func string() -> String? {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            var escaped = false
            while i < p.count {
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    let text = escaped ? "\u{0}escaped" : String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                    lastEscaped = escaped
                    i += 1
                    return text
                }
                if b < 0x20 { return nil }
                if b == UInt8(ascii: "\\") {
                    guard i + 1 < p.count else { return nil }
                    switch p[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        escaped = true
                        i += 2
                        continue
                    default: return nil
                    }
                }
                i += 1
            }
            return nil
        }

        /// Skips a value; false if it is not plain JSON.
        private mutating func value() -> Bool {
            skipSpace()
            switch peek {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "{"):
                depth += 1
                guard depth <= 64 else { return false }
                defer { depth -= 1 }
                i += 1
                skipSpace()
                if peek == UInt8(ascii: "}") { i += 1; return true }
                while true {
                    guard string() != nil, colon(), value() else { return false }
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "}") else { return false }
                    i += 1
                    return true
                }
            case UInt8(ascii: "["):
                depth += 1
                guard depth <= 64 else { return false }
                defer { depth -= 1 }
                i += 1
                skipSpace()
                if peek == UInt8(ascii: "]") { i += 1; return true }
                while true {
                    guard value() else { return false }
                    skipSpace()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "]") else { return false }
                    i += 1
                    return true
                }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= p.count else { return false }
            for k in 0..<n where p[i + k] != word.utf8Start[k] { return false }
            i += n
            return true
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 digits (no exponent: JSONSerialization
        /// decides those, as it decides numbers too large for a Double).
        private mutating func number() -> Bool {
            if peek == UInt8(ascii: "-") { i += 1 }
            var digits = 0
            func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            guard isDigit(peek) else { return false }
            if peek == UInt8(ascii: "0") {
                i += 1; digits = 1
                if isDigit(peek) { return false }
            } else {
                while isDigit(peek) { i += 1; digits += 1 }
            }
            if peek == UInt8(ascii: ".") {
                i += 1
                guard isDigit(peek) else { return false }
                while isDigit(peek) { i += 1; digits += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") { return false }
            return digits <= 15
        }
    }
}
