// ScreenTests: issue 17 on a real pseudo-terminal (tmux) — `departments` at 80 columns with every
// money figure whole and no line wider than the screen, records at 40 columns, a long result
// paged by `less` and brought back by `.last`, Ctrl-C stopping a long statement within a second,
// value completion that closes the quote, `.schema` + Tab, and Ctrl-R's search prompt.

import BudgetQL
import BudgetTestSupport
import Foundation
import Testing

@Suite(.serialized) struct ScreenTests {
    let history = FileManager.default.temporaryDirectory.appendingPathComponent("bql-history-\(UUID().uuidString)").path

    /// Every money figure `departments` shows, formatted as on screen (`63,564.63`).
    func moneyFigures() throws -> [String] {
        var s = Session(catalog: Repo.catalog)
        let r = try s.query("departments | select total, basic, project, three_public")
        return r.rows.flatMap { $0 }.compactMap { $0.decimal?.formatted(places: 2, grouping: true) }
    }

    /// The lines of the screen between the last `bql> departments` and the next prompt.
    func output(of command: String, in screen: String) -> [Substring] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.lastIndex(where: { $0.hasPrefix("bql> " + command) }) else { return [] }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex(where: { $0.hasPrefix("bql>") }) ?? rest.endIndex
        return Array(rest[..<end])
    }

    @Test func departmentsFitsEightyColumnsWithEveryFigureWhole() throws {
        // A screen taller than the result, so that no pager is involved.
        let t = try TerminalSession(history: history, columns: 80, rows: 100)
        #expect(t.waitFor("bql> "))
        t.type("departments")
        t.press("Enter")
        #expect(t.waitFor("5 rows"), "\(t.screen)")
        let screen = t.screen
        let lines = output(of: "departments", in: screen)
        #expect(!lines.isEmpty)
        // capture-pane -J joins lines the terminal wrapped: a line wider than 80 would show here.
        for line in screen.split(separator: "\n") { #expect(DisplayWidth.of(line) <= 80, "\(line)") }
        let text = lines.joined(separator: "\n")
        for figure in try moneyFigures() {
            #expect(
                text.contains(" " + figure + "\n") || text.contains(" " + figure + " "), "\(figure) whole:\n\(text)")
        }
        #expect(!text.contains("…"), "no number is cut")
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func fortyColumnsShowsRecords() throws {
        let t = try TerminalSession(history: history, columns: 40, rows: 100)
        #expect(t.waitFor("bql> "))
        t.type("departments")
        t.press("Enter")
        #expect(t.waitFor("5 rows"), "\(t.screen)")
        let lines = output(of: "departments", in: t.screen)
        let text = lines.joined(separator: "\n")
        #expect(text.hasPrefix("─[ RECORD 1 ]"), "\(text)")
        #expect(text.contains("total        │ 63,564.63"))
        for line in lines { #expect(DisplayWidth.of(line) <= 40, "\(line)") }
        for figure in try moneyFigures() { #expect(text.contains(figure), "\(figure)") }
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func aLongResultGoesThroughLessAndLastBringsItBack() throws {
        let t = try TerminalSession(history: history, columns: 80, rows: 24)
        #expect(t.waitFor("bql> "))
        #expect(t.programs.contains("bql") && !t.programs.contains("less"), "\(t.programs)")
        t.type("indicators | select name, value, unit")
        t.press("Enter")
        #expect(t.wait { t.programs.contains("less") }, "the result is paged: \(t.visible)")
        #expect(t.visible.contains("│ 重点工作办结率"), "\(t.visible)")
        // less waits at its prompt with the first screenful; G goes to the end: every row is there.
        t.press("G")
        #expect(t.wait { t.visible.contains("543 rows") }, "\(t.visible)")
        t.press("q")
        #expect(t.wait { !t.programs.contains("less") })
        #expect(t.waitFor("bql> ", count: 1))
        // .last shows the same result again, through the pager.
        t.type(".last")
        t.press("Enter")
        #expect(t.wait { t.programs.contains("less") }, "\(t.visible)")
        t.press("G")
        #expect(t.wait { t.visible.contains("543 rows") })
        t.press("q")
        #expect(t.waitFor("bql> ", count: 2))
        // Without the pager, the row cap protects the screen.
        t.type(".pager off")
        t.press("Enter")
        t.type("indicators | select name")
        t.press("Enter")
        #expect(t.waitFor("543 rows (100 shown; .maxrows to change, .last for all)"), "\(t.screen)")
        #expect(!t.programs.contains("less"))
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    /// Ctrl-C during `query`, which must still be running a second after it started: "query
    /// cancelled" within one second, then a prompt that works.
    func ctrlCStops(_ query: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bql-query-\(UUID().uuidString)")
        try Data(query.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let t = try TerminalSession(history: history, columns: 120, rows: 40)
        #expect(t.waitFor("bql> "))
        // Paste the statement (as a user would), then run it.
        t.tmux(["load-buffer", file.path], capture: false)
        t.tmux(["paste-buffer", "-t", t.name], capture: false)
        #expect(t.wait { t.screen.contains("agg n = count()") })
        t.press("Enter")
        Thread.sleep(forTimeInterval: 1)
        #expect(!t.screen.contains("1 row") && !t.screen.contains("error"), "still running: \(t.screen.suffix(300))")
        let pressed = Date()
        t.tmux(["send-keys", "-t", t.name, "C-c"], capture: false)
        #expect(t.wait(seconds: 5) { t.screen.contains("error: query cancelled") }, "\(t.screen.suffix(300))")
        let elapsed = Date().timeIntervalSince(pressed)
        #expect(elapsed < 1, "cancelled after \(elapsed) s")
        #expect(t.waitFor("bql> ", count: 1))
        t.type("departments | select year | take 1")
        t.press("Enter")
        #expect(t.waitFor("1 row"), "\(t.screen.suffix(300))")
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func ctrlCStopsALongStatementWithinASecond() throws {
        // Thousands of sorts: long whatever the regular-expression engine, and checked between stages.
        try ctrlCStops(
            "indicators" + String(repeating: " | sort name | sort -name", count: 4000) + " | agg n = count()")
    }

    /// The runaway pattern no longer runs away: the linear-time engine answers it at once,
    /// so there is nothing to cancel (cancellation inside a match is LimitsTests' business).
    @Test func theRunawayRegularExpressionAnswersAtOnce() throws {
        let t = try TerminalSession(history: history, columns: 120, rows: 40)
        #expect(t.waitFor("bql> "))
        t.type("indicators | where matches(description, \"^(.*)*(.*)*(.*)*[0-9]x$\") | agg n = count()")
        let started = Date()
        t.press("Enter")
        #expect(t.wait(seconds: 5) { t.screen.contains("1 row") }, "\(t.screen.suffix(300))")
        #expect(Date().timeIntervalSince(started) < 2, "answered after \(Date().timeIntervalSince(started)) s")
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func completionOffersTheFieldsValuesAndClosesTheQuote() throws {
        let t = try TerminalSession(history: history, columns: 120, rows: 40)
        #expect(t.waitFor("bql> "))
        t.type("indicators | where unit = \"")
        t.press("Tab")
        // The measure units of indicators.unit, not budget units (单位).
        #expect(t.wait { t.screen.contains("元/人") }, "\(t.screen)")
        let list = t.screen
        #expect(list.contains("%") && list.contains("人次"))
        #expect(!list.contains("医疗保障局本级"), "no budget-unit names")
        t.type("人")
        t.press("Tab")
        // 人 and 人次: the common prefix is typed already; the list shows both.
        t.type("次")
        t.press("Tab")
        #expect(t.wait { t.screen.contains("bql> indicators | where unit = \"人次\" ") }, "\(t.screen)")
        t.type("| agg n = count()")
        t.press("Enter")
        #expect(t.waitFor("1 row"), "\(t.screen)")
        // .schema + Tab completes table names.
        t.type(".schema ")
        t.press("Tab")
        #expect(t.wait { t.screen.contains("three_public") && t.screen.contains("departments") }, "\(t.screen)")
        t.type("indic")
        t.press("Tab")
        #expect(t.wait { t.screen.contains("bql> .schema indicators ") }, "\(t.screen)")
        t.press("Enter")
        #expect(t.waitFor("indicators (指标)"), "\(t.screen)")
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func ctrlRShowsTheIncrementalSearchPrompt() throws {
        let t = try TerminalSession(history: history, columns: 120, rows: 40)
        #expect(t.waitFor("bql> "))
        t.type("three_public | select dept | take 1")
        t.press("Enter")
        #expect(t.waitFor("1 row"))
        t.type("departments | select year | take 2")
        t.press("Enter")
        #expect(t.waitFor("2 rows"))
        t.press("C-r")
        #expect(t.wait { t.visible.contains("bck:") }, "\(t.visible)")
        t.type("three")
        #expect(t.wait { t.visible.contains("three_public | select dept | take 1") }, "\(t.visible)")
        t.press("Enter")
        #expect(t.waitFor("1 row", count: 1), "\(t.screen)")
        t.press("C-d")
        #expect(t.finish() == 0)
    }
}
