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
        guard UTF8Validation.isValid(bytes) else { return nil }
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
            var paths: Set<String>?
            let ok = object { r, key in
                guard key == "resources" else { return r.value() }
                guard paths == nil, let found = r.resources() else { return false }
                paths = found
                return true
            }
            skipSpace()
            guard ok, i == p.count else { return nil }
            return paths
        }

        /// The `resources` array: objects only; each one's `path` if it is a string.
        private mutating func resources() -> Set<String>? {
            var paths: Set<String> = []
            let ok = array { r in
                r.skipSpace()
                guard r.peek == UInt8(ascii: "{") else { return false }
                var seenPath = false
                return r.object { r, key in
                    guard key == "path" else { return r.value() }
                    guard !seenPath else { return false }
                    seenPath = true
                    r.skipSpace()
                    guard r.peek == UInt8(ascii: "\"") else { return r.value() }
                    guard let path = r.string(), !r.lastEscaped else { return false }
                    paths.insert(path)
                    return true
                }
            }
            return ok ? paths : nil
        }

        /// An object `{ "key": value, … }`: `member` is called after each key's colon and must
        /// read the value. False when it is not plain JSON (or nested too deep).
        private mutating func object(_ member: (inout Reader, String) -> Bool) -> Bool {
            skipSpace()
            guard peek == UInt8(ascii: "{") else { return false }
            depth += 1
            guard depth <= 64 else { return false }
            defer { depth -= 1 }
            i += 1
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
                return true
            }
            while true {
                guard let key = string(), colon(), member(&self, key) else { return false }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard peek == UInt8(ascii: "}") else { return false }
                i += 1
                return true
            }
        }

        /// An array `[ value, … ]`: `element` reads each value.
        private mutating func array(_ element: (inout Reader) -> Bool) -> Bool {
            skipSpace()
            guard peek == UInt8(ascii: "[") else { return false }
            depth += 1
            guard depth <= 64 else { return false }
            defer { depth -= 1 }
            i += 1
            skipSpace()
            if peek == UInt8(ascii: "]") {
                i += 1
                return true
            }
            while true {
                guard element(&self) else { return false }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard peek == UInt8(ascii: "]") else { return false }
                i += 1
                return true
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
                    let text =
                        escaped
                        ? "\u{0}escaped" : String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                    lastEscaped = escaped
                    i += 1
                    return text
                }
                if b < 0x20 { return nil }
                if b == UInt8(ascii: "\\") {
                    guard i + 1 < p.count else { return nil }
                    switch p[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"),
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
            case UInt8(ascii: "{"): return object { r, _ in r.value() }
            case UInt8(ascii: "["): return array { r in r.value() }
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
                i += 1
                digits = 1
                if isDigit(peek) { return false }
            } else {
                while isDigit(peek) {
                    i += 1
                    digits += 1
                }
            }
            if peek == UInt8(ascii: ".") {
                i += 1
                guard isDigit(peek) else { return false }
                while isDigit(peek) {
                    i += 1
                    digits += 1
                }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") { return false }
            return digits <= 15
        }
    }
}
