// Executor: runs a `Plan` over frames — filter, compute, sort, take, distinct, hash grouping
// with exact accumulators, and 类 → 款 → 项 rollups — and produces a typed `QueryResult`,
// within the embedder's `QueryLimits` (row count, timeout, cancellation, memory — values and
// text alike — checked between stages, after each computed column and inside per-row loops).

import BudgetModel
import Foundation

struct Executor {
    let limits: QueryLimits
    /// Values of `$parameters` for this run.
    var parameters: [String: Value] = [:]
    /// Batch or row-by-row evaluation.
    var mode: EvaluationMode = .batch
    /// The statement's range, for errors that concern the whole statement.
    let range: SourceRange
    let deadline: ContinuousClock.Instant?
    /// The statement's one Interruption: its work counter is shared by every loop of the run.
    let interruption: Interruption

    init(limits: QueryLimits, range: SourceRange) {
        self.limits = limits
        self.range = range
        deadline = limits.timeout.map { ContinuousClock.now.advanced(by: $0) }
        interruption = Interruption(limits: limits, deadline: deadline, range: range)
    }

    /// Throws `cancelled` when the surrounding task is cancelled or the timeout has passed.
    /// Checked before and after each stage, and about every millisecond of work inside one.
    private func checkCancelled() throws(QueryError) {
        try interruption.check()
    }

    /// The estimated bytes of a frame: its row numbers and every computed value, text included.
    private func bytes(of frame: Frame) -> Int {
        guard limits.maxMemory != nil else { return 0 }
        var total = frame.rows.count * MemoryLayout<Int>.stride
        for column in frame.values { total &+= Interruption.bytes(of: column) }
        return total
    }

    /// Throws `memoryLimit` when a frame's estimated size passes the embedder's limit.
    private func checkMemory(_ frame: Frame) throws(QueryError) {
        guard limits.maxMemory != nil else { return }
        try interruption.checkMemory(bytes(of: frame))
    }

    func run(_ plan: Plan) throws(QueryError) -> (Frame, Scope) {
        var frame: Frame
        switch plan.source {
        case .table(let t): frame = Frame.of(t)
        case .binding(let f): frame = f
        }
        var i = 0
        while i < plan.stages.count {
            try checkCancelled()
            if case .sort(let keys, let windows) = plan.stages[i], i + 1 < plan.stages.count,
                case .take(let n) = plan.stages[i + 1], frame.partitions == nil || n <= 64
            {
                // sort then take n: keep only the first n while scanning (top-N), no full sort; in
                // partitions, the first n of each (per-group top-N).
                let ev = try evaluator(frame, windows)
                frame = frame.selecting(
                    try Sorting(vectors: VectorEvaluator(scalar: ev, mode: mode, interruption: interruption)).order(
                        frame, keys: keys, limit: n))
                i += 2
            } else {
                frame = try apply(plan.stages[i], to: frame)
                i += 1
            }
            try checkMemory(frame)
        }
        try checkCancelled()
        if frame.count > limits.maxRows { throw .rowLimit(range, limit: limits.maxRows) }
        return (frame, plan.scope)
    }

    private func evaluator(_ frame: Frame, _ windows: StageWindows) throws(QueryError) -> Evaluator {
        try Windows(parameters: parameters, mode: mode, interruption: interruption).evaluator(frame, windows)
    }

    private func evaluator(_ frame: Frame, shares: [WindowShare]) throws(QueryError) -> Evaluator {
        try evaluator(frame, StageWindows(shares: shares))
    }

