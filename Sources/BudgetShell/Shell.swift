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
}

/// How a script run ended.
public enum ScriptStatus: Sendable, Equatable {
    /// Every statement ran.
    case ok
    /// A statement failed (syntax, name, type or run-time error).
    case queryError
    /// Data failed to load (`.data`, `.read` of a missing file counts as a query error).
    case dataError
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
    private let io: any ShellOutput
    private var redirect: FileHandle?
    private var redirectPath: String?

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

    private func emit(_ text: String) {
        if let redirect { redirect.write(Data(text.utf8)) } else { io.write(text) }
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
                    if !dotCommand(line.trimming(" \t"), reader: reader) { return }
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
            io.writeError(Diagnostic(error, source: source).render(name: name))
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
                    var o = options
                    if redirect != nil {
                        o.width = nil
                        o.style = .plain
                    }
                    emit(ResultFormatter.render(r, as: format, options: o))
                case .bound(let n, let rows):
                    if redirect == nil && name == "stdin" {
                        io.write(options.style.dim("\(n): \(rows) row\(rows == 1 ? "" : "s")") + "\n")
                    }
                }
                if timer { io.write(String(format: "Run Time: %.3f s\n", Date().timeIntervalSince(start))) }
            } catch {
                io.writeError(Diagnostic(error, source: source).render(name: name))
                ok = false
                if stopOnError { return false }
            }
        }
        return ok
    }

    /// Runs a script: statements, comments, `let`, `$params`, and dot-command lines. Stops at the
    /// first error unless `continueOnError`, reporting `FILE:LINE:COL`, the message and the caret.
    public func runScript(_ source: String, name: String, continueOnError: Bool = false) -> ScriptStatus {
        // Dot-command lines are taken out (kept as blank lines, so positions stay right) and run in order.
        var lines = source.components(separatedBy: "\n")
        var dots: [(Int, String)] = []
        for (i, l) in lines.enumerated() where l.hasPrefix(".") {
            dots.append((i, l))
            lines[i] = ""
        }
        let text = lines.joined(separator: "\n")
        let statements: [Statement]
        do { statements = try Session.parse(text) } catch {
            if case .empty = error, !dots.isEmpty {
                statements = []
            } else if case .empty = error {
                return .ok
            } else {
                io.writeError(Diagnostic(error, source: text).render(name: name))
                return .queryError
            }
        }
        let bytes = Array(text.utf8)
        func lineOf(_ offset: Int) -> Int { bytes[..<min(offset, bytes.count)].filter { $0 == 0x0A }.count }
        var items: [(Int, Statement?, String?)] = statements.map { (lineOf($0.range.start), $0, nil) }
        items += dots.map { ($0.0, nil, $0.1) }
        items.sort { $0.0 < $1.0 }
        var status = ScriptStatus.ok
        for (_, statement, dot) in items {
            if let dot {
                if !dotCommand(dot, reader: nil) { break }
                continue
            }
            do {
                let outcome = try session.execute(try session.prepare(statement!, source: text))
                if case .result(let r) = outcome {
                    var o = options
                    if redirect != nil {
                        o.width = nil
                        o.style = .plain
                    }
                    emit(ResultFormatter.render(r, as: format, options: o))
                }
            } catch {
                io.writeError(Diagnostic(error, source: text).render(name: name))
                status = .queryError
                if !continueOnError { return status }
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

    /// Runs a dot-command. Returns false for `.quit`.
    public func dotCommand(_ line: String, reader: (any LineReader)?) -> Bool {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = parts.first else { return true }
        let args = Array(parts.dropFirst())
        switch command {
        case ".quit", ".exit", ".q":
            return false
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
            if tables.isEmpty {
                io.writeError("unknown table \(args.joined(separator: " ")); .tables lists them\n")
                return true
            }
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
                io.writeError(
                    ".mode expects one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))\n")
                return true
            }
            format = f
        case ".maxrows":
            guard let n = args.first.flatMap({ Int($0) }), n >= 0 else {
                io.writeError(".maxrows expects a number (0: all rows)\n")
                return true
            }
            options.maxRows = n == 0 ? nil : n
        case ".timer":
            guard let a = args.first, a == "on" || a == "off" else {
                io.writeError(".timer expects on or off\n")
                return true
            }
            timer = a == "on"
        case ".read":
            guard let path = args.first else {
                io.writeError(".read expects a file name\n")
                return true
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                io.writeError("cannot read \(path)\n")
                return true
            }
            guard let text = String(data: data, encoding: .utf8) else {
                io.writeError("\(path): invalid UTF-8: expected UTF-8 text\n")
                return true
            }
            _ = runScript(text, name: path)
        case ".output", ".once":
            redirect?.closeFile()
            redirect = nil
            redirectPath = nil
            if let path = args.first {
                guard FileManager.default.createFile(atPath: path, contents: nil),
                    let h = FileHandle(forWritingAtPath: path)
                else {
                    io.writeError("cannot write \(path)\n")
                    return true
                }
                redirect = h
                redirectPath = path
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
                io.writeError(".param set NAME VALUE | .param list | .param clear\n")
            }
        case ".data":
            guard let path = args.first else {
                io.writeError(".data expects a directory\n")
                return true
            }
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
                io.writeError("data error: \(error)\n")
            }
        case ".sql":
            // .sql [sqlite|duckdb] QUERY: the SQL giving QUERY's answer over `bql export`'s tables.
            var text = String(line.dropFirst(command.count)).trimming(" \t")
            var dialect = SQLDialect.sqlite
            if let word = text.split(separator: " ", maxSplits: 1).first, let d = SQLDialect(rawValue: String(word)) {
                dialect = d
                text = String(text.dropFirst(word.count)).trimming(" \t")
            }
            guard !text.isEmpty else {
                io.writeError(".sql [sqlite|duckdb] QUERY\n")
                return true
            }
            do {
                emit(try session.translate(text, dialect: dialect).map { $0.sql + "\n" }.joined(separator: "\n"))
            } catch {
                io.writeError(error.render(source: text, name: ".sql"))
            }
        case ".check":
            let report = CheckReport(budgets: session.catalog.budgets, known: known)
            emit(report.render(style: redirect == nil ? options.style : .plain))
        case ".history":
            for (i, h) in (reader?.history ?? []).enumerated() { io.write("\(i + 1)  \(h)\n") }
        default:
            let suggestion = Suggestions.closest(command, in: Completer.dotCommands)
            io.writeError(
                "unknown command \(command)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
                    + " (.help lists them)\n")
        }
        return true
    }
}
