// ScalarCallChecks: the argument count and types of a scalar function applied to aggregates
// (`agg a = upper(max(name))`, `round(sum(amount), 1)`), checked as `bind` checks a call on row
// values, so that no function body ever receives a value of a type it does not take.

extension Resolver {
    /// Throws `wrongArgumentCount` or `wrongType` unless `types` suit `fn` — the rules of a call
    /// bound row by row.
    func checkArguments(
        of fn: ScalarFunction, name: String, types: [ValueType], ranges: [SourceRange], range: SourceRange
    ) throws(QueryError) {
        func arity(_ n: ClosedRange<Int>, _ desc: String) throws(QueryError) {
            if !n.contains(types.count) {
                throw .wrongArgumentCount(range, function: name, expected: desc, found: types.count)
            }
        }
        func textual(_ i: Int) throws(QueryError) {
            if !types[i].isTextual && types[i] != .null {
                throw .wrongType(ranges[i], context: name, expected: "text", found: types[i].displayName)
            }
        }
        func numeric(_ i: Int) throws(QueryError) {
            if !types[i].isNumeric && types[i] != .null {
                throw .wrongType(ranges[i], context: name, expected: "a number", found: types[i].displayName)
            }
        }
        switch fn {
        case .startsWith, .endsWith, .contains, .matches:
            try arity(2...2, "2 arguments")
            try textual(0)
            try textual(1)
        case .length, .lower, .upper:
            try arity(1...1, "1 argument")
            try textual(0)
        case .substr:
            try arity(2...3, "2 or 3 arguments")
            try textual(0)
            for i in 1..<types.count { try numeric(i) }
        case .round:
            try arity(1...2, "1 or 2 arguments")
            for i in 0..<types.count { try numeric(i) }
        case .abs:
            try arity(1...1, "1 argument")
            try numeric(0)
        case .coalesce:
            try arity(1...16, "1 to 16 arguments")
            try checkCoalesce(name: name, types: types, ranges: ranges)
        }
    }

    /// `coalesce`'s arguments must be of one kind — all text, all numbers, or all conditions —
    /// since its type is its first non-null argument's: `upper(coalesce(code, 1))` would
    /// otherwise hand a number to `upper`.
    func checkCoalesce(name: String, types: [ValueType], ranges: [SourceRange]) throws(QueryError) {
        guard let first = types.first(where: { $0 != .null }) else { return }
        for (t, r) in zip(types, ranges) where t != .null {
            let same = (first.isTextual && t.isTextual) || (first.isNumeric && t.isNumeric) || first == t
            if !same {
                throw .wrongType(
                    r, context: name, expected: "\(first.displayName), as its first argument", found: t.displayName)
            }
        }
    }
}
