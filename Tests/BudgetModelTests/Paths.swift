// Paths: where the repository's folders are, found from this file's path (never ../shared).

import Foundation

enum Paths {
    /// The repository root.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The repository's `Datasets/`.
    static let datasets = root.appendingPathComponent("Datasets")
    /// Test fixtures of this target.
    static let fixtures = root.appendingPathComponent("Tests/BudgetModelTests/Fixtures")
    /// Whether golden files should be re-recorded (`BQL_RECORD=1`).
    static var recording: Bool { ProcessInfo.processInfo.environment["BQL_RECORD"] == "1" }

    /// The dataset folders, sorted.
    static var datasetFolders: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: datasets.path)) ?? []
        return names.sorted().map { datasets.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("department.csv").path) }
    }
}
