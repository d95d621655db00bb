// ModelCacheFormat: the binary encoding of a `[Budget]` for ModelCache — writing it, and reading it
// back with every length, offset, index and checksum verified, so that a truncated, corrupt or
// foreign file is rejected (the caller then loads from CSV) rather than crashing or decoding wrong.
//
// Layout (all fixed-width integers little-endian):
//
//     header (72 bytes)
//       0  magic "BQLCACHE"            8  format version (UInt32)   12  budget count (UInt32)
//       16 fingerprint (2 × UInt64)    32 file length (UInt64)      40  string count (UInt64)
//       48 string bytes (UInt64)       56 string section checksum   64  index checksum
//     string section: the length of each string (UInt32 × count), then their UTF-8 bytes
//     directory: per budget, the offset, length and checksum of its body (3 × UInt64)
//     bodies: one per budget, in order
//
// The index checksum covers header bytes 0..<64 and the directory. A body is one budget's tables
// in `Budget.visitTables` order — the department's fields, then for every other table its row
// count and each row's fields — with the fields of a row in `Record.visitFields` order, so the
// encoder and the decoder are written once for every table and field. Values are unsigned LEB128
// varints: strings are references into the string table (index + 1; 0 = nil), integers are
// zigzag varints, an `ExactDecimal` is one byte (0 = nil, else scale + 1) followed by its zigzag
// mantissa. Each distinct string is stored once, so that equal strings share one `String`
// storage after decoding. A new field changes the schema digest in every file's fingerprint, so
// old files are ignored; `ModelCache.formatVersion` is bumped when the encoding itself changes.

import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

enum CacheLayout {
    /// "BQLCACHE" read as a little-endian UInt64.
    static let magic: UInt64 = 0x4548_4341_434C_5142
    static let headerSize = 72
    static let directoryEntrySize = 24
}

// MARK: - Encoding

/// The pieces of an encoded cache file, written one after another.
struct EncodedCache {
    var header: [UInt8]
    var stringLengths: [UInt8]
    var stringBytes: [UInt8]
    var directory: [UInt8]
    var bodies: [UInt8]
}

/// Encodes budgets into the cache format.
struct CacheEncoder {
    private var out: [UInt8] = []
    private var strings = CacheStringTable()

    /// The encoded file, or `nil` if some count exceeds the format's limits.
    static func encode(_ budgets: [Budget], fingerprint: Digest) -> EncodedCache? {
        guard budgets.count <= Int(UInt32.max) else { return nil }
        var encoder = CacheEncoder()
        var spans: [(start: Int, end: Int)] = []
        spans.reserveCapacity(budgets.count)
        for budget in budgets {
            let start = encoder.out.count
            encoder.budget(budget)
            spans.append((start, encoder.out.count))
        }
        guard !encoder.strings.overflowed else { return nil }
        let strings = encoder.strings

        var lengths = [UInt8]()
        lengths.reserveCapacity(strings.lengths.count * 4)
        for length in strings.lengths { lengths.append(littleEndian: length) }
        var stringChecksum = StableHasher()
        lengths.withUnsafeBytes { stringChecksum.add(Checksum.of($0)) }
        strings.bytes.withUnsafeBytes { stringChecksum.add(Checksum.of($0)) }

        let bodiesStart =
            CacheLayout.headerSize + lengths.count + strings.bytes.count
            + budgets.count * CacheLayout.directoryEntrySize
        var directory = [UInt8]()
        directory.reserveCapacity(budgets.count * CacheLayout.directoryEntrySize)
        encoder.out.withUnsafeBytes { body in
            for span in spans {
                directory.append(littleEndian: UInt64(bodiesStart + span.start))
                directory.append(littleEndian: UInt64(span.end - span.start))
                directory.append(
                    littleEndian: Checksum.of(UnsafeRawBufferPointer(rebasing: body[span.start..<span.end])))
            }
        }

        var header = [UInt8]()
        header.reserveCapacity(CacheLayout.headerSize)
        header.append(littleEndian: CacheLayout.magic)
        header.append(littleEndian: ModelCache.formatVersion)
        header.append(littleEndian: UInt32(budgets.count))
        header.append(littleEndian: fingerprint.high)
        header.append(littleEndian: fingerprint.low)
        header.append(littleEndian: UInt64(bodiesStart + encoder.out.count))
        header.append(littleEndian: UInt64(strings.lengths.count))
        header.append(littleEndian: UInt64(strings.bytes.count))
        header.append(littleEndian: stringChecksum.digest.low)
        header.append(littleEndian: CacheEncoder.indexChecksum(header: header, directory: directory))
        return EncodedCache(
            header: header, stringLengths: lengths, stringBytes: strings.bytes,
            directory: directory, bodies: encoder.out)
    }

