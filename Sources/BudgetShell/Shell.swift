// Shell: the REPL and script-runner logic, testable without a terminal. It reads lines from a
// `LineReader`, asks for more while input is incomplete, runs statements and dot-commands, and
// writes through a `ShellOutput`. It never prints directly and never exits; `bql` does both.

import BudgetQL
import BudgetSQL
import Foundation

/// What a line reader returned.
public enum LineInput: Sendable, Equatable {
    /// A line, without its line break.
    case line(String)
    /// Ctrl-C: cancel the current input.
    case interrupt
    /// Ctrl-D or end of input.
    case end
}

/// A source of input lines (libedit on a terminal; a fake in tests).
public protocol LineReader: AnyObject {
    /// Reads one line after showing `prompt`.
    func read(prompt: String) -> LineInput
    /// Adds a complete statement (possibly several lines) to history.
    func remember(_ entry: String)
    /// The history entries, oldest first.
    var history: [String] { get }
}

/// Where the shell's text goes.
public protocol ShellOutput: AnyObject {
    /// Results and informational text.
    func write(_ text: String)
    /// Diagnostics and warnings.
    func writeError(_ text: String)
    /// A result's warning (a value its field never holds), rendered with its caret. The
    /// terminal writes it on stderr when stderr is a terminal; by default it goes with the errors.
    func writeWarning(_ text: String)
}

extension ShellOutput {
    /// Warnings go with the errors unless the output says otherwise.
    public func writeWarning(_ text: String) { writeError(text) }
}

/// How a script run ended.
public enum ScriptStatus: Sendable, Equatable {
    /// Every statement ran.
    case ok
    /// A statement or a dot-command failed: a syntax, name, type or run-time error (Ctrl-C
    /// included), a `.read` of a missing or invalid file or one nested too deeply, a
    /// dot-command's bad arguments.
    case queryError
    /// Data failed to load (`.data`).
    case dataError
    /// Output could not be written: `.output FILE` could not be opened, or a write to it failed.
    case outputError
}

/// What a dot-command did.
public enum DotCommandOutcome: Sendable, Equatable {
    /// It ran.
    case done
    /// `.quit`: the REPL ends, or the script ends there.
    case quit
    /// It failed; the error has been written. A script stops with this status.
    case failed(ScriptStatus)
}

/// Why a dot-command failed. Messages are built here; the shell writes them, placed at the
/// script's file and line when the command came from a script.
enum CommandError: Error {
    /// Missing or bad arguments; the text says what the command expects.
    case usage(String)
    /// No such command.
    case unknownCommand(String, suggestion: String?)
    /// `.schema` of a table that does not exist.
    case unknownTable(String)
    /// A script that cannot be read, or an output file that cannot be written.
    case file(FileError)
    /// A script that is not UTF-8.
    case invalidText(ScriptText.InvalidUTF8)
    /// `.read` inside more than `limit` scripts.
    case nestedTooDeep(path: String, limit: Int)
    /// `.data` could not load a directory.
    case data(String)
    /// The failure has been written already (a script's error, a `.sql` diagnostic).
    case reported(ScriptStatus)

    var status: ScriptStatus {
        switch self {
        case .usage, .unknownCommand, .unknownTable, .invalidText, .nestedTooDeep: return .queryError
        case .file(let e): return e.operation == "write" ? .outputError : .queryError
        case .data: return .dataError
        case .reported(let s): return s
        }
    }

    /// The message, or nil when it has been written already. Errors that carry their own
    /// location (invalid UTF-8) are `located`.
    var message: (text: String, located: Bool)? {
        switch self {
        case .usage(let m): return (m, false)
        case .unknownCommand(let c, let suggestion):
            return (
                "unknown command \(c)" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (.help lists them)",
                false
            )
        case .unknownTable(let t): return ("unknown table \(t); .tables lists them", false)
        case .file(let e): return (e.description, false)
        case .invalidText(let e): return (e.description, true)
        case .nestedTooDeep(let path, let limit):
            return (".read \(path): scripts nest more than \(limit) deep (does a script read itself?)", false)
        case .data(let m): return ("data error: \(m)", false)
        case .reported: return nil
        }
    }
}

