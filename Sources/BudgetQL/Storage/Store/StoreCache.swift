// StoreCache: the load cache is a store. Opening a datasets directory with a cache directory
// reuses `catalog-<hash of the path>.bqldb` there while the dataset files' fingerprint and the
// known-contradictions list are the ones it was built from, and writes it after a load from
// CSV otherwise. A cache that is missing, stale, foreign or damaged in its header or directory is
// rebuilt; damage found later, in a section a statement reads, fails that statement and removes
// the file, so the next run rebuilds it.

import BudgetModel
import Foundation

extension Catalog {
    /// Like ``open(directory:cacheDirectory:)``, also telling whether the catalog came from the
    /// cache (a store, read lazily) or from CSV (and whether the cache was written).
    public static func openReporting(directory: URL, cacheDirectory: URL?) throws(DatasetError) -> (
        catalog: Catalog, origin: ModelCache.Origin
    ) {
        guard let cacheDirectory, let input = ModelCache.inputFingerprint(of: directory) else {
            let budgets = try DatasetLoader.loadAll(from: directory)
            let known = try KnownContradiction.load(from: directory)
            return (Catalog(budgets: budgets, known: known), .csv(cacheWritten: false))
        }
        let file = cacheFile(for: directory, in: cacheDirectory)
        if let reader = try? StoreReader(path: file.path, isCache: true), reader.source == (input.high, input.low) {
            let known = try KnownContradiction.load(from: directory)
            if reader.directory.known == known { return (Catalog(store: reader), .cache) }
        }
        let budgets = try DatasetLoader.loadAll(from: directory)
        let known = try KnownContradiction.load(from: directory)
        let catalog = Catalog(budgets: budgets, known: known)
        var written = false
        if !input.isRacy,
            (try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)) != nil
        {
            written = (try? catalog.write(to: file, source: (input.high, input.low))) != nil
        }
        return (catalog, .csv(cacheWritten: written))
    }

    /// The store that caches the datasets under `directory`: its name is a hash of the
    /// directory's absolute, standardized path.
    public static func cacheFile(for directory: URL, in cacheDirectory: URL) -> URL {
        let legacy = ModelCache.cacheFile(for: directory, in: cacheDirectory).lastPathComponent
        let hash = legacy.dropFirst("budgets-".count).prefix(32)
        return cacheDirectory.appendingPathComponent("catalog-\(hash).bqldb")
    }
}

/// Why data could not be opened: a datasets directory that does not load, or a store that
/// cannot be read.
public enum CatalogOpenError: Error, Sendable, CustomStringConvertible {
    /// A dataset under the directory failed to load.
    case dataset(DatasetError)
    /// The store file could not be opened.
    case store(StoreError)

    /// The message shown to a user.
    public var description: String {
        switch self {
        case .dataset(let e): return "\(e)"
        case .store(let e): return "\(e)"
        }
    }
}

/// Where an opened catalog came from.
public enum CatalogOrigin: Sendable, Hashable {
    /// A store file named on purpose (`bql build`), read lazily.
    case store
    /// The load cache (a store), read lazily.
    case cache
    /// The CSV files; `cacheWritten` says whether the cache was written for the next load.
    case csv(cacheWritten: Bool)
}

extension Catalog {
    /// Opens `url`: a store file (`.bqldb`, read lazily), or a datasets directory (through the
    /// load cache in `cacheDirectory`, when there is one).
    public static func open(at url: URL, cacheDirectory: URL?) throws(CatalogOpenError) -> (
        catalog: Catalog, origin: CatalogOrigin
    ) {
        var s = stat()
        if stat(url.path, &s) == 0, s.st_mode & S_IFMT != S_IFDIR {
            do { return (try Catalog.open(store: url), .store) } catch { throw .store(error) }
        }
        do {
            let (catalog, origin) = try openReporting(directory: url, cacheDirectory: cacheDirectory)
            switch origin {
            case .cache: return (catalog, .cache)
            case .csv(let written): return (catalog, .csv(cacheWritten: written))
            }
        } catch {
            throw .dataset(error)
        }
    }
}
