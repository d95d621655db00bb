// ModelCache: a binary cache of loaded budgets, so that a directory of thousands of department
// folders loads in seconds instead of being parsed from CSV every time. This file holds the
// public API, the input fingerprint (every file the loader reads: path, size, mtime, ctime,
// inode; plus the cache format, the schema and the model's layout) and the cache's file handling.
// The binary format itself is in ModelCacheFormat.swift. A cache is only an accelerator: any
// problem with it (missing, stale, corrupt, unwritable) falls back to `DatasetLoader.loadAll`.

import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Loads budgets like ``DatasetLoader/loadAll(from:)``, keeping a binary copy of the result in a
/// cache directory and reusing it while no input file has changed.
///
/// The cache is keyed by the input's fingerprint: for every dataset folder the loader would read,
/// the relative path, byte size, modification and status-change times (nanoseconds) and inode of
/// each file it reads, plus the cache format version, the dataset schema and the model's stored
/// properties. A cache file that is missing, stale, truncated, corrupt or foreign is ignored (and
/// rewritten); it never causes an error or a different result.
public enum ModelCache {
    /// Where the budgets of a ``load(from:cacheDirectory:)`` came from.
    public enum Origin: Sendable, Hashable {
        /// Decoded from a cache file whose fingerprint matched the input.
        case cache
        /// Loaded from CSV by ``DatasetLoader/loadAll(from:)``; `cacheWritten` says whether a
        /// cache file was written for the next load (it is not when there is no cache directory,
        /// when an input file was modified in the last few seconds, or when writing failed).
        case csv(cacheWritten: Bool)
    }

    /// Budgets loaded through the cache, and where they came from.
    public struct Loaded: Sendable {
        /// The budgets, equal to what ``DatasetLoader/loadAll(from:)`` returns.
        public let budgets: [Budget]
        /// Whether they were decoded from the cache or loaded from CSV.
        public let origin: Origin
    }

    /// The version of the cache format; bump it whenever the encoding or the loader's
    /// interpretation of the CSV changes, so that old cache files are ignored. (A new or changed
    /// field needs no bump: the schema and the model layout are part of every fingerprint.)
    /// 2: rows encoded from the field declarations (a project's plan as four fields).
    static let formatVersion: UInt32 = 2

    /// Inputs modified less than this long before a load are "racy": a later change within the
    /// file system's timestamp granularity could keep the same size and time, so no cache is
    /// written for them (as git does for its index).
    static let racyWindowNanoseconds: Int64 = 2_000_000_000

    /// Loads every dataset under `directory`, exactly as ``DatasetLoader/loadAll(from:)`` does
    /// (same budgets, same errors), reading them from a cache file in `cacheDirectory` when its
    /// fingerprint matches and writing that file otherwise. `nil` disables the cache.
    public static func loadAll(from directory: URL, cacheDirectory: URL?) throws(DatasetError) -> [Budget] {
        try load(from: directory, cacheDirectory: cacheDirectory).budgets
    }

    /// Like ``loadAll(from:cacheDirectory:)``, also telling whether the cache was used.
    public static func load(from directory: URL, cacheDirectory: URL?) throws(DatasetError) -> Loaded {
        guard let cacheDirectory, let input = Fingerprint(of: directory) else {
            return Loaded(budgets: try DatasetLoader.loadAll(from: directory), origin: .csv(cacheWritten: false))
        }
        let file = cacheFile(for: directory, in: cacheDirectory)
        if let budgets = CacheFile.read(file.path, fingerprint: input.digest, limit: input.cacheSizeLimit) {
            return Loaded(budgets: budgets, origin: .cache)
        }
        let budgets = try DatasetLoader.loadAll(from: directory)
        var written = false
        if !input.isRacy, let bytes = CacheEncoder.encode(budgets, fingerprint: input.digest) {
            written = CacheFile.write(bytes, to: file, in: cacheDirectory)
        }
        return Loaded(budgets: budgets, origin: .csv(cacheWritten: written))
    }

