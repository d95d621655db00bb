// DisplayTests: issue 17's display and dot-commands through the shell with a fake terminal —
// tables fitted to 80 and 40 columns with every number whole (text shrinks first, then records),
// `--wrap`, the pager decision and the row cap, `.last`, `.once`, settings shown without an
// argument and by `.show`, `.nullvalue`, `.headers`, did-you-mean, and `.units` exactly.

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

/// A terminal of a given size whose pager records what it was given.
final class FakeTerminal: ShellTerminal {
    var size: (columns: Int, rows: Int)
    var pager: String? = "less -SRFX"
    var paged: [String] = []
    init(columns: Int, rows: Int = 40) { size = (columns, rows) }
    func page(_ text: String) -> Bool {
        paged.append(text)
        return true
    }
}

/// The display width of each line of `text`.
func lineWidths(_ text: String) -> [Int] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayWidth.of($0) }
}

@Suite struct DisplayTests {
    func shell(columns: Int? = nil, rows: Int = 200, format: OutputFormat = .table) -> (Shell, Capture, FakeTerminal?) {
        let io = Capture()
        let sh = Shell(catalog: Repo.catalog, dataDirectory: nil, io: io, format: format)
        var terminal: FakeTerminal?
        if let columns {
            terminal = FakeTerminal(columns: columns, rows: rows)
            sh.terminal = terminal
        }
        return (sh, io, terminal)
    }

    /// Every money figure of `departments`, as a table shows it.
    var moneyFigures: [String] {
        get throws {
            var s = Session(catalog: Repo.catalog)
            let r = try s.query("departments | select total, basic, project, three_public")
            return r.rows.flatMap { $0 }.compactMap { $0.decimal?.formatted(places: 2, grouping: true) }
        }
    }

