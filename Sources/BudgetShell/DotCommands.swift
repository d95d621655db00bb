// DotCommands: the shell's dot-commands, as sqlite3 and DuckDB users expect them — settings
// that show their value when given no argument (`.mode`, `.timer`, `.maxrows`, `.units`,
// `.pager`, `.headers`, `.nullvalue`) and all at once (`.show`), `.once` for the next result
// only, `.last` for the last result whole, and a did-you-mean for a mistyped command or mode.

import BudgetQL
import BudgetSQL
import Foundation

/// One dot-command: its name, arguments and what it does, for `.help` and completion.
public struct DotCommand: Sendable {
    /// The name, with its dot.
    public var name: String
    /// Its arguments, as `.help` shows them.
    public var arguments: String
    /// What it does.
    public var summary: String
}

extension Shell {
    /// Every dot-command, in `.help`'s order.
    public static let dotCommands: [DotCommand] = [
        DotCommand(name: ".help", arguments: "", summary: "this text"),
        DotCommand(name: ".tables", arguments: "", summary: "the tables, with Chinese names and row counts"),
        DotCommand(name: ".schema", arguments: "[TABLE]", summary: "the fields of a table (English, Chinese, type)"),
        DotCommand(
            name: ".mode", arguments: "[MODE] [--wrap N]",
            summary: "table, csv, json, jsonl, markdown, line; --wrap N"),
        DotCommand(name: ".headers", arguments: "[on|off]", summary: "header row in table and csv output"),
        DotCommand(
            name: ".nullvalue", arguments: "[TEXT]", summary: "how null is shown (NULL in tables, empty in csv)"),
        DotCommand(
            name: ".units", arguments: "[万元|元|亿元|auto]",
            summary: "amounts in that unit; auto: 1.23亿, 4,567.89万"),
        DotCommand(name: ".maxrows", arguments: "[N|auto]", summary: "show at most N rows in table mode (0: all)"),
        DotCommand(name: ".pager", arguments: "[on|off|auto]", summary: "page results taller than the screen"),
        DotCommand(name: ".timer", arguments: "[on|off]", summary: "print each statement's run time"),
        DotCommand(name: ".show", arguments: "", summary: "every setting"),
        DotCommand(name: ".last", arguments: "", summary: "the last result again, every row"),
        DotCommand(name: ".read", arguments: "FILE", summary: "run a script"),
        DotCommand(
            name: ".output", arguments: "[FILE]", summary: "results to FILE; without FILE, to the screen"),
        DotCommand(name: ".once", arguments: "FILE", summary: "write the next result only to FILE"),
        DotCommand(
            name: ".param", arguments: "set NAME VALUE", summary: "bind $NAME (also: .param list, .param clear)"),
        DotCommand(name: ".data", arguments: "DIR", summary: "load the datasets in DIR"),
        DotCommand(name: ".check", arguments: "", summary: "check the datasets' arithmetic (as bql check)"),
        DotCommand(
            name: ".sql", arguments: "[duckdb|spark] QUERY",
            summary: "the SQL answering QUERY over bql export's tables"),
        DotCommand(name: ".history", arguments: "", summary: "the statements typed so far"),
        DotCommand(name: ".quit", arguments: "", summary: "leave (also .exit, Ctrl-D)"),
    ]

    /// The names of every dot-command, `.exit` included.
    public static var dotCommandNames: [String] { dotCommands.map(\.name) + [".exit"] }