    static func indexChecksum(header: [UInt8], directory: [UInt8]) -> UInt64 {
        var hasher = StableHasher()
        header.withUnsafeBytes { hasher.add(Checksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<64]))) }
        directory.withUnsafeBytes { hasher.add(Checksum.of($0)) }
        return hasher.digest.low
    }

    // MARK: Primitives

    @inline(__always) private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    @inline(__always) private mutating func int(_ value: Int) {
        let v = Int64(value)
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    @inline(__always) private mutating func count(_ n: Int) { varint(UInt64(n)) }

    @inline(__always) private mutating func string(_ s: String) { varint(UInt64(strings.intern(s)) + 1) }

    @inline(__always) private mutating func string(_ s: String?) {
        if let s { string(s) } else { out.append(0) }
    }

    @inline(__always) private mutating func decimal(_ d: ExactDecimal?) {
        guard let d else {
            out.append(0)
            return
        }
        out.append(UInt8(d.scale) + 1)
        varint(UInt64(bitPattern: (d.mantissa << 1) ^ (d.mantissa >> 63)))
    }

    // MARK: Model

    /// Writes a budget: its tables in ``Budget/visitTables(_:)`` order, each table's row count, and
    /// each row's fields in ``Record/visitFields(_:)`` order, the order `CacheDecoder` reads them in.
    private mutating func budget(_ b: Budget) {
        var b = b
        b.visitTables(&self)
    }
}

extension CacheEncoder: TableVisitor, FieldVisitor {
    mutating func visit<R: Record>(single row: inout R) { row.visitFields(&self) }

    mutating func visit<R: Record>(rows: inout [R]) {
        count(rows.count)
        R.read(rows, with: &self)
    }

    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) { string(value) }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) { string(value) }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) { int(value) }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) { decimal(value) }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) { decimal(value) }
}

/// Distinct strings by their exact UTF-8 bytes (not `String` equality, which is canonical
/// equivalence and would merge differently normalized spellings), in first-seen order.
struct CacheStringTable {
    private(set) var bytes: [UInt8] = []
    private(set) var lengths: [UInt32] = []
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing: string index + 1, or 0 for an empty slot.
    private var slots = [UInt32](repeating: 0, count: 1 << 12)
    /// Set when a string or the table is too large for the format's 32-bit fields.
    private(set) var overflowed = false

    mutating func intern(_ s: String) -> UInt32 {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private mutating func intern(_ utf8: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Checksum.of(utf8)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            let index = Int(slot - 1)
            if hashes[index] == hash && Int(lengths[index]) == utf8.count && equal(index, utf8) { return UInt32(index) }
            i = (i + 1) & mask
        }
        guard utf8.count <= Int(UInt32.max), lengths.count < Int(UInt32.max) - 1 else {
            overflowed = true
            return 0
        }
        let index = lengths.count
        starts.append(bytes.count)
        lengths.append(UInt32(utf8.count))
        hashes.append(hash)
        bytes.append(contentsOf: utf8)
        slots[i] = UInt32(index + 1)
        if lengths.count * 2 > slots.count { grow() }
        return UInt32(index)
    }

    private func equal(_ index: Int, _ utf8: UnsafeRawBufferPointer) -> Bool {
        guard let p = utf8.baseAddress else { return true }
        return bytes.withUnsafeBytes { stored in
            guard let base = stored.baseAddress else { return false }
            return memcmp(base + starts[index], p, utf8.count) == 0
        }
    }

    private mutating func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt32(index + 1)
        }
    }
}

extension [UInt8] {
    @inline(__always) mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

// MARK: - Decoding

/// Why decoding stopped; the caller only needs to know that it did.
struct CacheCorrupt: Error {}

/// Reads a cache file's fields with bounds checks.
private struct RawReader {
    let base: UnsafeRawPointer
    let count: Int

    func u32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    func u64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    func checksum(_ offset: Int, _ length: Int) -> UInt64 {
        Checksum.of(UnsafeRawBufferPointer(start: base + offset, count: length))
    }
}

/// Reads a body: varints, string references and decimals, never past `end`.
private struct BodyCursor {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int
    let strings: UnsafeBufferPointer<String>
    /// Set by the first corrupt value a field visit reads.
    var failed = false