    /// The cache file for the datasets under `directory`: its name is a hash of the directory's
    /// absolute, standardized path.
    public static func cacheFile(for directory: URL, in cacheDirectory: URL) -> URL {
        var hasher = StableHasher()
        hasher.add(standardizedPath(directory))
        return cacheDirectory.appendingPathComponent("budgets-\(hasher.digest.hex).bqlcache")
    }

    /// The cache directory to use by default: `$BQL_CACHE_DIR` if set (an empty value disables
    /// the cache and gives `nil`), else `$XDG_CACHE_HOME/bql`, else `~/.cache/bql`.
    public static func defaultCacheDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL? {
        if let dir = environment["BQL_CACHE_DIR"] {
            return dir.isEmpty ? nil : URL(fileURLWithPath: dir, isDirectory: true)
        }
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("bql", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        guard !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".cache/bql", isDirectory: true)
    }

    static func standardizedPath(_ directory: URL) -> String {
        directory.absoluteURL.standardizedFileURL.path
    }
}

// MARK: - Fingerprint

/// What a cache file must match: a 128-bit digest of everything the loaded budgets depend on.
struct Fingerprint {
    /// The digest.
    let digest: Digest
    /// Whether some input was modified so recently that the digest could miss a later change.
    let isRacy: Bool
    /// The size of every input file together.
    let inputBytes: Int64

    /// The largest cache file these inputs can have: it holds less than the CSV files it comes
    /// from (each distinct string once, numbers as varints), so anything beyond four times
    /// their size plus a megabyte is damage, refused before it is read.
    var cacheSizeLimit: Int { Int(min(inputBytes, Int64(Int.max / 16))) * 4 + (1 << 20) }

    /// The fingerprint of the datasets `DatasetLoader.loadAll(from: directory)` reads, or `nil`
    /// when the directory cannot be listed (the loader then reports the error).
    init?(of directory: URL) {
        let now = Fingerprint.nowNanoseconds()
        let root = directory.path
        var hasher = StableHasher()
        hasher.add("bql model cache")
        hasher.add(UInt64(ModelCache.formatVersion))
        hasher.add(Fingerprint.schemaDigest)
        hasher.add(ModelCache.standardizedPath(directory))
        var newest = Int64.min
        var bytes: Int64 = 0
        switch DatasetLoader.folderKind(root) {
        case .broken: return nil  // the loader reports it
        case .dataset:
            // The directory is itself one dataset.
            let folder = Fingerprint.folderDigest(root)
            hasher.add(1)
            hasher.add(folder.digest)
            newest = folder.newest
            bytes = folder.bytes
        case .notADataset:
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
            let sorted = names.sorted()
            // One digest per folder, in parallel (a national directory has ~20,000 folders of
            // 15 files each); exactly the folders the loader loads (DatasetLoader.folderKind).
            var folders = [(digest: Digest, newest: Int64, bytes: Int64)?](repeating: nil, count: sorted.count)
            var broken = [Bool](repeating: false, count: sorted.count)
            folders.withUnsafeMutableBufferPointer { out in
                broken.withUnsafeMutableBufferPointer { broken in
                    Parallel.forEachChunk(of: sorted.count) { range in
                        for i in range {
                            switch DatasetLoader.folderKind(root + "/" + sorted[i]) {
                            case .dataset: out[i] = Fingerprint.folderDigest(root + "/" + sorted[i])
                            case .broken: broken[i] = true
                            case .notADataset: break
                            }
                        }
                    }
                }
            }
            if broken.contains(true) { return nil }  // the loader reports it
            hasher.add(2)
            for (name, folder) in zip(sorted, folders) {
                guard let folder else { continue }
                hasher.add(name)
                hasher.add(folder.digest)
                newest = max(newest, folder.newest)
                bytes = Fingerprint.saturatingSum(bytes, folder.bytes)
            }
        }
        digest = hasher.digest
        inputBytes = max(bytes, 0)
        isRacy = newest >= now - ModelCache.racyWindowNanoseconds
    }

    /// The files of a dataset folder the loader reads.
    static let files = ["datapackage.json"] + DatasetSchema.tables.map(\.file)

