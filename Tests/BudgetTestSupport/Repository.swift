// Repository: where the repository's folders are, found from this file's path (never ../shared),
// the catalog over the bundled datasets loaded once, the built `bql` binary, and whether golden
// files are re-recorded (BQL_RECORD=1). Every test target reads paths from here.

import BudgetModel
import BudgetQL
import Foundation

/// Paths and shared fixtures of the repository, for tests.
public enum Repo {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The bundled `Datasets/`.
    public static let datasets = root.appendingPathComponent("Datasets")
    /// The behaviour corpus, `Tests/Corpus/*.test`.
    public static let corpus = root.appendingPathComponent("Tests/Corpus")
    /// The saved query scripts, `Queries/`.
    public static let queries = root.appendingPathComponent("Queries")
    /// The documentation folder, `docs/`.
    public static let docs = root.appendingPathComponent("docs")
    /// Where `bql` run by the tests keeps its load cache (one directory per test process).
    public static let testCache = FileManager.default.temporaryDirectory.appendingPathComponent(
        "bql-test-cache-\(ProcessInfo.processInfo.processIdentifier)")
    /// Whether golden files and corpus outputs are re-recorded (`BQL_RECORD=1`).
    public static var recording: Bool { ProcessInfo.processInfo.environment["BQL_RECORD"] == "1" }

    /// The dataset folders of `Datasets/`, sorted.
    public static var datasetFolders: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: datasets.path)) ?? []
        return names.sorted().map { datasets.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("department.csv").path) }
    }

    /// The catalog over the bundled datasets, loaded once. A test process without its datasets
    /// cannot test anything, so failing to load them stops the process with the loader's error.
    public static let catalog: Catalog = {
        do { return try Catalog.open(directory: datasets) } catch {
            fatalError("bundled datasets do not load: \(error)")
        }
    }()

    /// The parameters every corpus record and documentation example runs with.
    public static let corpusParameters: [String: Value] = [
        "min": .decimal(ExactDecimal(100)), "dept": .text("鞍山"),
    ]

    /// The built `bql` binary, next to the test bundle or in `.build/debug`.
    public static var bql: URL {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [
            dir.appendingPathComponent("bql"), dir.deletingLastPathComponent().appendingPathComponent("bql"),
            root.appendingPathComponent(".build/debug/bql"),
        ] where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return root.appendingPathComponent(".build/debug/bql")
    }
}
