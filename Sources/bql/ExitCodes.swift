// ExitCodes: the documented process exit codes of `bql` (also in README.md and `bql --help`),
// and how a script's status maps onto them.

import ArgumentParser
import BudgetShell

/// `bql`'s exit codes.
enum BQLExit {
    /// Success.
    static let ok: Int32 = 0
    /// `bql check` found an undocumented contradiction.
    static let checkFailed: Int32 = 1
    /// A query or script failed: syntax, name, type or runtime error, or a failed dot-command.
    static let queryError: Int32 = 2
    /// A dataset failed to load (also `.data` in a script).
    static let dataError: Int32 = 3
    /// Bad command-line usage (ArgumentParser's validation code).
    static let usage: Int32 = 64
    /// An internal failure: a bug in bql, or sqlite3 failing.
    static let internalFailure: Int32 = 70
    /// Output could not be written: stdout closed or failing, `.output FILE` or an export path
    /// that cannot be written or is refused (sysexits' EX_IOERR).
    static let ioError: Int32 = 74

    /// The help text listing every code.
    static let help = """
        Exit codes: 0 ok · 1 check found an undocumented contradiction · 2 query error (a script \
        stops at its first error, dot-commands included) · 3 data error (a dataset failed to load) · \
        64 usage error · 70 internal failure · 74 output error (stdout, .output or an export path \
        cannot be written)
        """
}

extension ExitCode {
    static let checkFailed = ExitCode(BQLExit.checkFailed)
    static let queryError = ExitCode(BQLExit.queryError)
    static let dataError = ExitCode(BQLExit.dataError)
    static let internalFailure = ExitCode(BQLExit.internalFailure)
    static let ioError = ExitCode(BQLExit.ioError)

    /// The exit code for a script that ended with `status`.
    init(_ status: ScriptStatus) {
        switch status {
        case .ok: self = .success
        case .queryError: self = .queryError
        case .dataError: self = .dataError
        case .outputError: self = .ioError
        }
    }
}
