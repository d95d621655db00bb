// StoreReader: opens a catalog store (`.bqldb`) — checks its header, size and directory before
// anything else — and gives tables whose columns, references and relations are read from the
// file when a query first needs them (positioned reads, each section checked against its
// checksum and its values against their bounds). A section found damaged after opening is
// recorded (`damage`), read as nulls so nothing can crash, and the statement that touched it
// fails with that error (`Session.execute`).

import BudgetModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// An open store file. Sendable: the file descriptor is only read with `pread`, and the damage
/// record is guarded by a lock.
final class StoreReader: @unchecked Sendable {
    /// The file's path, for messages.
    let path: String
    /// What the file holds.
    let directory: StoreDirectory
    /// The fingerprint of the datasets it was built from.
    let source: (UInt64, UInt64)
    private let fd: Int32
    private let lock = NSLock()
    private var recorded: StoreError?

    /// The first damage found while reading, if any.
    var damage: StoreError? {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Whether this store is the load cache: damage found in it removes the file, so that the
    /// next run rebuilds it instead of failing the same way.
    private let isCache: Bool

    private func record(_ error: StoreError) {
        lock.lock()
        defer { lock.unlock() }
        guard recorded == nil else { return }
        if isCache, case .damaged(let path, let part, let detail) = error {
            unlink(path)
            recorded = .cacheDamaged(path: path, part: part, detail: detail)
        } else {
            recorded = error
        }
    }

    /// Opens the store at `path`: a regular file whose magic, version, layout, size, header
    /// checksum and directory checksum are right, and whose directory describes sections that fit.
    init(path: String, isCache: Bool = false) throws(StoreError) {
        self.path = path
        self.isCache = isCache
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        var ok = false
        defer { if !ok { close(fd) } }
        var s = stat()
        guard fstat(fd, &s) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard s.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let size = UInt64(max(s.st_size, 0))
        var headerBytes = [UInt8](repeating: 0, count: StoreLayout.headerSize)
        guard size >= UInt64(StoreLayout.headerSize), StoreReader.read(fd, into: &headerBytes, at: 0) else {
            throw .notAStore(path: path)
        }
        guard let (header, checksumOK) = headerBytes.withUnsafeBytes({ StoreHeader.read($0) }) else {
            throw .notAStore(path: path)
        }
        guard header.version == StoreLayout.version else {
            throw .unsupportedVersion(path: path, found: header.version, supported: StoreLayout.version)
        }
        guard checksumOK else { throw .damaged(path: path, part: "the header", detail: "its checksum does not match") }
        guard header.fileLength == size else { throw .wrongSize(path: path, expected: header.fileLength, actual: size) }
        guard header.layout == Catalog.layoutDigest else { throw .otherSchema(path: path) }
        guard header.directoryOffset >= UInt64(StoreLayout.headerSize), header.directoryOffset <= size,
            header.directoryLength == size - header.directoryOffset, header.directoryLength <= UInt64(Int32.max)
        else { throw .damaged(path: path, part: "the header", detail: "the directory lies outside the file") }
        var directoryBytes = [UInt8](repeating: 0, count: Int(header.directoryLength))
        guard StoreReader.read(fd, into: &directoryBytes, at: header.directoryOffset) else {
            throw .unreadable(path: path, reason: "a short read")
        }
        guard directoryBytes.withUnsafeBytes({ BlockChecksum.of($0) }) == header.directoryChecksum else {
            throw .damaged(path: path, part: "the directory", detail: "its checksum does not match")
        }
        let decoded = directoryBytes.withUnsafeBytes { b in
            Result { () throws(CursorError) in try StoreDirectory.decode(b, sectionsEnd: header.directoryOffset) }
        }
        switch decoded {
        case .success(let d): directory = d
        case .failure(let error): throw .damaged(path: path, part: "the directory", detail: error.detail)
        }
        // The tables the directory describes must be this bql's, whatever the header claims.
        guard Catalog.layoutDigest(of: directory.tables.map(Catalog.Shape.init)) == Catalog.layoutDigest else {
            throw .otherSchema(path: path)
        }
        source = header.source
        self.fd = fd
        ok = true
    }

    deinit { close(fd) }

    // MARK: Sections

    /// Reads section `s` whole into an array of `T`, checking its checksum; `nil` (and the damage
    /// recorded) when the read or the checksum fails.
    private func array<T: FixedWidthInteger>(_ s: UInt32, of: T.Type, part: String) -> [T]? {
        let entry = directory.sections[Int(s)]
        let count = Int(entry.length) / MemoryLayout<T>.size
        var out = [T](repeating: 0, count: count)
        let read = out.withUnsafeMutableBytes { StoreReader.read(fd, into: $0, at: entry.offset) }
        guard read else {
            record(.damaged(path: path, part: part, detail: "it cannot be read (the file changed or is truncated)"))
            return nil
        }
        guard out.withUnsafeBytes({ BlockChecksum.of($0) }) == entry.checksum else {
            record(.damaged(path: path, part: part, detail: "its checksum does not match"))
            return nil
        }
        return out
    }

    private func bytes(_ s: UInt32, part: String) -> [UInt8]? { array(s, of: UInt8.self, part: part) }

    private func invalid(_ part: String, _ detail: String) {
        record(.damaged(path: path, part: part, detail: detail))
    }

    // MARK: Columns

    /// The column of field `f` of table `t`, or a column of nulls if its sections are damaged.
    func column(_ t: Int, _ f: Int) -> Column {
        let table = directory.tables[t]
        let entry = table.fields[f]
        let part = "column \(table.name).\(entry.field.name)"
        let rows = table.count
        switch entry.storage {
        case .coded:
            guard let codes = array(entry.first, of: UInt32.self, part: part),
                let dictionary = dictionary(entry.second, part: part)
            else { return Column(.coded([UInt32](repeating: 0, count: rows), TextDictionary([]))) }
            let limit = UInt32(dictionary.count)
            guard codes.allSatisfy({ $0 <= limit }) else {
                invalid(part, "a code past its dictionary")
                return Column(.coded([UInt32](repeating: 0, count: rows), TextDictionary([])))
            }
            return Column(.coded(codes, dictionary))
        case .decimal:
            guard let mantissas = array(entry.first, of: Int64.self, part: part),
                let scales = array(entry.second, of: Int8.self, part: part)
            else { return Column(.decimal([Int64](repeating: 0, count: rows), [Int8](repeating: -1, count: rows))) }
            guard scales.allSatisfy({ $0 >= -1 && $0 <= ExactDecimal.maxScale }) else {
                invalid(part, "a decimal scale out of range")
                return Column(.decimal([Int64](repeating: 0, count: rows), [Int8](repeating: -1, count: rows)))
            }
            return Column(.decimal(mantissas, scales))
        case .values:
            guard let bytes = bytes(entry.first, part: part) else {
                return Column(values: [Value](repeating: .null, count: rows))
            }
            do throws(CursorError) {
                let values = try StoreReader.values(bytes, count: rows)
                // Values of the field's declared type only (the engine relies on it).
                let fits: (Value) -> Bool
                switch entry.field.type {
                case .integer: fits = { if case .integer = $0 { true } else { $0.isNull } }
                case .bool: fits = { if case .bool = $0 { true } else { $0.isNull } }
                default: fits = { _ in true }
                }
                guard values.allSatisfy(fits) else { throw CursorError(detail: "a value of another type") }
                return Column(values: values)
            } catch {
                invalid(part, error.detail)
                return Column(values: [Value](repeating: .null, count: rows))
            }
        }
    }

    private func dictionary(_ s: UInt32, part: String) -> TextDictionary? {
        guard let bytes = bytes(s, part: part) else { return nil }
        let strings: [String]? = bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            guard let n = try? c.u64(), n <= UInt64(raw.count / 8) else { return nil }
            let count = Int(n)
            let start = 8 + count * 8
            guard start <= raw.count else { return nil }
            let text = raw.count - start
            var strings: [String] = []
            strings.reserveCapacity(count)
            var previous = 0
            for i in 0..<count {
                let end = Int(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: 8 + i * 8, as: UInt64.self))
                guard end >= previous, end <= text else { return nil }
                let slice = UnsafeRawBufferPointer(rebasing: raw[(start + previous)..<(start + end)])
                guard UTF8Validation.firstInvalidSequence(in: slice.bindMemory(to: UInt8.self)) == nil else {
                    return nil
                }
                strings.append(String(decoding: slice, as: UTF8.self))
                previous = end
            }
            return previous == text ? strings : nil
        }
        guard let strings else {
            invalid(part, "its dictionary's offsets or text are malformed")
            return nil
        }
        return TextDictionary(strings)
    }

    /// Decodes a values section of exactly `count` values.
    private static func values(_ bytes: [UInt8], count: Int) throws(CursorError) -> [Value] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(CursorError) -> [Value] in
                var c = ByteCursor(raw)
                var out: [Value] = []
                out.reserveCapacity(count)
                for _ in 0..<count {
                    switch try c.u8() {
                    case 0: out.append(.null)
                    case 1: out.append(.bool(false))
                    case 2: out.append(.bool(true))
                    case 3: out.append(.integer(Int(try c.i64())))
                    case 4:
                        let m = try c.i64()
                        let s = Int8(bitPattern: try c.u8())
                        guard s >= 0, s <= ExactDecimal.maxScale else { throw CursorError(detail: "a decimal scale") }
                        out.append(.decimal(ExactDecimal(mantissa: m, scale: s)))
                    case 5: out.append(.text(try c.string()))
                    case let tag: throw CursorError(detail: "value tag \(tag)")
                    }
                }
                guard c.isAtEnd else { throw CursorError(detail: "more values than rows") }
                return out
            }
        }.get()
    }

    /// The targets of reference `r` of table `t` (rows of `targetRows`), or all −1 if damaged.
    func reference(_ t: Int, _ r: Int, targetRows: Int) -> [Int32] {
        let table = directory.tables[t]
        let (field, section) = table.references[r]
        let part = "reference \(table.name).\(table.fields[field].field.name)"
        let none = [Int32](repeating: -1, count: table.count)
        guard let targets = array(section, of: Int32.self, part: part) else { return none }
        guard targets.allSatisfy({ $0 >= -1 && Int($0) < targetRows }) else {
            invalid(part, "a target row past its table")
            return none
        }
        return targets
    }

    /// Relation `r` of table `t` (into a table of `targetRows` rows), or an empty relation if
    /// damaged.
    func relation(_ t: Int, _ r: Int, targetRows: Int) -> RelationIndex {
        let table = directory.tables[t]
        let entry = table.relations[r]
        let part = "relation \(table.name).\(entry.name)"
        let empty = RelationIndex(offsets: [Int](repeating: 0, count: table.count + 1), targets: [])
        guard let offsets = array(entry.offsets, of: Int64.self, part: part),
            let targets = array(entry.targets, of: Int32.self, part: part)
        else { return empty }
        var previous: Int64 = 0
        let monotone =
            offsets.first == 0 && offsets.last == Int64(targets.count)
            && offsets.allSatisfy { o in
                defer { previous = o }
                return o >= previous
            }
        guard monotone, targets.allSatisfy({ $0 >= 0 && Int($0) < targetRows }) else {
            invalid(part, "its offsets or target rows are out of range")
            return empty
        }
        return RelationIndex(offsets: offsets.map { Int($0) }, targets: targets)
    }

    /// The budget model, decoded; the damage when it cannot be.
    func budgets() -> Result<[Budget], StoreError> {
        guard directory.model != StoreLayout.noSection else {
            return directory.budgetCount == 0
                ? .success([]) : .failure(.damaged(path: path, part: "the model", detail: "it is missing"))
        }
        let part = "the budget model"
        guard let bytes = bytes(directory.model, part: part) else { return .failure(damage ?? .notAStore(path: path)) }
        guard let budgets = bytes.withUnsafeBytes({ ModelCache.decodeModel($0) }),
            budgets.count == directory.budgetCount
        else {
            let error = StoreError.damaged(path: path, part: part, detail: "it does not decode")
            record(error)
            return .failure(error)
        }
        return .success(budgets)
    }

    // MARK: Reading

    private static func read(_ fd: Int32, into bytes: inout [UInt8], at offset: UInt64) -> Bool {
        bytes.withUnsafeMutableBytes { read(fd, into: $0, at: offset) }
    }

    /// Reads exactly `buffer.count` bytes at `offset`; false on an error or a short file.
    private static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Bool {
        guard let base = buffer.baseAddress else { return buffer.isEmpty }
        guard offset <= UInt64(Int64.max) - UInt64(buffer.count) else { return false }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, min(buffer.count - done, 1 << 30), off_t(offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
