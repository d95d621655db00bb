// Suggestions: "did you mean …?" — the one edit-distance matcher used by the loader (column
// names), the query language (tables, fields, functions, stages) and the shell (dot-commands).

/// Finds the closest known name to a misspelt one.
public enum Suggestions {
    /// The candidate closest to `name` (case-insensitive edit distance), if close enough to suggest:
    /// within about a third of the shorter word's length. Ties go to the shorter candidate.
    public static func closest(_ name: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        let a = Array(name.lowercased())
        for c in candidates {
            let b = Array(c.lowercased())
            let d = editDistance(a, b)
            let limit = max(1, min(a.count, b.count) / 3 + (a.count > 3 ? 1 : 0))
            let better = best.map { d < $0.1 || (d == $0.1 && c.count < $0.0.count) } ?? true
            if d <= limit, better { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance between two character sequences.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
