// ParallelMap: `(0..<count).map(body)` computed on all cores, results in index order. The
// checker runs its per-budget rules through it, and the catalog builds its tables with it.

import Foundation

/// `(0..<count).map(body)`, computed by `workers` threads (one per core by default).
package func parallelMap<T: Sendable>(_ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                              _ body: @Sendable (Int) -> T) -> [T] {
    let workers = max(1, min(workers, count))
    if workers == 1 { return (0..<count).map(body) }
    let slots = ResultSlots<T>(count: count, chunk: max(1, count / (workers * 32)))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let range = slots.take() {
            slots.store(range.lowerBound, range.map(body))
        }
    }
    return slots.finished()
}

/// The indices still to compute and the results so far, shared by `parallelMap`'s workers.
///
/// `@unchecked Sendable`: every stored property is read and written only with `lock` held
/// (`Mutex` of the Synchronization module would say so to the compiler, but needs macOS 15 and
/// the package supports macOS 14).
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private let chunk: Int
    private var next = 0
    private var results: [T?]

    init(count: Int, chunk: Int) {
        self.count = count
        self.chunk = chunk
        results = Array(repeating: nil, count: count)
    }

    /// The next indices to compute, or `nil` when all are taken.
    func take() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        let range = next..<min(next + chunk, count)
        next = range.upperBound
        return range
    }

    /// Stores the results of the indices from `start` on.
    func store(_ start: Int, _ values: [T]) {
        lock.lock()
        defer { lock.unlock() }
        for (k, v) in values.enumerated() { results[start + k] = v }
    }

    /// The results, once every worker has returned.
    func finished() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return results.map { $0! }
    }
}
