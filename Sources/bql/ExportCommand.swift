// ExportCommand: `bql export --sqlite FILE` and `bql export --csv DIR` — every catalog table under
// BudgetQL's names, for running BudgetQL questions as SQL (`bql sql`) in SQLite, DuckDB or Spark.

import ArgumentParser
import BudgetQL
import BudgetSQL
import BudgetShell
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every table as a SQLite database (--sqlite FILE) or as CSV files (--csv DIR).",
        discussion: """
            Tables and fields keep BudgetQL's English names. Each table has `_row`, the row's position \
            in BudgetQL's order; a reference such as dept has `dept_row`, the `_row` it points at \
            (indicators.project_row points at items; projects.item_row is the project's items row). \
            A decimal such as amount is stored three ways: `amount` TEXT exactly as BudgetQL prints \
            it ("2220.40"), `amount_m` its INTEGER mantissa (222040) and `amount_s` its scale (2). \
            The table `_fields` describes every column. SQLite files are written by the sqlite3 \
            command-line shell. --csv also writes load_duckdb.sql and load_spark.py, which load the \
            files with these exact column types.

            \(BQLExit.help)
            """
    )

    @Option(name: .long, help: "Write a SQLite database to FILE, which must not exist (see --force).")
    var sqlite: String?

    @Flag(
        name: .long,
        help: "Replace the --sqlite FILE if it is an existing regular file (never a directory, link or device).")
    var force = false

    @Option(name: .long, help: "Write one CSV file per table into DIR (created if missing).")
    var csv: String?

    // --data (shared with the root command, which would otherwise take it).
    @OptionGroup var options: QueryOptions

    func validate() throws {
        if sqlite == nil && csv == nil { throw ValidationError("bql export expects --sqlite FILE or --csv DIR") }
    }

    func run() throws {
        let (_, catalog) = try DataDirectory.load(options.data, cache: !options.noCache)
        if let path = sqlite {
            if let refusal = ExportCommand.refusal(path, force: force) {
                Console.error("bql: cannot write \(path): \(refusal)")
                throw ExitCode.ioError
            }
            do { try SQLiteCLI.export(catalog, to: path, replacing: force) } catch {
                Console.error("bql: \(error)")
                if case .cannotWrite = error { throw ExitCode.ioError }
                throw ExitCode.internalFailure
            }
            Console.error("wrote \(catalog.tables.count) tables to \(path)")
        }
        if let dir = csv {
            let export = SQLExport(catalog: catalog)
            let url = URL(fileURLWithPath: dir)
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                for (name, contents) in export.csvFiles() {
                    try Data(contents.utf8).write(to: url.appendingPathComponent(name))
                }
                try Data(export.duckdbLoadScript(directory: url.path).utf8).write(
                    to: url.appendingPathComponent("load_duckdb.sql"))
                try Data(export.sparkLoadScript(directory: url.path).utf8).write(
                    to: url.appendingPathComponent("load_spark.py"))
            } catch {
                Console.error("bql: cannot write \(dir): \(error.localizedDescription)")
                throw ExitCode.ioError
            }
            Console.error("wrote \(catalog.tables.count) CSV files to \(dir)")
        }
    }

    /// Why the SQLite export must not write `path`, or nil when it may: an existing directory,
    /// symbolic link, device or FIFO is never replaced, an existing regular file only with
    /// `force`, and the directory the file goes in must exist and be writable.
    static func refusal(_ path: String, force: Bool) -> String? {
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: return force ? nil : "it exists (pass --force to replace a file)"
            case S_IFDIR: return "it is a directory (an export is a file; a directory is never replaced)"
            case S_IFLNK: return "it is a symbolic link (give the path of the file itself)"
            default: return "it is not a regular file (a device or FIFO is never replaced)"
            }
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var dir = stat()
        guard stat(parent, &dir) == 0, dir.st_mode & S_IFMT == S_IFDIR else {
            return "the directory \(parent) does not exist"
        }
        if access(parent, W_OK | X_OK) != 0 { return "the directory \(parent) is not writable" }
        return nil
    }
}
