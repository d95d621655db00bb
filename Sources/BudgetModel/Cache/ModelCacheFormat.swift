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
// The index checksum covers header bytes 0..<64 and the directory. A body is a sequence of
// unsigned LEB128 varints: strings are references into the string table (index + 1; 0 = nil),
// integers are zigzag varints, an `ExactDecimal` is one byte (0 = nil, else scale + 1) followed by
// its zigzag mantissa, and every array is its count followed by its elements. Each distinct
// string is stored once, so that equal strings share one `String` storage after decoding.

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

    // The order of fields here is the order `CacheDecoder.budget` reads them in.
    private mutating func budget(_ b: Budget) {
        let d = b.department
        string(d.id)
        string(d.code)
        string(d.name)
        string(d.province)
        string(d.city)
        string(d.county)
        int(d.year)
        string(d.kind)
        string(d.source)
        string(d.goal)
        count(b.units.count)
        for u in b.units {
            string(u.code)
            string(u.name)
            string(u.goal)
        }
        count(b.tasks.count)
        for t in b.tasks {
            string(t.unit)
            string(t.name)
            decimal(t.amount)
            string(t.text)
        }
        count(b.income.count)
        for i in b.income {
            string(i.source)
            decimal(i.amount)
        }
        count(b.totals.count)
        for t in b.totals {
            string(t.key)
            string(t.label)
            string(t.table)
            decimal(t.amount)
        }
        count(b.spending.count)
        for s in b.spending {
            string(s.code)
            string(s.name)
            string(s.fund)
            decimal(s.total)
            decimal(s.basic)
            decimal(s.personnel)
            decimal(s.publicCost)
            decimal(s.project)
        }
        count(b.economic.count)
        for e in b.economic {
            string(e.table)
            string(e.scheme)
            string(e.code)
            string(e.name)
            string(e.govCode)
            string(e.govName)
            decimal(e.total)
            decimal(e.basic)
            decimal(e.personnel)
            decimal(e.publicCost)
            decimal(e.project)
        }
        count(b.projects.count)
        for p in b.projects {
            string(p.id)
            string(p.unit)
            string(p.code)
            string(p.name)
            string(p.category)
            string(p.spendingType)
            string(p.content)
            decimal(p.amount)
            string(p.fund)
            string(p.functionCode)
            string(p.goal)
            decimal(p.goalAmount)
            count(p.plan.count)
            for q in p.plan { decimal(q) }
        }
        count(b.indicators.count)
        for i in b.indicators {
            int(i.id)
            string(i.project)
            string(i.unit)
            string(i.level1)
            string(i.level2)
            string(i.level3)
            string(i.op)
            decimal(i.value)
            string(i.text)
            string(i.measure)
            string(i.deadline)
            decimal(i.weight)
            string(i.direction)
            string(i.nature)
            string(i.basis)
            string(i.description)
        }
        count(b.threePublic.count)
        for t in b.threePublic {
            string(t.unit)
            decimal(t.total)
            decimal(t.abroad)
            decimal(t.vehicle)
            decimal(t.vehiclePurchase)
            decimal(t.vehicleOperation)
            decimal(t.reception)
        }
        count(b.procurement.count)
        for p in b.procurement {
            string(p.unit)
            string(p.project)
            decimal(p.projectAmount)
            string(p.item)
            string(p.category)
            string(p.catalogCode)
            string(p.measure)
            decimal(p.quantity)
            decimal(p.unitPrice)
            decimal(p.amount)
            decimal(p.smeReserved)
        }
        count(b.purchaseServices.count)
        for s in b.purchaseServices {
            string(s.unit)
            string(s.project)
            string(s.item)
            string(s.category)
            decimal(s.amount)
        }
        count(b.assets.count)
        for a in b.assets {
            string(a.category)
            string(a.item)
            decimal(a.quantity)
            decimal(a.amount)
            string(a.note)
        }
        count(b.narrative.count)
        for n in b.narrative {
            string(n.key)
            string(n.label)
            decimal(n.amount)
            string(n.measure)
            string(n.section)
            string(n.quote)
        }
    }
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
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + starts[index], p, utf8.count) == 0 }
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

    @inline(__always) mutating func array<T>(_ element: (inout BodyCursor) throws(CacheCorrupt) -> T)
        throws(CacheCorrupt) -> [T]
    {
        let n = try count()
        var result: [T] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try element(&self)) }
        return result
    }
}

