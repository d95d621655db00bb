// Support: shared test helpers — repository paths (never ../shared), the bundled catalog, and
// golden-file comparison that re-records only when BQL_RECORD=1.

import BudgetQL
import Foundation
import Testing

enum Repo {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let datasets = root.appendingPathComponent("Datasets")
    static let corpus = root.appendingPathComponent("Tests/Corpus")
    /// Where `bql` run by the tests keeps its load cache (one directory per test process).
    static let testCache = FileManager.default.temporaryDirectory.appendingPathComponent(
        "bql-test-cache-\(ProcessInfo.processInfo.processIdentifier)")
    static let queries = root.appendingPathComponent("Queries")
    static let docs = root.appendingPathComponent("docs")
    /// Whether golden files are re-recorded.
    static var recording: Bool { ProcessInfo.processInfo.environment["BQL_RECORD"] == "1" }

    /// The catalog over the bundled datasets, loaded once.
    static let catalog: Catalog = {
        do { return try Catalog.open(directory: datasets) } catch {
            fatalError("bundled datasets do not load: \(error)")
        }
    }()

    /// The built `bql` binary.
    static var bql: URL {
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

/// Compares `actual` with the golden file at `url`; with BQL_RECORD=1, writes it instead.
func assertGolden(_ actual: String, _ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if Repo.recording {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden file \(url.path)>"
    #expect(
        actual == expected, "golden mismatch: \(url.path) (rerun with BQL_RECORD=1 and review the diff)",
        sourceLocation: sourceLocation)
}
