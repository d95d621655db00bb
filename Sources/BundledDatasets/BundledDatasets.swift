// BundledDatasets: locates the department budgets that ship with BudgetQL — installed by
// `make install` under PREFIX/share/bql/Datasets, or the package resource next to the built
// binary — and opens them as a catalog for embedders (`Catalog.bundled()`).
import BudgetModel
import BudgetQL
import Foundation

/// The datasets bundled with BudgetQL (the repository's `Datasets/` folder).
public enum BundledDatasets {
    /// The name of SwiftPM's resource bundle, next to the built executable.
    static let resourceBundle = "BudgetQL_BundledDatasets.resources"

    /// The directory holding the bundled datasets, or `nil` if they cannot be found. Looked for,
    /// relative to the running executable, in `../share/bql/Datasets` (where `make install`
    /// puts them), then in the package's resource bundle beside it (a `swift build`), then in
    /// the source tree this library was built from.
    public static var directory: URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = executable.deletingLastPathComponent()
            candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/bql/Datasets"))
        }
        let beside = Bundle.main.bundleURL.appendingPathComponent(resourceBundle)
        // Bundle.module stops the process when its bundle is missing: ask it only when it is there.
        if fm.fileExists(atPath: beside.path),
            let url = Bundle.module.url(forResource: "Datasets", withExtension: nil)
        {
            candidates.append(url)
        }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Datasets"))
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}

/// Why the bundled datasets could not be opened.
public enum BundledDatasetsError: Error, Sendable, CustomStringConvertible {
    /// They are not installed beside the executable, nor built into the package.
    case missing
    /// They are there but failed to load.
    case dataset(DatasetError)

    public var description: String {
        switch self {
        case .missing: return "the bundled datasets are missing (looked beside the executable and in the package)"
        case .dataset(let e): return "\(e)"
        }
    }
}

extension Catalog {
    /// The catalog over the datasets bundled with BudgetQL, with their known contradictions.
    /// With `cacheDirectory` (e.g. `ModelCache.defaultCacheDirectory()`), loads through the
    /// binary load cache.
    public static func bundled(cacheDirectory: URL? = nil) throws(BundledDatasetsError) -> Catalog {
        guard let directory = BundledDatasets.directory else { throw .missing }
        do { return try Catalog.open(directory: directory, cacheDirectory: cacheDirectory) } catch {
            throw .dataset(error)
        }
    }
}
