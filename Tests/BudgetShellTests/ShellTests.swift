// ShellTests: the REPL logic with a fake line reader — continuation prompts, Ctrl-C, history
// entries, dot-commands — and the context-aware completer.

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

final class FakeReader: LineReader {
    var inputs: [LineInput]
    var prompts: [String] = []
    var history: [String] = []
    init(_ inputs: [LineInput]) { self.inputs = inputs }
    func read(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .end : inputs.removeFirst()
    }
    func remember(_ entry: String) { history.append(entry) }
}

final class Capture: ShellOutput {
    var out = ""
    var err = ""
    func write(_ text: String) { out += text }
    func writeError(_ text: String) { err += text }
}

@Suite struct ShellTests {
    func shell(_ format: OutputFormat = .csv) -> (Shell, Capture) {
        let io = Capture()
        return (Shell(catalog: Repo.catalog, dataDirectory: nil, io: io, format: format), io)
    }

    @Test func incompleteInputAsksForMoreAndIsOneHistoryEntry() {
        let (sh, io) = shell()
        let r = FakeReader([.line("departments |"), .line("  select name"), .line("  | take 1"), .end])
        sh.runREPL(reader: r)
        #expect(r.prompts == ["bql> ", "...> ", "bql> ", "bql> "])
        // "departments | select name" was complete after line 2, so it ran; "| take 1" alone is a syntax error.
        #expect(r.history == ["departments |\n  select name", "  | take 1"])
        #expect(io.out.contains("name\n鞍山市医疗保障局\n"))
        #expect(io.err.contains("stdin:1:3: error: expected a table name before \"|\", found \"|\""))
    }

    @Test func ctrlCCancelsThePendingInput() {
        let (sh, io) = shell()
        let r = FakeReader([
            .line("projects | where name ~ \"医保"), .interrupt, .line("departments | select year | take 1"), .end,
        ])
        sh.runREPL(reader: r)
        #expect(r.prompts == ["bql> ", "...> ", "bql> ", "bql> "])
        #expect(io.out.hasSuffix("year\n2025\n"))
        #expect(io.err.isEmpty)
    }

    @Test func ctrlCDuringAStatementCancelsItAndTheREPLGoesOn() {
        let (sh, io) = shell()
        // The token polls a flag as bql's polls the SIGINT flag; here it is set for the first statement only.
        final class Flag: @unchecked Sendable { var raised = true }
        let flag = Flag()
        sh.cancellation = CancellationToken(polling: { flag.raised })
        let r = FakeReader([.line("indicators | group by unit | agg n = count()"), .end])
        sh.runREPL(reader: r)
        #expect(io.err.contains("query cancelled"))
        #expect(!io.out.contains("unit,n"))
        flag.raised = false
        let r2 = FakeReader([.line("departments | select year | take 1"), .end])
        sh.runREPL(reader: r2)
        #expect(io.out.hasSuffix("year\n2025\n"))
    }

    @Test func dotCommands() throws {
        let (sh, io) = shell(.table)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bql-out-\(UUID().uuidString).csv")
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("bql-read-\(UUID().uuidString).bql")
        try "departments | select name | where name ~ $who\n".write(to: script, atomically: true, encoding: .utf8)
        let r = FakeReader([
            .line(".mode csv"), .line(".param set who 义马"), .line(".param list"), .line(".read \(script.path)"),
            .line(".output \(file.path)"), .line("three_public | select dept, total | take 2"), .line(".output"),
            .line(".schema three_public"), .line(".tables"), .line(".mdoe csv"), .line(".history"), .line(".quit"),
            .line("departments"),
        ])
        sh.runREPL(reader: r)
        #expect(io.out.contains("$who = 义马\n"))
        #expect(io.out.contains("name\n义马市医疗保障局\n"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "dept,total\n鞍山市医疗保障局,7.30\n抚顺市医疗保障事务服务中心,4.35\n")
        #expect(io.out.contains("reception"))
        #expect(io.out.contains("公务接待"))
        #expect(io.out.contains("three_public"))
        #expect(io.err.contains("unknown command .mdoe; did you mean .mode?"))
        #expect(io.out.contains("1  .mode csv\n"))
        // .quit stops before the last line.
        #expect(r.inputs.count == 1)
    }

    @Test func checkFromTheREPLReportsDocumentedContradictions() throws {
        let known = try KnownContradiction.load(from: Repo.datasets)
        let io = Capture()
        let sh = Shell(catalog: Repo.catalog, known: known, dataDirectory: Repo.datasets, io: io)
        _ = sh.dotCommand(".check", reader: nil)
        #expect(io.out.contains("0 undocumented contradictions"))
    }

    @Test func completion() {
        let c = Completer(session: Session(catalog: Repo.catalog))
        #expect(c.complete("proj").candidates.map(\.insert) == ["projects"])
        #expect(c.complete("项").candidates.map(\.insert) == ["项目"])
        #expect(c.complete("projects | ").candidates.map(\.insert).contains("where"))
        #expect(c.complete("projects | where amo").candidates.map(\.insert) == ["amount"])
        #expect(c.complete("项目 | where 金").candidates.map(\.insert) == ["金额"])
        let codes = c.complete("projects | where 款 = \"210")
        #expect(codes.candidates.map(\.display).contains("21011 行政事业单位医疗"))
        #expect(codes.candidates.allSatisfy { $0.insert.count == 5 && $0.insert.hasPrefix("210") })
        #expect(c.complete("projects | where dept ~ \"鞍").candidates.map(\.insert) == ["鞍山市医疗保障局"])
        #expect(c.complete("indicators | where name ~ \"参保人员满").candidates.map(\.insert).contains("参保人员满意度"))
        #expect(c.complete(".mo").candidates.map(\.insert) == [".mode"])
        #expect(c.complete("indicators | where project.amo").candidates.map(\.insert) == ["amount"])
    }
}
