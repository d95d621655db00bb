// Shell: the REPL and script-runner logic, testable without a terminal. It reads lines from a
// `LineReader`, asks for more while input is incomplete, runs statements, and sends each result
// to its destination — the screen (fitted to a `ShellTerminal`, through its pager when taller),
// stdout as one document per run, or an `.output`/`.once` file. It writes only through a
// `ShellOutput` and never exits; `bql` prints and exits. Dot-commands are in DotCommands.swift.

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

/// The terminal results are shown on (bql's stdout, when it is one).
public protocol ShellTerminal: AnyObject {
    /// Its size now, in columns and rows.
    var size: (columns: Int, rows: Int) { get }
    /// The pager command results taller than the screen go through, or nil when there is none.
    var pager: String? { get }
    /// Shows `text` through the pager and waits for it to end. Returns false when the pager
    /// could not run, having shown nothing.
    func page(_ text: String) -> Bool
}

/// How many rows table output shows (`.maxrows`, `--max-rows`).
public enum RowLimit: Sendable, Equatable {
    /// On a terminal, `Shell.screenRowLimit` rows without a pager and every row through one;
    /// every row in pipes and files.
    case auto
    /// Every row.
    case all
    /// At most this many rows.
    case rows(Int)
}

/// When results go through the pager (`.pager`).
public enum PagerMode: String, Sendable, CaseIterable {
    /// When a result is taller than the screen.
    case auto
    /// Always, on a terminal.
    case on
    /// Never.
    case off
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
    public internal(set) var session: Session

    /// The most threads one statement may use (`--threads`); nil is one.
    public var maxThreads: Int? {
        get { session.limits.maxThreads }
        set { session.limits.maxThreads = newValue }
    }
    /// The output format.
    public var format: OutputFormat
    /// Table rendering options.
    public var options: FormatOptions
    /// Whether to print each statement's run time.
    public var timer = false
    /// How many rows table output shows.
    public var rowLimit = RowLimit.auto
    /// When results go through the pager.
    public var pagerMode = PagerMode.auto
    /// The terminal results are shown on; nil when output is a pipe or file (then nothing is
    /// fitted or paged, and each run's results form one document).
    public var terminal: (any ShellTerminal)?
    /// The rows a table shows on a terminal without a pager when `rowLimit` is `.auto`.
    public static let screenRowLimit = 100
    /// The last result a statement returned (`.last` shows it again).
    public internal(set) var lastResult: QueryResult?
    var lastOrigin: ResultOrigin?
    /// The datasets directory, for `.data` and the banner.
    public internal(set) var dataDirectory: URL?
    /// How the banner names the data (e.g. "the bundled datasets"); the directory path when nil.
    public var dataLabel: String?
    /// Known contradictions, for `.check`.
    public internal(set) var known: [KnownContradiction]
    /// Called when `.data` replaces the session (so completion can follow).
    public var onSessionChange: ((Session) -> Void)?
    /// Stops a running statement (the REPL's Ctrl-C); carried by every statement the shell runs.
    public var cancellation: CancellationToken?
    /// The deepest `.read` nesting: a script that reads itself stops with an error.
    public static let maxReadDepth = 64
    let io: any ShellOutput
    /// The `.output` or `.once` file, if any.
    var redirect: Redirect?
    /// The document being written to the screen or stdout.
    private var screenDocument = OutputDocument()
    /// How many runs (`runScript`, `performAsOneRun`) are under way: documents close at 0.
    private var runNesting = 0
    /// Whether the REPL is running (its entries are documents of their own).
    private var interactive = false
    var readDepth = 0
    /// Whether the running script goes on after an error (inherited by `.read`).
    var continuing = false

    /// An `.output` or `.once` file and the document written to it.
    final class Redirect {
        let file: OutputFile
        let once: Bool
        var document = OutputDocument()
        init(file: OutputFile, once: Bool) {
            self.file = file
            self.once = once
        }
    }

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
        // Counted from the tables, so a catalog opened from a store decodes no budget for it.
        let catalog = session.catalog
        let departments = catalog.table("departments")?.count ?? 0
        let projects = catalog.table("projects")?.count ?? 0
        let indicators = catalog.table("indicators")?.count ?? 0
        var s =
            "BudgetQL — \(departments) department\(departments == 1 ? "" : "s"), \(projects) projects, \(indicators) indicators"
        if let label = dataLabel { s += " from \(label)" } else if let d = dataDirectory { s += " from \(d.path)" }
        return s + "\nTry `projects | where amount > 100 | sort -amount | take 5`, or .help.\n"
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

