// ReadmeSessionTests: the README's REPL session is real — replayed through the shell on an
// 80-column terminal, it must give exactly the text the README shows, every line within 80
// display columns, so a user can copy it and get the same.

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

/// A terminal transcript: what the REPL writes, stdout and stderr interleaved, with each typed
/// line echoed after its prompt as a terminal shows it.
final class Transcript: ShellOutput, LineReader {
    var text = ""
    var inputs: [String]
    var history: [String] = []
    init(_ inputs: [String]) { self.inputs = inputs }
    func write(_ s: String) { text += s }
    func writeError(_ s: String) { text += s }
    func read(prompt: String) -> LineInput {
        guard !inputs.isEmpty else { return .end }
        let line = inputs.removeFirst()
        text += prompt + line + "\n"
        return .line(line)
    }
    func remember(_ entry: String) { history.append(entry) }
}

@Suite struct ReadmeSessionTests {
    @Test func theReadmeSessionIsWhatAnEightyColumnTerminalShows() throws {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## A REPL session").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```text\n").dropFirst().first)
            .components(separatedBy: "```").first!
        #expect(block.hasPrefix("$ bql\n"))
        let shown = String(block.dropFirst("$ bql\n".count))
        let inputs = shown.split(separator: "\n").filter { $0.hasPrefix("bql> ") }.map { String($0.dropFirst(5)) }
        #expect(inputs.count >= 5)
        let transcript = Transcript(inputs)
        let shell = Shell(catalog: Repo.catalog, dataDirectory: Repo.datasets, io: transcript)
        shell.dataLabel = "the bundled datasets"
        // A terminal tall enough that nothing is paged.
        shell.terminal = FakeTerminal(columns: 80, rows: 500)
        shell.runREPL(reader: transcript)
        #expect(transcript.text == shown, "the session as it runs now:\n\(transcript.text)")
        for line in shown.split(separator: "\n") { #expect(DisplayWidth.of(line) <= 80, "\(line)") }
    }
}
