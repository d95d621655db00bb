// CheckReport: renders `bql check` findings as text — one block per dataset, each finding with
// its rule, table, row, both figures and whether the published document explains it.

import BudgetModel

/// The text report of `bql check`.
public struct CheckReport: Sendable {
    /// The budgets checked.
    public let budgets: [Budget]
    /// What the checker found.
    public let findings: [Finding]

    /// Checks `budgets` against the rules, marking the `known` contradictions as documented.
    public init(budgets: [Budget], known: [KnownContradiction]) {
        self.budgets = budgets
        self.findings = Checker.check(budgets, known: known)
    }

    /// Contradictions that no entry of the known list explains.
    public var undocumented: [Finding] { findings.filter { $0.kind == .contradiction && $0.documentation == nil } }
    /// Contradictions the known list explains.
    public var documented: [Finding] { findings.filter { $0.kind == .contradiction && $0.documentation != nil } }
    /// Rounding differences.
    public var rounding: [Finding] { findings.filter { $0.kind == .rounding } }
    /// Whether the check passes: no undocumented contradiction.
    public var passed: Bool { undocumented.isEmpty }

    /// The report as text. `style` colours labels when given.
    public func render(style: TextStyle = .plain) -> String {
        var out = ""
        for b in budgets {
            let d = b.department
            let mine = findings.filter { $0.dataset == d.id }
            let bad = mine.filter { $0.kind == .contradiction && $0.documentation == nil }.count
            out += style.bold("\(d.id)") + "  \(d.name) \(d.year) \(d.kind): "
            out +=
                mine.isEmpty
                ? style.green("ok")
                : "\(mine.count) finding\(mine.count == 1 ? "" : "s")"
                    + (bad > 0 ? style.red(", \(bad) undocumented") : "")
            out += "\n"
            for f in mine {
                let label: String
                switch (f.kind, f.documentation != nil) {
                case (.rounding, _): label = style.yellow("rounding")
                case (.contradiction, true): label = style.yellow("contradiction (documented)")
                case (.contradiction, false): label = style.red("contradiction")
                case (.nameConflict, _): label = style.yellow("name conflict")
                case (.differentBasis, _): label = style.yellow("different basis")
                }
                out += "  \(label)  \(f.rule)  [\(f.table)] \(f.subject)\n"
                if f.kind != .nameConflict {
                    out += "      published \(f.published)  computed \(f.computed)  difference \(f.difference)"
                    if f.kind == .rounding { out += "  (≤ 0.01 × \(f.terms) rows)" }
                    out += "\n"
                }
                if let doc = f.documentation { out += "      ↳ \(doc)\n" }
            }
        }
        out += "\n\(budgets.count) dataset\(budgets.count == 1 ? "" : "s"): "
        out += "\(undocumented.count) undocumented contradiction\(undocumented.count == 1 ? "" : "s"), "
        out += "\(documented.count) documented contradiction\(documented.count == 1 ? "" : "s"), "
        out += "\(rounding.count) rounding difference\(rounding.count == 1 ? "" : "s"), "
        let names = findings.filter { $0.kind == .nameConflict }.count
        out += "\(names) name conflict\(names == 1 ? "" : "s")"
        let bases = findings.filter { $0.kind == .differentBasis }.count
        if bases > 0 { out += ", \(bases) statement\(bases == 1 ? "" : "s") on a different basis" }
        out += "\n"
        return out
    }
}
