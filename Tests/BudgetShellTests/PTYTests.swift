// PTYTests: drives the real `bql` REPL on a pseudo-terminal (util-linux `script` gives it a
// controlling terminal, so Ctrl-C is a real SIGINT): Chinese typed and edited, Tab completion,
// multi-line input, Ctrl-C (also inside `.read`), Ctrl-D, history found again after a restart
// and a foreign history file left alone, and colour under NO_COLOR.

import BudgetTestSupport
import Foundation
import Testing

/// A `bql` REPL running on a pseudo-terminal inside tmux, whose rendered screen we read back.
final class TerminalSession: @unchecked Sendable {
    let name = "bqltest-\(UUID().uuidString.prefix(8))"
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent("bqltmux-\(UUID().uuidString.prefix(8))")
        .path

    /// Runs tmux with `args`; returns its output. Uses popen/system rather than Process: the
    /// tmux server outlives the client, and it must not inherit a pipe we wait on.
    @discardableResult
    func tmux(_ args: [String], capture: Bool = true) -> String {
        let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let command = "tmux -S '\(socket)' \(quoted)"
        if !capture {
            _ = system(command + " </dev/null >/dev/null 2>&1")
            return ""
        }
        guard let f = popen(command + " 2>/dev/null", "r") else { return "" }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        pclose(f)
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts `bql` with `environment` (shell assignments) added to a fixed, isolated one.
    init(
        history: String, home: String = FileManager.default.temporaryDirectory.path, environment: String = "NO_COLOR=1",
        columns: Int = 200, rows: Int = 50
    ) throws {
        let env =
            "BQL_HISTORY='\(history)' BQL_CACHE_DIR='\(Repo.testCache.path)' LANG=C.UTF-8 LC_ALL=C.UTF-8 "
            + "\(environment) HOME='\(home)'"
        let command = "\(env) '\(Repo.bql.path)'; echo \"[exit $?]\"; sleep 60"
        tmux(["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command], capture: false)
    }

    /// The visible screen only, without scrollback.
    var visible: String { tmux(["capture-pane", "-p", "-t", name]) }

    /// The programs running on the pane's terminal now (`bql`, and `less` while it pages).
    var programs: [String] {
        let tty = tmux(["display-message", "-p", "-t", name, "#{pane_tty}"]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard tty.hasPrefix("/dev/"), let f = popen("ps -o comm= -t '\(tty.dropFirst(5))' 2>/dev/null", "r") else {
            return []
        }
        defer { pclose(f) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Waits until `condition` holds (at most `seconds`).
    @discardableResult
    func wait(seconds: Double = 15, until condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    /// The rendered screen and scrollback.
    var screen: String { tmux(["capture-pane", "-p", "-J", "-t", name, "-S", "-2000"]) }

    /// The screen with its colours and attributes as escape sequences.
    var screenWithEscapes: String { tmux(["capture-pane", "-p", "-e", "-J", "-t", name, "-S", "-2000"]) }

    /// Types literal text (UTF-8, as an IME would deliver it).
    func type(_ text: String) {
        tmux(["send-keys", "-t", name, "-l", text], capture: false)
        Thread.sleep(forTimeInterval: 0.2)
    }

    /// Presses named keys: Enter, BSpace, Tab, C-c, C-d, Up.
    func press(_ keys: String...) {
        tmux(["send-keys", "-t", name] + keys, capture: false)
        Thread.sleep(forTimeInterval: 0.3)
    }

    /// Waits until the screen shows `text` more often than `before` times (at most 15 s).
    @discardableResult
    func waitFor(_ text: String, count before: Int = 0) -> Bool {
        for _ in 0..<150 {
            if occurrences(text) > before { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func occurrences(_ text: String) -> Int { screen.components(separatedBy: text).count - 1 }

    /// Waits for bql to exit and returns its exit status.
    func finish() -> Int32? {
        var status: Int32?
        for _ in 0..<100 {
            if let r = screen.range(of: "[exit ") {
                let digits = screen[r.upperBound...].prefix { $0.isNumber }
                status = Int32(digits)
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        tmux(["kill-server"], capture: false)
        return status
    }
}

@Suite(.serialized) struct PTYTests {
    let history = FileManager.default.temporaryDirectory.appendingPathComponent("bql-history-\(UUID().uuidString)").path

    @Test func chineseQueryEditingCompletionCtrlCAndHistory() throws {
        let t = try TerminalSession(history: history)
        #expect(t.waitFor("bql> "))
        #expect(t.screen.contains("5 departments"))
        // Type Chinese, mistype, delete one 汉字 with Backspace, finish the query.
        t.type("项目 | where 金额额")
        t.press("BSpace")
        t.type(" > 1000 | sort -金额")
        t.press("Enter")
        #expect(t.waitFor("9 rows"), "\(t.screen)")
        let s = t.screen
        #expect(s.contains("bql> 项目 | where 金额 > 1000 | sort -金额"), "\(s)")
        #expect(!s.contains("error"))
        // The aligned table: the header and the 9 rows have their borders at the same display columns.
        let rows = s.split(separator: "\n").filter {
            $0.hasPrefix("│ 抚顺") || $0.hasPrefix("│ 乐山") || $0.hasPrefix("│ 部门")
        }
        #expect(rows.count == 10)
        func borders(_ line: Substring) -> [Int] {
            var col = 0
            var out: [Int] = []
            for ch in line {
                if ch == "│" { out.append(col) }
                col += ch.unicodeScalars.first!.value >= 0x2E80 && ch != "│" ? 2 : 1
            }
            return out
        }
        #expect(Set(rows.map(borders)).count == 1, "rows line up by display width")

        // Tab completes a table name…
        t.type("proj")
        t.press("Tab")
        #expect(t.waitFor("bql> projects"), "\(t.screen)")
        // …and offers 款 codes with their names inside a quote.
        t.type("| where 款 = \"210")
        t.press("Tab")
        #expect(t.waitFor("21011 行政事业单位医疗"), "\(t.screen)")
        #expect(t.screen.contains("21015 医疗保障管理事务"))
        // Ctrl-C cancels the input and the session goes on.
        let prompts = t.occurrences("bql> ")
        t.press("C-c")
        #expect(t.waitFor("bql> ", count: prompts))
        // A multi-line statement: a trailing | asks for more.
        t.type("departments |")
        t.press("Enter")
        #expect(t.waitFor("...> "))
        t.type("select name, total")
        t.press("Enter")
        #expect(t.waitFor("5 rows"), "\(t.screen)")
        #expect(t.screen.contains("63,564.63"))
        // An error shows the caret under the Chinese name, and the session continues.
        t.type("部门 | select 名称错")
        t.press("Enter")
        #expect(t.waitFor("did you mean \"名称\"?"))
        #expect(t.screen.contains("  部门 | select 名称错\n                ^^^^^^"))
        t.press("C-d")
        #expect(t.finish() == 0)

        // History holds each statement, the multi-line one as one entry.
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("项目\\040|\\040where\\040金额\\040>\\0401000\\040|\\040sort\\040-金额"), "\(saved)")
        #expect(saved.contains("departments\\040|\\012select\\040name,\\040total"), "\(saved)")

        // After a restart, Up arrow recalls the earlier statements.
        let t2 = try TerminalSession(history: history)
        #expect(t2.waitFor("bql> "))
        t2.press("Up", "Up", "Up")
        t2.press("Enter")
        #expect(t2.waitFor("9 rows"), "\(t2.screen)")
        t2.type(".quit")
        t2.press("Enter")
        #expect(t2.finish() == 0)
    }

    @Test func editrcBindingsAreHonoured() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bql-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        // A macro key in ~/.editrc: Ctrl-Y types a whole query.
        try "bind -s ^Y \"three_public | select dept, total | take 2\"\n".write(
            to: home.appendingPathComponent(".editrc"), atomically: true, encoding: .utf8)
        let t = try TerminalSession(history: history, home: home.path)
        #expect(t.waitFor("bql> "))
        t.press("C-y")
        t.press("Enter")
        #expect(t.waitFor("2 rows"), "\(t.screen)")
        #expect(t.screen.contains("抚顺市医疗保障事务服务中心"))
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    @Test func corruptHistoryIsAWarningNotAFailure() throws {
        try Data([0xFF, 0x00, 0x41]).write(to: URL(fileURLWithPath: history))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: history)
        defer { try? FileManager.default.removeItem(atPath: history) }
        let t = try TerminalSession(history: history)
        #expect(t.waitFor("bql> "))
        t.type("departments | select name | take 1")
        t.press("Enter")
        #expect(t.waitFor("1 row"))
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    // Issue 12, finding 8: Ctrl-C was ignored while `.read` ran a script.
    @Test func ctrlCStopsAScriptRunByRead() throws {
        let s = try Scratch()
        let out = s.path("out.csv")
        let script = try s.write(
            "long.bql",
            ".output \(out)\n" + String(repeating: "indicators | group by unit | agg n = count()\n", count: 20_000))
        let t = try TerminalSession(history: history)
        #expect(t.waitFor("bql> "))
        t.type(".read \(script)")
        t.press("Enter")
        // Wait until its statements run (their results reach the file).
        var running = false
        for _ in 0..<300 where !running {
            running = (bytes(out)?.count ?? 0) > 0
            if !running { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(running)
        t.press("C-c")
        #expect(t.waitFor("query cancelled"), "\(t.screen)")
        #expect(t.waitFor("bql> ", count: 1), "the prompt is back")
        let size = bytes(out)?.count
        Thread.sleep(forTimeInterval: 0.5)
        #expect(bytes(out)?.count == size, "the script stopped")
        #expect((size ?? 0) < 20_000 * 20, "not every statement ran")
        t.type(".output")
        t.press("Enter")
        t.type("departments | select year | take 1")
        t.press("Enter")
        #expect(t.waitFor("1 row"), "\(t.screen)")
        t.press("C-d")
        #expect(t.finish() == 0)
    }

    // Issue 12, finding 11: a history file that was not libedit's was overwritten.
    @Test func aForeignHistoryFileIsLeftByteIdentical() throws {
        let notes = Data("my notes\n_HiStOrY_V2_\nthe cookie is not on the first line\n".utf8)
        try notes.write(to: URL(fileURLWithPath: history))
        defer { try? FileManager.default.removeItem(atPath: history) }
        let t = try TerminalSession(history: history)
        #expect(t.waitFor("bql> "))
        #expect(
            t.screen.contains(
                "warning: history file \(history) is left untouched (not a libedit history file); history is not saved"),
            "\(t.screen)")
        t.type("departments | select name | take 1")
        t.press("Enter")
        #expect(t.waitFor("1 row"))
        t.press("C-d")
        #expect(t.finish() == 0)
        #expect(bytes(history) == notes)
    }

    // Issue 12, finding 17: NO_COLOR="" disabled colour; no-color.org says only a non-empty value does.
    @Test func anEmptyNoColorKeepsColour() throws {
        for (value, coloured) in [("", true), ("1", false)] {
            let t = try TerminalSession(history: history, environment: "NO_COLOR='\(value)'")
            #expect(t.waitFor("bql> "))
            t.type("departments | select year | take 1")
            t.press("Enter")
            #expect(t.waitFor("1 row"))
            #expect(t.screenWithEscapes.contains("\u{1B}[") == coloured, "NO_COLOR='\(value)'")
            t.press("C-d")
            #expect(t.finish() == 0)
        }
    }
}