    /// Writes text (`.sql`, `.check`) to the `.output` file, or to the screen. A failed write to
    /// the file is reported, sends output back to the screen, and returns false.
    func emit(_ text: String) -> Bool {
        guard let redirect else {
            showOnScreen(text)
            return true
        }
        defer { if redirect.once { closeRedirect() } }
        return write(text, to: redirect)
    }

    private func write(_ text: String, to redirect: Redirect) -> Bool {
        do { try redirect.file.write(text) } catch {
            io.writeError("\(error)\n")
            redirect.file.close()
            self.redirect = nil
            return false
        }
        return true
    }

    /// Ends the `.output`/`.once` file's document and closes it. Returns false if the end
    /// could not be written (the error has been reported).
    @discardableResult
    func closeRedirect() -> Bool {
        guard let redirect else { return true }
        let end = redirect.document.close(emptyJSON: false)
        let ok = end.isEmpty || write(end, to: redirect)
        redirect.file.close()
        self.redirect = nil
        return ok
    }

    /// The options for output to the screen or stdout: fitted to the terminal, if any.
    func screenOptions(paged: Bool = false) -> FormatOptions {
        var o = options
        if let terminal { o.width = terminal.size.columns }
        switch rowLimit {
        case .all: o.maxRows = nil
        case .rows(let n): o.maxRows = n
        case .auto: o.maxRows = terminal != nil && !paged ? Shell.screenRowLimit : nil
        }
        return o
    }

    /// The pager command results would go through now, if any.
    var activePager: String? { pagerMode == .off ? nil : terminal?.pager }

    /// Sends a result to its destination: the `.output`/`.once` file (plain, uncut), the
    /// terminal (fitted, through the pager when taller than the screen or `.pager on`), or
    /// stdout as part of the run's document. Returns false when a file write failed.
    func emit(_ r: QueryResult, origin: ResultOrigin, remember: Bool = true, wholly: Bool = false) -> Bool {
        if remember {
            lastResult = r
            lastOrigin = origin
        }
        if let redirect {
            var o = options
            o.width = nil
            o.style = .plain
            if case .rows(let n) = rowLimit, !wholly { o.maxRows = n } else { o.maxRows = nil }
            defer { if redirect.once { closeRedirect() } }
            return write(redirect.document.add(r, origin: origin, format: format, options: o), to: redirect)
        }
        guard terminal != nil else {
            var o = screenOptions()
            if wholly { o.maxRows = nil }
            io.write(screenDocument.add(r, origin: origin, format: format, options: o))
            return true
        }
        // On a terminal each result is a document of its own, shown whole or paged.
        var o = screenOptions(paged: activePager != nil)
        if wholly { o.maxRows = nil }
        var document = OutputDocument()
        showOnScreen(document.add(r, origin: origin, format: format, options: o) + document.close(emptyJSON: false))
        return true
    }

    /// Writes `text` to the screen, through the pager when it is taller than the terminal (or
    /// `.pager on`).
    func showOnScreen(_ text: String) {
        if let terminal, activePager != nil, pagerMode == .on || Shell.lineCount(text) > terminal.size.rows - 1,
            terminal.page(text)
        {
            return
        }
        io.write(text)
    }

    /// The number of lines of `text`.
    static func lineCount(_ text: String) -> Int {
        var n = 0
        for b in text.utf8 where b == 0x0A { n += 1 }
        return n
    }

    /// Ends the document written to the screen or stdout (`]` after JSON results).
    private func closeScreenDocument(emptyJSON: Bool) {
        let end = screenDocument.close(emptyJSON: emptyJSON && format == .json)
        if !end.isEmpty { io.write(end) }
    }

    /// Runs `body` as one run: the results of every script it runs form one document on stdout
    /// and in each `.output` file, closed when it returns (`bql run a.bql b.bql` is one JSON
    /// array). `runScript` is one run by itself.
    public func performAsOneRun<T>(_ body: () throws -> T) rethrows -> T {
        runNesting += 1
        defer {
            runNesting -= 1
            if runNesting == 0 && !interactive {
                closeScreenDocument(emptyJSON: terminal == nil)
                closeRedirect()
            }
        }
        return try body()
    }