    private func apply(_ stage: PlannedStage, to frame: Frame) throws(QueryError) -> Frame {
        switch stage {
        case .filter(let cond, let windows):
            if let keep = morselFilter(cond, windows, frame) {
                try checkCancelled()
                return frame.selecting(keep)
            }
            let ev = try evaluator(frame, windows)
            let condition = try VectorEvaluator(scalar: ev, mode: mode, interruption: interruption).eval(
                cond, .of(frame)
            ).logical
            try checkCancelled()
            var keep: [Int] = []
            for (r, c) in condition.enumerated() where c == Logical.yes { keep.append(r) }
            return frame.selecting(keep)
        case .compute(let exprs, let windows):
            let ev = try evaluator(frame, windows)
            let vectors = VectorEvaluator(scalar: ev, mode: mode, interruption: interruption)
            var out = frame
            var held = bytes(of: frame)
            for e in exprs {
                let column = try vectors.eval(e, .of(frame)).values
                if limits.maxMemory != nil {
                    held &+= Interruption.bytes(of: column)
                    try interruption.checkMemory(held)
                }
                out.values.append(column)
                try checkCancelled()
            }
            return out
        case .sort(let keys, let windows):
            let ev = try evaluator(frame, windows)
            return frame.selecting(
                try Sorting(vectors: VectorEvaluator(scalar: ev, mode: mode, interruption: interruption)).order(
                    frame, keys: keys, limit: nil))
        case .take(let n):
            guard frame.partitions != nil else { return frame.selecting(Array(0..<min(n, frame.count))) }
            // The first n rows of each partition.
            var taken = [Int](repeating: 0, count: frame.partitionCount)
            var keep: [Int] = []
            for r in 0..<frame.count where taken[frame.partition(r)] < n {
                taken[frame.partition(r)] += 1
                keep.append(r)
            }
            return frame.selecting(keep)
        case .partition(let keys, let shares):
            let ev = try evaluator(frame, shares: shares)
            let vectors = VectorEvaluator(scalar: ev, mode: mode, interruption: interruption)
            var keyVectors: [Vector] = []
            for k in keys { keyVectors.append(try vectors.eval(k, .of(frame))) }
            let (groupOf, firstRows) = try Grouping.assign(keyVectors, count: frame.count, interruption: interruption)
            let groups = max(firstRows.count, 1)
            // Each group's rows together, groups in order of their first rows, rows in order.
            var starts = [Int](repeating: 0, count: groups + 1)
            for g in groupOf { starts[Int(g) + 1] += 1 }
            for g in 0..<groups { starts[g + 1] += starts[g] }
            var order = [Int](repeating: 0, count: frame.count)
            var partitions = [Int32](repeating: 0, count: frame.count)
            for (r, g) in groupOf.enumerated() {
                let at = starts[Int(g)]
                order[at] = r
                partitions[at] = g
                starts[Int(g)] += 1
            }
            var out = frame.selecting(order)
            out.partitions = partitions
            out.partitionCount = groups
            return out
        case .unpivot(let values, let labels):
            let vectors = VectorEvaluator(
                scalar: Evaluator(frame: frame, parameters: parameters), mode: mode, interruption: interruption)
            var columns: [Vector] = []
            for v in values { columns.append(try vectors.eval(v, .of(frame))) }
            var repeated: [Int] = []
            var names: [Value] = []
            var cells: [Value] = []
            repeated.reserveCapacity(frame.count * values.count)
            for r in 0..<frame.count {
                for (j, column) in columns.enumerated() {
                    repeated.append(r)
                    names.append(.text(labels[j]))
                    cells.append(column.value(at: r))
                }
            }
            var out = frame.selecting(repeated)
            out.values.append(names)
            out.values.append(cells)
            return out
        case .join(let plan):
            return try join(frame, plan)
        case .endPartition:
            var out = frame
            out.partitions = nil
            out.partitionCount = 1
            return out
        case .distinct(let keys):
            var ev = Evaluator(frame: frame, parameters: parameters)
            ev.interruption = interruption
            var seen = Set<[Value]>()
            var keep: [Int] = []
            for r in 0..<frame.count {
                try interruption.tick(keys.count)
                var k: [Value] = []
                for e in keys { k.append(try ev.eval(e, row: r)) }
                if seen.insert(k).inserted { keep.append(r) }
            }
            return frame.selecting(keep)
        case .group(let keys, let specs, let outputs, let shares):
            let ev = try evaluator(frame, shares: shares)
            return try Grouping(scalar: ev, mode: mode, interruption: interruption).group(
                frame, keys: keys, specs: specs, outputs: outputs)
        case .rollup(let levels, let specs, let shares):
            return try rollup(frame, levels: levels, specs: specs, ev: try evaluator(frame, shares: shares))
        }
    }

