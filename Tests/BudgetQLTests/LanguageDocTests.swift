// LanguageDocTests: runs every example of docs/LANGUAGE.md. An example is a ```bql block (info
// string `bql`, or `bql csv`/`bql json`/… for another output format) followed immediately by a
// ```text block holding its exact output: the table rendering (or the rendered error, named
// `query`). Examples run in a fresh session with $min = 100 and $dept = "鞍山", as the corpus.
// BQL_RECORD=1 rewrites the ```text blocks from actual outputs.

import BudgetQL
import BudgetShell
import BudgetTestSupport
import Foundation
import Testing

/// One example of the language reference.
struct DocExample: Sendable, CustomTestStringConvertible {
    /// 1-based line of the ```bql fence.
    var line: Int
    var format: OutputFormat
    var query: String
    /// The ```text block's content, or nil when the example has none.
    var expected: String?
    /// Line range (0-based, half-open) of the ```text block's content, for recording.
    var outputLines: Range<Int>?
    var testDescription: String { "LANGUAGE.md:\(line)" }
}

enum LanguageDoc {
    static var url: URL { Repo.docs.appendingPathComponent("LANGUAGE.md") }

    static var text: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    /// Every ```bql block and the ```text block right after it (blank lines between are allowed).
    static func examples(in text: String) -> [DocExample] {
        let lines = text.components(separatedBy: "\n")
        var out: [DocExample] = []
        var i = 0
        while i < lines.count {
            let fence = lines[i].trimmingCharacters(in: .whitespaces)
            guard fence.hasPrefix("```bql") else {
                i += 1
                continue
            }
            let words = fence.dropFirst(3).split(separator: " ")
            let format = words.count > 1 ? OutputFormat(rawValue: String(words[1])) ?? .table : .table
            var j = i + 1
            var query: [String] = []
            while j < lines.count && lines[j].trimmingCharacters(in: .whitespaces) != "```" {
                query.append(lines[j])
                j += 1
            }
            var example = DocExample(
                line: i + 1, format: format, query: query.joined(separator: "\n"), expected: nil, outputLines: nil)
            var k = j + 1
            while k < lines.count && lines[k].trimmingCharacters(in: .whitespaces).isEmpty { k += 1 }
            if k < lines.count && lines[k].trimmingCharacters(in: .whitespaces) == "```text" {
                var m = k + 1
                var output: [String] = []
                while m < lines.count && lines[m].trimmingCharacters(in: .whitespaces) != "```" {
                    output.append(lines[m])
                    m += 1
                }
                example.expected = output.map { $0 + "\n" }.joined()
                example.outputLines = (k + 1)..<m
                j = m
            }
            out.append(example)
            i = j + 1
        }
        return out
    }

    /// Runs an example in a fresh session and renders what it produced, as the corpus does.
    static func run(_ query: String, format: OutputFormat) -> String {
        Corpus.render(query, as: format)
    }

