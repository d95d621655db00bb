// StoreWriter: writes a catalog as a store (`.bqldb`): each column, reference and relation as a
// typed little-endian array in its own checksummed section, the budget model as one section in
// the load cache's encoding, then the directory, then the header. Written to a temporary file
// beside the destination and renamed over it, so a reader never sees half a store.

import BudgetModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

#if _endian(big)
    #error("The store format is little-endian; a big-endian reader would need byte swaps.")
#endif

/// Writes sections to an open file, remembering where each went.
private struct SectionSink {
    let fd: Int32
    let path: String
    var offset: UInt64
    var directory = StoreDirectory()

    /// Appends one section made of `pieces` and returns its number.
    mutating func section(_ kind: StoreLayout.Kind, _ pieces: [UnsafeRawBufferPointer]) throws(StoreError) -> UInt32 {
        let padding = Int((UInt64(StoreLayout.alignment) - offset % UInt64(StoreLayout.alignment)) % 8)
        if padding > 0 {
            let zeros = [UInt64](repeating: 0, count: 1)
            try zeros.withUnsafeBytes { b in
                Result { () throws(StoreError) in try write(UnsafeRawBufferPointer(rebasing: b[0..<padding])) }
            }.get()
        }
        let start = offset
        var checksum = BlockChecksum()
        for piece in pieces {
            checksum.add(piece)
            try write(piece)
        }
        guard directory.sections.count < Int(StoreLayout.noSection) else { throw .tooLarge(what: "sections") }
        directory.sections.append(
            SectionEntry(kind: kind, offset: start, length: offset - start, checksum: checksum.value))
        return UInt32(directory.sections.count - 1)
    }

    mutating func array<T>(_ kind: StoreLayout.Kind, _ values: [T]) throws(StoreError) -> UInt32 {
        var result: Result<UInt32, StoreError> = .failure(.tooLarge(what: "a section"))
        values.withUnsafeBytes { bytes in
            do throws(StoreError) { result = .success(try section(kind, [bytes])) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    mutating func bytes(_ kind: StoreLayout.Kind, _ bytes: [UInt8]) throws(StoreError) -> UInt32 {
        try array(kind, bytes)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, p, min(left, 1 << 30))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
            p += n
            left -= n
            offset += UInt64(n)
        }
    }
}

extension Catalog {
    /// Writes this catalog as a store at `url` (docs/STORAGE.md), replacing any file there only
    /// once the new one is complete. `source` is the fingerprint of the datasets it was built
    /// from, when it serves as a load cache.
    public func write(to url: URL) throws(StoreError) { try write(to: url, source: (0, 0)) }

