// BQL: the `bql` command — the REPL on a terminal, `-e` one-shot queries, statements on stdin,
// `bql run` for scripts and `bql check`. This executable alone prints, colours and picks exit codes.

import ArgumentParser
import BudgetQL
import BudgetShell
import Foundation

/// Options shared by the commands that run queries.
struct QueryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The datasets directory, or a store file from `bql build` (default: $BQL_DATA, or the bundled datasets).")
    var data: String?

    @Option(
        name: .long,
        help: "Output format: table, csv, json, jsonl, markdown or line (default: table on a terminal, csv otherwise).")
    var format: String?

    @Option(name: .long, help: ArgumentHelp("Bind $NAME to VALUE (repeatable).", valueName: "name=value"))
    var param: [String] = []

    @Option(
        name: .long,
        help:
            "Show at most N rows in table output (default: on a terminal, 100 without a pager and all through it; all otherwise; 0: all)."
    )
    var maxRows: Int?

    @Option(
        name: .long,
        help:
            "The unit of amounts: 万元 (as published, the default), 元, 亿元, or auto (1.23亿 / 4,567.89万 in tables; 万元 in csv and json)."
    )
    var units: String?

    @Flag(name: .long, help: "Keep running statements after an error (scripts, -e and stdin).")
    var continueOnError = false

    @Flag(
        name: .long,
        help:
            "Load from the CSV files without reading or writing the load cache ($BQL_CACHE_DIR, else $XDG_CACHE_HOME/bql or ~/.cache/bql)."
    )
    var noCache = false

    @Option(
        name: .long,
        help: "The most threads one statement may use (default 1; a where over 64k+ rows splits across them).")
    var threads: Int?

    func validate() throws {
        if let n = maxRows, n < 0 { throw ValidationError("--max-rows expects 0 or more") }
        if let n = threads, n < 1 { throw ValidationError("--threads expects 1 or more") }
        if let f = format, OutputFormat(rawValue: f) == nil {
            throw ValidationError(
                "unknown format '\(f)'; expected one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let u = units, MoneyUnit(argument: u) == nil {
            throw ValidationError("unknown unit '\(u)'; expected one of: 万元, 元, 亿元, auto")
        }
        for p in param where !p.contains("=") || p.hasPrefix("=") {
            throw ValidationError("--param expects name=value, found '\(p)'")
        }
    }

    /// Builds a shell over the chosen data, or exits with the data-error code.
    func makeShell(io: ConsoleOutput) throws -> Shell {
        let (dir, catalog) = try DataDirectory.load(data, cache: !noCache)
        let tty = isatty(STDOUT_FILENO) == 1
        let fmt = format.flatMap(OutputFormat.init(rawValue:)) ?? (tty ? .table : .csv)
        let options = FormatOptions(
            style: Console.stdoutStyle, units: units.flatMap(MoneyUnit.init(argument:)) ?? .wanYuan)
        let shell = Shell(
            catalog: catalog, known: catalog.known, dataDirectory: dir, io: io, format: fmt,
            options: options)
        // On a terminal, tables fit the screen, and a result taller than it goes through the
        // pager (without one, the first 100 rows are shown); pipes and files get every row, uncut.
        if tty { shell.terminal = ConsoleTerminal() }
        if let n = maxRows { shell.rowLimit = n == 0 ? .all : .rows(n) }
        if let n = threads { shell.maxThreads = n }
        if data == nil && ProcessInfo.processInfo.environment["BQL_DATA", default: ""].isEmpty {
            shell.dataLabel = "the bundled datasets"
        }
        for (name, value) in parameters { shell.setParameter(name, value) }
        return shell
    }

    /// The `--param` options as (name, value), `$` dropped from names.
    var parameters: [(String, String)] {
        param.compactMap { p in
            guard let eq = p.firstIndex(of: "=") else { return nil }  // validate() refused these
            return (String(p[..<eq]).trimmingPrefix("$"), String(p[p.index(after: eq)...]))
        }
    }
}

extension String {
    func trimmingPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}

