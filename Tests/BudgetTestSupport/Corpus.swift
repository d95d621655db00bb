// Corpus: the one reader, runner and re-recorder of the behaviour corpus, Tests/Corpus/*.test
// (in the manner of jq.test and sqllogictest). The corpus tests, the batch-versus-row-by-row
// suite and the SQL differential tests all read records through it.
//
// A record is a header line, the query (one or more lines, one or more statements), a separator
// and the exact expected output:
//
//     query [FORMAT] [OPTION …]        a query that must succeed; FORMAT is an output format
//     error [OPTION …]                 a query that must fail; the output is the rendered error
//     ----                             the output runs to the first empty line
//     ---- multiline                   the output runs to a line `====` (it may hold empty lines)
//
// Options: `param:NAME=VALUE` binds `$NAME` (a number, true/false, or text) on top of the
// corpus parameters ($min = 100, $dept = "鞍山"); `rows=N`, `timeout=MS` and `memory=BYTES` set
// the statement's `QueryLimits`; `evaluation=row` runs it one row at a time. Lines starting with
// `#` between records are comments.

import BudgetModel
import BudgetQL
import BudgetShell
import Foundation

/// One corpus record.
public struct CorpusRecord: Sendable, CustomStringConvertible {
    /// What the record expects.
    public enum Expectation: String, Sendable {
        /// The query succeeds and renders `expected`.
        case result = "query"
        /// The query fails with the rendered error `expected`.
        case error
    }
    /// The corpus file's name.
    public var file: String
    /// The 1-based line of the query's first line.
    public var line: Int
    /// Success or error.
    public var expectation: Expectation
    /// The output format results are rendered in.
    public var format: OutputFormat
    /// Parameters beyond the corpus's own.
    public var parameters: [String: Value]
    /// Limits the statement runs under.
    public var limits: QueryLimits
    /// How expressions are evaluated.
    public var evaluation: EvaluationMode
    /// The query text.
    public var query: String
    /// The exact expected output (with a final newline when not empty).
    public var expected: String
    /// `file:line`, as test names and failure messages show it.
    public var description: String { "\(file):\(line)" }
    /// Every parameter the record runs with.
    public var allParameters: [String: Value] { Repo.corpusParameters.merging(parameters) { $1 } }
}

/// A header or option the corpus reader does not understand.
public struct CorpusSyntaxError: Error, CustomStringConvertible {
    /// `file:line: message`.
    public var description: String
}

/// Reads, runs and re-records corpus files.
public enum Corpus {
    /// The separator before an output that runs to the first empty line.
    static let separator = "----"
    /// The separator before an output that runs to `====`.
    static let multilineSeparator = "---- multiline"
    /// The end of a multi-line output.
    static let multilineEnd = "===="

