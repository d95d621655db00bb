// Windows: what a stage's window expressions need before its rows are evaluated — the totals
// of `share(x)` and the values of window functions (`row_number`, `rank`, `dense_rank`, `lag`,
// `lead`, `running_sum`) — computed per partition in the frame's order, over batch vectors.

import BudgetModel

/// Computes a stage's windows over a frame.
struct Windows {
    let parameters: [String: Value]
    let mode: EvaluationMode
    let interruption: Interruption?

    /// A row evaluator over `frame` holding the totals and values of `windows`.
    func evaluator(_ frame: Frame, _ windows: StageWindows) throws(QueryError) -> Evaluator {
        var ev = Evaluator(frame: frame, parameters: parameters)
        ev.interruption = interruption
        for s in windows.shares {
            let v = try VectorEvaluator(scalar: ev, mode: mode, interruption: interruption).eval(s.argument, .of(frame))
            var totals = [ExactDecimal](repeating: .zero, count: frame.partitionCount)
            for r in 0..<frame.count {
                if r & 4095 == 4095 { try interruption?.tick(4096) }
                guard let d = v.value(at: r).decimal else { continue }
                let p = frame.partition(r)
                guard let t = totals[p].adding(d) else { throw .overflow(s.range) }
                totals[p] = t
            }
            ev.shareTotals.append(totals)
        }
        guard !windows.calls.isEmpty else { return ev }
        // The rows of each partition, in frame order.
        var members = [[Int]](repeating: [], count: frame.partitionCount)
        for r in 0..<frame.count { members[frame.partition(r)].append(r) }
        for call in windows.calls {
            // Each call sees the calls before it (lag(row_number())).
            ev.windowValues.append(try values(call, frame, members, ev))
        }
        return ev
    }

    /// One window function's value for every frame row.
    private func values(_ call: WindowCall, _ frame: Frame, _ members: [[Int]], _ ev: Evaluator) throws(QueryError)
        -> [Value]
    {
        let vectors = VectorEvaluator(scalar: ev, mode: mode, interruption: interruption)
        let argument = try call.argument.map { (a: BoundExpr) throws(QueryError) -> Vector in
            try vectors.eval(a, .of(frame))
        }
        var out = [Value](repeating: .null, count: frame.count)
        switch call.function {
        case .rowNumber:
            for list in members { for (k, r) in list.enumerated() { out[r] = .integer(k + 1) } }
        case .rank, .denseRank:
            var keys: [Vector] = []
            for (e, _) in call.keys { keys.append(try vectors.eval(e, .of(frame))) }
            func same(_ a: Int, _ b: Int) -> Bool { keys.allSatisfy { $0.value(at: a) == $0.value(at: b) } }
            for list in members {
                var rank = 0
                for (k, r) in list.enumerated() {
                    if k == 0 || !same(list[k - 1], r) { rank = call.function == .rank ? k + 1 : rank + 1 }
                    out[r] = .integer(rank)
                }
            }
        case .change, .pctChange:
            // Bound as arithmetic over a lag (Resolver.bindWindow): never a call of its own.
            return out
        case .lag, .lead:
            guard let argument else { return out }
            let step = call.function == .lag ? -call.offset : call.offset
            for list in members {
                for (k, r) in list.enumerated() where list.indices.contains(k + step) {
                    out[r] = argument.value(at: list[k + step])
                }
            }
        case .runningSum:
            guard let argument else { return out }
            for list in members {
                var sum: ExactDecimal?
                for r in list {
                    if let d = argument.value(at: r).decimal {
                        guard let s = (sum ?? .zero).adding(d) else { throw .overflow(call.range) }
                        sum = s
                    }
                    out[r] = sum.map(Value.decimal) ?? .null
                }
            }
        }
        return out
    }
}
