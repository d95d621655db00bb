// ParallelMap: work on all cores. `parallelMap` is `(0..<count).map(body)` with workers taking
// the next index as they finish (the checker's per-budget rules; the catalog's tables, largest
// first). `Parallel.forEachChunk` splits `0..<count` into fixed ranges balanced by weight, for
// code that writes into buffers it owns per range (the load cache's encoder and decoder).

import Foundation

/// `(0..<count).map(body)`, computed by `workers` threads (one per core by default).
package func parallelMap<T: Sendable>(
    _ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    _ body: @Sendable (Int) -> T
) -> [T] {
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

enum Parallel {
    /// Runs `body` on contiguous ranges covering `0..<count`, on all cores. `body` must only
    /// write state owned by its range.
    static func forEachChunk(of count: Int, weights: ((Int) -> Int)? = nil, _ body: (Range<Int>) -> Void) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chunks = min(count, max(1, cores * 4))
        guard chunks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // Chunk boundaries, balanced by weight (e.g. bytes) when given, else by count.
        var bounds = [0]
        if let weights {
            var total = 0
            for i in 0..<count { total += weights(i) }
            var acc = 0
            var next = 1
            for i in 0..<count {
                acc += weights(i)
                if next < chunks, acc * chunks >= total * next, i + 1 < count {
                    bounds.append(i + 1)
                    next += 1
                }
            }
        } else {
            for c in 1..<chunks { bounds.append(count * c / chunks) }
        }
        bounds.append(count)
        let ranges = zip(bounds, bounds.dropFirst()).map { $0..<$1 }
        // `concurrentPerform` wants a `@Sendable` closure; `body` is not, but it is only ever
        // given disjoint ranges, and it does not outlive this call.
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
                if !ranges[c].isEmpty { work.value(ranges[c]) }
            }
        }
    }
}

/// A value handed to concurrent code whose thread safety the caller guarantees.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
