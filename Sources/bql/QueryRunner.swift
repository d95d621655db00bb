// QueryRunner: runs query text for `bql -e`, stdin and `bql run`, printing results and
// diagnostics and mapping failures to exit codes.

import BudgetQL
import BudgetShell
import Foundation

struct QueryRunner {
    var session: Session
    var format: OutputFormat
    var options: FormatOptions

    /// Runs `source` (named `name` in diagnostics); returns false on the first error.
    mutating func run(_ source: String, name: String) -> Bool {
        let statements: [Statement]
        do { statements = try Session.parse(source) } catch {
            Console.error(Diagnostic(error, source: source).render(name: name))
            return false
        }
        for s in statements {
            do {
                let outcome = try session.execute(try session.prepare(s, source: source))
                if case .result(let r) = outcome { Console.write(ResultFormatter.render(r, as: format, options: options)) }
            } catch {
                Console.error(Diagnostic(error, source: source).render(name: name))
                return false
            }
        }
        return true
    }
}
