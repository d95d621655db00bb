// fuzz-cache: libFuzzer target for the load-cache decoder (ModelCacheFormat). The first input
// byte chooses whether the integrity fields are repaired before decoding — the file length, the
// body checksums, the string checksum and the index checksum, all recomputed — so that mutations
// reach the body decoder instead of stopping at a checksum; the rest of the input is the file.
// The fingerprint is taken from the input's own header. A crash or a sanitizer report is a
// finding; `nil` (fall back to CSV) is an answer. Seeds: the bundled budgets, encoded.

import BudgetQL
import Foundation
import FuzzSupport

@testable import BudgetModel

enum CacheTarget {
    static func u64(_ b: [UInt8], _ at: Int) -> UInt64? {
        guard at >= 0, at + 8 <= b.count else { return nil }
        var v: UInt64 = 0
        for k in (0..<8).reversed() { v = v << 8 | UInt64(b[at + k]) }
        return v
    }

    static func put(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        guard at >= 0, at + 8 <= b.count else { return }
        for k in 0..<8 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }

    static func checksum(_ b: [UInt8], _ from: Int, _ count: Int) -> UInt64 {
        b.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[from..<(from + count)])) }
    }

    /// Recomputes every integrity field the header and directory describe, where they lie in the file.
    static func repair(_ b: inout [UInt8]) {
        let size = b.count
        guard size >= CacheLayout.headerSize else { return }
        put(&b, 32, UInt64(size))
        guard let strings = u64(b, 40), let bytes = u64(b, 48), strings <= UInt64(size / 4), bytes <= UInt64(size)
        else { return }
        let budgets = Int(b[12]) | Int(b[13]) << 8 | Int(b[14]) << 16 | Int(b[15]) << 24
        let lengthsStart = CacheLayout.headerSize
        let bytesStart = lengthsStart + Int(strings) * 4
        let directoryStart = bytesStart + Int(bytes)
        let (bodiesStart, overflow) = directoryStart.addingReportingOverflow(budgets * CacheLayout.directoryEntrySize)
        guard !overflow, budgets <= size, bodiesStart <= size, directoryStart <= size else { return }
        for i in 0..<budgets {
            let entry = directoryStart + i * CacheLayout.directoryEntrySize
            guard let offset = u64(b, entry), let length = u64(b, entry + 8), offset <= UInt64(size),
                length <= UInt64(size) - offset
            else { continue }
            put(&b, entry + 16, checksum(b, Int(offset), Int(length)))
        }
        var stringHash = StableHasher()
        stringHash.add(checksum(b, lengthsStart, bytesStart - lengthsStart))
        stringHash.add(checksum(b, bytesStart, directoryStart - bytesStart))
        put(&b, 56, stringHash.digest.low)
        var index = StableHasher()
        index.add(checksum(b, 0, 64))
        index.add(checksum(b, directoryStart, bodiesStart - directoryStart))
        put(&b, 64, index.digest.low)
    }

    static func one(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var file = Array(input.dropFirst())
        if mode & 1 == 1 { repair(&file) }
        let fingerprint = Digest(high: u64(file, 16) ?? 0, low: u64(file, 24) ?? 0)
        let budgets = file.withUnsafeBytes { CacheDecoder.decode($0, fingerprint: fingerprint) }
        if let budgets, mode & 2 == 2 {
            // What decodes must also make a catalog that answers.
            let catalog = Catalog(budgets: budgets)
            _ = Outcome.of(
                "spending | group by 类 | agg s = sum(amount) | sort -s", catalog: catalog, mode: .batch,
                limits: QueryLimits(maxRows: 10_000, timeout: .milliseconds(250), maxMemory: 64 << 20))
        }
    }

    /// Each bundled budget encoded alone and all together, with and without repair and the catalog.
    static func seeds() -> [[UInt8]] {
        guard let all = try? DatasetLoader.loadAll(from: Repo.datasets) else { return [] }
        var out: [[UInt8]] = []
        for set in [all] + all.map({ [$0] }) {
            guard let e = CacheEncoder.encode(set, fingerprint: Digest(high: 1, low: 2)) else { continue }
            let file = e.header + e.stringLengths + e.stringBytes + e.directory + e.bodies
            for mode: UInt8 in [0, 1, 3] { out.append([mode] + file) }
        }
        return out
    }
}

Fuzzer.main(seeds: CacheTarget.seeds) { data, size in
    CacheTarget.one(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