    @inline(__always) mutating func varint() throws(CacheCorrupt) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end, shift < 64 else { throw CacheCorrupt() }
            let byte = base[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always) mutating func int() throws(CacheCorrupt) -> Int {
        let v = try varint()
        return Int(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
    }

    /// An array count: each element takes at least one byte, so a count beyond the remaining
    /// bytes is corrupt (and must not reach `reserveCapacity`).
    @inline(__always) mutating func count() throws(CacheCorrupt) -> Int {
        let n = try varint()
        guard n <= UInt64(end - position) else { throw CacheCorrupt() }
        return Int(n)
    }

    @inline(__always) mutating func optionalString() throws(CacheCorrupt) -> String? {
        let i = try varint()
        if i == 0 { return nil }
        guard i <= UInt64(strings.count) else { throw CacheCorrupt() }
        return strings[Int(i - 1)]
    }

    @inline(__always) mutating func string() throws(CacheCorrupt) -> String {
        guard let s = try optionalString() else { throw CacheCorrupt() }
        return s
    }

    @inline(__always) mutating func optionalDecimal() throws(CacheCorrupt) -> ExactDecimal? {
        guard position < end else { throw CacheCorrupt() }
        let tag = base[position]
        position += 1
        if tag == 0 { return nil }
        guard tag <= UInt8(ExactDecimal.maxScale) + 1 else { throw CacheCorrupt() }
        let v = try varint()
        let mantissa = Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
        guard mantissa != .min else { throw CacheCorrupt() }
        return ExactDecimal(mantissa: mantissa, scale: Int8(tag - 1))
    }

    @inline(__always) mutating func decimal() throws(CacheCorrupt) -> ExactDecimal {
        guard let d = try optionalDecimal() else { throw CacheCorrupt() }
        return d
    }
}

/// Where a cache file's sections are, from its header: checked against the fingerprint, the
/// format version and the file's real size before any of it is used, and with every bound
/// checked before arithmetic on it can overflow.
struct CacheSections {
    let budgetCount: Int
    let stringCount: Int
    let bytesStart: Int
    let directoryStart: Int
    let bodiesStart: Int

