// CheckCommand: `bql check [DIR]` — verifies each dataset's arithmetic and narrative figures.

import ArgumentParser
import BudgetModel
import BudgetQL
import BudgetShell

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify each dataset's internal arithmetic as its published tables imply it.",
        discussion: """
            Reports every violation with the dataset, table, row and both figures, labelled as a \
            rounding difference (at most 0.01 万元 per summed row) or a contradiction. Contradictions \
            listed in DIR/known-contradictions.csv are the published documents' own and are marked \
            documented. Exits 1 when an undocumented contradiction is found.
            """
    )

    @Argument(help: "The datasets directory (default: --data, $BQL_DATA, or the bundled datasets).")
    var directory: String?

    @OptionGroup var options: QueryOptions

    func run() throws {
        let (dir, catalog) = try DataDirectory.load(directory ?? options.data, cache: !options.noCache)
        let budgets: [Budget]
        do { budgets = try catalog.loadBudgets() } catch {
            Console.error("bql: data error: \(error)")
            throw ExitCode.dataError
        }
        let report = CheckReport(budgets: budgets, known: catalog.known)
        Console.write(report.render(style: Console.stdoutStyle))
        Console.write(CheckSources.render(report.findings, budgets: budgets, directory: dir))
        if !report.passed { throw ExitCode.checkFailed }
    }
}