/// Where a dot-command of a script is: the script's name and the 1-based line.
struct ScriptLocation {
    var name: String
    var line: Int
}

/// The interactive and scripted shell.
public final class Shell {
    /// The query session (catalog, bindings, parameters).
    public private(set) var session: Session
    /// The output format.
    public var format: OutputFormat
    /// Table rendering options.
    public var options: FormatOptions
    /// Whether to print each statement's run time.
    public var timer = false
    /// The datasets directory, for `.data` and the banner.
    public private(set) var dataDirectory: URL?
    /// How the banner names the data (e.g. "the bundled datasets"); the directory path when nil.
    public var dataLabel: String?
    /// Known contradictions, for `.check`.
    public private(set) var known: [KnownContradiction]
    /// Called when `.data` replaces the session (so completion can follow).
    public var onSessionChange: ((Session) -> Void)?
    /// Stops a running statement (the REPL's Ctrl-C); carried by every statement the shell runs.
    public var cancellation: CancellationToken?
    /// The deepest `.read` nesting: a script that reads itself stops with an error.
    public static let maxReadDepth = 64
    private let io: any ShellOutput
    private var redirect: OutputFile?
    private var readDepth = 0
    /// Whether the running script goes on after an error (inherited by `.read`).
    private var continuing = false

    /// Creates a shell over a catalog.
    public init(
        catalog: Catalog, known: [KnownContradiction] = [], dataDirectory: URL?, io: any ShellOutput,
        format: OutputFormat = .table, options: FormatOptions = FormatOptions()
    ) {
        session = Session(catalog: catalog)
        self.known = known
        self.dataDirectory = dataDirectory
        self.io = io
        self.format = format
        self.options = options
    }

    /// The banner shown when the REPL starts.
    public var banner: String {
        let budgets = session.catalog.budgets
        let projects = budgets.reduce(0) { $0 + $1.projectSpending.count }
        let indicators = budgets.reduce(0) { $0 + $1.indicators.count }
        var s =
            "BudgetQL — \(budgets.count) department\(budgets.count == 1 ? "" : "s"), \(projects) projects, \(indicators) indicators"
        if let label = dataLabel { s += " from \(label)" } else if let d = dataDirectory { s += " from \(d.path)" }
        return s + "\nType a query such as `projects | where amount > 100 | sort -amount | take 5`, or .help.\n"
    }

    /// Sets `$name` parameters; values that read as numbers become numbers.
    public func setParameter(_ name: String, _ text: String) {
        session.parameters[name] = Shell.parameterValue(text)
    }

    /// A parameter's value from text: numbers (including 万/亿/元 suffixes) become numbers.
    public static func parameterValue(_ text: String) -> Value {
        if let d = ExactDecimal(text) { return .decimal(d) }
        if let tokens = try? Lexer.tokenize(text), tokens.count == 2, tokens[0].kind == .number,
            let e = try? Parser.parseExpression(tokens), case .number(let d, _) = e.kind
        {
            return .decimal(d)
        }
        return .text(text)
    }

    /// Writes a result to the `.output` file, or to the screen. A failed write to the file is
    /// reported, sends output back to the screen, and returns false.
    private func emit(_ text: String) -> Bool {
        guard let redirect else {
            io.write(text)
            return true
        }
        do { try redirect.write(text) } catch {
            io.writeError("\(error)\n")
            redirect.close()
            self.redirect = nil
            return false
        }
        return true
    }

    /// Writes the diagnostic of `error` in `source`. An over-long statement gets one line, with
    /// its start, and never an excerpt (the statement may be megabytes long).
    /// A result's warnings, each placed in its source with a caret.
    private func warn(_ r: QueryResult, source: String, name: String, lineOffset: Int = 0) {
        for w in r.warnings {
            io.writeWarning(
                Diagnostic(w, source: source, lineOffset: lineOffset).render(name: name, severity: "warning"))
        }
    }

