// ShellReliabilityTests: the library side of issue 12's shell findings — where statements and
// dot-commands may start (StatementScanner), the per-statement length limit and how fast it
// holds, `.read` nesting and Ctrl-C inside it, dot-command outcomes, which history files may be
// written, NO_COLOR, and UTF-8 errors located by line and column.

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

@Suite struct ShellReliabilityTests {
    func shell() -> (Shell, Capture) {
        let io = Capture()
        return (Shell(catalog: Repo.catalog, dataDirectory: nil, io: io, format: .csv), io)
    }

    @Test func linesStartAtTheTopLevelOnlyOutsideStringsAndBrackets() throws {
        let source = [
            "projects | where name = \"a",  // 0: top level
            ".output x",  // 1: inside "…"
            "\" and 部门 in (",  // 2: inside "…"
            ".read y",  // 3: inside ( … )
            ") # a comment with a \" quote",  // 4: inside ( … )
            ".mode csv",  // 5: top level: the comment's quote opens nothing
            "x = “中文",  // 6: top level
            ".q",  // 7: inside “…”
            "” or y = 'it\\'s",  // 8: inside “…”
            ".q",  // 9: inside '…' (the escaped quote does not close it)
            "' or `a\"b` = 1",  // 10: inside '…'
            ".timer on",  // 11: top level: a backquoted name holds the "
        ].joined(separator: "\n")
        let lines = try StatementScanner.lines(of: source)
        #expect(lines.count == 12)
        #expect(
            lines.map(\.startsAtTopLevel) == [
                true, false, false, false, false, true, true, false, false, false, false, true,
            ])
        #expect(lines[1].start == "projects | where name = \"a\n".utf8.count)
        #expect(lines[1].end == lines[1].start + ".output x".utf8.count)
    }

    @Test func theLengthLimitIsPerStatementAndFoundAtOnce() throws {
        // 100,000 statements, 3.9 MB: parsed as a script.
        let many = String(repeating: "departments | select year\n", count: 100_000)
        #expect(try Session.parse(many).count == 100_000)
        // A statement continued over lines by `|` counts as one.
        let line = "| where name != \"" + String(repeating: "x", count: 60_000) + "\"\n"
        let continued = "projects\n" + String(repeating: line, count: 5)
        #expect(throws: QueryError.self) { try Session.parse(continued) }
        #expect(try Session.parse("projects\n" + String(repeating: line, count: 4)).count == 1)
        // So does one continued by a trailing operator (caught after parsing).
        let x = String(repeating: "x", count: 150_000)
        do {
            _ = try Session.parse("projects | where name != \"\(x)\" and\nname != \"\(x)\" and\namount > 1")
            Issue.record("accepted a statement of 300 KB")
        } catch {
            #expect(error.kind == "too-long" && error.range.start == Lexer.maxLength)
        }
        // 50 MB in one statement is rejected in milliseconds, having read 256 KiB of it.
        let huge = "projects | where name = \"" + String(repeating: "医", count: 17_000_000) + "\""
        let start = ContinuousClock.now
        #expect(throws: QueryError.self) { try Session.parse(huge) }
        #expect(throws: QueryError.self) { try StatementScanner.lines(of: huge) }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .milliseconds(500), "\(elapsed)")
    }

    @Test func anOverLongStatementGetsOneShortLineAndNothingRuns() {
        let (sh, io) = shell()
        let huge =
            "departments | select year\n\nprojects | where name = \"" + String(repeating: "医", count: 17_000_000)
            + "\"\n"
        let start = ContinuousClock.now
        #expect(sh.runScript(huge, name: "big.bql") == .queryError)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(io.err == "big.bql:3:1: error: query is too long: the limit is 262144 bytes per statement\n")
        #expect(io.out.isEmpty)
    }

    @Test func readNestsAtMost64ScriptsDeep() throws {
        let s = try Scratch()
        let me = try s.write("self.bql", "")
        try s.write("self.bql", ".read \(me)\n")
        let (sh, io) = shell()
        #expect(sh.runScript(".read \(me)\n", name: "outer") == .queryError)
        #expect(
            io.err == "\(me):1:1: error: .read \(me): scripts nest more than 64 deep (does a script read itself?)\n")
        #expect(Shell.maxReadDepth == 64)
        // From the REPL it is a message, and the REPL goes on.
        let (repl, replIO) = shell()
        repl.runREPL(reader: FakeReader([.line(".read \(me)"), .line("departments | select year | take 1"), .end]))
        #expect(replIO.err.contains("scripts nest more than 64 deep"))
        #expect(replIO.out.hasSuffix("year\n2025\n"))
    }

    @Test func ctrlCStopsAScriptRunByRead() throws {
        let s = try Scratch()
        let script = try s.write(
            "long.bql",
            String(repeating: "indicators | group by unit | agg n = count()\n", count: 3)
                + ".output \(s.path("after.csv"))\n")
        let (sh, io) = shell()
        final class Flag: @unchecked Sendable { var raised = true }
        let flag = Flag()
        sh.cancellation = CancellationToken(polling: { flag.raised })
        #expect(sh.dotCommand(".read \(script)", reader: nil) == .failed(.queryError))
        #expect(io.err.hasPrefix("\(script):1:1: error: query cancelled\n"), "\(io.err)")
        #expect(io.out.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: s.path("after.csv")), "the script stopped")
        flag.raised = false
        #expect(sh.dotCommand(".read \(script)", reader: nil) == .done)
        #expect(io.out.components(separatedBy: "unit,n\n").count == 4)
        #expect(sh.dotCommand(".output", reader: nil) == .done)
    }

    @Test func dotCommandOutcomes() throws {
        let s = try Scratch()
        let (sh, io) = shell()
        #expect(sh.dotCommand(".quit", reader: nil) == .quit)
        #expect(sh.dotCommand(".mode json", reader: nil) == .done)
        #expect(sh.dotCommand(".mode xml", reader: nil) == .failed(.queryError))
        #expect(sh.dotCommand(".output \(s.path("no/such/dir.csv"))", reader: nil) == .failed(.outputError))
        #expect(sh.dotCommand(".data \(s.path("none"))", reader: nil) == .failed(.dataError))
        #expect(sh.dotCommand(".read \(s.path("none.bql"))", reader: nil) == .failed(.queryError))
        #expect(io.err.contains("cannot read \(s.path("none.bql")): No such file or directory"))
        // `.quit` in a script ends that script, successfully.
        let (quitting, quitIO) = shell()
        #expect(quitting.runScript("departments | select year | take 1\n.quit\nnope", name: "q") == .ok)
        #expect(quitIO.out == "year\n2025\n" && quitIO.err.isEmpty)
    }

    @Test func aFailedWriteToTheOutputFileStopsTheScript() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let (sh, io) = shell()
        let status = sh.runScript(".output /dev/full\ndepartments | select year\ndepartments", name: "full.bql")
        #expect(status == .outputError)
        #expect(io.err == "cannot write /dev/full: No space left on device\n")
        #expect(io.out.isEmpty, "the statement after the failure does not run")
    }

    @Test func historyIsWrittenOnlyToLibeditFilesOrNewOnes() throws {
        let s = try Scratch()
        #expect(HistoryFile.classify(path: s.path("none")) == .missing)
        #expect(HistoryFile.classify(path: try s.write("empty", "")) == .empty)
        #expect(HistoryFile.classify(path: try s.write("libedit", "_HiStOrY_V2_\nprojects\n")) == .libedit)
        #expect(
            HistoryFile.classify(path: try s.write("notes.txt", "my notes\n"))
                == .foreign(reason: "not a libedit history file"))
        #expect(
            HistoryFile.classify(path: try s.write("short", "_HiSt")) == .foreign(reason: "not a libedit history file"))
        #expect(HistoryFile.classify(path: s.url.path) == .foreign(reason: "not a regular file"))
        #expect(mkfifo(s.path("fifo"), 0o600) == 0)
        #expect(HistoryFile.classify(path: s.path("fifo")) == .foreign(reason: "not a regular file"))
        #expect(!HistoryFile.foreign(reason: "").isWritable && HistoryFile.missing.isWritable)
    }

    @Test func noColorDisablesColourOnlyWhenNotEmpty() {
        #expect(TextStyle.forOutput(terminal: true, environment: [:]).colour)
        #expect(TextStyle.forOutput(terminal: true, environment: ["NO_COLOR": ""]).colour)
        #expect(!TextStyle.forOutput(terminal: true, environment: ["NO_COLOR": "1"]).colour)
        #expect(!TextStyle.forOutput(terminal: false, environment: [:]).colour)
    }

    @Test func invalidUTF8IsLocatedByLineAndColumn() throws {
        let bytes = Array("项目 | select name\n| where name = \"".utf8) + [0xE9, 0x41] + Array("\"\n".utf8)
        do {
            _ = try ScriptText.decode(bytes, name: "x.bql")
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.description == "x.bql:2:17: error: invalid UTF-8 (byte 0xE9): expected UTF-8 text")
        }
        #expect(try ScriptText.decode(Array("项目".utf8), name: "x") == "项目")
    }
}
