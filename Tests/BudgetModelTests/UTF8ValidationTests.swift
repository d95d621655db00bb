// UTF8ValidationTests: the one UTF-8 validator agrees with the standard library's decoder on
// every short sequence and on random bytes, and reports the range the query lexer and the CSV
// reader rely on (the first bad sequence, ending after the byte that breaks it).

import BudgetModel
import Testing

@Suite struct UTF8ValidationTests {
    /// The standard library's verdict, the reference.
    static func reference(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    @Test func agreesWithTheStandardLibraryOnEveryShortSequence() {
        // Every lead byte with the second byte at each boundary, and the rest continuation bytes.
        let seconds: [UInt8] = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for lead in 0...255 {
            for second in seconds {
                for tail in [[], [0x80], [0x80, 0x80], [0xBF, 0xBF, 0xBF], [0x41]] as [[UInt8]] {
                    let bytes = [UInt8(lead), second] + tail
                    #expect(UTF8Validation.isValid(bytes) == Self.reference(bytes), "\(bytes)")
                }
            }
            #expect(UTF8Validation.isValid([UInt8(lead)]) == Self.reference([UInt8(lead)]))
        }
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        var rng = SplitMix(seed: 17)
        let pieces: [[UInt8]] = [
            Array("a,鞍山\n".utf8), [0x80], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF0, 0x9F, 0x98, 0x80], [0xC0, 0xAF], [0xFF], Array("12345678".utf8),
        ]
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 6) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            #expect(UTF8Validation.isValid(bytes) == Self.reference(bytes), "\(bytes)")
        }
    }

    @Test func reportsTheBadSequence() {
        #expect(UTF8Validation.firstInvalidSequence(in: Array("abc".utf8)) == nil)
        #expect(UTF8Validation.firstInvalidSequence(in: [0x61, 0xFF, 0x62]) == 1..<2)  // not a lead byte
        #expect(UTF8Validation.firstInvalidSequence(in: [0x61, 0xE4, 0xB8]) == 1..<3)  // cut short
        #expect(UTF8Validation.firstInvalidSequence(in: [0xE4, 0x41, 0x80]) == 0..<2)  // broken at byte 2
        #expect(UTF8Validation.firstInvalidSequence(in: [0xE0, 0x80, 0x80]) == 0..<2)  // overlong
        #expect(UTF8Validation.firstInvalidSequence(in: [0xED, 0xA0, 0x80]) == 0..<2)  // surrogate
        #expect(UTF8Validation.firstInvalidSequence(in: [0xF4, 0x90, 0x80, 0x80]) == 0..<2)  // past U+10FFFF
        #expect(UTF8Validation.firstInvalidSequence(in: Array("鞍山鞍山鞍山".utf8) + [0x80]) == 18..<19)
    }

    @Test func positionsCountScalarsAndLines() {
        let bytes = Array("ab\n鞍山x".utf8) + [0xFF]
        #expect(UTF8Validation.position(ofByte: 0, in: bytes) == TextPosition(line: 1, column: 1))
        #expect(UTF8Validation.position(ofByte: 3, in: bytes) == TextPosition(line: 2, column: 1))
        #expect(UTF8Validation.position(ofByte: bytes.count - 1, in: bytes) == TextPosition(line: 2, column: 4))
        #expect(CSVReader.firstInvalidUTF8(in: bytes) == TextPosition(line: 2, column: 4))
    }
}