    /// A hash join: the joined table's rows are hashed by their keys, each frame row (in order)
    /// probes them and is followed by its matches in the table's order; the residual condition is
    /// checked on the pairs; a left join keeps a row without a match once, matched to −1.
    private func join(_ frame: Frame, _ plan: JoinPlan) throws(QueryError) -> Frame {
        let target = plan.target
        let vectors = VectorEvaluator(
            scalar: Evaluator(frame: frame, parameters: parameters), mode: mode, interruption: interruption)
        let other = VectorEvaluator(
            scalar: Evaluator(frame: Frame.of(target), parameters: parameters), mode: mode, interruption: interruption)
        var leftKeys: [Vector] = []
        for k in plan.leftKeys { leftKeys.append(try vectors.eval(k, .of(frame))) }
        var rightKeys: [Vector] = []
        for k in plan.rightKeys { rightKeys.append(try other.eval(k, .all(target))) }
        /// The row's key: null never matches; a code and a number compare by the number's digits.
        func key(_ columns: [Vector], _ i: Int) -> [Value]? {
            var out: [Value] = []
            for (k, column) in columns.enumerated() {
                let v = column.value(at: i)
                if v.isNull { return nil }
                if plan.modes[k] == .codeNumber, let d = v.decimal {
                    out.append(.text(d.normalized.description))
                } else {
                    out.append(v)
                }
            }
            return out
        }
        var lefts: [Int] = []
        var rights: [Int] = []
        if plan.leftKeys.isEmpty {
            for l in 0..<frame.count {
                if l & 255 == 0 { try checkCancelled() }
                for r in 0..<target.count {
                    lefts.append(l)
                    rights.append(r)
                }
            }
        } else if let keys = JoinKeys(left: leftKeys, right: rightKeys, modes: plan.modes) {
            // Integer keys: the right rows bucketed by key (in table order), each left row probing.
            var bucketOf: [Int: Int] = [:]
            var bucket = [Int](repeating: -1, count: target.count)
            for r in 0..<target.count where keys.right[r] >= 0 {
                let next = bucketOf.count
                bucket[r] = bucketOf[keys.right[r], default: next]
                if bucket[r] == next { bucketOf[keys.right[r]] = next }
            }
            var start = [Int](repeating: 0, count: bucketOf.count + 1)
            for b in bucket where b >= 0 { start[b + 1] += 1 }
            for b in 0..<bucketOf.count { start[b + 1] += start[b] }
            var fill = start
            var rows = [Int](repeating: 0, count: start[bucketOf.count])
            for r in 0..<target.count where bucket[r] >= 0 {
                rows[fill[bucket[r]]] = r
                fill[bucket[r]] += 1
            }
            for l in 0..<frame.count {
                if l & 4095 == 0 { try checkCancelled() }
                guard keys.left[l] >= 0, let b = bucketOf[keys.left[l]] else { continue }
                for r in rows[start[b]..<start[b + 1]] {
                    lefts.append(l)
                    rights.append(r)
                }
            }
        } else {
            var table: [[Value]: [Int]] = [:]
            for r in 0..<target.count {
                if let k = key(rightKeys, r) { table[k, default: []].append(r) }
            }
            for l in 0..<frame.count {
                if l & 4095 == 0 { try checkCancelled() }
                guard let k = key(leftKeys, l), let matches = table[k] else { continue }
                for r in matches {
                    lefts.append(l)
                    rights.append(r)
                }
            }
        }
        if let residual = plan.residual {
            var pairs = frame.selecting(lefts)
            pairs.joins.append(JoinedRows(table: target, rows: rights))
            let holds = try VectorEvaluator(
                scalar: Evaluator(frame: pairs, parameters: parameters), mode: mode, interruption: interruption
            ).eval(residual, .of(pairs)).logical
            var keptLefts: [Int] = []
            var keptRights: [Int] = []
            for (i, h) in holds.enumerated() where h == Logical.yes {
                keptLefts.append(lefts[i])
                keptRights.append(rights[i])
            }
            (lefts, rights) = (keptLefts, keptRights)
        }
        if plan.left {
            var allLefts: [Int] = []
            var allRights: [Int] = []
            var i = 0
            for l in 0..<frame.count {
                if i < lefts.count, lefts[i] == l {
                    while i < lefts.count, lefts[i] == l {
                        allLefts.append(l)
                        allRights.append(rights[i])
                        i += 1
                    }
                } else {
                    allLefts.append(l)
                    allRights.append(-1)
                }
            }
            (lefts, rights) = (allLefts, allRights)
        }
        var out = frame.selecting(lefts)
        out.joins.append(JoinedRows(table: target, rows: rights))
        return out
    }

