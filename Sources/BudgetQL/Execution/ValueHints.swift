// ValueHints: after a statement runs, finds the text comparisons (`field = value`, `field in
// (…)`) whose value the field never holds, and the values that would explain the empty answer:
// those containing it, all of them when there are few, or the nearest by edit distance. The
// column's dictionary makes this a scan of its distinct strings, not of its rows.

import BudgetModel

/// Turns a plan's value checks into result warnings.
enum ValueHints {
    /// At most this many distinct values are listed in full.
    static let listedValues = 12
    /// At most this many values containing the asked-for one are named.
    static let containingShown = 3
    /// Above this many distinct values, no edit distance is computed.
    static let nearestLimit = 20_000

    /// The warnings for `checks`, with `$parameters` read from `parameters`; one per distinct
    /// field and value.
    static func warnings(_ checks: [ValueCheck], parameters: [String: Value]) -> [QueryWarning] {
        var out: [QueryWarning] = []
        var seen = Set<String>()
        for check in checks {
            let value: Value
            switch check.value.kind {
            case .constant(let v): value = v
            case .parameter(let name, _): value = parameters[name] ?? .null
            default: continue
            }
            guard case .text(let asked) = value, seen.insert(check.written + "\u{0}" + asked).inserted else { continue }
            let column = check.table.columns[check.field]
            // A dictionary-coded column holds exactly its dictionary's strings: a value found
            // there needs no count over the rows (a national table has millions).
            if case .coded(_, let dictionary) = Vector.of(column), dictionary.strings.contains(asked) { continue }
            let (strings, counts) = distinct(column)
            if strings.contains(asked) { continue }
            // Most frequent first; ties in order of first appearance.
            func byRows(_ a: Int, _ b: Int) -> Bool { counts[a] != counts[b] ? counts[a] > counts[b] : a < b }
            let containing = strings.indices.filter { !asked.isEmpty && strings[$0].containsBytes(asked) }
                .sorted(by: byRows).map { strings[$0] }
            let holds = strings.count <= listedValues ? strings.indices.sorted(by: byRows).map { strings[$0] } : []
            let nearest = strings.count <= nearestLimit ? Suggestions.closest(asked, in: strings) : nil
            out.append(
                .valueNeverHeld(
                    check.value.range, field: check.written, value: asked,
                    containing: Array(containing.prefix(containingShown)), containingCount: containing.count,
                    holds: holds, nearest: nearest))
        }
        return out
    }

    /// A text column's distinct non-null strings and how many rows hold each.
    private static func distinct(_ column: Column) -> ([String], [Int]) {
        switch Vector.of(column) {
        case .coded(let codes, let dictionary):
            var counts = [Int](repeating: 0, count: dictionary.count + 1)
            for c in codes { counts[Int(c)] += 1 }
            return (dictionary.strings, Array(counts.dropFirst()))
        default:
            var index: [String: Int] = [:]
            var strings: [String] = []
            var counts: [Int] = []
            for v in column {
                guard case .text(let s) = v else { continue }
                if let i = index[s] {
                    counts[i] += 1
                } else {
                    index[s] = strings.count
                    strings.append(s)
                    counts.append(1)
                }
            }
            return (strings, counts)
        }
    }
}
