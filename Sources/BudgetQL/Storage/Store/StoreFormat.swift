// StoreFormat: the byte layout of a catalog store (`.bqldb`, docs/STORAGE.md) — its header, the
// writer of little-endian values and length-prefixed strings, the bounds-checked cursor that
// reads them back, and the block checksum every section carries. Nothing here touches files.

import BudgetModel

/// Constants of the store's layout.
enum StoreLayout {
    /// "BQLSTORE" read as a little-endian UInt64.
    static let magic: UInt64 = 0x4552_4F54_534C_5142
    /// The format version this code writes and reads.
    static let version: UInt32 = 1
    /// Bytes before the first section.
    static let headerSize = 88
    /// Sections start at multiples of this.
    static let alignment = 8
    /// A section's checksum covers blocks of this many bytes.
    static let checksumBlock = 1 << 20
    /// "No section" in a directory entry.
    static let noSection = UInt32.max
    /// Section kinds, recorded in the directory so a section is read only as what it is.
    enum Kind: UInt8 {
        /// UInt32 dictionary codes, one per row.
        case codes = 1
        /// A dictionary: count, offsets, UTF-8 bytes.
        case dictionary = 2
        /// Int64 decimal mantissas, one per row.
        case mantissas = 3
        /// Int8 decimal scales, one per row (−1 = null).
        case scales = 4
        /// Tagged values (null, bool, integer, decimal, text), one per row.
        case values = 5
        /// Int32 reference targets, one per row (−1 = none).
        case references = 6
        /// Int64 relation offsets, one per row plus one.
        case offsets = 7
        /// Int32 relation targets.
        case targets = 8
        /// The budget model in the load cache's encoding.
        case model = 9
    }
}

/// The header's fields.
struct StoreHeader {
    var version: UInt32
    /// Digest of the tables and fields of the catalog (`Catalog.layoutDigest`).
    var layout: (UInt64, UInt64)
    /// Digest of the dataset files the store was built from (`ModelCache.inputFingerprint`).
    var source: (UInt64, UInt64)
    var fileLength: UInt64
    var directoryOffset: UInt64
    var directoryLength: UInt64
    var directoryChecksum: UInt64

    /// The 88 header bytes: magic, version, reserved, layout, source, file length, directory
    /// offset, length and checksum; then the checksum of the bytes before it.
    var bytes: [UInt8] {
        var w = ByteWriter()
        w.u64(StoreLayout.magic)
        w.u32(version)
        w.u32(0)
        w.u64(layout.0)
        w.u64(layout.1)
        w.u64(source.0)
        w.u64(source.1)
        w.u64(fileLength)
        w.u64(directoryOffset)
        w.u64(directoryLength)
        w.u64(directoryChecksum)
        let sum = w.bytes.withUnsafeBytes { ModelCache.checksum($0) }
        w.u64(sum)
        return w.bytes
    }

    /// Reads a header; `nil` when the magic is wrong (another kind of file). Checks the header's
    /// own checksum only after the magic and version, so those errors can be told apart.
    static func read(_ bytes: UnsafeRawBufferPointer) -> (header: StoreHeader, checksumOK: Bool)? {
        guard bytes.count >= StoreLayout.headerSize else { return nil }
        var c = ByteCursor(bytes)
        guard (try? c.u64()) == StoreLayout.magic else { return nil }
        func next() -> UInt64 { (try? c.u64()) ?? 0 }
        let version = (try? c.u32()) ?? 0
        _ = try? c.u32()
        let header = StoreHeader(
            version: version, layout: (next(), next()), source: (next(), next()), fileLength: next(),
            directoryOffset: next(), directoryLength: next(), directoryChecksum: next())
        let recorded = next()
        let computed = ModelCache.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(StoreLayout.headerSize - 8)]))
        return (header, recorded == computed)
    }
}

/// Appends little-endian values and length-prefixed UTF-8 strings.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { append(v) }
    mutating func u64(_ v: UInt64) { append(v) }
    mutating func i64(_ v: Int64) { append(v) }

    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ s: String) {
        u32(UInt32(truncatingIfNeeded: s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func optionalString(_ s: String?) {
        if let s {
            u8(1)
            string(s)
        } else {
            u8(0)
        }
    }
}

/// Why a cursor stopped: what it was reading when the bytes ran out or made no sense.
struct CursorError: Error {
    let detail: String
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes that remain.
struct ByteCursor {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(CursorError) -> T {
        let n = MemoryLayout<T>.size
        guard bytes.count - position >= n else { throw CursorError(detail: "ends inside a value") }
        let v = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += n
        return v
    }

    mutating func u8() throws(CursorError) -> UInt8 { try fixed(UInt8.self) }
    mutating func u32() throws(CursorError) -> UInt32 { try fixed(UInt32.self) }
    mutating func u64() throws(CursorError) -> UInt64 { try fixed(UInt64.self) }
    mutating func i64() throws(CursorError) -> Int64 { try fixed(Int64.self) }

    /// A count that must be at most `limit` (so no later allocation can be made huge).
    mutating func count(limit: Int) throws(CursorError) -> Int {
        let n = try u32()
        guard Int(n) <= limit else { throw CursorError(detail: "a count of \(n) where at most \(limit) fit") }
        return Int(n)
    }

    mutating func string() throws(CursorError) -> String {
        let n = Int(try u32())
        guard bytes.count - position >= n else { throw CursorError(detail: "a text runs past its part") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)])
        guard UTF8Validation.firstInvalidSequence(in: slice.bindMemory(to: UInt8.self)) == nil else {
            throw CursorError(detail: "a text is not UTF-8")
        }
        position += n
        return String(decoding: slice, as: UTF8.self)
    }

    mutating func optionalString() throws(CursorError) -> String? {
        switch try u8() {
        case 0: return nil
        case 1: return try string()
        case let b: throw CursorError(detail: "optional-text tag \(b)")
        }
    }
}

/// The checksum of a section: the cache's 64-bit checksum of each 1 MiB block, folded in order
/// with the section's length, so a section can be written in pieces and verified in one pass.
struct BlockChecksum {
    private var running: UInt64 = 0x5354_4F52_4543_4B53
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        length += UInt64(bytes.count)
        var i = 0
        if !pending.isEmpty {
            let take = min(StoreLayout.checksumBlock - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            i = take
            if pending.count == StoreLayout.checksumBlock {
                running = pending.withUnsafeBytes { ModelCache.combine(running, ModelCache.checksum($0)) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - i >= StoreLayout.checksumBlock {
            let block = UnsafeRawBufferPointer(rebasing: bytes[i..<(i + StoreLayout.checksumBlock)])
            running = ModelCache.combine(running, ModelCache.checksum(block))
            i += StoreLayout.checksumBlock
        }
        if i < bytes.count { pending.append(contentsOf: bytes[i...]) }
    }

    var value: UInt64 {
        var r = running
        if !pending.isEmpty { r = pending.withUnsafeBytes { ModelCache.combine(r, ModelCache.checksum($0)) } }
        return ModelCache.combine(r, length)
    }

    /// The checksum of bytes held in one buffer.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var c = BlockChecksum()
        c.add(bytes)
        return c.value
    }
}