    /// Where `statement` is in `source`: its text and 1-based line (after `lineOffset` lines).
    func origin(of statement: Statement, source: String, script: String, lineOffset: Int = 0) -> ResultOrigin {
        var text = source
        return text.withUTF8 { bytes in
            let start = min(max(0, statement.range.start), bytes.count)
            let end = min(max(start, statement.range.end), bytes.count)
            var line = 1
            for b in bytes[..<start] where b == 0x0A { line += 1 }
            let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return ResultOrigin(statement: body, script: script, line: line + lineOffset)
        }
    }

    /// A result's warnings, each placed in its source with a caret.
    private func warn(_ r: QueryResult, source: String, name: String, lineOffset: Int = 0) {
        for w in r.warnings {
            io.writeWarning(
                Diagnostic(w, source: source, lineOffset: lineOffset).render(name: name, severity: "warning"))
        }
    }

    /// Writes the diagnostic of `error` in `source`. An over-long statement gets one line, with
    /// its start, and never an excerpt (the statement may be megabytes long); so does a stopped
    /// statement (Ctrl-C, a timeout), which no one part of the statement caused.
    func report(_ error: QueryError, source: String, name: String, lineOffset: Int = 0) {
        let start: Int
        let suffix: String
        switch error {
        case .tooLong:
            // Both the scanner and `Session.parse` place the error `maxLength` bytes past the start.
            start = error.range.start - Lexer.maxLength
            suffix = " per statement"
        case .cancelled, .timedOut:
            start = error.range.start
            suffix = ""
        default:
            io.writeError(Diagnostic(error, source: source, lineOffset: lineOffset).render(name: name))
            return
        }
        var text = source
        let (line, column) = text.withUTF8 { bytes -> (Int, Int) in
            let start = min(max(0, start), bytes.count)
            var lineStart = start
            while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            var line = 1
            for b in bytes[..<lineStart] where b == 0x0A { line += 1 }
            let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<start]), as: UTF8.self).count
            return (line, column + 1)
        }
        io.writeError("\(name):\(line + lineOffset):\(column): error: \(error.message)\(suffix)\n")
    }

    // MARK: - REPL

    /// Runs the read-eval-print loop until `.quit` or end of input.
    public func runREPL(reader: any LineReader) {
        io.write(banner)
        interactive = true
        defer {
            interactive = false
            closeScreenDocument(emptyJSON: false)
            closeRedirect()
        }
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
                    let outcome = dotCommand(line.trimming(" \t"), reader: reader)
                    closeScreenDocument(emptyJSON: false)
                    if outcome == .quit { return }
                    continue
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                if isIncomplete(buffer) { continue }
                reader.remember(buffer)
                _ = runStatements(buffer, name: "stdin", stopOnError: true)
                closeScreenDocument(emptyJSON: false)
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
                    if !emit(r, origin: origin(of: s, source: source, script: name)) { return false }
                    warn(r, source: source, name: name)
                case .bound(let n, let rows):
                    if redirect == nil && name == "stdin" {
                        io.write(options.style.dim("\(n): \(rows) row\(rows == 1 ? "" : "s")") + "\n")
                    }
                }
                if timer { io.write(String(format: "Run Time: %.3f s\n", Date().timeIntervalSince(start))) }
            } catch {
                report(error, source: source, name: name)
                if redirect?.once == true { closeRedirect() }
                ok = false
                if stopOnError { return false }
            }
        }
        return ok
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
        performAsOneRun { runScriptBody(source, name: name, continueOnError: continueOnError) }
    }

    private func runScriptBody(_ source: String, name: String, continueOnError: Bool) -> ScriptStatus {
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
                            if !emit(r, origin: origin(of: s, source: runSource, script: name, lineOffset: lineOffset))
                            {
                                return .outputError
                            }
                            warn(r, source: runSource, name: name, lineOffset: lineOffset)
                        }
                    } catch {
                        if redirect?.once == true { closeRedirect() }
                        report(error, source: runSource, name: name, lineOffset: lineOffset)
                        if case .cancelled = error { return .queryError }
                        // Every later statement would read the same damaged store.
                        if case .storeDamaged = error { return .dataError }
                        if status == .ok { status = .queryError }
                        if !continueOnError { return .queryError }
                    }
                }
            }
        }
        return status
    }
}
