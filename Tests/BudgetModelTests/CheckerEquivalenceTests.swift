// CheckerEquivalenceTests: the one-pass catalog building and comparing, and the parallel
// Checker.check, give exactly what the straightforward versions they replaced gave (kept here
// as the reference), on the bundled budgets and on copies with names changed to make conflicts.

import Foundation
import Testing

@testable import BudgetModel

/// The catalog building, comparing and checking as first written: simple and slow.
enum ReferenceChecker {
    static func build(from budgets: [Budget]) -> ClassificationCatalog {
        struct Key: Hashable {
            var scheme: ClassificationScheme
            var code: String
        }
        var byKey: [Key: [ClassificationUsage]] = [:]
        for b in budgets {
            for u in ClassificationCatalog.usages(in: b) {
                byKey[Key(scheme: u.scheme, code: u.code), default: []].append(u)
            }
        }
        var entries: [CatalogEntry] = []
        for (key, uses) in byKey {
            let named = uses.filter { $0.name != nil }
            let pool = named.contains(where: \.isClassificationRow) ? named.filter(\.isClassificationRow) : named
            let name = canonicalName(pool) ?? ""
            var others: [String: Set<String>] = [:]
            for u in named where u.name != name { others[u.name!, default: []].insert(u.dataset) }
            entries.append(
                CatalogEntry(
                    scheme: key.scheme, code: key.code, name: name, level: key.scheme.level(of: key.code),
                    otherNames: others.mapValues { $0.sorted() },
                    datasets: Set(uses.map(\.dataset)).sorted()))
        }
        return ClassificationCatalog(entries: entries)
    }

    static func canonicalName(_ uses: [ClassificationUsage]) -> String? {
        var datasets: [String: Set<String>] = [:]
        var rows: [String: Int] = [:]
        for u in uses {
            guard let n = u.name else { continue }
            datasets[n, default: []].insert(u.dataset)
            rows[n, default: 0] += 1
        }
        return datasets.keys.sorted { a, b in
            if datasets[a]!.count != datasets[b]!.count { return datasets[a]!.count > datasets[b]!.count }
            if rows[a]! != rows[b]! { return rows[a]! > rows[b]! }
            if a.count != b.count { return a.count > b.count }
            return Array(a.unicodeScalars.map(\.value)).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
        }.first
    }

    static func compare(_ catalog: ClassificationCatalog, _ budgets: [Budget]) -> [CatalogIssue] {
        var out: [CatalogIssue] = []
        for b in budgets {
            for u in ClassificationCatalog.usages(in: b) {
                guard let e = catalog.entry(u.scheme, u.code) else {
                    out.append(CatalogIssue(kind: .missingCode, usage: u, catalogName: nil, listedAsOtherName: false))
                    continue
                }
                guard let name = u.name, name != e.name else { continue }
                out.append(
                    CatalogIssue(
                        kind: .nameConflict, usage: u, catalogName: e.name,
                        listedAsOtherName: e.otherNames[name]?.contains(u.dataset) ?? false))
            }
        }
        return out
    }

    static func nameConflicts(_ budgets: [Budget], catalog: ClassificationCatalog? = nil) -> [Finding] {
        let catalog = catalog ?? build(from: budgets)
        return compare(catalog, budgets).filter { $0.kind == .nameConflict }.map { issue in
            let u = issue.usage
            let scheme = u.scheme == .functional ? "功能分类" : "\(u.scheme.rawValue)经济分类"
            return Finding(
                dataset: u.dataset, rule: Checker.nameConflictRule, table: u.table,
                subject: "\(scheme) \(u.code): \(u.name ?? "") ≠ \(issue.catalogName ?? "") · \(u.subject)",
                published: .zero, computed: .zero, terms: 0, kind: .nameConflict,
                documentation: issue.listedAsOtherName
                    ? "catalog: \(u.code) is \(issue.catalogName ?? ""); \(u.name ?? "") is listed among its other names"
                    : nil)
        }
    }

    static func check(_ budgets: [Budget], known: [KnownContradiction] = [], catalog: ClassificationCatalog? = nil)
        -> [Finding]
    {
        let conflicts = nameConflicts(budgets, catalog: catalog)
        var all: [Finding] = []
        for b in budgets { all += Checker.check(b) + conflicts.filter { $0.dataset == b.department.id } }
        return all.map { f in
            var f = f
            f.documentation =
                known.first { $0.dataset == f.dataset && $0.rule == f.rule && $0.subject == f.subject }?.explanation
                ?? f.documentation
            return f
        }
    }
}

