// CrossYear: the rule of `bql check` across documents. When two years of one body are loaded
// (same `departments.body` and kind), each statement this year's narrative makes about the other
// year — a change (`change.*`), a percentage change (`change_pct.*`) or the other year's figure
// (`prior.*`) — is compared with that year's own document. A statement against the other year's
// execution (预算执行数, 决算) is on another basis than that document's budget: it is reported as
// such, never as a contradiction.

/// The figures of one subject (`three_public.total`, `xiang.2120101`, `fiscal.income`, …) that a
/// year's document gives.
extension Budget {
    /// The subject's figure in this document: from its tables (`fact`), else as its own narrative
    /// states it; `nil` when it says nothing of it.
    public func figure(_ subject: String) -> ExactDecimal? {
        let tableKeys = ["total", "expense", "class", "kuan", "xiang"]
        let head = subject.split(separator: ".").first.map(String.init) ?? subject
        if !(spending.isEmpty && tableKeys.contains(head)), let f = fact(subject) { return f }
        return narrative.first { $0.key == subject }?.amount
    }
}

/// A narrative statement about another year.
public enum YearStatement: String, Sendable, CaseIterable {
    /// `change.<subject>`: this year's figure minus the other year's, signed.
    case change
    /// `change_pct.<subject>`: the change as a percentage of the other year's figure, signed.
    case changePercent = "change_pct"
    /// `prior.<subject>`: the other year's figure.
    case prior

    /// The statement kind and subject of a narrative key (`change.three_public.total` →
    /// `.change`, `three_public.total`), or `nil` for a figure of this year.
    public static func parse(_ key: String) -> (YearStatement, String)? {
        guard let dot = key.firstIndex(of: "."), let kind = YearStatement(rawValue: String(key[..<dot])) else {
            return nil
        }
        let subject = String(key[key.index(after: dot)...])
        return subject.isEmpty ? nil : (kind, subject)
    }
}

extension Checker {
    /// The rule's name in findings.
    public static let crossYearRule = "上年数 = 上年文件"

    /// The year a narrative row about another year refers to: its `vs_year`, else the year before.
    static func referredYear(_ n: NarrativeFigure, of b: Budget) -> Int {
        n.vsYear.flatMap { Int($0) } ?? b.department.year - 1
    }

    /// Every disagreement between a document's statements about another year and that year's
    /// document, when both are among `budgets`. Findings name both datasets (`versus`).
    public static func crossYear(_ budgets: [Budget]) -> [Finding] {
        struct Body: Hashable {
            var key: String
            var kind: String
        }
        var byBodyYear: [Body: [Int: Int]] = [:]
        for (i, b) in budgets.enumerated() {
            let body = Body(key: b.department.bodyKey, kind: b.department.kind)
            if byBodyYear[body, default: [:]][b.department.year] == nil {
                byBodyYear[body, default: [:]][b.department.year] = i
            }
        }
        var out: [Finding] = []
        for b in budgets {
            let years = byBodyYear[Body(key: b.department.bodyKey, kind: b.department.kind)] ?? [:]
            guard years.count > 1 else { continue }
            for (i, n) in b.narrative.enumerated() {
                guard let (statement, subject) = YearStatement.parse(n.key),
                    let p = years[referredYear(n, of: b)].map({ budgets[$0] }), p.department.id != b.department.id,
                    let f = finding(statement, subject, n, row: i, in: b, against: p)
                else { continue }
                out.append(f)
            }
        }
        return out
    }

    /// The finding for one statement, or `nil` when the documents agree (or cannot say).
    static func finding(
        _ statement: YearStatement, _ subject: String, _ n: NarrativeFigure, row: Int, in b: Budget,
        against p: Budget
    ) -> Finding? {
        guard let earlier = p.figure(subject) else { return nil }
        let computed: ExactDecimal
        switch statement {
        case .prior:
            computed = earlier
        case .change:
            guard let now = b.figure(subject), let c = now.subtracting(earlier) else { return nil }
            computed = c
        case .changePercent:
            guard !earlier.isZero, let now = b.figure(subject), let c = now.subtracting(earlier),
                let hundred = c.multiplying(ExactDecimal(100)), let pct = hundred.dividing(by: earlier, places: 10)
            else { return nil }
            computed = pct
        }
        guard let diff = n.amount.subtracting(computed)?.magnitude else { return nil }
        // The narrative states a figure to its own precision: it agrees when the exact figure
        // rounds to it.
        let half = ExactDecimal(mantissa: 5, scale: n.amount.scale + 1)
        if diff <= half { return nil }
        // Beyond that, rounding of the figures compared (0.01 万元 each, or 0.1 percentage point),
        // else a contradiction — unless the statement is about the other year's execution.
        let roundingLimit =
            statement == .changePercent ? ExactDecimal(mantissa: 1, scale: 1) : ExactDecimal(mantissa: 2, scale: 2)
        let kind: FindingKind =
            n.comparisonBasis == .execution ? .differentBasis : diff <= roundingLimit ? .rounding : .contradiction
        let basis = n.comparisonBasis == .execution ? ", stated against its 执行数" : ""
        return Finding(
            dataset: b.department.id, rule: crossYearRule, table: "narrative",
            subject:
                "\(n.key) \(n.label) (narrative row \(row + 1)) vs \(p.department.id) \(p.department.year)\(basis)",
            published: n.amount, computed: computed, terms: 2, kind: kind, documentation: nil,
            versus: p.department.id)
    }
}