    /// The digest of one folder's files, the newest modification time among them and their size.
    static func folderDigest(_ folder: String) -> (digest: Digest, newest: Int64, bytes: Int64) {
        var hasher = StableHasher()
        var newest = Int64.min
        var bytes: Int64 = 0
        for file in files {
            hasher.add(file)
            if let s = FileStat(folder + "/" + file) {
                hasher.add(1)
                hasher.add(UInt64(bitPattern: s.size))
                hasher.add(UInt64(bitPattern: s.modified))
                hasher.add(UInt64(bitPattern: s.changed))
                hasher.add(s.inode)
                hasher.add(s.device)
                newest = max(newest, s.modified)
                bytes = saturatingSum(bytes, max(s.size, 0))
            } else {
                hasher.add(0)
            }
        }
        return (hasher.digest, newest, bytes)
    }

    /// What else the decoded budgets depend on: the schema the loader validates against and the
    /// stored properties of every model type (so that a new field invalidates old caches even if
    /// nobody bumps `formatVersion`).
    static let schemaDigest: Digest = {
        var hasher = StableHasher()
        hasher.add(DatasetSchema.version)
        hasher.add(DatasetSchema.dataPackageJSON(id: "", title: ""))
        hasher.add(modelLayout)
        return hasher.digest
    }()

    /// Every model type with its stored properties and their types, one line per type: the
    /// budget, each table's record type (a blank row of it) and `ExactDecimal`.
    static let modelLayout: String = {
        struct Layouts: TableVisitor {
            var samples: [Any] = [Budget(department: Department())]
            mutating func visit<R: Record>(single row: inout R) { samples.append(R()) }
            mutating func visit<R: Record>(rows: inout [R]) { samples.append(R()) }
        }
        var layouts = Layouts()
        var budget = Budget(department: Department())
        budget.visitTables(&layouts)
        return (layouts.samples + [ExactDecimal.zero]).map { sample in
            let fields = Mirror(reflecting: sample).children.map { "\($0.label ?? "_"):\(type(of: $0.value))" }
            return "\(type(of: sample))(\(fields.joined(separator: ",")))"
        }.joined(separator: "\n")
    }()

    /// `a + b`, or `Int64.max` when that overflows.
    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    static func nowNanoseconds() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return FileStat.nanoseconds(Int64(t.tv_sec), Int64(t.tv_nsec))
    }
}

/// The `stat` fields a fingerprint uses (following symbolic links, as the loader's reads do).
struct FileStat {
    let size: Int64
    /// Modification time, nanoseconds since the epoch.
    let modified: Int64
    /// Status-change time, nanoseconds since the epoch (it changes when a tool restores mtime).
    let changed: Int64
    let inode: UInt64
    let device: UInt64

    init?(_ path: String) {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        size = Int64(s.st_size)
        inode = UInt64(s.st_ino)
        device = UInt64(s.st_dev)
        #if canImport(Darwin)
            modified = FileStat.nanoseconds(Int64(s.st_mtimespec.tv_sec), Int64(s.st_mtimespec.tv_nsec))
            changed = FileStat.nanoseconds(Int64(s.st_ctimespec.tv_sec), Int64(s.st_ctimespec.tv_nsec))
        #else
            modified = FileStat.nanoseconds(Int64(s.st_mtim.tv_sec), Int64(s.st_mtim.tv_nsec))
            changed = FileStat.nanoseconds(Int64(s.st_ctim.tv_sec), Int64(s.st_ctim.tv_nsec))
        #endif
    }

