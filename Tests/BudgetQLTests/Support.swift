// Support: shared helpers for the BudgetQL unit tests — the catalog over the bundled datasets,
// a session with the corpus parameters, and shorthands for running a query to CSV-like rows.

import BudgetQL
import BudgetTestSupport
import Foundation
import Testing

enum Fixture {
    /// The repository root.
    static var root: URL { Repo.root }

    /// The catalog over the bundled datasets, loaded once.
    static var catalog: Catalog { Repo.catalog }

    /// A fresh session with `$min = 100` and `$dept = "鞍山"`, as in the corpus.
    static func session(limits: QueryLimits = QueryLimits()) -> Session {
        Session(
            catalog: catalog, parameters: ["min": .decimal(ExactDecimal(100)), "dept": .text("鞍山")], limits: limits)
    }

    /// Runs `query` and returns its result's rows as exact text (null as "").
    static func rows(_ query: String) throws -> [[String]] {
        var s = session()
        return try s.query(query).rows.map { $0.map(text) }
    }

    /// The error `query` fails with, if any.
    static func error(_ query: String) -> QueryError? {
        var s = session()
        do {
            _ = try s.run(query)
            return nil
        } catch { return error }
    }

    static func text(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .decimal(let d): return d.description
        case .text(let s): return s
        }
    }
}
