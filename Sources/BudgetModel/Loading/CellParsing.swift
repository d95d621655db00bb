// CellParsing: the loader's byte-level readers of CSV cells — numbers in the one grammar of
// Datasets/FORMAT.md, and text — so that a cell becomes a value without a temporary `String`.
// A number cell is `-?[0-9]+(\.[0-9]+)?` (a whole number: `-?[0-9]+`), nothing else: no `+`,
// no point without digits on both sides, no space, no thousands separator, no exponent.

import Foundation

/// The number grammar of dataset cells, as error messages state it.
enum CellGrammar {
    /// What a decimal cell must be.
    static let decimal =
        "a plain decimal such as 2220.40 or -3 (digits, an optional leading -, an optional . followed by digits;"
        + " no +, spaces or thousands separators)"
    /// What a whole-number cell must be.
    static let integer = "a whole number such as 2025 (digits, an optional leading -)"
}

extension ExactDecimal {
    /// A decimal cell: `-?[0-9]+(\.[0-9]+)?` with at most 18 decimals and a value that fits,
    /// keeping the decimals as written (`2220.40` has scale 2); `nil` for anything else.
    init?(cell: UnsafeBufferPointer<UInt8>) {
        let n = cell.count
        var i = 0
        let negative = n > 0 && cell[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        var point = false
        while i < n {
            let byte = cell[i]
            if byte == UInt8(ascii: ".") {
                // One point, with digits before it and (checked below) after it.
                guard !point, digits > 0 else { return nil }
                point = true
            } else {
                let d = byte &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                let (m, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (v, o2) = m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { return nil }
                mantissa = v
                digits += 1
                if point { scale += 1 }
            }
            i += 1
        }
        guard digits > 0, !point || scale > 0, scale <= Int(ExactDecimal.maxScale) else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: Int8(scale))
    }
}

extension Int {
    /// A whole-number cell: `-?[0-9]+` with a value that fits; `nil` for anything else.
    init?(cell: UnsafeBufferPointer<UInt8>) {
        let n = cell.count
        var i = 0
        let negative = n > 0 && cell[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < n else { return nil }
        var value = 0
        while i < n {
            let d = cell[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate towards the sign, so that Int.min parses.
            let (v, o2) = negative ? m.subtractingReportingOverflow(Int(d)) : m.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return nil }
            value = v
            i += 1
        }
        self = value
    }
}

/// Makes `String`s from UTF-8 bytes, sharing one storage between equal texts: a cell that repeats
/// (an indicator name, a unit, a deadline) is kept once however many rows print it. Texts of
/// up to 15 bytes are stored inside the `String` value itself and are not kept here.
struct StringInterner {
    private var strings: [String] = []
    /// Open addressing: `slots[k]` is 0 when empty, else 1 + an index into `strings`.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int
    /// When the table holds this many texts it starts afresh (texts already made stay shared).
    private let limit: Int

    init(capacity: Int = 1 << 12, limit: Int = 1 << 20) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        self.limit = limit
    }

    /// The number of distinct texts kept.
    var count: Int { strings.count }

    /// The text of `utf8` (valid UTF-8), the same storage as an earlier equal text's.
    mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        if utf8.count <= 15 { return String(decoding: utf8, as: UTF8.self) }
        let h = Self.hash(utf8)
        var k = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = Int(slots[k])
            if slot == 0 { break }
            if hashes[slot - 1] == h {
                var stored = strings[slot - 1]
                let same = stored.withUTF8 { s in
                    guard s.count == utf8.count, let a = s.baseAddress, let b = utf8.baseAddress else { return false }
                    return memcmp(a, b, s.count) == 0
                }
                if same { return stored }
            }
            k = (k + 1) & mask
        }
        let s = String(decoding: utf8, as: UTF8.self)
        if strings.count >= limit {
            self = StringInterner(limit: limit)
            return string(utf8)
        }
        strings.append(s)
        hashes.append(h)
        slots[k] = Int32(strings.count)
        if strings.count * 2 > slots.count { grow() }
        return s
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for (i, h) in hashes.enumerated() {
            var k = Int(truncatingIfNeeded: h) & mask
            while slots[k] != 0 { k = (k + 1) & mask }
            slots[k] = Int32(i + 1)
        }
    }

    private static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        let raw = UnsafeRawBufferPointer(p)
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        while i < p.count {
            tail = tail << 8 | UInt64(p[i])
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }
}
