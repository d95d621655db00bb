// Outcomes: runs a script in a session and renders what it gave as exact text (values with
// their scale, or the error's kind and message), and decides whether batch and row-by-row
// evaluation disagree — the property the query and dataset targets check on every input.

import BudgetQL

/// What running a script gave.
public enum Outcome: Equatable {
    /// Every statement's result, rendered.
    case answer(String)
    /// The first error.
    case failure(QueryError)

    /// Runs `source` in a fresh session over `catalog`.
    public static func of(
        _ source: String, catalog: Catalog, mode: EvaluationMode, limits: QueryLimits,
        parameters: [String: Value] = Outcome.parameters
    ) -> Outcome {
        var session = Session(catalog: catalog, parameters: parameters, limits: limits)
        session.evaluation = mode
        do {
            var out = ""
            for outcome in try session.run(source) {
                switch outcome {
                case .result(let r):
                    out += r.columns.map { "\($0.name):\($0.type)" }.joined(separator: "|") + "\n"
                    for row in r.rows { out += row.map(Outcome.text).joined(separator: "|") + "\n" }
                case .bound(let name, let rows):
                    out += "let \(name) = \(rows) rows\n"
                }
            }
            return .answer(out)
        } catch {
            // Rendering the diagnostic is part of the path under test.
            _ = Diagnostic(error, source: source).render()
            return .failure(error)
        }
    }

    /// The corpus parameters.
    public static let parameters: [String: Value] = [
        "min": .decimal(ExactDecimal(100)), "dept": .text("鞍山"),
    ]

    static func text(_ v: Value) -> String {
        switch v {
        case .null: return "∅"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return "i" + String(i)
        case .decimal(let d): return "d" + d.description
        case .text(let s): return "t" + s
        }
    }

    /// Whether the error comes from a limit (time, memory, cancellation), where batch and
    /// row-by-row evaluation may stop at different points.
    public var isLimit: Bool {
        guard case .failure(let e) = self else { return false }
        switch e {
        case .timedOut, .memoryLimit, .cancelled: return true
        default: return false
        }
    }

    /// A runtime error of evaluation: when two operators of one expression would both fail, the
    /// two modes may report different ones (ARCHITECTURE.md, "one difference remains by design").
    var isEvaluationError: Bool {
        guard case .failure(let e) = self else { return false }
        switch e {
        case .divisionByZero, .overflow, .invalidRegex, .wrongType: return true
        default: return false
        }
    }

    /// Nil when `batch` and `rows` agree; else why they do not.
    public static func disagreement(batch: Outcome, rows: Outcome) -> String? {
        if batch == rows || batch.isLimit || rows.isLimit { return nil }
        switch (batch, rows) {
        case (.failure(let a), .failure(let b)):
            if a.kind == b.kind || (batch.isEvaluationError && rows.isEvaluationError) { return nil }
            return "batch failed with \(a), row by row with \(b)"
        default:
            return "batch gave \(batch), row by row gave \(rows)"
        }
    }
}
