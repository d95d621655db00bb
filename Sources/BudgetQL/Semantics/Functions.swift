// Functions: the scalar functions and aggregates of the language.

/// Aggregates over a relation or a group.
package enum AggregateFunction: String, Sendable, Hashable {
    case sum, count, avg, min, max, countDistinct = "count_distinct", share, any, all
}

/// Scalar functions.
package enum ScalarFunction: String, Sendable, Hashable, CaseIterable {
    case startsWith = "starts_with", endsWith = "ends_with", contains, length, lower, upper, round, abs, coalesce,
        matches, substr
}