    /// The sections of a file of `fileSize` bytes whose first `CacheLayout.headerSize` bytes are
    /// `header`, or `nil` when the header is not this format's, not for `fingerprint`, or
    /// describes a file of another size or sections that do not fit in it.
    init?(header: UnsafeRawBufferPointer, fingerprint: Digest, fileSize: Int) {
        guard let base = header.baseAddress, header.count >= CacheLayout.headerSize,
            fileSize >= CacheLayout.headerSize, fileSize <= Int.max / 8
        else { return nil }
        let r = RawReader(base: base, count: header.count)
        guard r.u64(0) == CacheLayout.magic, r.u32(8) == ModelCache.formatVersion,
            r.u64(16) == fingerprint.high, r.u64(24) == fingerprint.low, r.u64(32) == UInt64(fileSize)
        else { return nil }
        let size = UInt64(fileSize)
        let budgetCount = Int(r.u32(12))
        let stringCount = r.u64(40)
        let stringBytes = r.u64(48)
        guard budgetCount > 0, stringCount <= size / 4, stringBytes <= size else { return nil }
        self.budgetCount = budgetCount
        self.stringCount = Int(stringCount)
        bytesStart = CacheLayout.headerSize + Int(stringCount) * 4
        directoryStart = bytesStart + Int(stringBytes)
        bodiesStart = directoryStart + budgetCount * CacheLayout.directoryEntrySize
        guard bodiesStart <= fileSize else { return nil }
    }
}

enum CacheDecoder {
    /// Decodes a whole cache file held in memory, or returns `nil` if anything about it is wrong.
    static func decode(_ file: UnsafeRawBufferPointer, fingerprint: Digest) -> [Budget]? {
        guard let base = file.baseAddress, file.count >= CacheLayout.headerSize else { return nil }
        let r = RawReader(base: base, count: file.count)
        guard
            let sections = CacheSections(
                header: UnsafeRawBufferPointer(start: base, count: CacheLayout.headerSize), fingerprint: fingerprint,
                fileSize: file.count)
        else { return nil }
        let size = UInt64(file.count)
        let budgetCount = sections.budgetCount
        let stringCount = sections.stringCount
        let lengthsStart = CacheLayout.headerSize
        let bytesStart = sections.bytesStart
        let directoryStart = sections.directoryStart
        let bodiesStart = sections.bodiesStart

        // Index checksum: header and directory.
        var index = StableHasher()
        index.add(r.checksum(0, 64))
        index.add(r.checksum(directoryStart, bodiesStart - directoryStart))
        guard index.digest.low == r.u64(64) else { return nil }

        // Directory: every body inside the file, after the directory.
        var entries: [(offset: Int, length: Int, checksum: UInt64)] = []
        entries.reserveCapacity(budgetCount)
        for i in 0..<budgetCount {
            let entry = directoryStart + i * CacheLayout.directoryEntrySize
            let offset = r.u64(entry)
            let length = r.u64(entry + 8)
            guard offset >= UInt64(bodiesStart), offset <= size, length <= size - offset else { return nil }
            entries.append((Int(offset), Int(length), r.u64(entry + 16)))
        }
        let bodies = entries

        // String section: checksum, then the lengths must add up to the byte count.
        var strings = StableHasher()
        strings.add(r.checksum(lengthsStart, bytesStart - lengthsStart))
        strings.add(r.checksum(bytesStart, directoryStart - bytesStart))
        guard strings.digest.low == r.u64(56) else { return nil }
        guard
            let table = decodeStrings(
                r, count: stringCount, lengthsStart: lengthsStart,
                bytesStart: bytesStart, bytesEnd: directoryStart)
        else { return nil }

        // Bodies, in parallel; each chunk of budgets lands in its own slot.
        let chunks = UnsafeMutableBufferPointer<(start: Int, budgets: [Budget]?)>.allocate(capacity: budgetCount)
        chunks.initialize(repeating: (0, nil))
        defer {
            chunks.deinitialize()
            chunks.deallocate()
        }
        table.withUnsafeBufferPointer { strings in
            Parallel.forEachChunk(of: budgetCount, weights: { bodies[$0].length }) { range in
                var decoded: [Budget] = []
                decoded.reserveCapacity(range.count)
                for i in range {
                    let body = bodies[i]
                    guard r.checksum(body.offset, body.length) == body.checksum else { return }
                    var cursor = BodyCursor(
                        base: base.assumingMemoryBound(to: UInt8.self), position: body.offset,
                        end: body.offset + body.length, strings: strings)
                    guard let budget = try? CacheDecoder.budget(&cursor), cursor.position == cursor.end else { return }
                    decoded.append(budget)
                }
                chunks[range.lowerBound] = (range.lowerBound, decoded)
            }
        }
        var budgets: [Budget] = []
        budgets.reserveCapacity(budgetCount)
        var next = 0
        for chunk in chunks where chunk.budgets != nil {
            guard chunk.start == next, let decoded = chunk.budgets else { return nil }
            budgets.append(contentsOf: decoded)
            next += decoded.count
        }
        return next == budgetCount ? budgets : nil
    }

    /// The string table, decoded in parallel.
    private static func decodeStrings(
        _ r: RawReader, count: Int, lengthsStart: Int, bytesStart: Int,
        bytesEnd: Int
    ) -> [String]? {
        // One pass over the lengths: they must add up, and it gives each chunk its start offset.
        let expected = bytesEnd - bytesStart
        var total = 0
        for i in 0..<count {
            total += Int(r.u32(lengthsStart + i * 4))
            guard total <= expected else { return nil }
        }
        guard total == expected else { return nil }
        return [String](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let out = buffer.baseAddress else {
                initialized = 0
                return
            }
            let bytes = r.base.assumingMemoryBound(to: UInt8.self)
            Parallel.forEachChunk(of: count) { range in
                var offset = bytesStart
                // Each chunk finds its start by summing the lengths before it (cheap next to decoding).
                for i in 0..<range.lowerBound { offset += Int(r.u32(lengthsStart + i * 4)) }
                for i in range {
                    let length = Int(r.u32(lengthsStart + i * 4))
                    (out + i).initialize(
                        to: String(
                            decoding: UnsafeBufferPointer(start: bytes + offset, count: length),
                            as: UTF8.self))
                    offset += length
                }
            }
            initialized = count
        }
    }

