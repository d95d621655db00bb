// Seeds: the starting corpora, generated from the repository at run time (nothing is committed
// but the dictionary): every query of Tests/Corpus, every example of docs/LANGUAGE.md and every
// saved query in Queries/; every bundled dataset as a folder archive, whole and cut short; and
// the seed documents of Tests/Fixtures/seeds, cut into pieces of a few tables each.

import Foundation

/// Seed corpora.
public enum Seeds {
    /// Queries: corpus records (`query…`/`error` up to `----`), ```bql blocks, Queries/*.bql.
    public static func queries() -> [[UInt8]] {
        var out: [String] = []
        for file in Repo.files("Tests/Corpus", suffix: ".test") {
            let lines = Repo.text(file).components(separatedBy: "\n")
            var i = 0
            while i < lines.count {
                if lines[i].hasPrefix("query") || lines[i] == "error" {
                    var q: [String] = []
                    i += 1
                    while i < lines.count && lines[i] != "----" {
                        q.append(lines[i])
                        i += 1
                    }
                    out.append(q.joined(separator: "\n"))
                }
                i += 1
            }
        }
        let doc = Repo.text("docs/LANGUAGE.md").components(separatedBy: "\n")
        var i = 0
        while i < doc.count {
            if doc[i].trimmingCharacters(in: .whitespaces).hasPrefix("```bql") {
                var q: [String] = []
                i += 1
                while i < doc.count && doc[i].trimmingCharacters(in: .whitespaces) != "```" {
                    q.append(doc[i])
                    i += 1
                }
                out.append(q.joined(separator: "\n"))
            }
            i += 1
        }
        for file in Repo.files("Queries", suffix: ".bql") { out.append(Repo.text(file)) }
        // Shapes the campaign found interesting: limits, regular expressions, long text.
        out += [
            "projects | where name =~ \"^(.|.)*x$\" | agg n = count()",
            "indicators | where matches(description, \"^(.*)*(.*)*(.*)*[0-9]x$\") | agg n = count()",
            "projects | group by share(amount)", "spending | group by round(share(amount), 3)",
            "projects | group by dept | agg a = upper(sum(amount))",
            "indicators | select x = substr(name, 2, 3), y = upper(unit), z = lower(name), w = length(text)",
            "projects | where name =~ \"(?i)^[\\\\p{Han}a-z]{2,}\\\\d?$\" or matches(name, \"\\\\b\\\\w+\\\\b\")",
        ]
        return out.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// The files of a dataset folder, in the loader's order.
    public static let datasetFiles = [
        "datapackage.json", "department.csv", "units.csv", "income.csv", "spending.csv", "economic.csv",
        "projects.csv", "plans.csv", "indicators.csv", "three_public.csv", "procurement.csv", "purchase_services.csv",
        "assets.csv", "tasks.csv", "narrative.csv", "totals.csv",
    ]

    /// The smallest `datapackage.json` the loader accepts: every resource's path.
    public static let minimalDescriptor: String =
        "{\"resources\":["
        + datasetFiles.dropFirst().map { "{\"path\":\"\($0)\"}" }.joined(separator: ",") + "]}\n"

    /// A folder as one text: `=== name` lines, each followed by the file's content.
    public static func archive(_ files: [(String, String)]) -> [UInt8] {
        Array(files.map { "=== \($0.0)\n\($0.1)" }.joined().utf8)
    }

    /// Queries for the `queries` pseudo file of dataset seeds: every table, relations, grouping,
    /// rollups, arithmetic and sorting over the loaded folder.
    public static let datasetQueries = [
        "departments", "spending | rollup",
        "spending | group by 类 | agg s = sum(amount), sh = share(amount), n = count()",
        "projects | where any(indicators, value > 0) | sort -amount | take 5",
        "indicators | group by unit, op | agg n = count(), s = sum(value), a = avg(weight) | sort -n",
        "economic | where amount > 0 | derive d = amount / 3, e = round(amount * 1.5, 2) | sort d | take 10",
        "narrative | select dept, key, stated, computed | take 20", "checks",
        "three_public | select total, reception", "items | group by category | agg n = count(), t = sum(amount)",
        "totals | sort -amount | take 3", "units", "income", "procurement", "assets", "tasks",
    ]

    /// Every bundled dataset as an archive (with the minimal descriptor), whole (with queries)
    /// and with each CSV cut to its header and first rows; and one with the published descriptor.
    public static func datasets() -> [[UInt8]] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: Repo.datasets.path)) ?? []).sorted()
            .filter {
                FileManager.default.fileExists(
                    atPath: Repo.datasets.appendingPathComponent("\($0)/datapackage.json").path)
            }
        var out: [[UInt8]] = []
        for (k, folder) in folders.enumerated() {
            var files: [(String, String)] = []
            for name in datasetFiles.dropFirst() {
                files.append((name, Repo.text("Datasets/\(folder)/\(name)")))
            }
            let queries = datasetQueries.dropFirst(k * 3).prefix(8).joined(separator: "\n") + "\n"
            out.append(archive([("datapackage.json", minimalDescriptor)] + files + [("queries", queries)]))
            for keep in [1, 3] {
                let cut = files.map { (name, text) -> (String, String) in
                    let lines = text.components(separatedBy: "\n")
                    return (name, lines.prefix(keep + 1).joined(separator: "\n") + "\n")
                }
                out.append(archive([("datapackage.json", minimalDescriptor)] + cut))
                if keep == 3 {
                    out.append(
                        archive([("datapackage.json", minimalDescriptor)] + cut + [("queries", "departments\n")]))
                }
            }
            if k == 0 {
                out.append(archive([("datapackage.json", Repo.text("Datasets/\(folder)/datapackage.json"))] + files))
            }
        }
        return out
    }

    /// Documents: each seed text of Tests/Fixtures/seeds in pieces of 150 lines (a few tables
    /// each, so one import takes milliseconds), and its first 150 lines with tabs and with blank
    /// lines removed.
    public static func documents() -> [[UInt8]] {
        var out: [[UInt8]] = []
        for file in Repo.files("Tests/Fixtures/seeds", suffix: ".txt") {
            let lines = Repo.text(file).components(separatedBy: "\n")
            var start = 0
            while start < lines.count {
                let piece = lines[start..<min(start + 150, lines.count)].joined(separator: "\n")
                out.append(Array(piece.utf8))
                start += 150
            }
            let head = lines.prefix(150)
            out.append(
                Array(head.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n").utf8))
            out.append(Array(head.map { $0.replacingOccurrences(of: " ", with: "\t") }.joined(separator: "\n").utf8))
        }
        return out
    }
}
