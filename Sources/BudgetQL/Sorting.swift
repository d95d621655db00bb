// Sorting: the row order of a `sort` stage. Keys are computed once per row as vectors and turned
// into directly comparable arrays (decimals as 128-bit integers, text as the rank of its
// dictionary entry); `sort … | take n` keeps only the best n while scanning (top-N).
// Order: nulls last in both directions, ties by the rows' previous order.

import BudgetModel

struct Sorting {
    let vectors: VectorEvaluator

    /// One key's comparable values.
    fileprivate enum Key {
        /// Decimals on one scale; `null` marks nulls.
        case wide([Int128], null: [Bool])
        /// Text ranks (0 = null).
        case rank([UInt32])
        /// Logical bytes (false < true; 2 = null).
        case logical([UInt8])
        /// Anything else, compared as values.
        case values([Value])

        /// Whether row `i`'s key is null.
        @inline(__always) func isNull(_ i: Int) -> Bool {
            switch self {
            case .wide(_, let null): return null[i]
            case .rank(let r): return r[i] == 0
            case .logical(let l): return l[i] == Logical.null
            case .values(let v): return v[i].isNull
            }
        }

        /// -1, 0 or 1 for rows `i`, `j` in ascending order; nulls compare as greater than anything.
        @inline(__always) func compare(_ i: Int, _ j: Int) -> Int {
            switch self {
            case .wide(let w, let null):
                if null[i] || null[j] { return null[i] == null[j] ? 0 : (null[i] ? 1 : -1) }
                return w[i] == w[j] ? 0 : (w[i] < w[j] ? -1 : 1)
            case .rank(let r):
                let x = r[i], y = r[j]
                if x == y { return 0 }
                if x == 0 { return 1 }
                if y == 0 { return -1 }
                return x < y ? -1 : 1
            case .logical(let l):
                let x = l[i], y = l[j]
                return x == y ? 0 : (x < y ? -1 : 1)
            case .values(let v):
                let x = v[i], y = v[j]
                if x == y { return 0 }
                if x.isNull { return 1 }
                if y.isNull { return -1 }
                return x < y ? -1 : 1
            }
        }
    }

    /// The frame's rows in sorted order, or only the first `limit` of them.
    func order(_ frame: Frame, keys: [(BoundExpr, Bool)], limit: Int?) throws(QueryError) -> [Int] {
        let ctx = VectorContext.of(frame)
        var built: [(Key, Bool)] = []
        for (e, descending) in keys {
            let key: Key
            switch try vectors.eval(e, ctx) {
            case .decimal(let m, let s):
                key = .wide(m.indices.map { s[$0] < 0 ? 0 : DecimalScaling.wide(m[$0], s[$0]) }, null: s.map { $0 < 0 })
            case .coded(let c, let d):
                let ranks = d.ranks
                key = .rank(c.map { ranks[Int($0)] })
            case .logical(let l):
                key = .logical(l)
            case .values(let v):
                key = .values(v)
            }
            built.append((key, descending))
        }
        /// Whether row `a` goes before row `b`.
        func before(_ a: Int, _ b: Int) -> Bool {
            for (key, descending) in built {
                let c = key.compare(a, b)
                if c == 0 { continue }
                // Nulls last in both directions: a null compares greater, and stays greater.
                if descending, !key.isNull(a), !key.isNull(b) { return c > 0 }
                return c < 0
            }
            return a < b
        }
        let n = frame.count
        guard let limit, limit < n / 4 else {
            let sorted = Array(0..<n).sorted(by: before)
            return limit.map { Array(sorted.prefix($0)) } ?? sorted
        }
        // Top-N: `best` stays sorted; a row enters only if it beats the current last.
        var best: [Int] = []
        best.reserveCapacity(limit + 1)
        guard limit > 0 else { return [] }
        for r in 0..<n {
            if best.count == limit, !before(r, best[limit - 1]) { continue }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(best[mid], r) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(r, at: lo)
            if best.count > limit { best.removeLast() }
        }
        return best
    }
}