    /// Reads a budget in the order ``CacheEncoder`` writes it.
    private static func budget(_ c: inout BodyCursor) throws(CacheCorrupt) -> Budget {
        var b = Budget(department: Department())
        b.visitTables(&c)
        if c.failed { throw CacheCorrupt() }
        return b
    }
}

/// Decoding walks the same declarations as encoding. A visit cannot throw, so the first corrupt
/// value sets `failed` and every later visit does nothing; `CacheDecoder.budget` then throws.
extension BodyCursor: TableVisitor, FieldVisitor {
    mutating func visit<R: Record>(single row: inout R) { row.visitFields(&self) }

    mutating func visit<R: Record>(rows: inout [R]) {
        guard !failed else { return }
        let n: Int
        do { n = try count() } catch {
            failed = true
            return
        }
        rows.reserveCapacity(n)
        for _ in 0..<n {
            var row = R()
            row.visitFields(&self)
            if failed { return }
            rows.append(consume row)
        }
    }

    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) {
        guard !failed else { return }
        do { value = try string() } catch { failed = true }
    }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) {
        guard !failed else { return }
        do { value = try optionalString() } catch { failed = true }
    }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) {
        guard !failed else { return }
        do { value = try int() } catch { failed = true }
    }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) {
        guard !failed else { return }
        do { value = try decimal() } catch { failed = true }
    }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) {
        guard !failed else { return }
        do { value = try optionalDecimal() } catch { failed = true }
    }
}

// MARK: - Files

enum CacheFile {
    /// Reads and decodes the cache file at `path`, or returns `nil` if it is missing, not a
    /// regular file, unreadable, larger than `limit` bytes, or not a valid cache for `fingerprint`.
    ///
    /// Nothing found at the path can block or exhaust the process. The file is opened
    /// non-blocking and must be a regular file (a FIFO or a device is refused before any read).
    /// Its header — magic, version, fingerprint, and the file length it records against the real
    /// size — and its index checksum over the header and the directory are checked with two small
    /// reads before the whole file is read, so a damaged file (a valid one extended to 40 GB, say)
    /// costs microseconds. The buffer comes from `malloc`, whose failure falls back like any other
    /// problem instead of trapping.
    static func read(_ path: String, fingerprint: Digest, limit: Int) -> [Budget]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0, s.st_mode & S_IFMT == S_IFREG, s.st_size >= 0, s.st_size <= limit else {
            return nil
        }
        let size = Int(s.st_size)
        var header = [UInt8](repeating: 0, count: CacheLayout.headerSize)
        guard size >= header.count, readFully(fd, &header, at: 0),
            let sections = header.withUnsafeBytes({
                CacheSections(header: $0, fingerprint: fingerprint, fileSize: size)
            })
        else { return nil }
        var directory = [UInt8](repeating: 0, count: sections.bodiesStart - sections.directoryStart)
        guard readFully(fd, &directory, at: sections.directoryStart),
            CacheEncoder.indexChecksum(header: header, directory: directory)
                == header.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: 64, as: UInt64.self).littleEndian })
        else { return nil }
        guard let memory = malloc(max(size, 1)) else { return nil }
        defer { free(memory) }
        let buffer = UnsafeMutableRawBufferPointer(start: memory, count: size)
        guard readFully(fd, buffer, at: 0) else { return nil }
        return CacheDecoder.decode(UnsafeRawBufferPointer(buffer), fingerprint: fingerprint)
    }

    private static func readFully(_ fd: Int32, _ bytes: inout [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeMutableBytes { readFully(fd, $0, at: offset) }
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        guard let base = buffer.baseAddress else { return buffer.isEmpty }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Writes `cache` to `file` atomically (a temporary file in the same directory, then a
    /// rename). Returns whether it succeeded; a failure leaves no temporary file behind.
    static func write(_ cache: EncodedCache, to file: URL, in directory: URL) -> Bool {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return false
        }
        let temporary = directory.appendingPathComponent(
            ".\(file.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        ).path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { return false }
        var ok = true
        for piece in [cache.header, cache.stringLengths, cache.stringBytes, cache.directory, cache.bodies] where ok {
            ok = piece.withUnsafeBytes { writeFully(fd, $0) }
        }
        ok = close(fd) == 0 && ok
        if ok { ok = rename(temporary, file.path) == 0 }
        if !ok { unlink(temporary) }
        return ok
    }

    private static func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return bytes.isEmpty }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, base + done, min(bytes.count - done, 1 << 30))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.write(fd, bytes, count)
    #elseif canImport(Glibc)
        Glibc.write(fd, bytes, count)
    #else
        Musl.write(fd, bytes, count)
    #endif
}
