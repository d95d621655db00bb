// StoreTests: the catalog store (`.bqldb`, docs/STORAGE.md). A store written from the bundled
// catalog gives back every cell, reference, relation, budget and known contradiction; every
// corpus record gives its recorded output on it; the load cache is a store; and a truncated,
// extended, byte-flipped, wrong-version, wrong-checksum, other-schema or foreign file gives its
// error at open or fails the statement that reads the damage — never a crash or a wrong answer.

import BudgetModel
import BudgetTestSupport
import Foundation
import Testing

@testable import BudgetQL

@Suite struct StoreTests {
    /// A store of the bundled catalog, written once per test process.
    static let file: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-store-test-\(ProcessInfo.processInfo.processIdentifier).bqldb")
        do { try Repo.catalog.write(to: url) } catch { Issue.record("cannot write the store: \(error)") }
        return url
    }()

    static let bytes: [UInt8] = (try? [UInt8](Data(contentsOf: file))) ?? []

    /// The bundled catalog opened from the store.
    static let opened: Catalog? = try? Catalog.open(store: file)

    /// Writes `bytes` to a fresh file and returns its URL.
    static func scratch(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-store-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).bqldb")
        try Data(bytes).write(to: url)
        return url
    }

    /// Reads every column, reference and relation of every table, and the budgets.
    static func touchEverything(_ catalog: Catalog) {
        for t in catalog.tables {
            for f in t.fields.indices { _ = t.columns[f].count }
            for (_, r) in t.references { _ = r.targets.count }
            for r in t.relations { _ = r.rows.targets.count }
        }
        _ = try? catalog.loadBudgets()
    }

    @Test func everyCellReferenceAndRelationRoundTrips() throws {
        let a = Repo.catalog
        let b = try #require(Self.opened)
        #expect(a.tables.map(\.name) == b.tables.map(\.name))
        for (x, y) in zip(a.tables, b.tables) {
            #expect(x.fields == y.fields, "\(x.name)")
            #expect(x.count == y.count && x.measure == y.measure && x.alias == y.alias, "\(x.name)")
            for f in x.fields.indices {
                switch (x.columns[f].storage, y.columns[f].storage) {
                case (.coded(let c1, let d1), .coded(let c2, let d2)):
                    #expect(c1 == c2 && d1.strings == d2.strings, "\(x.name).\(x.fields[f].name)")
                case (.decimal(let m1, let s1), .decimal(let m2, let s2)):
                    #expect(m1 == m2 && s1 == s2, "\(x.name).\(x.fields[f].name)")
                case (.values(let v1), .values(let v2)):
                    #expect(v1.map { "\($0)" } == v2.map { "\($0)" }, "\(x.name).\(x.fields[f].name)")
                default:
                    Issue.record("\(x.name).\(x.fields[f].name) is stored differently")
                }
            }
            #expect(Set(x.references.keys) == Set(y.references.keys), "\(x.name)")
            for (k, r) in x.references { #expect(r.targets == y.references[k]?.targets, "\(x.name) reference \(k)") }
            #expect(x.relations.map(\.name) == y.relations.map(\.name))
            for (r1, r2) in zip(x.relations, y.relations) {
                #expect(
                    r1.rows.offsets == r2.rows.offsets && r1.rows.targets == r2.rows.targets, "\(x.name).\(r1.name)")
            }
        }
        #expect(a.codeNames == b.codeNames)
        #expect(a.known == b.known)
        #expect(b.storeDamage == nil)
    }

    @Test func theBudgetModelRoundTrips() throws {
        let b = try #require(Self.opened)
        let decoded = try b.loadBudgets()
        #expect(decoded.map(\.department.id) == Repo.catalog.budgets.map(\.department.id))
        // Checking the decoded model gives the same findings as checking the loaded one.
        let f1 = Checker.check(Repo.catalog.budgets, known: Repo.catalog.known).map { "\($0)" }
        let f2 = Checker.check(decoded, known: b.known).map { "\($0)" }
        #expect(f1 == f2 && !f1.isEmpty)
    }

    @Test(arguments: Corpus.records)
    func corpusRecordOnTheStore(_ r: CorpusRecord) throws {
        guard !Repo.recording else { return }
        let catalog = try #require(Self.opened)
        #expect(Corpus.run(r, catalog: catalog) == r.expected, "\(r)\n\(r.query)")
    }

    /// A copy of the bundled datasets with old modification times (so it may be cached), in a
    /// fresh folder; `cache` is a cache directory beside it.
    static func scratchData(_ name: String) throws -> (root: URL, data: URL, cache: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-store-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: root)
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repo.datasets, to: data)
        let old = Date(timeIntervalSinceNow: -3600)
        for case let path as String in FileManager.default.enumerator(atPath: data.path) ?? .init() {
            try FileManager.default.setAttributes(
                [.modificationDate: old], ofItemAtPath: data.appendingPathComponent(path).path)
        }
        return (root, data, root.appendingPathComponent("store"))
    }

    @Test func theLoadCacheIsAStore() throws {
        let (cache, data, _) = try Self.scratchData("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let old = Date(timeIntervalSinceNow: -3600)
        let store = cache.appendingPathComponent("store")
        let first = try Catalog.openReporting(directory: data, cacheDirectory: store)
        #expect(first.origin == .csv(cacheWritten: true))
        let second = try Catalog.openReporting(directory: data, cacheDirectory: store)
        #expect(second.origin == .cache)
        #expect(second.catalog.store != nil)
        let q = "projects | group by dept | agg n = count(), s = sum(amount)"
        var s1 = Session(catalog: first.catalog)
        var s2 = Session(catalog: second.catalog)
        #expect(try s1.query(q).rows == s2.query(q).rows)
        // A changed known-contradictions list is not what the cache was built with: rebuilt.
        let known = data.appendingPathComponent(KnownContradiction.fileName)
        let text = try String(contentsOf: known, encoding: .utf8)
        try (text.replacingOccurrences(of: "\n", with: "\n", options: [], range: nil) + "x,y,z,w\n").write(
            to: known, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: known.path)
        let third = try Catalog.openReporting(directory: data, cacheDirectory: store)
        #expect(third.origin == .csv(cacheWritten: true))
        #expect(third.catalog.known.count == first.catalog.known.count + 1)
        // Damage inside a section of the cache: the statement that reads it fails, the file is
        // removed, and the next open rebuilds it from CSV.
        let file = Catalog.cacheFile(for: data, in: store)
        let reader = try StoreReader(path: file.path)
        let projects = try #require(reader.directory.tables.first { $0.name == "projects" })
        let amount = try #require(projects.fields.first { $0.field.name == "amount" })
        var bytes = try [UInt8](Data(contentsOf: file))
        bytes[Int(reader.directory.sections[Int(amount.first)].offset)] ^= 0x01
        try Data(bytes).write(to: file)
        let fourth = try Catalog.openReporting(directory: data, cacheDirectory: store)
        #expect(fourth.origin == .cache)
        var s4 = Session(catalog: fourth.catalog)
        do {
            _ = try s4.query(q)
            Issue.record("a damaged cache answered")
        } catch {
            guard case .storeDamaged(_, .cacheDamaged(let path, _, _)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == file.path)
            #expect("\(error)".contains("the next run rebuilds it"))
        }
        #expect(!FileManager.default.fileExists(atPath: file.path))
        let fifth = try Catalog.openReporting(directory: data, cacheDirectory: store)
        #expect(fifth.origin == .csv(cacheWritten: true))
        var s5 = Session(catalog: fifth.catalog)
        #expect(try s5.query(q).rows == s1.query(q).rows)
    }

    // MARK: The cache path (issue 12, finding 9, for the store cache)

    /// A FIFO at the cache path must not block the load (the file is opened non-blocking and
    /// must be regular); the load falls back to CSV at once and writes the cache over it.
    @Test func aFIFOAtTheCachePathFallsBackAtOnce() throws {
        let (root, data, cache) = try Self.scratchData("fifo")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let file = Catalog.cacheFile(for: data, in: cache)
        #expect(mkfifo(file.path, 0o644) == 0)
        let start = Date()
        let opened = try Catalog.openReporting(directory: data, cacheDirectory: cache)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(opened.origin == .csv(cacheWritten: true))
        #expect(try Catalog.openReporting(directory: data, cacheDirectory: cache).origin == .cache)
    }

    /// A valid store cache extended to a sparse 40 GB file, and one whose header claims 40 GB
    /// (its checksum recomputed, as only a forger would): both refused after reading the header,
    /// in well under a second, and rebuilt.
    @Test func aStoreExtendedTo40GBIsRefusedUnread() throws {
        let (root, data, cache) = try Self.scratchData("sparse")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try Catalog.openReporting(directory: data, cacheDirectory: cache).origin == .csv(cacheWritten: true))
        let file = Catalog.cacheFile(for: data, in: cache)
        #expect(truncate(file.path, 40 << 30) == 0)
        var start = Date()
        #expect((try? StoreReader(path: file.path)) == nil)
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(try Catalog.openReporting(directory: data, cacheDirectory: cache).origin == .csv(cacheWritten: true))
        // The header rewritten to agree with 40 GB.
        var bytes = [UInt8](try Data(contentsOf: file))
        withUnsafeBytes(of: UInt64(40 << 30).littleEndian) { for (i, b) in $0.enumerated() { bytes[48 + i] = b } }
        let h = StoreLayout.headerSize
        let sum = bytes.withUnsafeBytes { ModelCache.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(h - 8)])) }
        withUnsafeBytes(of: sum.littleEndian) { for (i, b) in $0.enumerated() { bytes[h - 8 + i] = b } }
        try Data(bytes).write(to: file)
        #expect(truncate(file.path, 40 << 30) == 0)
        start = Date()
        do {
            _ = try StoreReader(path: file.path)
            Issue.record("a store claiming 40 GB opened")
        } catch {
            if case .damaged(_, "the header", _) = error {} else { Issue.record("\(error)") }
        }
        #expect(Date().timeIntervalSince(start) < 1)
    }

    /// A directory, or a symbolic link to a FIFO, at the cache path is not read either.
    @Test func onlyARegularFileIsReadAsAStoreCache() throws {
        let (root, data, cache) = try Self.scratchData("dir")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = Catalog.cacheFile(for: data, in: cache)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        #expect(try Catalog.openReporting(directory: data, cacheDirectory: cache).origin == .csv(cacheWritten: false))
        try FileManager.default.removeItem(at: file)
        let fifo = root.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: fifo)
        let start = Date()
        #expect(try Catalog.openReporting(directory: data, cacheDirectory: cache).origin == .csv(cacheWritten: true))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    // MARK: Damage

    /// Opening `bytes` fails with an error for which `matches` holds.
    static func expectRefused(
        _ bytes: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: (StoreError) -> Bool
    ) throws {
        let url = try scratch(bytes, name)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Catalog.open(store: url)
            Issue.record("\(name): opened", sourceLocation: sourceLocation)
        } catch {
            #expect(matches(error), "\(name): \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aTruncatedOrExtendedStoreIsRefusedAtOpen() throws {
        let n = Self.bytes.count
        try #require(n > 1000)
        for cut in [0, 1, 7, 8, 40, 87, 88, 89, 1000, n / 3, n / 2, n - 9, n - 1] {
            try Self.expectRefused(Array(Self.bytes[0..<cut]), "cut-\(cut)") { e in
                switch e {
                case .notAStore, .wrongSize: return true
                default: return false
                }
            }
        }
        try Self.expectRefused(Self.bytes + [0], "extended") { if case .wrongSize = $0 { true } else { false } }
        try Self.expectRefused(Self.bytes + [UInt8](repeating: 0, count: 1 << 20), "extended-1MiB") {
            if case .wrongSize = $0 { true } else { false }
        }
    }

    @Test func aWrongVersionOrChecksumOrSchemaIsRefused() throws {
        var version = Self.bytes
        version[8] &+= 1
        try Self.expectRefused(version, "version") {
            if case .unsupportedVersion(_, let found, _) = $0 { found == StoreLayout.version + 1 } else { false }
        }
        var header = Self.bytes
        header[StoreLayout.headerSize - 1] ^= 0x01
        try Self.expectRefused(header, "header-checksum") {
            if case .damaged(_, "the header", _) = $0 { true } else { false }
        }
        // A valid header (its checksum recomputed) over another catalog layout.
        var schema = Self.bytes
        schema[20] ^= 0x01
        let sum = schema.withUnsafeBytes {
            ModelCache.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(StoreLayout.headerSize - 8)]))
        }
        withUnsafeBytes(of: sum.littleEndian) {
            for (i, b) in $0.enumerated() { schema[StoreLayout.headerSize - 8 + i] = b }
        }
        try Self.expectRefused(schema, "schema") { if case .otherSchema = $0 { true } else { false } }
        // The directory's checksum.
        var directory = Self.bytes
        directory[directory.count - 3] ^= 0x40
        try Self.expectRefused(directory, "directory") {
            if case .damaged(_, "the directory", _) = $0 { true } else { false }
        }
    }

    @Test func aForeignFileIsRefused() throws {
        var random = SystemRandomNumberGenerator()
        let noise = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        try Self.expectRefused(noise, "noise") { if case .notAStore = $0 { true } else { false } }
        let csv = [UInt8]("id,name\n1,鞍山\n".utf8) + [UInt8](repeating: 0x20, count: 200)
        try Self.expectRefused(csv, "csv") { if case .notAStore = $0 { true } else { false } }
        try Self.expectRefused([], "empty") { if case .notAStore = $0 { true } else { false } }
        do {
            _ = try Catalog.open(store: Repo.datasets)
            Issue.record("a directory opened as a store")
        } catch {
            #expect(error == .notARegularFile(path: Repo.datasets.path))
        }
        do {
            _ = try Catalog.open(store: URL(fileURLWithPath: "/nonexistent/x.bqldb"))
            Issue.record("a missing file opened")
        } catch {
            if case .unreadable = error {} else { Issue.record("\(error)") }
        }
    }

    /// A flipped byte inside each section: the store still opens (sections are read lazily),
    /// and reading that section records the damage, so a statement over it fails with
    /// `storeDamaged` rather than answering.
    @Test func aFlippedByteInAnySectionFailsTheStatementThatReadsIt() throws {
        let reader = try StoreReader(path: Self.file.path)
        let sections = reader.directory.sections
        #expect(sections.count > 100)
        for (i, s) in sections.enumerated() where s.length > 0 {
            // Its first, middle or last byte, in turn.
            for offset in [[s.offset, s.offset + s.length / 2, s.offset + s.length - 1][i % 3]] {
                var bytes = Self.bytes
                bytes[Int(offset)] ^= 0x5A
                let url = try Self.scratch(bytes, "flip")
                defer { try? FileManager.default.removeItem(at: url) }
                let catalog = try Catalog.open(store: url)
                Self.touchEverything(catalog)
                #expect(catalog.storeDamage != nil, "section \(i) (\(s.kind)) byte \(offset) went unnoticed")
                var session = Session(catalog: catalog)
                do {
                    _ = try session.query("departments | agg n = count()")
                    Issue.record("section \(i): a statement ran on a damaged store")
                } catch {
                    if case .storeDamaged = error {} else { Issue.record("section \(i): \(error)") }
                }
            }
        }
    }

    /// A statement that reads only undamaged sections still answers; the one that reads the
    /// damaged column fails, naming it.
    @Test func damageIsFoundWhereItIsRead() throws {
        let reader = try StoreReader(path: Self.file.path)
        let projects = try #require(reader.directory.tables.first { $0.name == "projects" })
        let amount = try #require(projects.fields.first { $0.field.name == "amount" })
        let section = reader.directory.sections[Int(amount.first)]
        var bytes = Self.bytes
        bytes[Int(section.offset)] ^= 0x01
        let url = try Self.scratch(bytes, "amount")
        defer { try? FileManager.default.removeItem(at: url) }
        var session = Session(catalog: try Catalog.open(store: url))
        #expect(try session.query("departments | agg n = count()").rows == [[.integer(5)]])
        do {
            _ = try session.query("projects | agg s = sum(amount)")
            Issue.record("a sum over a damaged column answered")
        } catch {
            guard case .storeDamaged(_, let damage) = error else {
                Issue.record("\(error)")
                return
            }
            #expect("\(damage)".contains("column projects.amount: its checksum does not match"), "\(damage)")
        }
    }
}
