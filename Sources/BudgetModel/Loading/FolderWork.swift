// FolderWork: the work list the loader's worker threads share — which folder is next, each
// folder's result by index, and the first failed folder, after which nothing more is started.

import Foundation

/// The folders still to load and the results so far, shared by the loader's workers.
///
/// `@unchecked Sendable`: every stored property is read and written only with `lock` held
/// (`Mutex` of the Synchronization module would say so to the compiler, but needs macOS 15 and
/// the package supports macOS 14).
final class FolderWork: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var next = 0
    private var firstFailure = Int.max
    private var results: [DatasetLoader.FolderResult?]

    init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    /// The next folder to load, or `nil` when all are taken or a folder before it failed (a
    /// sequential load would stop there; every folder before the first failure is loaded).
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count, next < firstFailure else { return nil }
        next += 1
        return next - 1
    }

    /// Records folder `i`'s result.
    func finish(_ i: Int, _ result: DatasetLoader.FolderResult) {
        lock.lock()
        defer { lock.unlock() }
        if case .failed = result { firstFailure = min(firstFailure, i) }
        results[i] = result
    }

    /// The results, once every worker has returned.
    func finished() -> [DatasetLoader.FolderResult?] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
