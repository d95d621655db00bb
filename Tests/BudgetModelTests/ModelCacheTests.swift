// ModelCacheTests: the binary model cache returns exactly what the CSV loader returns — warm or
// cold, after inputs change, and when its file is truncated, corrupt or foreign — and writes
// nothing when disabled. Budgets are compared field by field down to the bytes of every string
// and the scale of every decimal (stricter than `==`, which is numeric for decimals and canonical
// equivalence for strings).

import Foundation
import Testing

@testable import BudgetModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scratch directory holding copies of bundled datasets and a cache directory.
private struct CacheScratch {
    let root: URL
    let data: URL
    let cache: URL

    init(_ ids: [String] = ["anshan-2025", "yima-2025"]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bql-cache-\(UUID().uuidString)")
        data = root.appendingPathComponent("data")
        cache = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for id in ids {
            try FileManager.default.copyItem(
                at: Paths.datasets.appendingPathComponent(id), to: data.appendingPathComponent(id))
        }
        if ids.contains("anshan-2025") {
            // No bundled dataset has 政府购买服务 rows; these also spell one item in two
            // canonically equivalent ways (é precomposed and decomposed: equal as `String`s,
            // different bytes) and keep an amount's trailing zero.
            let file = data.appendingPathComponent("anshan-2025/purchase_services.csv")
            let text = try String(contentsOf: file, encoding: .utf8)
            try (text + Self.purchaseServiceRows).write(to: file, atomically: false, encoding: .utf8)
        }
        try backdate()
    }

    static let purchaseServiceRows =
        "鞍山市医疗保障局本级,医保信息系统运维,caf\u{E9}服务,信息技术服务,12.50,\n"
        + ",,cafe\u{301}服务,,,\n"

    /// Sets every data file's modification time to a fixed past moment: files modified in the
    /// last seconds are not cached (their timestamps could miss a change), and copies are new.
    func backdate(_ date: Date = Date(timeIntervalSince1970: 1_700_000_000)) throws {
        let fm = FileManager.default
        for folder in try fm.contentsOfDirectory(atPath: data.path) {
            let dir = data.appendingPathComponent(folder)
            for file in try fm.contentsOfDirectory(atPath: dir.path) {
                try fm.setAttributes([.modificationDate: date], ofItemAtPath: dir.appendingPathComponent(file).path)
            }
        }
    }

    var cacheFile: URL { ModelCache.cacheFile(for: data, in: cache) }

    func load() throws -> ModelCache.Loaded { try ModelCache.load(from: data, cacheDirectory: cache) }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Every stored value of `value`, flattened: strings as their UTF-8 bytes, other leaves as their
/// description, structure as labels and brackets.
private func flatten(_ value: Any, into out: inout [UInt8]) {
    if let s = value as? String {
        out.append(1)
        out.append(contentsOf: s.utf8)
        out.append(0)
        return
    }
    let mirror = Mirror(reflecting: value)
    if mirror.children.isEmpty {
        out.append(2)
        out.append(contentsOf: "\(value)".utf8)
        out.append(0)
        return
    }
    out.append(3)
    for child in mirror.children {
        out.append(contentsOf: (child.label ?? "").utf8)
        out.append(4)
        flatten(child.value, into: &out)
    }
    out.append(5)
}

/// Where two budget lists first differ in a stored value, or `nil` if they are identical.
private func difference(_ a: [Budget], _ b: [Budget]) -> String? {
    guard a.count == b.count else { return "\(a.count) budgets, expected \(b.count)" }
    for (x, y) in zip(a, b) {
        for (fx, fy) in zip(Mirror(reflecting: x).children, Mirror(reflecting: y).children) {
            var bx: [UInt8] = []
            var by: [UInt8] = []
            flatten(fx.value, into: &bx)
            flatten(fy.value, into: &by)
            if bx != by { return "\(y.department.id): \(fy.label ?? "?") differs" }
        }
    }
    return nil
}

@Suite struct ModelCacheTests {
    @Test func roundTripOnTheBundledDatasets() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("bql-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let expected = try DatasetLoader.loadAll(from: Paths.datasets)
        #expect(expected.count >= 5)

        let cold = try ModelCache.load(from: Paths.datasets, cacheDirectory: cache)
        #expect(cold.origin == .csv(cacheWritten: true))
        #expect(difference(cold.budgets, expected) == nil)
        #expect(FileManager.default.fileExists(atPath: ModelCache.cacheFile(for: Paths.datasets, in: cache).path))

        let warm = try ModelCache.load(from: Paths.datasets, cacheDirectory: cache)
        #expect(warm.origin == .cache)
        #expect(difference(warm.budgets, expected) == nil)
        // The loose comparison agrees with the strict one.
        for (w, e) in zip(warm.budgets, expected) {
            #expect(w.department == e.department && w.units == e.units && w.tasks == e.tasks && w.income == e.income)
            #expect(w.totals == e.totals && w.spending == e.spending && w.economic == e.economic)
            #expect(w.projects == e.projects && w.indicators == e.indicators && w.threePublic == e.threePublic)
            #expect(w.procurement == e.procurement && w.purchaseServices == e.purchaseServices)
            #expect(w.assets == e.assets && w.narrative == e.narrative)
        }
        // One dataset folder given directly is cached separately and also round-trips.
        let folder = Paths.datasets.appendingPathComponent("anshan-2025")
        #expect(try ModelCache.load(from: folder, cacheDirectory: cache).origin == .csv(cacheWritten: true))
        let single = try ModelCache.load(from: folder, cacheDirectory: cache)
        #expect(single.origin == .cache)
        #expect(difference(single.budgets, [try DatasetLoader.load(from: folder)]) == nil)
    }

