// DataDirectory: which datasets `bql` opens — `--data DIR`, else `$BQL_DATA`, else the bundled
// Datasets shipped next to the binary.

import ArgumentParser
import BudgetModel
import BundledDatasets
import Foundation

enum DataDirectory {
    /// Resolves the data directory from an explicit option, the environment, or the bundle.
    static func resolve(_ option: String?) -> URL? {
        if let option { return URL(fileURLWithPath: option) }
        if let env = ProcessInfo.processInfo.environment["BQL_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return BundledDatasets.directory
    }

    /// Loads every budget and the known-contradictions list, or prints the error and exits with the data-error code.
    /// With `cache`, budgets come from the load cache when the files are unchanged (and the cache
    /// is written when they are not): see `ModelCache`.
    static func load(_ option: String?, cache: Bool) throws -> (URL, [Budget], [KnownContradiction]) {
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
            let loaded = try ModelCache.load(
                from: dir, cacheDirectory: cache ? ModelCache.defaultCacheDirectory() : nil)
            if announce {
                let (s, atto) = (ContinuousClock.now - start).components
                let seconds = String(format: "%.1f", Double(s) + Double(atto) / 1e18)
                let how: String
                switch loaded.origin {
                case .cache: how = "from the load cache"
                case .csv(let written): how = written ? "from CSV; the next load will use the cache" : "from CSV"
                }
                Console.error("bql: loaded \(loaded.budgets.count) datasets in \(seconds) s (\(how))")
            }
            let known = try KnownContradiction.load(from: dir)
            return (dir, loaded.budgets, known)
        } catch {
            Console.error("bql: data error: \(error)")
            throw ExitCode.dataError
        }
    }
}