    private func report(_ error: QueryError, source: String, name: String, lineOffset: Int = 0) {
        guard case .tooLong = error else {
            io.writeError(Diagnostic(error, source: source, lineOffset: lineOffset).render(name: name))
            return
        }
        // Both the scanner and `Session.parse` place the error `maxLength` bytes past the start.
        var text = source
        let (line, column) = text.withUTF8 { bytes -> (Int, Int) in
            let start = min(max(0, error.range.start - Lexer.maxLength), bytes.count)
            var lineStart = start
            while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            var line = 1
            for b in bytes[..<lineStart] where b == 0x0A { line += 1 }
            let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<start]), as: UTF8.self).count
            return (line, column + 1)
        }
        io.writeError("\(name):\(line + lineOffset):\(column): error: \(error.message) per statement\n")
    }

    // MARK: - REPL

    /// Runs the read-eval-print loop until `.quit` or end of input.
    public func runREPL(reader: any LineReader) {
        io.write(banner)
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? "bql> " : "...> "
            switch reader.read(prompt: prompt) {
            case .end:
                if !buffer.isEmpty { io.write("\n") }
                return
            case .interrupt:
                if !buffer.isEmpty { io.write("^C\n") }
                buffer = ""
                continue
            case .line(let line):
                if buffer.isEmpty && line.trimming(" \t").isEmpty { continue }
                if buffer.isEmpty && line.trimming(" \t").hasPrefix(".") {
                    reader.remember(line)
                    if dotCommand(line.trimming(" \t"), reader: reader) == .quit { return }
                    continue
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                if isIncomplete(buffer) { continue }
                reader.remember(buffer)
                _ = runStatements(buffer, name: "stdin", stopOnError: true)
                buffer = ""
            }
        }
    }

    /// Whether `source` needs more input (an open quote or bracket, a trailing `|` or operator).
    public func isIncomplete(_ source: String) -> Bool {
        do {
            _ = try Session.parse(source)
            return false
        } catch { return error.isIncomplete }
    }

    // MARK: - Statements and scripts

    /// Runs the statements of `source`, rendering results and diagnostics. Returns whether all ran.
    @discardableResult
    public func runStatements(_ source: String, name: String, stopOnError: Bool) -> Bool {
        let statements: [Statement]
        do { statements = try Session.parse(source) } catch {
            if case .empty = error { return true }
            report(error, source: source, name: name)
            return false
        }
        var ok = true
        for s in statements {
            let start = Date()
            session.limits.cancellation = cancellation
            do {
                let outcome = try session.execute(try session.prepare(s, source: source))
                switch outcome {
                case .result(let r):
                    if !emit(render(r)) { return false }
                    warn(r, source: source, name: name)
                case .bound(let n, let rows):
                    if redirect == nil && name == "stdin" {
                        io.write(options.style.dim("\(n): \(rows) row\(rows == 1 ? "" : "s")") + "\n")
                    }
                }
                if timer { io.write(String(format: "Run Time: %.3f s\n", Date().timeIntervalSince(start))) }
            } catch {
                report(error, source: source, name: name)
                ok = false
                if stopOnError { return false }
            }
        }
        return ok
    }

    /// A result in the current format; plain and uncut when it goes to a file.
    private func render(_ r: QueryResult) -> String {
        var o = options
        if redirect != nil {
            o.width = nil
            o.style = .plain
        }
        return ResultFormatter.render(r, as: format, options: o)
    }

    /// One step of a script: statements that share lines (run from their own text), or a
    /// dot-command line.
    private enum ScriptItem {
        case statements(first: Int, [Statement])
        case dotCommand(line: Int, String)

        var line: Int {
            switch self {
            case .statements(let first, _): return first
            case .dotCommand(let line, _): return line
            }
        }
    }

    /// Runs a script: statements, comments, `let`, `$params`, and dot-command lines. Stops at the
    /// first error unless `continueOnError`, reporting `FILE:LINE:COL`, the message and the caret.
    /// A line is a dot-command only where a statement could start: outside every string and
    /// bracket, and not continuing a statement (after a trailing `|` or operator). A syntax error
    /// anywhere stops the script before anything runs. Ctrl-C (the `cancellation` token) stops
    /// the script, whether a statement is running or not.
    public func runScript(_ source: String, name: String, continueOnError: Bool = false) -> ScriptStatus {
        let lines: [ScriptLine]
        do { lines = try StatementScanner.lines(of: source) } catch {
            report(error, source: source, name: name)
            return .queryError
        }
        // Dot-command lines are blanked (byte for byte, so every offset stays) and run in order.
        var bytes = Array(source.utf8)
        var dots: [ScriptItem] = []
        var chunkStart = 0
        for (index, line) in lines.enumerated()
        where line.startsAtTopLevel && line.start < line.end && bytes[line.start] == UInt8(ascii: ".") {
            if isIncomplete(String(decoding: bytes[chunkStart..<line.start], as: UTF8.self)) { continue }
            let command = String(decoding: bytes[line.start..<line.end], as: UTF8.self).trimming(" \t\r")
            dots.append(.dotCommand(line: index, command))
            for k in line.start..<line.end { bytes[k] = 0x20 }
            chunkStart = line.end
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let statements: [Statement]
        do { statements = try Session.parse(text) } catch {
            if case .empty = error {
                if dots.isEmpty { return .ok }
                statements = []
            } else {
                report(error, source: source, name: name)
                return .queryError
            }
        }
        func lineIndex(_ offset: Int) -> Int {
            var (lo, hi) = (0, lines.count - 1)
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lines[mid].start <= offset { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
        // Statements sharing a line (`a; b`, or one ending where the next starts) run together.
        var groups: [ScriptItem] = []
        var group: [Statement] = []
        var groupLine = 0
        var lastLine = -1
        for s in statements {
            let first = lineIndex(s.range.start)
            if first > lastLine && !group.isEmpty {
                groups.append(.statements(first: groupLine, group))
                group = []
            }
            if group.isEmpty { groupLine = first }
            group.append(s)
            lastLine = max(lastLine, lineIndex(max(s.range.start, s.range.end - 1)))
        }
        if !group.isEmpty { groups.append(.statements(first: groupLine, group)) }
        // Both lists are in line order; merge them.
        var items: [ScriptItem] = []
        items.reserveCapacity(groups.count + dots.count)
        var (g, d) = (0, 0)
        while g < groups.count || d < dots.count {
            if d == dots.count || (g < groups.count && groups[g].line < dots[d].line) {
                items.append(groups[g])
                g += 1
            } else {
                items.append(dots[d])
                d += 1
            }
        }

        let saved = continuing
        continuing = continueOnError
        defer { continuing = saved }
        session.limits.cancellation = cancellation
        var status = ScriptStatus.ok
        for item in items {
            switch item {
            case .dotCommand(let line, let command):
                if cancellation?.isCancelled == true {
                    report(.cancelled(SourceRange(lines[line].start, lines[line].end)), source: source, name: name)
                    return .queryError
                }
                switch runDotCommand(command, reader: nil, location: ScriptLocation(name: name, line: line + 1)) {
                case .done: continue
                case .quit: return status
                case .failed(let failure):
                    if status == .ok { status = failure }
                    if !continueOnError || failure == .outputError { return failure }
                }
            case .statements(let first, let group):
                // Preparing a statement reads its source text: give it the group's own lines, not
                // the whole script, or a script of many statements takes quadratic time.
                let base = lines[first].start
                var end = base
                for s in group { end = max(end, s.range.end) }
                let own = String(decoding: bytes[base..<end], as: UTF8.self)
                var run = group
                var runSource = text
                var lineOffset = 0
                if let again = try? Session.parse(own), again.count == group.count,
                    zip(again, group).allSatisfy({ $0.range.start + base == $1.range.start })
                {
                    run = again
                    runSource = own
                    lineOffset = first
                }
                for s in run {
                    if cancellation?.isCancelled == true {
                        report(.cancelled(s.range), source: runSource, name: name, lineOffset: lineOffset)
                        return .queryError
                    }
                    do {
                        let outcome = try session.execute(try session.prepare(s, source: runSource))
                        if case .result(let r) = outcome {
                            if !emit(render(r)) { return .outputError }
                            warn(r, source: runSource, name: name, lineOffset: lineOffset)
                        }
                    } catch {
                        report(error, source: runSource, name: name, lineOffset: lineOffset)
                        if case .cancelled = error { return .queryError }
                        if status == .ok { status = .queryError }
                        if !continueOnError { return .queryError }
                    }
                }
            }
        }
        return status
    }

    // MARK: - Dot-commands

    /// The help text.
    public static let help = """
        Queries: a table, then stages separated by |, e.g.
          projects | where amount > 100 | sort -amount | take 5
          项目 | where 金额 >= 1000万 | select 部门, 名称, 金额
          spending | where 类 = 210 | group by 款 | agg total = sum(amount)
        A statement can span lines: it runs when complete (no open quote or bracket, no trailing |).
        Dot-commands:
          .help                  this text
          .tables                the tables, with Chinese names and row counts
          .schema [TABLE]        the fields of a table (English, Chinese, type)
          .mode MODE             table, csv, json, jsonl, markdown or line
          .maxrows N             show at most N rows in table mode (0: all)
          .timer on|off          print each statement's run time
          .read FILE             run a script
          .output [FILE]         write results to FILE; without FILE, back to the screen
          .param set NAME VALUE  bind $NAME (also: .param list, .param clear)
          .data DIR              load the datasets in DIR
          .check                 check the datasets' arithmetic (as bql check)
          .sql [duckdb] QUERY    the SQL (SQLite, or DuckDB) that answers QUERY over bql export's tables
          .history               the statements typed so far
          .quit                  leave (also Ctrl-D)
        Ctrl-C cancels the current input, or stops a running statement. Tab completes tables, fields, functions and values.

        """

    /// Runs a dot-command typed at the REPL (or given by a host). A failure is written as a
    /// message and returned.
    @discardableResult
    public func dotCommand(_ line: String, reader: (any LineReader)?) -> DotCommandOutcome {
        runDotCommand(line, reader: reader, location: nil)
    }

    /// Runs a dot-command; in a script (`location` set), a failure's message carries the
    /// script's file and line, as a statement's diagnostic does.
    private func runDotCommand(_ line: String, reader: (any LineReader)?, location: ScriptLocation?)
        -> DotCommandOutcome
    {
        do { return try perform(line, reader: reader) } catch {
            if let message = error.message {
                if let location, !message.located {
                    io.writeError("\(location.name):\(location.line):1: error: \(message.text)\n")
                } else {
                    io.writeError(message.text + "\n")
                }
            }
            return .failed(error.status)
        }
    }

    private func perform(_ line: String, reader: (any LineReader)?) throws(CommandError) -> DotCommandOutcome {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = parts.first else { return .done }
        let args = Array(parts.dropFirst())
        switch command {
        case ".quit", ".exit", ".q":
            return .quit
        case ".help":
            io.write(Shell.help)
        case ".tables":
            let rows = session.catalog.tables.map {
                [Value.text($0.name), .text($0.alias), .integer($0.count), .text($0.doc)]
            }
            let r = QueryResult(
                columns: [
                    ResultColumn(name: "table", type: .text), ResultColumn(name: "中文名", type: .text),
                    ResultColumn(name: "rows", type: .integer), ResultColumn(name: "what a row is", type: .text),
                ], rows: rows)
            io.write(ResultFormatter.render(r, as: .table, options: options))
        case ".schema":
            let tables = args.isEmpty ? session.catalog.tables : args.compactMap { session.catalog.table($0) }
            if tables.isEmpty { throw .unknownTable(args.joined(separator: " ")) }
            for t in tables {
                var rows = t.fields.map {
                    [
                        Value.text($0.name), .text($0.alias),
                        .text($0.type.rawValue + ($0.target.map { " → \($0)" } ?? "")), .text($0.doc),
                    ]
                }
                rows += t.relations.map {
                    [Value.text($0.name), .text($0.alias), .text("relation → \($0.target)"), .text($0.doc)]
                }
                let r = QueryResult(
                    columns: [
                        ResultColumn(name: "field", type: .text), ResultColumn(name: "中文名", type: .text),
                        ResultColumn(name: "type", type: .text), ResultColumn(name: "meaning", type: .text),
                    ], rows: rows)
                io.write("\(t.name) (\(t.alias)): \(t.doc)\n")
                io.write(ResultFormatter.render(r, as: .table, options: options))
            }
        case ".mode":
            guard let m = args.first, let f = OutputFormat(rawValue: m) else {
                throw .usage(".mode expects one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = f
        case ".maxrows":
            guard let n = args.first.flatMap({ Int($0) }), n >= 0 else {
                throw .usage(".maxrows expects a number (0: all rows)")
            }
            options.maxRows = n == 0 ? nil : n
        case ".timer":
            guard let a = args.first, a == "on" || a == "off" else { throw .usage(".timer expects on or off") }
            timer = a == "on"
        case ".read":
            guard let path = args.first else { throw .usage(".read expects a file name") }
            guard readDepth < Shell.maxReadDepth else { throw .nestedTooDeep(path: path, limit: Shell.maxReadDepth) }
            let bytes: [UInt8]
            do { bytes = try ScriptText.read(path: path) } catch { throw .file(error) }
            let text: String
            do { text = try ScriptText.decode(bytes, name: path) } catch { throw .invalidText(error) }
            readDepth += 1
            defer { readDepth -= 1 }
            let status = runScript(text, name: path, continueOnError: continuing)
            if status != .ok { throw .reported(status) }
        case ".output", ".once":
            // Opened in place as a shell's `>` opens it: through a symlink, onto a device.
            redirect?.close()
            redirect = nil
            if let path = args.first {
                do { redirect = try OutputFile(path: path) } catch { throw .file(error) }
            }
        case ".param", ".parameter":
            switch args.first {
            case "set" where args.count >= 3:
                setParameter(
                    args[1].hasPrefix("$") ? String(args[1].dropFirst()) : args[1], args[2...].joined(separator: " "))
            case "list", nil:
                for (k, v) in session.parameters.sorted(by: { $0.key < $1.key }) {
                    io.write("$\(k) = \(ResultFormatter.exact(v))\n")
                }
            case "clear":
                session.parameters = [:]
            default:
                throw .usage(".param set NAME VALUE | .param list | .param clear")
            }
        case ".data":
            guard let path = args.first else { throw .usage(".data expects a directory") }
            do {
                let url = URL(fileURLWithPath: path)
                let catalog = try Catalog.open(directory: url)
                let params = session.parameters
                session = Session(catalog: catalog, parameters: params)
                known = (try? KnownContradiction.load(from: url)) ?? []
                dataDirectory = url
                dataLabel = nil
                onSessionChange?(session)
                io.write(banner)
            } catch {
                throw .data("\(error)")
            }
        case ".sql":
            // .sql [sqlite|duckdb] QUERY: the SQL giving QUERY's answer over `bql export`'s tables.
            var text = String(line.dropFirst(command.count)).trimming(" \t")
            var dialect = SQLDialect.sqlite
            if let word = text.split(separator: " ", maxSplits: 1).first, let d = SQLDialect(rawValue: String(word)) {
                dialect = d
                text = String(text.dropFirst(word.count)).trimming(" \t")
            }
            guard !text.isEmpty else { throw .usage(".sql [sqlite|duckdb] QUERY") }
            let sql: String
            do {
                sql = try session.translate(text, dialect: dialect).map { $0.sql + "\n" }.joined(separator: "\n")
            } catch {
                io.writeError(error.render(source: text, name: ".sql"))
                throw .reported(.queryError)
            }
            if !emit(sql) { throw .reported(.outputError) }
        case ".check":
            let report = CheckReport(budgets: session.catalog.budgets, known: known)
            if !emit(report.render(style: redirect == nil ? options.style : .plain)) { throw .reported(.outputError) }
        case ".history":
            for (i, h) in (reader?.history ?? []).enumerated() { io.write("\(i + 1)  \(h)\n") }
        default:
            throw .unknownCommand(command, suggestion: Suggestions.closest(command, in: Completer.dotCommands))
        }
        return .done
    }
}