    private func rollup(
        _ frame: Frame, levels: [(code: BoundExpr, name: BoundExpr)], specs: [AggregateSpec], ev: Evaluator
    ) throws(QueryError) -> Frame {
        struct Node {
            var name: Value
            var accs: [Accumulator]
        }
        func fresh() -> [Accumulator] {
            specs.map(Accumulator.init)
        }
        var total = fresh()
        var nodes: [String: Node] = [:]  // key: level index + code
        var grand = [ExactDecimal](repeating: .zero, count: specs.count)
        for r in 0..<frame.count {
            try interruption.tick(specs.count + levels.count)
            var vals: [Value] = []
            for s in specs {
                vals.append(
                    try s.argument.map { (a: BoundExpr) throws(QueryError) -> Value in try ev.eval(a, row: r) }
                        ?? .integer(1))
            }
            for (s, v) in vals.enumerated() {
                try total[s].add(v)
                if let d = v.decimal, let t = grand[s].adding(d) { grand[s] = t }
            }
            for (li, level) in levels.enumerated() {
                let code = try ev.eval(level.code, row: r).text ?? ""
                let key = "\(li)|\(code)"
                if nodes[key] == nil {
                    nodes[key] = Node(
                        name: code.isEmpty ? .text("（未分类）") : try ev.eval(level.name, row: r), accs: fresh())
                }
                for (s, v) in vals.enumerated() { try nodes[key]!.accs[s].add(v) }
            }
        }
        var columns: [[Value]] = Array(repeating: [], count: 3 + specs.count)
        func emit(_ level: String, _ code: Value, _ name: Value, _ accs: [Accumulator]) throws(QueryError) {
            columns[0].append(.text(level))
            columns[1].append(code)
            columns[2].append(name)
            for (s, a) in accs.enumerated() { columns[3 + s].append(try a.result(total: grand[s])) }
        }
        try emit("合计", .null, .text("合计"), total)
        let names = ["类", "款", "项"]
        let codes = nodes.keys.map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        let byLevel = (0..<levels.count).map { li in codes.filter { Int($0[0]) == li }.map { String($0[1]) }.sorted() }
        for lei in byLevel[0] {
            try emit(names[0], lei.isEmpty ? .null : .text(lei), nodes["0|\(lei)"]!.name, nodes["0|\(lei)"]!.accs)
            for kuan in byLevel[1] where (lei.isEmpty ? kuan.isEmpty : kuan.hasPrefix(lei) && !kuan.isEmpty) {
                if lei.isEmpty { continue }
                try emit(names[1], .text(kuan), nodes["1|\(kuan)"]!.name, nodes["1|\(kuan)"]!.accs)
                for xiang in byLevel[2] where xiang.hasPrefix(kuan) && !xiang.isEmpty {
                    try emit(names[2], .text(xiang), nodes["2|\(xiang)"]!.name, nodes["2|\(xiang)"]!.accs)
                }
            }
        }
        return Frame(base: nil, rows: [], values: columns, count: columns[0].count)
    }
}

/// A hash join's keys as one integer per row: each key column's values numbered in the order the
/// joined table first holds them (a dictionary-coded column numbers its dictionary once, not its
/// rows), the columns combined positionally. −1 marks a row that cannot match: a null key, or a
/// probing value the joined table never holds. Equal values get equal numbers exactly when the
/// generic path's `[Value]` keys would be equal.
struct JoinKeys {
    /// The probing (frame) rows' keys.
    var left: [Int]
    /// The joined table's rows' keys.
    var right: [Int]

    /// Numbers the keys; nil when the combined key would not fit an `Int` (the caller then
    /// hashes the values themselves).
    init?(left leftColumns: [Vector], right rightColumns: [Vector], modes: [CompareMode]) {
        let leftCount = leftColumns.first?.count ?? 0
        let rightCount = rightColumns.first?.count ?? 0
        var left = [Int](repeating: 0, count: leftCount)
        var right = [Int](repeating: 0, count: rightCount)
        for k in leftColumns.indices {
            var numbers: [Value: Int] = [:]
            let codeNumber = modes[k] == .codeNumber
            func canonical(_ v: Value) -> Value? {
                if v.isNull { return nil }
                if codeNumber, let d = v.decimal { return .text(d.normalized.description) }
                return v
            }
            func number(_ v: Value, assign: Bool) -> Int {
                guard let c = canonical(v) else { return -1 }
                if let n = numbers[c] { return n }
                guard assign else { return -1 }
                numbers[c] = numbers.count
                return numbers.count - 1
            }
            func numbered(_ column: Vector, assign: Bool) -> [Int] {
                if case .coded(let codes, let dictionary) = column {
                    var byCode = [Int](repeating: -1, count: dictionary.strings.count + 1)
                    for (i, s) in dictionary.strings.enumerated() { byCode[i + 1] = number(.text(s), assign: assign) }
                    return codes.map { byCode[Int($0)] }
                }
                return (0..<column.count).map { number(column.value(at: $0), assign: assign) }
            }
            let r = numbered(rightColumns[k], assign: true)
            let l = numbered(leftColumns[k], assign: false)
            let radix = numbers.count
            func combine(_ keys: inout [Int], _ numbers: [Int]) -> Bool {
                for i in keys.indices {
                    if keys[i] < 0 { continue }
                    if numbers[i] < 0 {
                        keys[i] = -1
                        continue
                    }
                    let (scaled, o1) = keys[i].multipliedReportingOverflow(by: radix)
                    let (sum, o2) = scaled.addingReportingOverflow(numbers[i])
                    if o1 || o2 { return false }
                    keys[i] = sum
                }
                return true
            }
            guard combine(&right, r), combine(&left, l) else { return nil }
        }
        self.left = left
        self.right = right
    }
}
