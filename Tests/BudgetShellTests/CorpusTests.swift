// CorpusTests: runs every record of Tests/Corpus/*.test — a query and its exact output, or a
// query and its exact error with the caret (jq's jq.test, sqllogictest). BQL_RECORD=1 rewrites
// expected outputs; every recorded output is then checked by hand against the documents.

import BudgetQL
import BudgetShell
import Foundation
import Testing

/// One corpus record.
struct CorpusRecord: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    var mode: String  // "query" or "error"
    var format: OutputFormat
    var query: String
    var expected: String
    var testDescription: String { "\(file):\(line)" }
}

enum Corpus {
    /// Parses a corpus file. Records start with `query [format]` or `error`, then the query,
    /// then `----`, then the expected output up to the first empty line.
    static func parse(_ text: String, file: String) -> [CorpusRecord] {
        let lines = text.components(separatedBy: "\n")
        var records: [CorpusRecord] = []
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("query") || l == "error" {
                let header = l.split(separator: " ")
                let start = i + 1
                var j = i + 1
                var query: [String] = []
                while j < lines.count && lines[j] != "----" {
                    query.append(lines[j])
                    j += 1
                }
                j += 1
                var expected: [String] = []
                while j < lines.count && !lines[j].isEmpty {
                    expected.append(lines[j])
                    j += 1
                }
                records.append(
                    CorpusRecord(
                        file: file, line: start, mode: header[0] == "error" ? "error" : "query",
                        format: header.count > 1 ? OutputFormat(rawValue: String(header[1])) ?? .table : .table,
                        query: query.joined(separator: "\n"),
                        expected: expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n"))
                i = j
            } else {
                i += 1
            }
        }
        return records
    }

    /// Runs a record's query in a fresh session and renders what it produced.
    static func run(_ r: CorpusRecord) -> String {
        var session = Session(
            catalog: Repo.catalog, parameters: ["min": .decimal(ExactDecimal(100)), "dept": .text("鞍山")])
        do {
            var out = ""
            for outcome in try session.run(r.query) {
                if case .result(let res) = outcome { out += ResultFormatter.render(res, as: r.format) }
            }
            return out
        } catch {
            return Diagnostic(error, source: r.query).render(name: "query")
        }
    }

    static var files: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Repo.corpus.path)) ?? []).filter {
            $0.hasSuffix(".test")
        }.sorted()
            .map { Repo.corpus.appendingPathComponent($0) }
    }

    static var records: [CorpusRecord] {
        files.flatMap { url in parse((try? String(contentsOf: url, encoding: .utf8)) ?? "", file: url.lastPathComponent)
        }
    }

    /// Rewrites a corpus file with actual outputs (BQL_RECORD=1).
    static func record(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var out: [String] = []
        var i = 0
        let file = url.lastPathComponent
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("query") || l == "error" {
                out.append(l)
                var j = i + 1
                var query: [String] = []
                while j < lines.count && lines[j] != "----" {
                    query.append(lines[j])
                    out.append(lines[j])
                    j += 1
                }
                out.append("----")
                j += 1
                while j < lines.count && !lines[j].isEmpty { j += 1 }
                let header = l.split(separator: " ")
                let rec = CorpusRecord(
                    file: file, line: i + 2, mode: header[0] == "error" ? "error" : "query",
                    format: header.count > 1 ? OutputFormat(rawValue: String(header[1])) ?? .table : .table,
                    query: query.joined(separator: "\n"), expected: "")
                let actual = run(rec)
                out += actual.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                i = j
            } else {
                out.append(l)
                i += 1
            }
        }
        try out.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}

@Suite struct CorpusTests {
    @Test func recordIfAsked() throws {
        guard Repo.recording else { return }
        for f in Corpus.files { try Corpus.record(f) }
    }

    @Test(arguments: Corpus.records)
    func record(_ r: CorpusRecord) {
        guard !Repo.recording else { return }
        let actual = Corpus.run(r)
        #expect(actual == r.expected, "\(r.file):\(r.line)\n\(r.query)")
        if r.mode == "error" {
            #expect(actual.contains(": error: "), "\(r.file):\(r.line) expects an error")
        } else {
            #expect(!actual.contains(": error: "), "\(r.file):\(r.line) expects a result")
        }
    }

    @Test func corpusIsLargeEnough() {
        #expect(Corpus.records.count >= 150, "the corpus has \(Corpus.records.count) records")
    }
}
