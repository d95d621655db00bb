// Sorting: the row order of a `sort` stage. Keys are evaluated once as vectors and compared in
// place (decimals by mantissa or as 128-bit integers, text by the rank of its dictionary entry);
// `sort … | take n` keeps only the best n while scanning (top-N).
// Order: nulls last in both directions, ties by the rows' previous order.

import BudgetModel

/// One sort key's values for every row, compared in place (no per-row key arrays): decimals by
/// mantissa when scales agree, else as 128-bit integers; text by the rank of its dictionary
/// entry (ranks are computed once per dictionary). Nulls compare greater than anything.
private protocol SortColumn: AnyObject {
    /// -1, 0 or 1 for rows `i`, `j` in ascending order.
    func compare(_ i: Int, _ j: Int) -> Int
    /// Whether row `i`'s key is null.
    func isNull(_ i: Int) -> Bool
}

private final class DecimalKey: SortColumn {
    let m: [Int64], s: [Int8]
    init(_ m: [Int64], _ s: [Int8]) {
        self.m = m
        self.s = s
    }
    func isNull(_ i: Int) -> Bool { s[i] < 0 }
    func compare(_ i: Int, _ j: Int) -> Int {
        let si = s[i]
        let sj = s[j]
        if si < 0 || sj < 0 { return si < 0 && sj < 0 ? 0 : (si < 0 ? 1 : -1) }
        if si == sj { return m[i] == m[j] ? 0 : (m[i] < m[j] ? -1 : 1) }
        let x = DecimalScaling.wide(m[i], si)
        let y = DecimalScaling.wide(m[j], sj)
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}

private final class RankKey: SortColumn {
    let codes: [UInt32], ranks: [UInt32]
    init(_ codes: [UInt32], _ ranks: [UInt32]) {
        self.codes = codes
        self.ranks = ranks
    }
    func isNull(_ i: Int) -> Bool { codes[i] == 0 }
    func compare(_ i: Int, _ j: Int) -> Int {
        let ci = codes[i]
        let cj = codes[j]
        if ci == cj { return 0 }
        if ci == 0 { return 1 }
        if cj == 0 { return -1 }
        let x = ranks[Int(ci)]
        let y = ranks[Int(cj)]
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}

private final class LogicalKey: SortColumn {
    let l: [UInt8]
    init(_ l: [UInt8]) { self.l = l }
    func isNull(_ i: Int) -> Bool { l[i] == Logical.null }
    func compare(_ i: Int, _ j: Int) -> Int { l[i] == l[j] ? 0 : (l[i] < l[j] ? -1 : 1) }
}

private final class ValueKey: SortColumn {
    let v: [Value]
    init(_ v: [Value]) { self.v = v }
    func isNull(_ i: Int) -> Bool { v[i].isNull }
    func compare(_ i: Int, _ j: Int) -> Int {
        let x = v[i]
        let y = v[j]
        if x == y { return 0 }
        if x.isNull { return 1 }
        if y.isNull { return -1 }
        return x < y ? -1 : 1
    }
}

struct Sorting {
    let vectors: VectorEvaluator

    /// The frame's rows in sorted order, or only the first `limit` of them. While the rows are
    /// partitioned, each partition's rows are sorted in place of them (partitions keep their order),
    /// and `limit` is each partition's.
    func order(_ frame: Frame, keys: [(BoundExpr, Bool)], limit: Int?) throws(QueryError) -> [Int] {
        let partitions = frame.partitions
        let ctx = VectorContext.of(frame)
        var built: [(any SortColumn, Bool)] = []
        var stop: QueryError? = nil
        for (e, descending) in keys {
            let key: any SortColumn
            switch try vectors.eval(e, ctx) {
            case .decimal(let m, let s): key = DecimalKey(m, s)
            case .coded(let c, let d): key = RankKey(c, d.ranks)
            case .logical(let l): key = LogicalKey(l)
            case .values(let v): key = ValueKey(v)
            }
            built.append((key, descending))
        }
        /// Whether row `a` goes before row `b`.
        func before(_ a: Int, _ b: Int) -> Bool {
            if stop != nil { return a < b }
            if let partitions, partitions[a] != partitions[b] { return partitions[a] < partitions[b] }
            for k in built.indices {
                let (key, descending) = built[k]
                let c = key.compare(a, b)
                if c == 0 { continue }
                // Nulls last in both directions: a null compares greater, and stays greater.
                if descending, !key.isNull(a), !key.isNull(b) { return c > 0 }
                return c < 0
            }
            return a < b
        }
        let n = frame.count
        if let limit, let partitions {
            return try bestOfEachPartition(n, partitions, frame.partitionCount, limit: limit, before: before)
        }
        guard let limit, limit < n / 4 else {
            // The standard sort takes no throwing comparison: every 4,096 comparisons check the
            // statement's limits, and once one fails, the remaining comparisons are by row number
            // (a valid order, so the sort ends quickly) and the error is thrown after it.
            var comparisons = 0
            let sorted = Array(0..<n).sorted { (a, b) in
                comparisons += 1
                if comparisons & 4095 == 0, stop == nil, let interruption = vectors.interruption {
                    do throws(QueryError) { try interruption.tick(4096) } catch { stop = error }
                }
                return before(a, b)
            }
            if let stop { throw stop }
            return limit.map { Array(sorted.prefix($0)) } ?? sorted
        }
        // Top-N: `best` stays sorted; a row enters only if it beats the current last.
        var best: [Int] = []
        best.reserveCapacity(limit + 1)
        guard limit > 0 else { return [] }
        for r in 0..<n {
            if r & 1023 == 1023 { try vectors.interruption?.tick(1024) }
            if best.count == limit, !before(r, best[limit - 1]) { continue }
            var lo = 0
            var hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(best[mid], r) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(r, at: lo)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    /// The first `limit` rows of each partition in sorted order, partitions in order (what sorting
    /// every partition and taking `limit` of each gives), in one pass with no full sort: each
    /// partition keeps its best rows sorted, and a row enters only if it beats the last of them.
    private func bestOfEachPartition(
        _ n: Int, _ partitions: [Int32], _ count: Int, limit: Int, before: (Int, Int) -> Bool
    ) throws(QueryError) -> [Int] {
        guard limit > 0 else { return [] }
        var best = [[Int]](repeating: [], count: max(count, 1))
        for r in 0..<n {
            if r & 1023 == 1023 { try vectors.interruption?.tick(1024) }
            let p = Int(partitions[r])
            if best[p].count == limit, !before(r, best[p][limit - 1]) { continue }
            var lo = 0
            var hi = best[p].count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(best[p][mid], r) { lo = mid + 1 } else { hi = mid }
            }
            best[p].insert(r, at: lo)
            if best[p].count > limit { best[p].removeLast() }
        }
        return best.flatMap { $0 }
    }
}