    @Test func stringsAndDecimalsKeepTheirExactSpelling() throws {
        let s = try CacheScratch(["anshan-2025"])
        defer { s.remove() }
        #expect(try s.load().origin == .csv(cacheWritten: true))
        let warm = try s.load()
        #expect(warm.origin == .cache)
        let services = try #require(warm.budgets.first?.purchaseServices)
        #expect(services.count == 2)
        #expect(services[0].item == services[1].item)  // canonically equivalent…
        #expect(Array(services[0].item.utf8) == Array("caf\u{E9}服务".utf8))  // …but each keeps its bytes
        #expect(Array(services[1].item.utf8) == Array("cafe\u{301}服务".utf8))
        #expect(services[0].amount?.description == "12.50")
        #expect(services[1].amount == nil && services[1].unit == nil && services[1].category == nil)
        #expect(difference(warm.budgets, try DatasetLoader.loadAll(from: s.data)) == nil)
    }

    @Test func aChangedFileInvalidatesTheCache() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        #expect(try s.load().origin == .csv(cacheWritten: true))
        #expect(try s.load().origin == .cache)

        // New content, new size.
        let projects = s.data.appendingPathComponent("anshan-2025/projects.csv")
        let text = try String(contentsOf: projects, encoding: .utf8)
        let name = try #require(
            DatasetLoader.load(from: s.data.appendingPathComponent("anshan-2025")).projects.first?.name)
        try text.replacingOccurrences(of: name, with: name + "（改）").write(
            to: projects, atomically: false, encoding: .utf8)
        try s.backdate(Date(timeIntervalSince1970: 1_700_000_100))
        let changed = try s.load()
        #expect(changed.origin == .csv(cacheWritten: true))
        #expect(changed.budgets.first?.projects.first?.name == name + "（改）")
        #expect(difference(changed.budgets, try DatasetLoader.loadAll(from: s.data)) == nil)
        #expect(try s.load().origin == .cache)

        // Only the modification time changes.
        try s.backdate(Date(timeIntervalSince1970: 1_700_000_200))
        #expect(try s.load().origin == .csv(cacheWritten: true))

        // Same size and the modification time restored (as `cp -p` or `rsync -t` do): the
        // status-change time still differs.
        let same = try String(contentsOf: projects, encoding: .utf8).replacingOccurrences(of: "（改）", with: "（变）")
        try same.write(to: projects, atomically: false, encoding: .utf8)
        try s.backdate(Date(timeIntervalSince1970: 1_700_000_200))
        let restored = try s.load()
        #expect(restored.origin == .csv(cacheWritten: true))
        #expect(restored.budgets.first?.projects.first?.name == name + "（变）")

