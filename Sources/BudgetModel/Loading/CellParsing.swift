// CellParsing: the loader's byte-level readers of trimmed CSV cells — decimals, whole numbers
// and text — so that a cell becomes a value without a temporary `String`. Each gives exactly
// what its `String` counterpart gives (`ExactDecimal(_:)`, `Int(_:)`, `String(decoding:as:)`);
// Tests/BudgetModelTests/CellParsingTests.swift compares them.

import Foundation

extension ExactDecimal {
    /// `ExactDecimal(String(decoding: utf8, as: UTF8.self))` (no grouping), read from the bytes.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        self.init(bytes: utf8, allowGrouping: false)
    }
}

extension Int {
    /// `Int(String(decoding: utf8, as: UTF8.self))`, read from the bytes: an optional sign, then
    /// one or more ASCII digits; `nil` on anything else or on overflow.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = utf8.count
        guard n > 0 else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < n else { return nil }
        var value = 0
        while i < n {
            let d = utf8[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate towards the sign, so that Int.min parses.
            let (v, o2) = negative ? m.subtractingReportingOverflow(Int(d)) : m.addingReportingOverflow(Int(d))
            if o1 || o2 { return nil }
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
                    s.count == utf8.count && memcmp(s.baseAddress!, utf8.baseAddress!, s.count) == 0
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
