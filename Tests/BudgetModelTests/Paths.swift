// Paths: this target's names for the repository paths that BudgetTestSupport's `Repo` finds
// (never ../shared), plus the target's own fixture folder.

import BudgetTestSupport
import Foundation

enum Paths {
    /// The repository root.
    static var root: URL { Repo.root }
    /// The repository's `Datasets/`.
    static var datasets: URL { Repo.datasets }
    /// Test fixtures of this target.
    static let fixtures = Repo.root.appendingPathComponent("Tests/BudgetModelTests/Fixtures")
    /// Whether golden files should be re-recorded (`BQL_RECORD=1`).
    static var recording: Bool { Repo.recording }
    /// The dataset folders, sorted.
    static var datasetFolders: [URL] { Repo.datasetFolders }
}