    @Test func departmentsAt80ColumnsShowsEveryFigureWhole() throws {
        let (sh, io, _) = shell(columns: 80)
        #expect(sh.runScript("departments", name: "t") == .ok)
        #expect(lineWidths(io.out).allSatisfy { $0 <= 80 }, "\(io.out)")
        for figure in try moneyFigures { #expect(io.out.contains(figure), "\(figure)") }
        #expect(!io.out.contains("…"))
    }

    @Test func textColumnsShrinkBeforeNumbers() throws {
        let (sh, io, _) = shell(columns: 80)
        #expect(sh.runScript("projects | select dept, unit, name, amount, n_indicators", name: "t") == .ok)
        let widths = lineWidths(io.out)
        #expect(widths.allSatisfy { $0 <= 80 }, "\(io.out)")
        #expect(io.out.hasPrefix("┌"), "still a table")
        #expect(io.out.contains("…"), "text was cut")
        var s = Session(catalog: Repo.catalog)
        for row in try s.query("projects | select amount").rows {
            #expect(io.out.contains(" " + row[0].decimal!.formatted(places: 2, grouping: true) + " │"))
        }
    }

    @Test func fortyColumnsFallsBackToRecords() throws {
        let (sh, io, _) = shell(columns: 40)
        #expect(sh.runScript("departments", name: "t") == .ok)
        #expect(io.out.hasPrefix("─[ RECORD 1 ]"), "\(io.out)")
        #expect(io.out.contains("─[ RECORD 5 ]"))
        #expect(lineWidths(io.out).allSatisfy { $0 <= 40 }, "\(io.out)")
        #expect(io.out.contains("total        │ 63,564.63\n"))
        for figure in try moneyFigures { #expect(io.out.contains(figure)) }
        // Long text wraps onto further lines, whole.
        #expect(io.out.contains("name         │ 抚顺市医疗保障事务服务中\n             │ 心\n"), "\(io.out)")
        #expect(io.out.hasSuffix("\n5 rows (as records)\n"))
        let (wide, wideIO, _) = shell(columns: 100)
        #expect(wide.runScript("departments", name: "t") == .ok)
        #expect(wideIO.out.hasSuffix("\n5 rows (shown as records: a table needs 123 columns, the screen has 100)\n"))
    }

    @Test func pipesAndFilesAreNeverCut() throws {
        let (sh, io, _) = shell()
        #expect(sh.runScript("departments | select name, goal", name: "t") == .ok)
        var s = Session(catalog: Repo.catalog)
        let goals = try s.query("departments | select goal").rows.compactMap { $0[0].text }
        #expect(!goals.isEmpty)
        for goal in goals { #expect(io.out.contains(goal)) }
        #expect(!io.out.contains("…"))
    }

    @Test func wrapModeWrapsTextWithinCells() throws {
        let (sh, io, _) = shell()
        #expect(sh.dotCommand(".mode table --wrap 8", reader: nil) == .done)
        #expect(sh.runScript("departments | select name, total | take 2", name: "t") == .ok)
        #expect(io.out.contains("│ 鞍山市医 │  2,220.40 │\n│ 疗保障局 │           │\n"), "\(io.out)")
        io.out = ""
        #expect(sh.dotCommand(".mode", reader: nil) == .done)
        #expect(io.out == "mode: table --wrap 8\n")
        #expect(sh.dotCommand(".mode csv --wrap 8", reader: nil) == .failed(.queryError))
    }

    @Test func tallResultsGoThroughThePagerAndLastShowsThemWhole() throws {
        let (sh, io, terminal) = shell(columns: 120, rows: 24)
        #expect(sh.runScript("indicators | select name, value", name: "t") == .ok)
        #expect(terminal!.paged.count == 1)
        #expect(terminal!.paged[0].hasSuffix("543 rows\n"), "through the pager every row is shown")
        #expect(io.out.isEmpty)
        // A short result is written directly.
        #expect(sh.runScript("departments | select name | take 2", name: "t") == .ok)
        #expect(terminal!.paged.count == 1 && io.out.contains("2 rows"))
        // Without a pager the row cap protects the terminal; .last shows the result whole.
        #expect(sh.dotCommand(".pager off", reader: nil) == .done)
        io.out = ""
        #expect(sh.runScript("indicators | select name, value", name: "t") == .ok)
        #expect(io.out.hasSuffix("543 rows (100 shown; .maxrows to change, .last for all)\n"))
        io.out = ""
        #expect(sh.dotCommand(".last", reader: nil) == .done)
        #expect(io.out.hasSuffix("543 rows\n"))
        #expect(Shell.screenRowLimit == 100)
        // Long dot-command output is paged too.
        #expect(sh.dotCommand(".pager auto", reader: nil) == .done)
        #expect(sh.dotCommand(".schema", reader: nil) == .done)
        #expect(terminal!.paged.count == 2 && terminal!.paged[1].contains("indicators (指标)"))
        terminal!.paged.removeLast()
        // .pager on pages even a short result.
        #expect(sh.dotCommand(".pager on", reader: nil) == .done)
        #expect(sh.runScript("departments | select year | take 1", name: "t") == .ok)
        #expect(terminal!.paged.count == 2)
    }

    @Test func onceSendsOnlyTheNextResultToTheFile() throws {
        let s = try Scratch()
        let (sh, io, _) = shell(format: .csv)
        let status = sh.runScript(
            ".once \(s.path("once.csv"))\ndepartments | select year | take 1\ndepartments | select id | take 1",
            name: "t")
        #expect(status == .ok)
        #expect(String(decoding: bytes(s.path("once.csv"))!, as: UTF8.self) == "year\n2025\n")
        #expect(io.out == "id\nanshan-2025\n")
        // .last writes the last result again, to the next .once file too.
        #expect(sh.runScript(".once \(s.path("last.csv"))\n.last", name: "t") == .ok)
        #expect(String(decoding: bytes(s.path("last.csv"))!, as: UTF8.self) == "id\nanshan-2025\n")
        #expect(sh.dotCommand(".once", reader: nil) == .failed(.queryError))
    }

    @Test func settingsShowTheirValueWithoutAnArgument() {
        let (sh, io, _) = shell(columns: 80)
        for command in [".mode", ".timer", ".maxrows", ".units", ".pager", ".headers", ".nullvalue"] {
            #expect(sh.dotCommand(command, reader: nil) == .done, "\(command)")
        }
        #expect(
            io.out == """
                mode: table
                timer: off
                maxrows: auto (100 on a terminal without a pager, else all)
                units: 万元
                pager: auto (less -SRFX)
                headers: on
                nullvalue: NULL (empty in csv and markdown)

                """)
        io.out = ""
        #expect(sh.dotCommand(".show", reader: nil) == .done)
        for name in ["mode", "headers", "nullvalue", "units", "maxrows", "pager", "timer", "output", "data"] {
            #expect(io.out.contains("\(name): "), "\(name)")
        }
        #expect(io.err.isEmpty)
    }

    @Test func helpAndShowFitEightyColumns() {
        let (sh, io, _) = shell(columns: 80)
        #expect(sh.dotCommand(".help", reader: nil) == .done)
        #expect(sh.dotCommand(".show", reader: nil) == .done)
        #expect(lineWidths(io.out).allSatisfy { $0 <= 80 }, "\(io.out)")
        for command in Shell.dotCommands { #expect(io.out.contains("  " + command.name), "\(command.name)") }
    }

    @Test func unknownCommandsAndModesGetADidYouMean() {
        let (sh, io, _) = shell()
        #expect(sh.dotCommand(".mode tabel", reader: nil) == .failed(.queryError))
        #expect(io.err.contains("unknown mode tabel; did you mean table?"), "\(io.err)")
        #expect(sh.dotCommand(".shwo", reader: nil) == .failed(.queryError))
        #expect(io.err.contains("unknown command .shwo; did you mean .show?"))
        #expect(sh.dotCommand(".units 万", reader: nil) == .done)
        #expect(sh.dotCommand(".units 千元", reader: nil) == .failed(.queryError))
        #expect(io.err.contains("unknown unit 千元; did you mean 元?"), "\(io.err)")
    }

    @Test func nullValueAndHeaders() {
        let (sh, io, _) = shell(format: .csv)
        #expect(sh.dotCommand(".nullvalue (none)", reader: nil) == .done)
        #expect(sh.dotCommand(".headers off", reader: nil) == .done)
        #expect(sh.runScript("projects | select category | take 1", name: "t") == .ok)
        #expect(io.out == "(none)\n")
        io.out = ""
        #expect(sh.dotCommand(".mode table", reader: nil) == .done)
        #expect(sh.runScript("projects | select category | take 1", name: "t") == .ok)
        #expect(io.out == "┌────────┐\n│ (none) │\n└────────┘\n1 row\n", "\(io.out)")
        #expect(sh.dotCommand(".headers maybe", reader: nil) == .failed(.queryError))
    }

    @Test func unitsConvertExactly() throws {
        let (sh, io, _) = shell()
        let q = "departments | select name, total | take 2"
        #expect(sh.dotCommand(".units 元", reader: nil) == .done)
        #expect(sh.runScript(q, name: "t") == .ok)
        #expect(io.out.contains("│ 抚顺市医疗保障事务服务中心 │ 635,646,300.00 │"), "\(io.out)")
        #expect(io.out.contains("total (元)"))
        io.out = ""
        #expect(sh.dotCommand(".units 亿元", reader: nil) == .done)
        #expect(sh.runScript(q, name: "t") == .ok)
        #expect(io.out.contains("│      0.22204 │") && io.out.contains("│     6.356463 │"), "\(io.out)")
        io.out = ""
        #expect(sh.dotCommand(".units auto", reader: nil) == .done)
        #expect(sh.runScript("departments | select total, three_public | take 2", name: "t") == .ok)
        #expect(io.out.contains("2,220.40万") && io.out.contains("6.36亿") && io.out.contains("7.30万"), "\(io.out)")
        // CSV and JSON: exact values in one stated unit (auto writes 万元).
        for (unit, csv) in [
            ("元", "name,total (元)\n鞍山市医疗保障局,22204000.00\n抚顺市医疗保障事务服务中心,635646300.00\n"),
            ("亿元", "name,total (亿元)\n鞍山市医疗保障局,0.222040\n抚顺市医疗保障事务服务中心,6.356463\n"),
            ("auto", "name,total\n鞍山市医疗保障局,2220.40\n抚顺市医疗保障事务服务中心,63564.63\n"),
        ] {
            let (c, cio, _) = shell(format: .csv)
            #expect(c.dotCommand(".units \(unit)", reader: nil) == .done)
            #expect(c.runScript(q, name: "t") == .ok)
            #expect(cio.out == csv, "\(unit)")
        }
        let (j, jio, _) = shell(format: .json)
        #expect(j.dotCommand(".units 元", reader: nil) == .done)
        #expect(j.runScript(q, name: "t") == .ok)
        #expect(jio.out.contains("{\"name\": \"total\", \"type\": \"money\", \"unit\": \"元\"}"), "\(jio.out)")
        #expect(jio.out.contains("\"total\":635646300.00"))
    }

    @Test func autoUnitsReadLikeAnAnalyst() {
        let cases: [(String, String)] = [
            ("63564.63", "6.36亿"), ("2220.40", "2,220.40万"), ("7.30", "7.30万"), ("0.10", "1,000.00元"),
            ("-12345.678", "-1.23亿"), ("0", "0.00元"), ("10000", "1.00亿"),
        ]
        for (amount, shown) in cases {
            let r = QueryResult(
                columns: [ResultColumn(name: "a", type: .money)], rows: [[.decimal(ExactDecimal(amount)!)]])
            let text = ResultFormatter.render(r, as: .table, options: FormatOptions(units: .auto))
            #expect(text.contains(" \(shown) │"), "\(amount) → \(text)")
        }
    }
}