        // A new dataset folder.
        try FileManager.default.copyItem(
            at: Paths.datasets.appendingPathComponent("haigang-2025"),
            to: s.data.appendingPathComponent("haigang-2025"))
        try s.backdate()
        let added = try s.load()
        #expect(added.origin == .csv(cacheWritten: true))
        #expect(added.budgets.map(\.department.id) == ["anshan-2025", "haigang-2025", "yima-2025"])
        #expect(try s.load().origin == .cache)
    }

    @Test func recentlyModifiedInputsAreNotCached() throws {
        let s = try CacheScratch(["yima-2025"])
        defer { s.remove() }
        let projects = s.data.appendingPathComponent("yima-2025/projects.csv")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: projects.path)
        let loaded = try s.load()
        #expect(loaded.origin == .csv(cacheWritten: false))
        #expect(!FileManager.default.fileExists(atPath: s.cacheFile.path))
        #expect(difference(loaded.budgets, try DatasetLoader.loadAll(from: s.data)) == nil)
    }

    @Test func aDamagedCacheFileFallsBackToCSV() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        let expected = try DatasetLoader.loadAll(from: s.data)
        #expect(try s.load().origin == .csv(cacheWritten: true))
        let good = try Data(contentsOf: s.cacheFile)
        #expect(good.count > 1000)

        var damages: [(String, Data)] = [
            ("empty", Data()),
            ("header only", good.prefix(72)),
            ("truncated", good.prefix(good.count / 2)),
            ("one byte short", good.prefix(good.count - 1)),
            ("one byte more", good + [0]),
        ]
        var generator = SystemRandomNumberGenerator()
        damages.append(
            ("random bytes", Data((0..<good.count).map { _ in UInt8.random(in: 0...255, using: &generator) })))
        // The header of a valid file followed by random bytes, and single flipped bytes at several
        // places (header, string table, directory, bodies, last byte).
        damages.append(
            ("random body", good.prefix(72) + Data((72..<good.count).map { _ in UInt8.random(in: 0...255) })))
        // Where the budget bodies start (the layout is documented in ModelCacheFormat.swift).
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(good[at + $1]) << (8 * $1) } }
        let directory = 72 + u64(40) * 4 + u64(48)
        let bodies = u64(directory)
        #expect(bodies > directory && bodies < good.count)
        let inBodies = (1...8).map { bodies + (good.count - bodies) * $0 / 9 }
        for offset in [9, 40, 80, good.count / 3, directory + 3, good.count - 1] + inBodies {
            var flipped = good
            flipped[offset] ^= 0x20
            damages.append(("byte \(offset) flipped", flipped))
        }
        for (what, bytes) in damages {
            try bytes.write(to: s.cacheFile)
            let loaded = try s.load()
            #expect(loaded.origin == .csv(cacheWritten: true), "\(what)")
            #expect(difference(loaded.budgets, expected) == nil, "\(what)")
            // And the cache was rewritten.
            #expect(try Data(contentsOf: s.cacheFile) == good, "\(what)")
            #expect(try s.load().origin == .cache, "\(what)")
        }

        // The valid cache of another directory under this directory's name.
        let other = try CacheScratch(["haigang-2025"])
        defer { other.remove() }
        #expect(try ModelCache.load(from: other.data, cacheDirectory: s.cache).origin == .csv(cacheWritten: true))
        try FileManager.default.removeItem(at: s.cacheFile)
        try FileManager.default.copyItem(at: ModelCache.cacheFile(for: other.data, in: s.cache), to: s.cacheFile)
        let foreign = try s.load()
        #expect(foreign.origin == .csv(cacheWritten: true))
        #expect(difference(foreign.budgets, expected) == nil)
    }

    /// Issue 12, finding 9: a FIFO at the cache path blocked the load forever (`open` waited for a
    /// writer). It must fall back to CSV at once, and the cache is then written over it.
    @Test func aFIFOAtTheCachePathFallsBackAtOnce() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        let expected = try DatasetLoader.loadAll(from: s.data)
        try FileManager.default.createDirectory(at: s.cache, withIntermediateDirectories: true)
        #expect(mkfifo(s.cacheFile.path, 0o644) == 0)
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<ModelCache.Loaded?>(nil)
        let start = Date()
        Thread.detachNewThread {
            result.value = try? s.load()
            done.signal()
        }
        if done.wait(timeout: .now() + 5) == .timedOut {
            Issue.record("the load blocked on the FIFO")
            // Unblock it: a writer lets the reader's open return.
            let fd = open(s.cacheFile.path, O_WRONLY | O_NONBLOCK)
            done.wait()
            if fd >= 0 { close(fd) }
        }
        #expect(Date().timeIntervalSince(start) < 1)
        let loaded = try #require(result.value)
        #expect(loaded.origin == .csv(cacheWritten: true))
        #expect(difference(loaded.budgets, expected) == nil)
        #expect(try s.load().origin == .cache)
    }

    /// Issue 12, finding 9: a valid cache extended to a sparse 40 GB file aborted ("failed to
    /// allocate 42949672960 bytes"; at 8 GB it read the whole file first). The header's file
    /// length is checked against the real size before anything is allocated.
    @Test func aValidCacheExtendedTo40GBFallsBackAtOnce() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        let expected = try DatasetLoader.loadAll(from: s.data)
        #expect(try s.load().origin == .csv(cacheWritten: true))
        #expect(truncate(s.cacheFile.path, 40 << 30) == 0)  // sparse: no block is written
        let start = Date()
        let loaded = try s.load()
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(loaded.origin == .csv(cacheWritten: true))
        #expect(difference(loaded.budgets, expected) == nil)
    }

    /// The same with a header that agrees with the 40 GB size (length and index checksum
    /// rewritten, as only a forger would): refused by the size limit the inputs give, unread.
    @Test func aCacheClaiming40GBIsRefusedUnread() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        #expect(try s.load().origin == .csv(cacheWritten: true))
        var bytes = [UInt8](try Data(contentsOf: s.cacheFile))
        let size = 40 << 30
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        for k in 0..<8 { bytes[32 + k] = UInt8(truncatingIfNeeded: size >> (8 * k)) }
        let directory = 72 + u64(40) * 4 + u64(48)
        let budgets = u64(12) & 0xFFFF_FFFF
        let checksum = CacheEncoder.indexChecksum(
            header: Array(bytes[0..<72]), directory: Array(bytes[directory..<(directory + budgets * 24)]))
        for k in 0..<8 { bytes[64 + k] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(k))) }
        try Data(bytes).write(to: s.cacheFile)
        #expect(truncate(s.cacheFile.path, off_t(size)) == 0)
        let start = Date()
        #expect(try s.load().origin == .csv(cacheWritten: true))
        #expect(Date().timeIntervalSince(start) < 1)
    }

    /// A directory, or a symbolic link to a FIFO, at the cache path is not read either.
    @Test func onlyARegularFileIsReadAsACache() throws {
        let s = try CacheScratch()
        defer { s.remove() }
        try FileManager.default.createDirectory(at: s.cacheFile, withIntermediateDirectories: true)
        #expect(try s.load().origin == .csv(cacheWritten: false))
        try FileManager.default.removeItem(at: s.cacheFile)
        let fifo = s.root.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(at: s.cacheFile, withDestinationURL: fifo)
        let start = Date()
        #expect(try s.load().origin == .csv(cacheWritten: true))
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func noCacheDirectoryWritesNothing() throws {
        let s = try CacheScratch(["yima-2025"])
        defer { s.remove() }
        let before = try FileManager.default.subpathsOfDirectory(atPath: s.root.path).sorted()
        let loaded = try ModelCache.load(from: s.data, cacheDirectory: nil)
        #expect(loaded.origin == .csv(cacheWritten: false))
        #expect(difference(loaded.budgets, try DatasetLoader.loadAll(from: s.data)) == nil)
        #expect(try ModelCache.loadAll(from: s.data, cacheDirectory: nil).count == 1)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: s.root.path).sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: s.cache.path))
    }

    @Test func loadErrorsAreTheLoadersAndNothingIsCached() throws {
        let s = try CacheScratch(["anshan-2025"])
        defer { s.remove() }
        let units = s.data.appendingPathComponent("anshan-2025/units.csv")
        let text = try String(contentsOf: units, encoding: .utf8)
        try (text + "X,,\n").write(to: units, atomically: false, encoding: .utf8)
        try s.backdate()
        var loaderError: DatasetError?
        do { _ = try DatasetLoader.loadAll(from: s.data) } catch { loaderError = error }
        var cacheError: DatasetError?
        do { _ = try ModelCache.load(from: s.data, cacheDirectory: s.cache) } catch { cacheError = error }
        #expect(loaderError != nil)
        #expect(cacheError == loaderError)
        #expect(!FileManager.default.fileExists(atPath: s.cacheFile.path))

        let missing = s.root.appendingPathComponent("missing")
        #expect(throws: DatasetError.noDatasets(directory: missing.path)) {
            try ModelCache.loadAll(from: missing, cacheDirectory: s.cache)
        }
    }

    @Test func theCacheFileNameDependsOnTheStandardizedPath() {
        let cache = URL(fileURLWithPath: "/tmp/c")
        let a = ModelCache.cacheFile(for: URL(fileURLWithPath: "/data/budgets"), in: cache)
        #expect(a == ModelCache.cacheFile(for: URL(fileURLWithPath: "/data/x/../budgets/"), in: cache))
        #expect(a != ModelCache.cacheFile(for: URL(fileURLWithPath: "/data/budgets2"), in: cache))
        #expect(a.deletingLastPathComponent().path == "/tmp/c")
        #expect(a.lastPathComponent.hasSuffix(".bqlcache"))
    }

    @Test func defaultCacheDirectory() {
        #expect(
            ModelCache.defaultCacheDirectory(environment: [
                "BQL_CACHE_DIR": "/x/y", "XDG_CACHE_HOME": "/c", "HOME": "/h",
            ])?.path == "/x/y")
        #expect(ModelCache.defaultCacheDirectory(environment: ["BQL_CACHE_DIR": "", "XDG_CACHE_HOME": "/c"]) == nil)
        #expect(
            ModelCache.defaultCacheDirectory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.path == "/c/bql")
        #expect(
            ModelCache.defaultCacheDirectory(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])?.path
                == "/h/.cache/bql")
        #expect(ModelCache.defaultCacheDirectory(environment: ["HOME": "/h"])?.path == "/h/.cache/bql")
        #expect(ModelCache.defaultCacheDirectory() != nil || ProcessInfo.processInfo.environment["BQL_CACHE_DIR"] == "")
    }
}

/// A value shared with a thread, behind a lock.
private final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
