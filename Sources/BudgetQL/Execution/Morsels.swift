// Morsels: a `where` over many rows split into contiguous ranges (morsels) whose condition is
// evaluated on several threads, each with its own interruption counter, and whose kept rows are
// concatenated in order — the same rows as one thread keeps. Anything unusual runs on the
// calling thread instead: a stage with windows (their values span the frame), a memory limit
// (its estimate is per statement), row-by-row evaluation, and any error, which is then
// reproduced serially so that the error too is the one a single thread reports.

import BudgetModel

extension Executor {
    /// The threads a statement may use: one unless the embedder or `--threads` asks for more
    /// (see `QueryLimits.maxThreads` for why).
    var threads: Int { max(1, limits.maxThreads ?? 1) }

    /// The rows of `frame` that satisfy `cond`, computed in morsels on several threads; nil when
    /// the stage should (or, after an error, must) run on the calling thread.
    func morselFilter(_ cond: BoundExpr, _ windows: StageWindows, _ frame: Frame) -> [Int]? {
        let threads = threads
        guard threads > 1, mode == .batch, windows.shares.isEmpty, windows.calls.isEmpty, limits.maxMemory == nil,
            frame.count >= max(limits.parallelMinimumRows, 2)
        else { return nil }
        // A few morsels per thread, so a thread that finishes early takes another.
        let morsels = min(threads * 4, frame.count)
        let size = (frame.count + morsels - 1) / morsels
        let (limits, deadline, range, parameters, mode) = (limits, deadline, range, parameters, mode)
        let results = parallelMap(morsels, workers: threads) { m -> Result<[Int], QueryError> in
            let start = m * size
            let end = min(start + size, frame.count)
            guard start < end else { return .success([]) }
            let part = frame.selecting(Array(start..<end))
            return Result { () throws(QueryError) -> [Int] in
                let own = Interruption(limits: limits, deadline: deadline, range: range)
                let ev = try Windows(parameters: parameters, mode: mode, interruption: own)
                    .evaluator(part, windows)
                let condition = try VectorEvaluator(scalar: ev, mode: mode, interruption: own)
                    .eval(cond, .of(part)).logical
                var keep: [Int] = []
                for (r, c) in condition.enumerated() where c == Logical.yes { keep.append(start + r) }
                return keep
            }
        }
        var keep: [Int] = []
        for r in results {
            guard case .success(let rows) = r else { return nil }
            keep += rows
        }
        return keep
    }
}