    /// `seconds` and `nanoseconds` as nanoseconds since the epoch, saturating: a file's time is
    /// whatever its owner set (`touch -d 2400-01-01` is past what 64 bits of nanoseconds hold),
    /// and must not trap.
    static func nanoseconds(_ seconds: Int64, _ nanoseconds: Int64) -> Int64 {
        let (scaled, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, o2) = scaled.addingReportingOverflow(nanoseconds)
        if o1 || o2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

// MARK: - Hashing

/// A 128-bit digest.
struct Digest: Hashable {
    var high: UInt64
    var low: UInt64

    /// 32 lowercase hex digits.
    var hex: String {
        let h = String(high, radix: 16)
        let l = String(low, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h + String(repeating: "0", count: 16 - l.count) + l
    }
}

/// A stable (unseeded, unlike `Hasher`) 128-bit streaming hash for fingerprints: two independent
/// 64-bit lanes. Not cryptographic; it detects change, not tampering.
struct StableHasher {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344

    mutating func add(_ value: UInt64) {
        a = Checksum.round(a, value)
        b = (b ^ Checksum.mix(value &+ 0x9E37_79B9_7F4A_7C15)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ digest: Digest) {
        add(digest.high)
        add(digest.low)
    }

    /// Adds the string's UTF-8 bytes and length (so that `"ab","c"` differs from `"a","bc"`).
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            add(Checksum.of(UnsafeRawBufferPointer(bytes)))
            add(UInt64(bytes.count))
        }
    }

    var digest: Digest { Digest(high: Checksum.mix(a), low: Checksum.mix(b ^ a)) }
}

/// A fast 64-bit hash of a byte range (the xxHash64 round on four lanes), used for the cache's
/// section checksums and for interning strings.
enum Checksum {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    @inline(__always) static func round(_ acc: UInt64, _ word: UInt64) -> UInt64 {
        let x = acc &+ word &* p2
        return ((x << 31) | (x >> 33)) &* p1
    }

    /// A finalizer that spreads every input bit over the result.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard let p = bytes.baseAddress else { return mix(0x27D4_EB2F_1656_67C5) }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var l0 = p1 &+ p2
            var l1 = p2
            var l2: UInt64 = 0
            var l3 = 0 &- p1
            while i + 32 <= n {
                l0 = round(l0, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                l1 = round(l1, p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                l2 = round(l2, p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                l3 = round(l3, p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            h =
                ((l0 << 1) | (l0 >> 63)) &+ ((l1 << 7) | (l1 >> 57)) &+ ((l2 << 12) | (l2 >> 52))
                &+ ((l3 << 18) | (l3 >> 46))
        } else {
            h = 0x27D4_EB2F_1656_67C5
        }
        h = h &+ UInt64(n)
        while i + 8 <= n {
            h = round(h, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        return mix(round(h, tail ^ shift))
    }
}

// MARK: - For the catalog store

extension ModelCache {
    /// The fingerprint of the datasets under `directory` (what a cache of them depends on), and
    /// whether an input is too recent to trust; `nil` when the directory cannot be fingerprinted.
    package static func inputFingerprint(of directory: URL) -> (high: UInt64, low: UInt64, isRacy: Bool)? {
        guard let f = Fingerprint(of: directory) else { return nil }
        return (f.digest.high, f.digest.low, f.isRacy)
    }

    /// The digest of the dataset schema and the model's layout: changes whenever a field does.
    package static var schemaFingerprint: (high: UInt64, low: UInt64) {
        (Fingerprint.schemaDigest.high, Fingerprint.schemaDigest.low)
    }

    /// The fixed fingerprint of a model embedded in a store (the store checks its own source).
    private static let embeddedFingerprint = Digest(high: 0x4C45_444F_4D45_524F, low: 0x5453_5442_444C_5142)

    /// `budgets` in the cache's encoding, as pieces to write one after another; `nil` when some
    /// count exceeds the format's limits or there is no budget.
    package static func encodeModel(_ budgets: [Budget]) -> [[UInt8]]? {
        guard !budgets.isEmpty, let e = CacheEncoder.encode(budgets, fingerprint: embeddedFingerprint) else {
            return nil
        }
        return [e.header, e.stringLengths, e.stringBytes, e.directory, e.bodies]
    }

    /// Budgets decoded from bytes `encodeModel` wrote, or `nil` if anything about them is wrong.
    package static func decodeModel(_ bytes: UnsafeRawBufferPointer) -> [Budget]? {
        CacheDecoder.decode(bytes, fingerprint: embeddedFingerprint)
    }

    /// The 64-bit checksum the cache uses for its sections.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 { Checksum.of(bytes) }

    /// Folds `value` into a running 64-bit checksum (for checksums over blocks).
    package static func combine(_ running: UInt64, _ value: UInt64) -> UInt64 {
        Checksum.mix(Checksum.round(running, value))
    }
}