    /// The help text.
    public static var help: String {
        let usages = dotCommands.map { $0.name + ($0.arguments.isEmpty ? "" : " " + $0.arguments) }
        let width = (usages.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        var text = """
            Queries: a table, then stages separated by |, e.g.
              projects | where amount > 100 | sort -amount | take 5
              项目 | where 金额 >= 1000万 | select 部门, 名称, 金额
              spending | where 类 = 210 | group by 款 | agg total = sum(amount)
            A statement runs when complete: no open quote or bracket, no trailing |.
            Dot-commands (a setting without its argument shows its value):

            """
        for (usage, c) in zip(usages, dotCommands) {
            text += "  " + usage + String(repeating: " ", count: width - DisplayWidth.of(usage)) + c.summary + "\n"
        }
        return text + """
            Ctrl-C cancels the input or stops a running statement; Ctrl-R searches history.
            Tab completes tables, fields, functions, values, dot-commands and file names.

            """
    }

    /// The value of a setting as `.show` and the setting's own command without an argument print it.
    func setting(_ name: String) -> String? {
        switch name {
        case "mode":
            return format.rawValue + (format == .table && (options.wrap ?? 0) > 0 ? " --wrap \(options.wrap!)" : "")
        case "headers": return options.headers ? "on" : "off"
        case "nullvalue":
            let text = options.nullValue.map { "\"\($0)\"" } ?? "NULL (empty in csv and markdown)"
            return text
        case "units":
            return options.units == .auto
                ? "auto (1.23亿 / 4,567.89万 in tables; 万元 in csv, json)" : options.units.rawValue
        case "maxrows":
            switch rowLimit {
            case .all: return "0 (every row)"
            case .rows(let n): return String(n)
            case .auto: return "auto (\(Shell.screenRowLimit) on a terminal without a pager, else all)"
            }
        case "pager":
            let command =
                terminal?.pager.map { " (\($0))" } ?? (terminal == nil ? " (not a terminal)" : " (no pager found)")
            return pagerMode.rawValue + command
        case "timer": return timer ? "on" : "off"
        case "output": return redirect.map { ($0.once ? "once " : "") + $0.file.path } ?? "stdout"
        case "data": return (dataDirectory?.path ?? "none") + (dataLabel.map { " (\($0))" } ?? "")
        default: return nil
        }
    }

    /// The settings `.show` lists, in order.
    static let settingNames = ["mode", "headers", "nullvalue", "units", "maxrows", "pager", "timer", "output", "data"]

    /// Writes `name: value` for a setting.
    private func show(_ names: [String]) {
        let width = names.map(\.count).max() ?? 0
        for n in names {
            io.write(String(repeating: " ", count: width - n.count) + n + ": " + (setting(n) ?? "") + "\n")
        }
    }

    /// `on` or `off` as a Bool, or a usage error naming the command.
    private func onOff(_ args: [String], _ command: String) throws(CommandError) -> Bool {
        guard args.count == 1, let a = args.first?.lowercased(), ["on", "off"].contains(a) else {
            throw .usage("\(command) expects on or off")
        }
        return a == "on"
    }

    /// Runs a dot-command typed at the REPL (or given by a host). A failure is written as a
    /// message and returned.
    @discardableResult
    public func dotCommand(_ line: String, reader: (any LineReader)?) -> DotCommandOutcome {
        runDotCommand(line, reader: reader, location: nil)
    }

    /// Runs a dot-command; in a script (`location` set), a failure's message carries the
    /// script's file and line, as a statement's diagnostic does.
    func runDotCommand(_ line: String, reader: (any LineReader)?, location: ScriptLocation?)
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
            showOnScreen(ResultFormatter.render(r, as: .table, options: screenOptions(paged: true)))
        case ".schema":
            let tables = args.isEmpty ? session.catalog.tables : args.compactMap { session.catalog.table($0) }
            if tables.isEmpty { throw .unknownTable(args.joined(separator: " ")) }
            var text = ""
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
                text += "\(t.name) (\(t.alias)): \(t.doc)\n"
                text += ResultFormatter.render(r, as: .table, options: screenOptions(paged: true))
            }
            showOnScreen(text)
        case ".mode":
            guard let m = args.first else {
                show(["mode"])
                return .done
            }
            let names = OutputFormat.allCases.map(\.rawValue)
            let aliases: [String: OutputFormat] = ["box": .table, "duckbox": .table, "ndjson": .jsonl, "list": .line]
            guard let f = OutputFormat(rawValue: m.lowercased()) ?? aliases[m.lowercased()] else {
                let suggestion = Suggestions.closest(m, in: names).map { " did you mean \($0)?" } ?? ""
                throw .usage(
                    "unknown mode \(m);\(suggestion) .mode expects one of: \(names.joined(separator: ", ")) (table --wrap N)"
                )
            }
            var wrap: Int?
            var rest = args.dropFirst()
            while let option = rest.first {
                rest = rest.dropFirst()
                guard option == "--wrap" || option == "-w", f == .table, let n = rest.first.flatMap({ Int($0) }), n >= 0
                else { throw .usage(".mode table --wrap N wraps text at N columns (0: cut to the screen)") }
                wrap = n
                rest = rest.dropFirst()
            }
            format = f
            options.wrap = wrap
        case ".headers", ".header":
            if args.isEmpty { show(["headers"]) } else { options.headers = try onOff(args, ".headers") }
        case ".nullvalue":
            let text = String(line.dropFirst(command.count)).trimming(" \t")
            if text.isEmpty {
                show(["nullvalue"])
            } else {
                // Quotes keep spaces or an empty text: .nullvalue "" or .nullvalue '(none)'.
                let unquoted =
                    text.count >= 2
                        && (text.hasPrefix("\"") && text.hasSuffix("\"") || text.hasPrefix("'") && text.hasSuffix("'"))
                    ? String(text.dropFirst().dropLast()) : text
                options.nullValue = unquoted
            }
        case ".units":
            guard let a = args.first else {
                show(["units"])
                return .done
            }
            guard args.count == 1, let unit = MoneyUnit(argument: a) else {
                let names = MoneyUnit.allCases.map(\.rawValue)
                let suggestion = Suggestions.closest(a, in: names).map { " did you mean \($0)?" } ?? ""
                throw .usage("unknown unit \(a);\(suggestion) .units expects one of: \(names.joined(separator: ", "))")
            }
            options.units = unit
        case ".maxrows":
            guard let a = args.first else {
                show(["maxrows"])
                return .done
            }
            if a == "auto" {
                rowLimit = .auto
            } else {
                guard args.count == 1, let n = Int(a), n >= 0 else {
                    throw .usage(".maxrows expects a number (0: all rows) or auto")
                }
                rowLimit = n == 0 ? .all : .rows(n)
            }
        case ".pager":
            guard let a = args.first else {
                show(["pager"])
                return .done
            }
            guard args.count == 1, let mode = PagerMode(rawValue: a.lowercased()) else {
                throw .usage(".pager expects on, off or auto")
            }
            pagerMode = mode
        case ".timer":
            if args.isEmpty { show(["timer"]) } else { timer = try onOff(args, ".timer") }
        case ".show":
            show(Shell.settingNames)
        case ".last":
            guard let r = lastResult, let origin = lastOrigin else { throw .usage(".last: no result yet") }
            if !emit(r, origin: origin, remember: false, wholly: true) { throw .reported(.outputError) }
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
            if !closeRedirect() { throw .reported(.outputError) }
            if let path = args.first {
                do { redirect = Redirect(file: try OutputFile(path: path), once: command == ".once") } catch {
                    throw .file(error)
                }
            } else if command == ".once" {
                throw .usage(".once expects a file name")
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
            guard let path = args.first else { throw .usage(".data expects a directory or a store file") }
            do {
                let url = URL(fileURLWithPath: path)
                let catalog = try Catalog.open(at: url, cacheDirectory: nil).catalog
                let params = session.parameters
                session = Session(catalog: catalog, parameters: params, limits: session.limits)
                known = catalog.known
                dataDirectory = url
                dataLabel = nil
                onSessionChange?(session)
                io.write(banner)
            } catch {
                throw .data("\(error)")
            }
        case ".sql":
            // .sql [sqlite|duckdb|spark] QUERY: the SQL giving QUERY's answer over `bql export`'s tables.
            var text = String(line.dropFirst(command.count)).trimming(" \t")
            var dialect = SQLDialect.sqlite
            if let word = text.split(separator: " ", maxSplits: 1).first, let d = SQLDialect(rawValue: String(word)) {
                dialect = d
                text = String(text.dropFirst(word.count)).trimming(" \t")
            }
            guard !text.isEmpty else { throw .usage(".sql [sqlite|duckdb|spark] QUERY") }
            let sql: String
            do {
                sql = try session.translate(text, dialect: dialect).map { $0.sql + "\n" }.joined(separator: "\n")
            } catch {
                io.writeError(error.render(source: text, name: ".sql"))
                throw .reported(.queryError)
            }
            if !emit(sql) { throw .reported(.outputError) }
        case ".check":
            let budgets: [Budget]
            do { budgets = try session.catalog.loadBudgets() } catch { throw .data("\(error)") }
            let report = CheckReport(budgets: budgets, known: known)
            if !emit(report.render(style: redirect == nil ? options.style : .plain)) { throw .reported(.outputError) }
        case ".history":
            for (i, h) in (reader?.history ?? []).enumerated() { io.write("\(i + 1)  \(h)\n") }
        default:
            throw .unknownCommand(command, suggestion: Suggestions.closest(command, in: Shell.dotCommandNames))
        }
        return .done
    }
}
