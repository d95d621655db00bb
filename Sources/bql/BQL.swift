// BQL: the `bql` command — the REPL, one-shot queries, scripts, and `check`.
// This executable alone prints, colours and chooses exit codes.

import ArgumentParser
import Foundation

@main
struct BQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bql",
        abstract: "BudgetQL: query Chinese department budgets (部门预算).",
        discussion: BQLExit.help,
        subcommands: [CheckCommand.self]
    )

    func run() throws {
        throw CleanExit.helpRequest(self)
    }
}
