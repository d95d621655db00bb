// DataDirectory: which datasets `bql` opens — `--data DIR` (a datasets directory or a store file
// from `bql build`), else `$BQL_DATA`, else the bundled Datasets shipped next to the binary.

import ArgumentParser
import BudgetModel
import BudgetQL
import BundledDatasets
import Foundation

enum DataDirectory {
    /// Resolves the data directory from an explicit option, the environment, or the bundle.
    static func resolve(_ option: String?) -> URL? {
        if let option { return URL(fileURLWithPath: option) }
        if let env = ProcessInfo.processInfo.environment["BQL_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return BundledDatasets.directory
    }

    /// Opens the catalog of a datasets directory or a store file (`bql build`), or prints the
    /// error and exits with the data-error code. With `cache`, a directory is opened through the
    /// load cache (a store kept in the cache directory) while its files are unchanged.
    static func load(_ option: String?, cache: Bool) throws -> (URL, Catalog) {
        guard let dir = resolve(option) else {
            Console.error("bql: the bundled datasets are missing; pass --data DIR or set BQL_DATA")
            throw ExitCode.dataError
        }
        do {
            // A large directory takes seconds to load: say so on a terminal, and say how it went.
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: dir.path).count) ?? 0
            let announce = folders >= 200 && isatty(STDERR_FILENO) == 1
            if announce { Console.error("bql: loading the datasets in \(dir.path) …") }
            let start = ContinuousClock.now
            let (catalog, origin) = try Catalog.open(
                at: dir, cacheDirectory: cache ? ModelCache.defaultCacheDirectory() : nil)
            if announce {
                let (s, atto) = (ContinuousClock.now - start).components
                let seconds = String(format: "%.1f", Double(s) + Double(atto) / 1e18)
                let how: String
                switch origin {
                case .store, .cache: how = "from the load cache"
                case .csv(let written): how = written ? "from CSV; the next load will use the cache" : "from CSV"
                }
                let n = catalog.table("departments")?.count ?? 0
                Console.error("bql: loaded \(n) datasets in \(seconds) s (\(how))")
            }
            return (dir, catalog)
        } catch {
            Console.error("bql: data error: \(error)")
            throw ExitCode.dataError
        }
    }
}
