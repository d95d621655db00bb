// ComparisonReader: the narrative's own comparisons with another year — 比2024年预算减少10万元,
// 与上年持平, 增长8.2%, 2023年当年预算执行数为60.13万元 — as signed figures under one key per
// subject (`change.three_public.total`, `change_pct.operating_cost`, `prior.xiang.2010507`), with
// the year compared with and whether that year's figure is its budget (预算) or its execution
// (执行数/决算). The subject is the last figure named before the comparison in its sentence, else
// the one the sentence before it named (「公务接待费1.35万元。比2024年预算持平」).

import BudgetModel
import Foundation

/// Reads comparisons with other years.
enum ComparisonReader {
    /// Figures a comparison can be about, besides the narrative reader's keywords: the fund and
    /// appropriation totals the template's first paragraph compares (longest first where one
    /// contains another, as with the keywords).
    static let subjects: [(word: String, key: String)] = [
        ("一般公共预算拨款支出预算", "general_budget.expense"), ("一般公共预算拨款支出", "general_budget.expense"),
        ("一般公共预算拨款收入", "general_budget.income"), ("一般公共预算当年拨款", "general_budget.total"),
        ("一般公共预算收支预算", "general_budget.total"), ("政府性基金拨款支出预算", "fund_budget.expense"),
        ("政府性基金预算拨款支出", "fund_budget.expense"), ("国有资本经营预算拨款支出预算", "state_capital.expense"),
        ("财政拨款收支预算总数", "fiscal.total"), ("财政拨款收支预算", "fiscal.total"), ("财政拨款收入", "fiscal.income"),
        ("财政拨款支出预算", "fiscal.expense"), ("财政拨款支出", "fiscal.expense"), ("收支预算总数", "total"),
        ("收支总预算", "total"), ("预算收支安排", "total"), ("部门收支预算", "total"), ("单位收支预算", "total"),
    ]

    /// 比/较/与 + a year + what of it, then the direction and the amount or percentage.
    static let comparison = try? NSRegularExpression(
        pattern:
            "(?:比|较|与|同)\\s*(上年度|上一年度|上一年|上年|(20[0-9]{2})\\s*年度?)\\s*(?:当年)?([^，,。；;：:0-9%]{0,14}?)"
            + "\\s*(?:[，,]\\s*([^，,。；;：:0-9%]{0,8}?))?\\s*(增加|增长|上升|减少|下降|降低|持平|相同|一致|不变)\\s*(?:了)?\\s*"
            + "(?:([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(万元|%|％))?")
    /// A percentage following an amount's change: 「，下降2.6%」.
    static let percentAfter = try? NSRegularExpression(
        pattern: "^\\s*[，,]?\\s*(?:增长|增加|上升|下降|降低|减少|增幅|降幅)(?:为)?\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(?:%|％)")
    /// Another year's figure stated outright: 「2023年当年预算执行数为60.13万元」, 「上年预算数为…万元」.
    static let priorFigure = try? NSRegularExpression(
        pattern:
            "(上年度|上一年度|上一年|上年|(20[0-9]{2})\\s*年度?)\\s*(?:当年)?\\s*(预算执行数|执行数|决算数|预算数|年初预算数|年初预算)"
            + "\\s*(?:为|是|：|:)?\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*万元")

    /// The figure right after a name: 「为2781.2万元」.
    static let ownFigure = try? NSRegularExpression(
        pattern: "^(?:预算数|预算|安排|为|是|：|:){0,3}([0-9][0-9,]*(?:\\.[0-9]+)?)万元")

