// fuzz-store: libFuzzer target for the catalog store reader (docs/STORAGE.md). The first input
// byte is a mode: bit 0 repairs the integrity fields before reading — every section's checksum
// (where the directory can be read), the directory's checksum, the file length and the header
// checksum — so that mutations reach the directory decoder and the section validators instead
// of stopping at a checksum; bit 1 runs queries over every table. The rest of the input is the
// file. An error at open, or a statement failing with `storeDamaged`, is an answer; a crash or a
// sanitizer report is a finding. Seeds: each bundled dataset and all five, written as stores.

import Foundation
import FuzzSupport

@testable import BudgetModel
@testable import BudgetQL

enum StoreTarget {
    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 {
        guard at >= 0, at + 8 <= b.count else { return 0 }
        return b.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    }

    static func put(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        guard at >= 0, at + 8 <= b.count else { return }
        withUnsafeBytes(of: v.littleEndian) { for (i, x) in $0.enumerated() { b[at + i] = x } }
    }

    /// Recomputes the checksums and the length, where the header and directory say they are.
    static func repair(_ b: inout [UInt8]) {
        let size = b.count
        let h = StoreLayout.headerSize
        guard size >= h else { return }
        put(&b, 48, UInt64(size))
        let offset = u64(b, 56)
        let length = u64(b, 64)
        if offset >= UInt64(h), offset <= UInt64(size), length == UInt64(size) - offset {
            let start = Int(offset)
            // Section checksums: decode the directory, fix each entry, encode it again.
            let decoded = b.withUnsafeBytes { raw in
                try? StoreDirectory.decode(UnsafeRawBufferPointer(rebasing: raw[start...]), sectionsEnd: offset)
            }
            if var directory = decoded {
                for (i, s) in directory.sections.enumerated() {
                    directory.sections[i].checksum = b.withUnsafeBytes {
                        BlockChecksum.of(UnsafeRawBufferPointer(rebasing: $0[Int(s.offset)..<Int(s.offset + s.length)]))
                    }
                }
                let encoded = directory.encoded()
                if encoded.count == size - start { b.replaceSubrange(start..<size, with: encoded) }
            }
            put(&b, 72, b.withUnsafeBytes { BlockChecksum.of(UnsafeRawBufferPointer(rebasing: $0[start...])) })
        }
        put(&b, h - 8, b.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<(h - 8)])) })
    }

    static let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "fuzz-store-\(ProcessInfo.processInfo.processIdentifier).bqldb")

    static func one(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var bytes = Array(input.dropFirst())
        if mode & 1 == 1 { repair(&bytes) }
        guard (try? Data(bytes).write(to: file)) != nil else { Fuzzer.fail("cannot write \(file.path)") }
        guard let catalog = try? Catalog.open(store: file) else { return }
        // Touch every part: each must read cleanly or record damage.
        for t in catalog.tables {
            for f in t.fields.indices { _ = t.columns[f].count }
            for (_, r) in t.references { _ = r.targets.count }
            for r in t.relations { _ = r.rows.targets.count }
        }
        _ = try? catalog.loadBudgets()
        guard mode & 2 == 2 else { return }
        let limits = QueryLimits(maxRows: 10_000, timeout: .milliseconds(250), maxMemory: 64 << 20)
        for query in [
            "spending | group by 类 | agg s = sum(amount) | sort -s",
            "projects | where any(indicators, value >= 90) | select dept, name, amount",
            "indicators | group by project.dept | agg n = count()",
            "departments | select *",
            "checks | group by kind | agg n = count()",
        ] {
            var session = Session(catalog: catalog, limits: limits)
            _ = try? session.query(query)
        }
    }

    /// Each bundled dataset alone and all five, written as stores, with and without repair and queries.
    static func seeds() -> [[UInt8]] {
        guard let all = try? DatasetLoader.loadAll(from: Repo.datasets) else { return [] }
        var out: [[UInt8]] = []
        for set in all.map({ [$0] }) + [all] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fuzz-store-seed-\(ProcessInfo.processInfo.processIdentifier).bqldb")
            defer { try? FileManager.default.removeItem(at: url) }
            guard (try? Catalog(budgets: set).write(to: url)) != nil, let file = try? [UInt8](Data(contentsOf: url))
            else { continue }
            for mode: UInt8 in [0, 1, 3] { out.append([mode] + file) }
        }
        return out
    }
}

Fuzzer.main(seeds: StoreTarget.seeds) { data, size in
    StoreTarget.one(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