    package func write(to url: URL, source: (UInt64, UInt64)) throws(StoreError) {
        let path = url.path
        let temporary =
            url.deletingLastPathComponent().appendingPathComponent(
                ".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
            ).path
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do throws(StoreError) {
            // The header's place, filled once the directory's is known.
            var sink = SectionSink(fd: fd, path: path, offset: 0)
            let zeros = [UInt8](repeating: 0, count: StoreLayout.headerSize)
            try zeros.withUnsafeBytes { b in Result { () throws(StoreError) in try sink.write(b) } }.get()
            for table in tables { sink.directory.tables.append(try Catalog.write(table, to: &sink)) }
            sink.directory.codeNames = codeNames.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            sink.directory.known = known
            let budgets = try loadBudgets()
            sink.directory.budgetCount = budgets.count
            if let pieces = ModelCache.encodeModel(budgets) {
                let buffers = pieces.map { piece in
                    let b = UnsafeMutableRawBufferPointer.allocate(byteCount: piece.count, alignment: 8)
                    piece.withUnsafeBytes { b.copyMemory(from: $0) }
                    return UnsafeRawBufferPointer(b)
                }
                defer { for b in buffers { b.deallocate() } }
                sink.directory.model = try sink.section(StoreLayout.Kind.model, buffers)
            } else if !budgets.isEmpty {
                throw .tooLarge(what: "the budget model")
            }
            // The directory, then the header that points at it.
            let directory = sink.directory.encoded()
            let directoryOffset = sink.offset
            try directory.withUnsafeBytes { b in Result { () throws(StoreError) in try sink.write(b) } }.get()
            let header = StoreHeader(
                version: StoreLayout.version, layout: Catalog.layoutDigest, source: source, fileLength: sink.offset,
                directoryOffset: directoryOffset, directoryLength: UInt64(directory.count),
                directoryChecksum: directory.withUnsafeBytes { BlockChecksum.of($0) }
            ).bytes
            guard pwrite(fd, header, header.count, 0) == header.count, fsync(fd) == 0 else {
                throw .unwritable(path: path, reason: String(cString: strerror(errno)))
            }
            closed = true
            guard close(fd) == 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
            guard rename(temporary, path) == 0 else {
                throw .unwritable(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func write(_ table: Table, to sink: inout SectionSink) throws(StoreError) -> TableEntry {
        var entry = TableEntry(
            name: table.name, alias: table.alias, doc: table.doc, measure: table.measure, count: table.count,
            fields: [], references: [], relations: [])
        guard table.count <= Int(Int32.max) else { throw .tooLarge(what: "table \(table.name)") }
        for (f, field) in table.fields.enumerated() {
            switch table.columns[f].storage {
            case .coded(let codes, let dictionary):
                let c = try sink.array(.codes, codes)
                let d = try sink.bytes(.dictionary, encode(dictionary))
                entry.fields.append(FieldEntry(field: field, storage: .coded, first: c, second: d))
            case .decimal(let mantissas, let scales):
                let m = try sink.array(.mantissas, mantissas)
                let s = try sink.array(.scales, scales)
                entry.fields.append(FieldEntry(field: field, storage: .decimal, first: m, second: s))
            case .values(let values):
                let v = try sink.bytes(.values, encode(values))
                entry.fields.append(
                    FieldEntry(field: field, storage: .values, first: v, second: StoreLayout.noSection))
            }
        }
        for (field, column) in table.references.sorted(by: { $0.key < $1.key }) {
            entry.references.append((field, try sink.array(.references, column.targets)))
        }
        for r in table.relations {
            let rows = r.rows
            let offsets = try sink.array(.offsets, rows.offsets.map { Int64($0) })
            let targets = try sink.array(.targets, rows.targets)
            entry.relations.append(
                RelationEntry(
                    name: r.name, alias: r.alias, target: r.target, doc: r.doc, offsets: offsets, targets: targets,
                    targetCount: rows.targets.count))
        }
        return entry
    }

    /// A dictionary section: the string count, each string's end offset, then the UTF-8 bytes.
    private static func encode(_ dictionary: TextDictionary) -> [UInt8] {
        var w = ByteWriter()
        w.u64(UInt64(dictionary.count))
        var end: UInt64 = 0
        for s in dictionary.strings {
            end += UInt64(s.utf8.count)
            w.u64(end)
        }
        for s in dictionary.strings { w.bytes.append(contentsOf: s.utf8) }
        return w.bytes
    }

    /// A values section: per row a tag (0 null, 1 false, 2 true, 3 integer, 4 decimal, 5 text)
    /// and its payload.
    private static func encode(_ values: [Value]) -> [UInt8] {
        var w = ByteWriter()
        for v in values {
            switch v {
            case .null: w.u8(0)
            case .bool(let b): w.u8(b ? 2 : 1)
            case .integer(let i):
                w.u8(3)
                w.i64(Int64(i))
            case .decimal(let d):
                w.u8(4)
                w.i64(d.mantissa)
                w.u8(UInt8(bitPattern: d.scale))
            case .text(let s):
                w.u8(5)
                w.string(s)
            }
        }
        return w.bytes
    }
}
