// UTF8Validation: the one UTF-8 validator of the project (RFC 3629: no overlong forms, no UTF-16
// surrogates, nothing past U+10FFFF, no sequence cut short). Dataset CSV files, `datapackage.json`
// and query text are all judged by it, so the same bytes get the same verdict everywhere; it
// reports where the first ill-formed sequence is, and the line and column of a byte.

/// Validates UTF-8 and locates the first ill-formed byte sequence.
public enum UTF8Validation {
    /// The byte range of the first ill-formed sequence in `bytes`, or `nil` when all of it is
    /// UTF-8. The range starts at the sequence's first byte and ends after the first byte that
    /// breaks it, or at the end of the input when the sequence is cut short.
    public static func firstInvalidSequence(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = 0
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            // The range the second byte must fall in (the others are 0x80…0xBF).
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                second = 0xA0...0xBF  // no overlong forms
            case 0xED:
                length = 3
                second = 0x80...0x9F  // no UTF-16 surrogates
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xF0:
                length = 4
                second = 0x90...0xBF  // no overlong forms
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                second = 0x80...0x8F  // nothing past U+10FFFF
            default: return i..<(i + 1)
            }
            for k in 1..<length {
                guard i + k < n else { return i..<n }
                let byte = bytes[i + k]
                let valid = k == 1 ? second.contains(byte) : byte & 0xC0 == 0x80
                if !valid { return i..<(i + k + 1) }
            }
            i += length
        }
        return nil
    }

    /// The byte range of the first ill-formed sequence in `bytes`, or `nil` when all of it is UTF-8.
    public static func firstInvalidSequence(in bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBufferPointer { firstInvalidSequence(in: $0) }
    }

    /// Whether `bytes` are all UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool { firstInvalidSequence(in: bytes) == nil }

    /// The 1-based line and column (in Unicode scalars) of byte `offset` of `bytes`, whose bytes
    /// before `offset` are UTF-8. Lines end at LF.
    public static func position(ofByte offset: Int, in bytes: [UInt8]) -> TextPosition {
        var line = 1
        var column = 1
        for byte in bytes[..<min(max(offset, 0), bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TextPosition(line: line, column: column)
    }
}
