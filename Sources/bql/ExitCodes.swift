// ExitCodes: the documented process exit codes of `bql` (also in README.md and `bql --help`).

import ArgumentParser

/// `bql`'s exit codes.
enum BQLExit {
    /// Success.
    static let ok: Int32 = 0
    /// `bql check` found an undocumented contradiction.
    static let checkFailed: Int32 = 1
    /// A query or script failed: syntax, name, type or runtime error.
    static let queryError: Int32 = 2
    /// A dataset failed to load.
    static let dataError: Int32 = 3
    /// Bad command-line usage (ArgumentParser's validation code).
    static let usage: Int32 = 64
    /// An internal failure: a bug in bql, or an I/O error writing output.
    static let internalFailure: Int32 = 70

    /// The help text listing every code.
    static let help = """
        Exit codes: 0 ok · 1 check found an undocumented contradiction · 2 query error · \
        3 data error (a dataset failed to load) · 64 usage error · 70 internal failure
        """
}

extension ExitCode {
    static let checkFailed = ExitCode(BQLExit.checkFailed)
    static let queryError = ExitCode(BQLExit.queryError)
    static let dataError = ExitCode(BQLExit.dataError)
    static let internalFailure = ExitCode(BQLExit.internalFailure)
}