    /// The corpus files, sorted by name.
    public static var files: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Repo.corpus.path)) ?? []).filter {
            $0.hasSuffix(".test")
        }.sorted().map { Repo.corpus.appendingPathComponent($0) }
    }

    /// Every record of every corpus file.
    public static var records: [CorpusRecord] {
        files.flatMap { url in
            (try? parse(String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)) ?? []
        }
    }

    /// Whether a line starts a record.
    static func isHeader(_ line: String) -> Bool {
        line == "query" || line.hasPrefix("query ") || line == "error" || line.hasPrefix("error ")
    }

    /// Parses a corpus file.
    public static func parse(_ text: String, file: String) throws -> [CorpusRecord] {
        try scan(text, file: file).map(\.record)
    }

    /// A record with where its parts are in the file's lines.
    struct Located {
        var record: CorpusRecord
        /// Index of the header line.
        var header: Int
        /// Index of the separator line.
        var separator: Int
        /// Index just past the record (after its output and terminator).
        var end: Int
    }

    static func scan(_ text: String, file: String) throws -> [Located] {
        let lines = text.components(separatedBy: "\n")
        var out: [Located] = []
        var i = 0
        while i < lines.count {
            guard isHeader(lines[i]) else {
                i += 1
                continue
            }
            let header = i
            var record = try parseHeader(lines[i], file: file, line: i + 1)
            var j = i + 1
            var query: [String] = []
            while j < lines.count && lines[j] != separator && lines[j] != multilineSeparator {
                query.append(lines[j])
                j += 1
            }
            guard j < lines.count else {
                throw CorpusSyntaxError(description: "\(file):\(header + 1): record without a `----` line")
            }
            let multiline = lines[j] == multilineSeparator
            let sep = j
            j += 1
            var expected: [String] = []
            if multiline {
                while j < lines.count && lines[j] != multilineEnd {
                    expected.append(lines[j])
                    j += 1
                }
                guard j < lines.count else {
                    throw CorpusSyntaxError(description: "\(file):\(header + 1): multiline output without `====`")
                }
                j += 1
            } else {
                while j < lines.count && !lines[j].isEmpty {
                    expected.append(lines[j])
                    j += 1
                }
            }
            record.line = header + 2
            record.query = query.joined(separator: "\n")
            record.expected = expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n"
            out.append(Located(record: record, header: header, separator: sep, end: j))
            i = j
        }
        return out
    }

    static func parseHeader(_ line: String, file: String, line number: Int) throws -> CorpusRecord {
        let words = line.split(separator: " ").map(String.init)
        var record = CorpusRecord(
            file: file, line: number, expectation: words[0] == "error" ? .error : .result, format: .table,
            parameters: [:], limits: QueryLimits(), evaluation: .batch, query: "", expected: "")
        for word in words.dropFirst() {
            if let format = OutputFormat(rawValue: word), record.expectation == .result {
                record.format = format
            } else if word.hasPrefix("param:"), let eq = word.firstIndex(of: "=") {
                let name = String(word[word.index(word.startIndex, offsetBy: 6)..<eq])
                let raw = String(word[word.index(after: eq)...])
                record.parameters[name] =
                    raw == "true"
                    ? .bool(true)
                    : raw == "false"
                        ? .bool(false)
                        : ExactDecimal(raw).map(Value.decimal)
                            ?? .text(raw)
            } else if word.hasPrefix("rows="), let n = Int(word.dropFirst(5)) {
                record.limits.maxRows = n
            } else if word.hasPrefix("timeout="), let ms = Int(word.dropFirst(8)) {
                record.limits.timeout = .milliseconds(ms)
            } else if word.hasPrefix("memory="), let bytes = Int(word.dropFirst(7)) {
                record.limits.maxMemory = bytes
            } else if word == "evaluation=row" {
                record.evaluation = .rowByRow
            } else {
                throw CorpusSyntaxError(description: "\(file):\(number): unknown record option `\(word)`")
            }
        }
        return record
    }

    /// Runs a record's query in a fresh session over `catalog` and renders what it produced: the
    /// results in the record's format, or the rendered error.
    public static func run(_ r: CorpusRecord, catalog: Catalog = Repo.catalog) -> String {
        render(
            r.query, as: r.format, parameters: r.allParameters, limits: r.limits, evaluation: r.evaluation,
            catalog: catalog)
    }

    /// Runs `query` in a fresh session and renders its results in `format`, each followed by its
    /// warnings, or its error, as the shell renders them (named `query`). Corpus records and
    /// documentation examples both run here.
    public static func render(
        _ query: String, as format: OutputFormat, parameters: [String: Value] = Repo.corpusParameters,
        limits: QueryLimits = QueryLimits(), evaluation: EvaluationMode = .batch, catalog: Catalog = Repo.catalog
    ) -> String {
        var session = Session(catalog: catalog, parameters: parameters, limits: limits)
        session.evaluation = evaluation
        do {
            var out = ""
            for outcome in try session.run(query) {
                guard case .result(let res) = outcome else { continue }
                out += ResultFormatter.render(res, as: format)
                for w in res.warnings {
                    out += Diagnostic(w, source: query).render(name: "query", severity: "warning")
                }
            }
            return out
        } catch {
            return Diagnostic(error, source: query).render(name: "query")
        }
    }

    /// Rewrites a corpus file with actual outputs (`BQL_RECORD=1`); an output holding an empty
    /// line is written in the multiline form.
    public static func record(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var out: [String] = []
        var next = 0
        for located in try scan(text, file: url.lastPathComponent) {
            out += lines[next..<located.separator]
            let actual = run(located.record)
            let body = actual.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if body.contains("") {
                out.append(multilineSeparator)
                out += body
                out.append(multilineEnd)
            } else {
                out.append(separator)
                out += body
            }
            next = located.end
        }
        out += lines[next...]
        try out.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}