    /// The table reference: a section per catalog table (its description, measure, and a row per
    /// field and relation with its Chinese name, other names, type and whether it is shown by
    /// default), generated from the catalog so it cannot drift from it.
    static func tableSections() -> String {
        var out: [String] = []
        for t in Repo.catalog.tables {
            let shown = Set(QueryDefaults.visibleFields[t.name] ?? t.fields.map(\.name))
            out.append("### `\(t.name)` — \(t.alias)")
            out.append("")
            out.append(
                t.doc + (t.measure.map { " Measure (summed by `group by` without `agg`): `\($0)`." } ?? ""))
            out.append("")
            out.append("| field | 中文 | other names | type | shown | meaning |")
            out.append("|---|---|---|---|:-:|---|")
            for f in t.fields {
                let type = f.type == .reference ? "reference → `\(f.target ?? "")`" : f.type.rawValue
                let mark = shown.contains(f.name) ? "✓" : ""
                out.append(
                    "| `\(f.name)` | \(f.alias) | \(f.otherNames.joined(separator: ", ")) | \(type) | \(mark) | \(f.doc) |"
                )
            }
            for r in t.relations {
                out.append("| `\(r.name)` | \(r.alias) |  | relation → `\(r.target)` |  | \(r.doc) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// The documented table sections: from the first `### ` table heading to `## Errors`.
    static func documentedSections(in text: String) -> Range<String.Index>? {
        guard let start = text.range(of: "### `departments` — 部门"), let end = text.range(of: "## Errors") else {
            return nil
        }
        return start.lowerBound..<end.lowerBound
    }

    /// Rewrites every example's output block (inserting one where missing).
    static func record() throws {
        var current = text
        if let range = documentedSections(in: current) {
            current.replaceSubrange(range, with: tableSections())
            try current.write(to: url, atomically: true, encoding: .utf8)
        }
        var lines = text.components(separatedBy: "\n")
        // Bottom-up, so earlier line numbers stay valid.
        for example in examples(in: text).reversed() {
            let actual = run(example.query, format: example.format).split(
                separator: "\n", omittingEmptySubsequences: false
            ).dropLast().map(String.init)
            if let range = example.outputLines {
                lines.replaceSubrange(range, with: actual)
            } else {
                // Insert after the ```bql block's closing fence.
                var close = example.line
                while close < lines.count && lines[close].trimmingCharacters(in: .whitespaces) != "```" { close += 1 }
                lines.insert(contentsOf: ["", "```text"] + actual + ["```"], at: close + 1)
            }
        }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}

@Suite struct LanguageDocTests {
    @Test func recordIfAsked() throws {
        guard Repo.recording else { return }
        try LanguageDoc.record()
    }

    @Test(arguments: LanguageDoc.examples(in: LanguageDoc.text))
    func example(_ e: DocExample) {
        guard !Repo.recording else { return }
        #expect(e.expected != nil, "LANGUAGE.md:\(e.line): a ```bql example needs a ```text block with its output")
        #expect(LanguageDoc.run(e.query, format: e.format) == e.expected, "LANGUAGE.md:\(e.line)\n\(e.query)")
    }

    @Test func hasExamples() {
        #expect(LanguageDoc.examples(in: LanguageDoc.text).count >= 50)
    }

    /// Every error kind is documented (those a query cannot trigger are shown as messages).
    @Test func everyErrorKindIsDocumented() {
        let kinds = [
            "incomplete", "invalid-utf8", "too-long", "too-deep", "empty", "invalid-character", "invalid-number",
            "syntax",
            "unknown-table", "unknown-field", "dropped-field", "unknown-function", "unbound-parameter", "type-mismatch",
            "wrong-type",
            "argument-count", "misplaced-aggregate", "not-a-relation", "invalid-regex", "duplicate-column",
            "misplaced-stage",
            "division-by-zero", "overflow", "row-limit", "cancelled", "timeout", "memory-limit",
        ]
        let doc = LanguageDoc.text
        for k in kinds { #expect(doc.contains("`\(k)`"), "LANGUAGE.md does not document the error kind \(k)") }
    }

    /// The names of functions in the first column(s) of the table that follows `heading`: every
    /// backticked `name(` of its rows.
    static func functionNames(under heading: String, columns: Int) -> Set<String> {
        let lines = LanguageDoc.text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        var names = Set<String>()
        var inTable = false
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("|") else {
                if inTable { break }
                continue
            }
            inTable = true
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().prefix(columns)
            for cell in cells {
                for (i, piece) in cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                where i % 2 == 1 {
                    if let open = piece.firstIndex(of: "(") { names.insert(String(piece[..<open])) }
                }
            }
        }
        return names
    }

    /// The function lists of LANGUAGE.md are the registry's: every scalar function under
    /// "Functions", every aggregate of groups with its Chinese names under "Aggregates", and the
    /// relation-only aggregates in the relations table.
    @Test func functionListsMatchTheRegistry() {
        let scalars = Set(Functions.scalars.flatMap { [$0.name] + $0.aliases })
        #expect(Self.functionNames(under: "## Functions", columns: 1) == scalars)
        let groups = AggregateFunction.allCases.filter(\.foldsGroups)
        #expect(
            Self.functionNames(under: "## Aggregates", columns: 2) == Set(groups.flatMap { $0.names + $0.chineseNames })
        )
        let relations = Self.functionNames(under: "## Relations and references", columns: 1)
        for a in AggregateFunction.allCases where !a.foldsGroups {
            #expect(relations.contains(a.rawValue), "LANGUAGE.md does not document \(a.rawValue)(r, cond)")
        }
    }

    /// The table reference is the catalog's: BQL_RECORD=1 regenerates it.
    @Test func tableSectionsMatchTheCatalog() throws {
        let doc = LanguageDoc.text
        let range = try #require(LanguageDoc.documentedSections(in: doc))
        #expect(String(doc[range]) == LanguageDoc.tableSections())
    }

    /// Every table of the catalog, and every field of it, is documented with its Chinese name.
    @Test func everyTableAndFieldIsDocumented() {
        let doc = LanguageDoc.text
        for t in Repo.catalog.tables {
            #expect(doc.contains("### `\(t.name)` — \(t.alias)"), "table \(t.name) is not documented")
            for f in t.fields {
                #expect(doc.contains("| `\(f.name)` | \(f.alias) |"), "field \(t.name).\(f.name) is not documented")
            }
            for r in t.relations {
                #expect(doc.contains("| `\(r.name)` | \(r.alias) |"), "relation \(t.name).\(r.name) is not documented")
            }
        }
    }
}