@Suite struct CheckerEquivalenceTests {
    /// The bundled budgets, and copies of them (other ids) with names changed here and there.
    static func budgets() throws -> [Budget] {
        let bundled = try DatasetLoader.loadAll(from: Paths.datasets)
        var out = bundled
        for (k, original) in bundled.enumerated() {
            for copy in 0..<3 {
                var b = original
                b.department.id = "\(original.department.id)-copy\(copy)"
                for i in b.spending.indices where (i + copy + k) % 4 == 0 {
                    b.spending[i].name += copy == 0 ? "（项）" : "支出"
                }
                for i in b.economic.indices where (i + copy) % 3 == 0 {
                    b.economic[i].name = String(b.economic[i].name.dropLast())
                    if b.economic[i].govName != nil && copy == 1 { b.economic[i].govName = "其他" }
                }
                for i in b.totals.indices where copy == 2 { b.totals[i].label = "一、" + b.totals[i].label }
                for i in b.narrative.indices where copy != 1 { b.narrative[i].label += "费" }
                for i in b.projects.indices where (i + copy) % 5 == 0 { b.projects[i].functionCode = "2101199" }
                out.append(b)
            }
        }
        // A budget printing a code only as a row label, and one with the same id as another.
        if var extra = bundled.first {
            extra.department.id = "labels-only"
            extra.spending = []
            extra.economic = []
            out.append(extra)
            extra.spending = bundled[1].spending.map {
                var l = $0
                l.name += "类"
                return l
            }
            out.append(extra)
        }
        return out
    }

    @Test func catalogIsBuiltAsBefore() throws {
        let budgets = try Self.budgets()
        let built = ClassificationCatalog.build(from: budgets)
        #expect(built == ReferenceChecker.build(from: budgets))
        #expect(built.entries.contains { !$0.otherNames.isEmpty })
        #expect(ClassificationCatalog.build(from: []) == ReferenceChecker.build(from: []))
    }

    @Test func comparingGivesTheSameIssuesInTheSameOrder() throws {
        let budgets = try Self.budgets()
        var catalog = ClassificationCatalog.build(from: Array(budgets.prefix(5)))
        catalog.entries.removeAll { $0.code.hasSuffix("01") }
        // A second entry for a code: the first one counts.
        if let e = catalog.entries.first {
            catalog.entries.append(
                CatalogEntry(scheme: e.scheme, code: e.code, name: "别名", level: e.level, datasets: []))
        }
        let issues = catalog.compare(budgets)
        #expect(issues == ReferenceChecker.compare(catalog, budgets))
        #expect(issues.contains { $0.kind == .missingCode } && issues.contains { $0.kind == .nameConflict })
        #expect(
            Checker.nameConflicts(budgets, catalog: catalog)
                == ReferenceChecker.nameConflicts(budgets, catalog: catalog))
    }

    @Test func checkGivesTheSameFindingsInTheSameOrder() throws {
        let budgets = try Self.budgets()
        var known = try KnownContradiction.load(from: Paths.datasets)
        let findings = ReferenceChecker.check(budgets, known: known)
        // Known entries for some findings, twice for one (the first counts).
        for (i, f) in findings.enumerated() where i % 7 == 0 {
            known.append(
                KnownContradiction(dataset: f.dataset, rule: f.rule, subject: f.subject, explanation: "known \(i)"))
            known.append(
                KnownContradiction(dataset: f.dataset, rule: f.rule, subject: f.subject, explanation: "again \(i)"))
        }
        let checked = Checker.check(budgets, known: known)
        #expect(checked == ReferenceChecker.check(budgets, known: known))
        #expect(
            checked.contains { $0.kind == .nameConflict }
                && checked.contains { $0.documentation?.hasPrefix("known") == true })
        let catalog = try ClassificationCatalog.load(from: Paths.datasets)
        #expect(
            Checker.check(budgets, known: known, catalog: catalog)
                == ReferenceChecker.check(budgets, known: known, catalog: catalog))
        #expect(Checker.check([]).isEmpty)
    }

    @Test func parallelMapKeepsOrder() {
        for workers in [1, 2, 3, 8] {
            for count in [0, 1, 5, 100, 1001] {
                #expect(parallelMap(count, workers: workers) { $0 * $0 } == (0..<count).map { $0 * $0 })
            }
        }
    }
}