    /// The comparisons stated in `clauses` of a document for budget year `year`. `subject` gives
    /// the figures named in a clause, with where each ends (UTF-16 offsets), besides the
    /// keywords this reader knows.
    static func statements(
        _ clauses: [NarrativeReader.Clause], year: Int, named: (NarrativeReader.Clause) -> [(end: Int, key: String)]
    ) -> [NarrativeStatement] {
        var out: [NarrativeStatement] = []
        var previous: (section: String, key: String)?
        var stated = Set<String>()
        let words = (NarrativeReader.keywords + subjects).sorted { $0.word.count > $1.word.count }
        for c in clauses {
            let ns = c.text as NSString
            let whole = NSRange(location: 0, length: ns.length)
            // Every figure the clause names, with where its name ends.
            var names = named(c)
            for (word, key) in words {
                var search = whole
                while true {
                    let r = ns.range(of: word, options: [], range: search)
                    guard r.location != NSNotFound else { break }
                    names.append((end: r.location + r.length, key: key))
                    search = NSRange(location: r.location + r.length, length: ns.length - r.location - r.length)
                    // This year's figure of a fund or appropriation total (the keywords' own
                    // figures are NarrativeReader's): 「财政拨款收入15,621.11万元」, once per key.
                    if subjects.contains(where: { $0.key == key }), !stated.contains(key),
                        let f = ownFigure?.firstMatch(in: c.text, range: search),
                        let value = ExactDecimal(ns.substring(with: f.range(at: 1)), allowGrouping: true)
                    {
                        stated.insert(key)
                        out.append(
                            NarrativeStatement(
                                key: key, label: word, amount: value, section: c.section,
                                quote: String(c.text.prefix(200)), page: c.page, line: c.line,
                                printed: ns.substring(with: f.range(at: 1)) + "万元"))
                    }
                }
            }
            func subject(before location: Int) -> String? {
                // The name ending last before the comparison; at one end, the longest (first found
                // in `words` order, which is longest first, or a path from `named`).
                var best: (end: Int, key: String)?
                for n in names where n.end <= location && n.end > (best?.end ?? -1) { best = n }
                if let best { return best.key }
                if let previous, previous.section == c.section { return previous.key }
                return nil
            }
            func referredYear(_ m: NSTextCheckingResult, _ group: Int) -> Int {
                let r = m.range(at: group)
                if r.location != NSNotFound, let y = Int(ns.substring(with: r)) { return y }
                return year - 1
            }
            func basis(_ text: String) -> ComparisonBasis {
                text.contains("执行") || text.contains("决算") ? .execution : .budget
            }
            for m in comparison?.matches(in: c.text, range: whole) ?? [] {
                // A name between the year and the verb (「与2024年预算相比，收入减少」) is the subject.
                guard let key = subject(before: m.range(at: 5).location) else { continue }
                let vsYear = referredYear(m, 2)
                guard vsYear != year else { continue }
                let what = m.range(at: 3).location == NSNotFound ? "" : ns.substring(with: m.range(at: 3))
                let b = basis(what)
                let verb = ns.substring(with: m.range(at: 5))
                let negative = ["减少", "下降", "降低"].contains(verb)
                let flat = ["持平", "相同", "一致", "不变"].contains(verb)
                let end = m.range.location + m.range.length
                // The words as printed, up to the direction: 「比2024年预算减少」.
                let label = ns.substring(
                    with: NSRange(location: m.range.location, length: m.range(at: 5).upperBound - m.range.location))
                func statement(_ kind: String, _ printed: String, _ measure: String) -> NarrativeStatement? {
                    guard var value = ExactDecimal(printed, allowGrouping: true) else { return nil }
                    if negative { value = value.negated }
                    var s = NarrativeStatement(
                        key: "\(kind).\(key)", label: label, amount: value, section: c.section,
                        quote: String(c.text.prefix(200)), page: c.page, line: c.line, printed: printed + measure)
                    s.measure = measure
                    s.vsYear = vsYear
                    s.vsBasis = b.rawValue
                    return s
                }
                if m.range(at: 6).location != NSNotFound {
                    let number = ns.substring(with: m.range(at: 6))
                    let unit = m.range(at: 7).location == NSNotFound ? "" : ns.substring(with: m.range(at: 7))
                    if unit == "万元", let s = statement("change", number, "万元") {
                        out.append(s)
                        // 「，下降2.6%」 right after: the same change as a percentage.
                        let rest = NSRange(location: end, length: ns.length - end)
                        if let p = percentAfter?.firstMatch(in: c.text, range: rest),
                            let s = statement("change_pct", ns.substring(with: p.range(at: 1)), "%")
                        {
                            out.append(s)
                        }
                    } else if unit == "%" || unit == "％", let s = statement("change_pct", number, "%") {
                        out.append(s)
                    }
                } else if flat, let s = statement("change", "0", "万元") {
                    out.append(s)
                }
            }
            for m in priorFigure?.matches(in: c.text, range: whole) ?? [] {
                let vsYear = referredYear(m, 2)
                guard vsYear < year, let key = subject(before: m.range.location) ?? previous?.key,
                    let value = ExactDecimal(ns.substring(with: m.range(at: 4)), allowGrouping: true)
                else { continue }
                let printed = ns.substring(with: m.range(at: 4))
                var s = NarrativeStatement(
                    key: "prior.\(key)",
                    label: ns.substring(with: m.range(at: 0)).replacingOccurrences(
                        of: printed + "万元", with: ""),
                    amount: value, section: c.section, quote: String(c.text.prefix(200)), page: c.page, line: c.line,
                    printed: printed + "万元")
                s.vsYear = vsYear
                s.vsBasis = basis(ns.substring(with: m.range(at: 3))).rawValue
                out.append(s)
            }
            // The subject a following sentence without a name of its own continues.
            if let last = names.max(by: { $0.end < $1.end }) {
                previous = (c.section, last.key)
            } else if previous?.section != c.section {
                previous = nil
            }
        }
        return out
    }
}
