// BQL: the `bql` command — the REPL, one-shot queries, scripts, and `check`.
// This executable alone prints, colours and chooses exit codes.

import ArgumentParser
import BudgetQL
import BudgetShell
import Foundation

@main
struct BQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bql",
        abstract: "BudgetQL: query Chinese department budgets (部门预算).",
        discussion: BQLExit.help,
        subcommands: [CheckCommand.self]
    )

    @Option(name: .customShort("e"), help: "Run a query and exit.")
    var execute: String?

    @Option(name: .long, help: "The datasets directory (default: $BQL_DATA, or the bundled datasets).")
    var data: String?

    @Option(name: .long, help: "Output format: table, csv, json, jsonl, markdown or line.")
    var format: String?

    func run() throws {
        let (_, budgets, known) = try DataDirectory.load(data)
        let catalog = Catalog(budgets: budgets, known: known)
        let fmt = OutputFormat(rawValue: format ?? "table") ?? .table
        var runner = QueryRunner(session: Session(catalog: catalog), format: fmt, options: FormatOptions(style: Console.stdoutStyle))
        if let q = execute {
            if !runner.run(q, name: "-e") { throw ExitCode.queryError }
            return
        }
        throw CleanExit.helpRequest(self)
    }
}
