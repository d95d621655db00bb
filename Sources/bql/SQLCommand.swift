// SQLCommand: `bql sql 'QUERY' [--dialect sqlite|duckdb|spark]` — prints the SQL that gives a BudgetQL
// question's exact answer over the tables `bql export` writes.

import ArgumentParser
import BudgetQL
import BudgetSQL
import BudgetShell
import Foundation

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Translate BudgetQL statements to SQL (SQLite, DuckDB or Spark) over the tables of bql export.",
        discussion: """
            Prints one SQL statement per query; a let binding becomes CTEs of the statements that use \
            it, and $parameters become literals. The SQL returns the rows BudgetQL returns, in the same \
            order, each value printed as BudgetQL's CSV prints it. A statement that SQL cannot answer \
            exactly (e.g. =~ on SQLite, which has no regular expressions) is an error saying why.
              bql export --sqlite budget.db
              bql sql 'projects | where amount >= 1000万 | select name, amount' | sqlite3 -csv -header budget.db

            Spark SQL (--dialect spark) runs over the views that bql export --csv DIR's load_spark.py \
            registers, with spark.sql.ansi.enabled=true (load_spark.py sets it), so that an overflow \
            stops the query as it stops BudgetQL.

            \(BQLExit.help)
            """
    )

    @Argument(help: "The BudgetQL statements (read from stdin when omitted).")
    var query: String?

    @Option(name: .long, help: "sqlite, duckdb or spark (default: sqlite).")
    var dialect: String = "sqlite"

    // --data and --param (shared with the root command, which would otherwise take them).
    @OptionGroup var options: QueryOptions

    func validate() throws {
        if SQLDialect(rawValue: dialect) == nil {
            throw ValidationError("unknown dialect '\(dialect)'; expected sqlite, duckdb or spark")
        }
    }

    func run() throws {
        let text: String
        if let query {
            text = try ScriptInput.commandLine(query, name: "sql")
        } else {
            text = try ScriptInput.standardInput()
        }
        guard let dialect = SQLDialect(rawValue: dialect) else { throw ExitCode.validationFailure }
        let (_, catalog) = try DataDirectory.load(options.data, cache: !options.noCache)
        var parameters: [String: Value] = [:]
        for (name, value) in options.parameters { parameters[name] = Shell.parameterValue(value) }
        var translator = SQLTranslator(
            catalog: catalog, dialect: dialect,
            parameters: parameters)
        do {
            let queries = try translator.translate(text)
            Console.write(queries.map { $0.sql + "\n" }.joined(separator: "\n"))
        } catch {
            if case .query(.empty) = error { return }
            Console.error(error.render(source: text, name: query == nil ? "stdin" : "sql"))
            throw ExitCode.queryError
        }
    }
}