/// Script text from the command line and stdin, checked as files are: invalid UTF-8 is an
/// error located by line and column wherever the text came from.
enum ScriptInput {
    /// The text of a query argument (`-e QUERY`, `bql sql QUERY`), reported as `name`. The
    /// arguments were decoded with invalid bytes replaced by U+FFFD; when the query has one,
    /// its raw bytes are checked.
    static func commandLine(_ query: String, name: String = "-e") throws -> String {
        guard query.unicodeScalars.contains("\u{FFFD}") else { return query }
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(
                UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
            guard String(decoding: bytes, as: UTF8.self) == query else { continue }
            return try decode(bytes, name: name)
        }
        return query
    }

    /// The whole of stdin as text.
    static func standardInput() throws -> String {
        do { return try decode(try ScriptText.read(descriptor: STDIN_FILENO, name: "stdin"), name: "stdin") } catch let
            error as FileError
        {
            Console.error("bql: \(error)")
            throw ExitCode.queryError
        }
    }

    /// A script file's text.
    static func file(_ path: String) throws -> String {
        do { return try decode(try ScriptText.read(path: path), name: path) } catch let error as FileError {
            Console.error("bql: \(error)")
            throw ExitCode.queryError
        }
    }

    static func decode(_ bytes: [UInt8], name: String) throws -> String {
        do { return try ScriptText.decode(bytes, name: name) } catch {
            Console.error(error.description)
            throw ExitCode.queryError
        }
    }
}

@main
struct BQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bql",
        abstract: "BudgetQL: query Chinese department budgets (部门预算).",
        discussion: """
            With no arguments on a terminal, opens the REPL on the bundled datasets. With statements on \
            stdin (not a terminal), runs them as a script. Examples:
              bql -e 'projects | where amount >= 1000万 | sort -amount'
              bql run Queries/three_public.bql --format csv > three_public.csv
              echo 'departments | select name, total' | bql --format json

            \(BQLExit.help)
            """,
        version: BQL.version,
        subcommands: [
            RunCommand.self, CheckCommand.self, SQLCommand.self, ExportCommand.self, ImportCommand.self,
            BuildCommand.self,
        ]
    )

    /// The version `bql --version` prints.
    static let version = "0.2.0"

    @Option(name: .customShort("e"), help: "Run QUERY and exit.")
    var execute: String?

    @OptionGroup var options: QueryOptions

    /// Prepares the standard streams (SIGPIPE ignored, closed descriptors held) before
    /// ArgumentParser runs the command.
    static func main() {
        Console.prepare()
        main(nil)
    }

    func run() throws {
        let io = ConsoleOutput()
        if let q = execute {
            let text = try ScriptInput.commandLine(q)
            let shell = try options.makeShell(io: io)
            let status = shell.runScript(text, name: "-e", continueOnError: options.continueOnError)
            if status != .ok { throw ExitCode(status) }
            return
        }
        if isatty(STDIN_FILENO) == 0 {
            let shell = try options.makeShell(io: io)
            let text = try ScriptInput.standardInput()
            let status = shell.runScript(text, name: "stdin", continueOnError: options.continueOnError)
            if status != .ok { throw ExitCode(status) }
            return
        }
        let shell = try options.makeShell(io: io)
        let reader = LibeditReader(completer: Completer(session: shell.session)) { Console.error($0) }
        shell.onSessionChange = { reader.setCompleter(Completer(session: $0)) }
        // Ctrl-C while a statement runs stops it ("query cancelled") and returns to the prompt.
        shell.cancellation = CancellationToken(polling: { LibeditReader.interruptPending })
        shell.runREPL(reader: reader)
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run query scripts (statements, comments, let bindings, $parameters, dot-commands).",
        discussion: "Stops at the first error, printing FILE:LINE:COL, the message and a caret, and exits 2.\n\n"
            + BQLExit.help
    )

    @Argument(help: "Script files (.bql).")
    var files: [String]

    @OptionGroup var options: QueryOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("bql run expects at least one script file") }
    }

    func run() throws {
        let io = ConsoleOutput()
        let shell = try options.makeShell(io: io)
        var failure: ScriptStatus?
        // Every file's results form one document (one JSON array).
        try shell.performAsOneRun {
            for file in files {
                let text = try ScriptInput.file(file)
                let status = shell.runScript(text, name: file, continueOnError: options.continueOnError)
                if status != .ok {
                    if failure == nil { failure = status }
                    if !options.continueOnError || status == .outputError { break }
                }
            }
        }
        if let failure { throw ExitCode(failure) }
    }
}
