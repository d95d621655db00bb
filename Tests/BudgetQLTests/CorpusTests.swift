// CorpusTests: runs every record of Tests/Corpus/*.test — a query and its exact output, or a
// query and its exact error with the caret (jq's jq.test, sqllogictest). The format and the
// reader are BudgetTestSupport's `Corpus`. BQL_RECORD=1 rewrites expected outputs; every
// recorded output is then checked by hand against the documents.

import BudgetQL
import BudgetTestSupport
import Foundation
import Testing

@Suite struct CorpusTests {
    @Test func recordIfAsked() throws {
        guard Repo.recording else { return }
        for f in Corpus.files { try Corpus.record(f) }
    }

    @Test func everyFileParses() throws {
        for url in Corpus.files {
            _ = try Corpus.parse(String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
        }
    }

    @Test(arguments: Corpus.records)
    func record(_ r: CorpusRecord) {
        guard !Repo.recording else { return }
        let actual = Corpus.run(r)
        #expect(actual == r.expected, "\(r)\n\(r.query)")
        switch r.expectation {
        case .error: #expect(actual.contains(": error: "), "\(r) expects an error")
        case .result: #expect(!actual.contains(": error: "), "\(r) expects a result")
        }
    }

    @Test func corpusIsLargeEnough() {
        #expect(Corpus.records.count >= 150, "the corpus has \(Corpus.records.count) records")
    }

    /// The reader's own format: options, and outputs holding empty lines.
    @Test func theFormatHoldsOptionsAndMultilineOutputs() throws {
        let text = """
            # a comment
            query line param:who=义马 rows=5 evaluation=row
            departments | where name ~ $who | select name, year
            ---- multiline
            name: 义马市医疗保障局
            year: 2025

            ====

            error timeout=1000
            nothing
            ----
            query:1:1: error
            """
        let records = try Corpus.parse(text, file: "t.test")
        #expect(records.count == 2)
        #expect(records[0].expected == "name: 义马市医疗保障局\nyear: 2025\n\n")
        #expect(records[0].allParameters["who"] == .text("义马"))
        #expect(records[0].limits.maxRows == 5)
        #expect(records[0].evaluation == .rowByRow)
        #expect(records[0].line == 3)
        #expect(records[1].expectation == .error)
        #expect(records[1].limits.timeout == .milliseconds(1000))
        #expect(throws: CorpusSyntaxError.self) { try Corpus.parse("query csv bogus\nx\n----\n", file: "t.test") }
    }
}