enum CacheDecoder {
    /// Decodes a whole cache file held in memory, or returns `nil` if anything about it is wrong.
    static func decode(_ file: UnsafeRawBufferPointer, fingerprint: Digest) -> [Budget]? {
        guard let base = file.baseAddress, file.count >= CacheLayout.headerSize else { return nil }
        let r = RawReader(base: base, count: file.count)
        guard r.u64(0) == CacheLayout.magic, r.u32(8) == ModelCache.formatVersion,
            r.u64(16) == fingerprint.high, r.u64(24) == fingerprint.low,
            r.u64(32) == UInt64(file.count)
        else { return nil }
        let size = UInt64(file.count)
        let budgetCount = Int(r.u32(12))
        let stringCount = r.u64(40)
        let stringBytes = r.u64(48)
        // Section bounds, each checked against the file size before any arithmetic can overflow.
        guard budgetCount > 0, stringCount <= size / 4, stringBytes <= size else { return nil }
        let lengthsStart = CacheLayout.headerSize
        let bytesStart = lengthsStart + Int(stringCount) * 4
        let directoryStart = bytesStart + Int(stringBytes)
        let bodiesStart = directoryStart + budgetCount * CacheLayout.directoryEntrySize
        guard bodiesStart <= file.count else { return nil }

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
                r, count: Int(stringCount), lengthsStart: lengthsStart,
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

    // The order of fields here is the order `CacheEncoder.budget` writes them in.
    private static func budget(_ c: inout BodyCursor) throws(CacheCorrupt) -> Budget {
        var b = Budget(
            department: Department(
                id: try c.string(), code: try c.optionalString(), name: try c.string(), province: try c.string(),
                city: try c.optionalString(), county: try c.optionalString(), year: try c.int(), kind: try c.string(),
                source: try c.string(), goal: try c.optionalString()))
        b.units = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            BudgetUnit(code: try c.optionalString(), name: try c.string(), goal: try c.optionalString())
        }
        b.tasks = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            PerformanceTask(
                unit: try c.optionalString(), name: try c.string(), amount: try c.optionalDecimal(),
                text: try c.optionalString())
        }
        b.income = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            IncomeLine(source: try c.string(), amount: try c.optionalDecimal())
        }
        b.totals = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            PublishedTotal(
                key: try c.string(), label: try c.string(), table: try c.string(), amount: try c.optionalDecimal())
        }
        b.spending = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            SpendingLine(
                code: try c.optionalString(), name: try c.string(), fund: try c.string(),
                total: try c.optionalDecimal(), basic: try c.optionalDecimal(), personnel: try c.optionalDecimal(),
                publicCost: try c.optionalDecimal(), project: try c.optionalDecimal())
        }
        b.economic = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            EconomicLine(
                table: try c.string(), scheme: try c.string(), code: try c.optionalString(), name: try c.string(),
                govCode: try c.optionalString(), govName: try c.optionalString(), total: try c.optionalDecimal(),
                basic: try c.optionalDecimal(), personnel: try c.optionalDecimal(),
                publicCost: try c.optionalDecimal(), project: try c.optionalDecimal())
        }
        b.projects = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            Project(
                id: try c.string(), unit: try c.optionalString(), code: try c.optionalString(), name: try c.string(),
                category: try c.optionalString(), spendingType: try c.string(), content: try c.optionalString(),
                amount: try c.decimal(), fund: try c.optionalString(), functionCode: try c.optionalString(),
                goal: try c.optionalString(), goalAmount: try c.optionalDecimal(),
                plan: try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in try c.optionalDecimal() })
        }
        b.indicators = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            Indicator(
                id: try c.int(), project: try c.optionalString(), unit: try c.optionalString(),
                level1: try c.string(), level2: try c.optionalString(), level3: try c.string(), op: try c.string(),
                value: try c.optionalDecimal(), text: try c.optionalString(), measure: try c.optionalString(),
                deadline: try c.optionalString(), weight: try c.optionalDecimal(), direction: try c.optionalString(),
                nature: try c.optionalString(), basis: try c.optionalString(), description: try c.optionalString())
        }
        b.threePublic = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            ThreePublic(
                unit: try c.optionalString(), total: try c.optionalDecimal(), abroad: try c.optionalDecimal(),
                vehicle: try c.optionalDecimal(), vehiclePurchase: try c.optionalDecimal(),
                vehicleOperation: try c.optionalDecimal(), reception: try c.optionalDecimal())
        }
        b.procurement = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            ProcurementItem(
                unit: try c.optionalString(), project: try c.optionalString(),
                projectAmount: try c.optionalDecimal(), item: try c.string(), category: try c.optionalString(),
                catalogCode: try c.optionalString(), measure: try c.optionalString(),
                quantity: try c.optionalDecimal(), unitPrice: try c.optionalDecimal(),
                amount: try c.optionalDecimal(), smeReserved: try c.optionalDecimal())
        }
        b.purchaseServices = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            PurchasedService(
                unit: try c.optionalString(), project: try c.optionalString(), item: try c.string(),
                category: try c.optionalString(), amount: try c.optionalDecimal())
        }
        b.assets = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            Asset(
                category: try c.string(), item: try c.string(), quantity: try c.optionalDecimal(),
                amount: try c.optionalDecimal(), note: try c.optionalString())
        }
        b.narrative = try c.array { (c: inout BodyCursor) throws(CacheCorrupt) in
            NarrativeFigure(
                key: try c.string(), label: try c.string(), amount: try c.decimal(),
                measure: try c.optionalString(), section: try c.optionalString(), quote: try c.optionalString())
        }
        return b
    }
}

// MARK: - Files

enum CacheFile {
    /// Reads and decodes the cache file at `path` with one read, or returns `nil` if it is
    /// missing, unreadable or not a valid cache for `fingerprint`.
    static func read(_ path: String, fingerprint: Digest) -> [Budget]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0, Int(s.st_size) >= CacheLayout.headerSize else { return nil }
        let size = Int(s.st_size)
        // Check the header first, so that a stale cache costs one small read, not the whole file.
        var header = [UInt8](repeating: 0, count: CacheLayout.headerSize)
        guard readFully(fd, &header, at: 0),
            header.withUnsafeBytes({ RawReader(base: $0.baseAddress!, count: $0.count).u64(16) }) == fingerprint.high
        else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        guard readFully(fd, buffer, at: 0) else { return nil }
        return CacheDecoder.decode(UnsafeRawBufferPointer(buffer), fingerprint: fingerprint)
    }

    private static func readFully(_ fd: Int32, _ bytes: inout [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeMutableBytes { readFully(fd, $0, at: offset) }
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
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
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, min(bytes.count - done, 1 << 30))
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
