// NarrativeReader: the figures the 情况说明 states, in the wording of the national template —
// 收入预算…万元, “三公”经费预算数为…万元, 机关运行经费…万元, 政府采购预算…万元, and one item per 项
// (“X（类）Y（款）Z（项）”…万元, tied to its code through the functional table's names). Each is
// kept as printed, with the clause it comes from; statements of other years' figures and of changes
// are ComparisonReader's, and a figure it cannot key is skipped.

import BudgetModel
import Foundation

/// A figure read from the narrative.
struct NarrativeStatement: Sendable {
    var key: String
    var label: String
    var amount: ExactDecimal
    var section: String
    var quote: String
    var page: Int
    var line: Int
    var printed: String
    /// 万元, or % for a percentage change.
    var measure = "万元"
    /// The year a comparison's other figure belongs to (`nil`: this year's figure).
    var vsYear: Int?
    /// 预算 or 执行: what that year's figure is.
    var vsBasis: String?
}

/// Reads narrative figures.
enum NarrativeReader {
    /// The lines of running text outside the tables, joined into clauses with where they start.
    struct Clause {
        var text: String
        var section: String
        var page: Int
        var line: Int
    }

    /// Keywords and the keys they give, tried in this order (longest first where one contains another).
    static let keywords: [(word: String, key: String)] = [
        ("公务用车购置及运行维护费", "three_public.vehicle"), ("公务用车购置及运维费", "three_public.vehicle"),
        ("公务用车购置及运行费", "three_public.vehicle"), ("公务用车购置费", "three_public.vehicle_purchase"),
        ("公务用车运行维护费", "three_public.vehicle_operation"), ("公务用车运维费", "three_public.vehicle_operation"),
        ("公务用车运行费", "three_public.vehicle_operation"), ("因公出国(境)费", "three_public.abroad"),
        ("因公出国（境）费", "three_public.abroad"), ("公务接待费", "three_public.reception"),
        ("“三公”经费", "three_public.total"), ("三公经费", "three_public.total"), ("\"三公\"经费", "three_public.total"),
        ("机关运行经费", "operating_cost"), ("机构运行经费", "operating_cost"), ("政府采购货物预算", "procurement.goods"),
        ("政府采购工程预算", "procurement.works"),
        ("政府采购服务预算", "procurement.services"), ("政府采购预算", "procurement.total"),
        ("政府购买服务预算", "purchase_services.total"), ("政府购买服务支出", "purchase_services.total"),
        ("事业单位经营收入", "income.事业单位经营收入"), ("事业收入", "income.事业收入"), ("其他收入", "income.其他收入"),
        ("收入预算", "income.total"), ("支出预算", "expense.total"), ("收入总预算", "income.total"),
        ("基本支出", "expense.basic"), ("项目支出", "expense.project"), ("人员经费", "expense.personnel"),
        ("公用经费", "expense.public"),
    ]

    /// Words that, before a keyword in its clause, make it another figure than this year's budget.
    static let qualifiers = ["上年", "执行", "决算", "比", "增加", "减少", "较", "预留", "中小", "绩效"]
    /// Words that, before an income or expense keyword, make it one fund's or source's figure.
    static let fundQualifiers = [
        "拨款", "基金", "资本", "财政", "其中", "一般公共预算", "政府采购", "部门整体", "经费", "费用", "资金", "项目", "采购",
    ]

    /// The clauses of `lines` outside `tableLines`.
    static func clauses(_ lines: [Line], excluding tableLines: IndexSet, pdf: Bool) -> [Clause] {
        var out: [Clause] = []
        var current = ""
        var start: (page: Int, line: Int) = (0, 0)
        var section = ""
        func flush() {
            let t = current.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { out.append(Clause(text: t, section: section, page: start.page, line: start.line)) }
            current = ""
        }
        for (i, l) in lines.enumerated() {
            if tableLines.contains(i) {
                flush()
                continue
            }
            var text = TextNormal.compact(l.text)
            if text.isEmpty { continue }
            let markdownHeading = text.hasPrefix("#")
            while text.hasPrefix("#") { text.removeFirst() }
            let heading =
                markdownHeading
                || text.count <= 30 && !text.contains("万元") && !text.contains("，")
                    && !"。；;，,：:".contains(text.last ?? "。")
                    && text.range(of: "^[（(]?[一二三四五六七八九十]+[、）)]", options: .regularExpression) != nil
            if heading {
                flush()
                section = text
                continue
            }
            if current.isEmpty { start = (pdf ? l.page : 0, l.number) }
            for ch in text {
                current.append(ch)
                if ch == "。" || ch == "；" || ch == ";" {
                    flush()
                    start = (pdf ? l.page : 0, l.number)
                }
            }
        }
        flush()
        return out
    }

    static let amount = "([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*万元"
    /// 「“X（类）Y（款）Z（项）”科目…万元」.
    static let path = try? NSRegularExpression(
        pattern:
            "[“\"]?([^“”\"（(，。；：]{2,40})[（(]类[）)]([^“”\"（(，。；]{1,40})[（(]款[）)]([^“”\"（(，。；]{1,40})[（(]项[）)][”\"]?(?:科目)?(?:支出|预算|安排|为|预算数为|共计|合计|:|：){0,3}"
            + amount)
    /// 「X（类）…万元」.
    static let classOnly = try? NSRegularExpression(
        pattern: "([^“”\"（(，。；：]{2,30})[（(]类[）)][”\"]?(?:支出|预算|安排|为){0,2}" + amount)

    /// The 项 a clause names by its 类/款/项 path, with where each path ends (UTF-16 offsets).
    static func paths(_ c: Clause, xiang: (String, String, String) -> String?) -> [(end: Int, key: String)] {
        let ns = c.text as NSString
        return (path?.matches(in: c.text, range: NSRange(location: 0, length: ns.length)) ?? []).compactMap { m in
            let names = (1...3).map { ns.substring(with: m.range(at: $0)) }
            guard let code = xiang(names[0], names[1], names[2]) else { return nil }
            return (end: m.range(at: 3).location + m.range(at: 3).length, key: "xiang.\(code)")
        }
    }

    /// The statements of `clauses`. `xiang` resolves a 类/款/项 name path to a code.
    static func statements(
        _ clauses: [Clause], xiang: (String, String, String) -> String?, klass: (String) -> String?,
        classNames: [(name: String, code: String)] = []
    )
        -> [NarrativeStatement]
    {
        var out: [NarrativeStatement] = []
        for c in clauses {
            let ns = c.text as NSString
            var used: [NSRange] = []
            if let path {
                for m in path.matches(in: c.text, range: NSRange(location: 0, length: ns.length)) {
                    let x = ns.substring(with: m.range(at: 1))
                    let y = ns.substring(with: m.range(at: 2))
                    let z = ns.substring(with: m.range(at: 3))
                    let printed = ns.substring(with: m.range(at: 4))
                    used.append(m.range)
                    guard let code = xiang(x, y, z), let value = ExactDecimal(printed, allowGrouping: true) else {
                        continue
                    }
                    out.append(
                        NarrativeStatement(
                            key: "xiang.\(code)", label: "\(z)（项）", amount: value, section: c.section,
                            quote: String(c.text.prefix(200)), page: c.page, line: c.line, printed: printed + "万元"))
                }
            }
            if let classOnly {
                for m in classOnly.matches(in: c.text, range: NSRange(location: 0, length: ns.length))
                where !used.contains(where: { NSIntersectionRange($0, m.range).length > 0 }) {
                    let x = ns.substring(with: m.range(at: 1))
                    let printed = ns.substring(with: m.range(at: 2))
                    guard let code = klass(x), let value = ExactDecimal(printed, allowGrouping: true) else { continue }
                    used.append(m.range)
                    out.append(
                        NarrativeStatement(
                            key: "class.\(code)", label: "\(x)（类）", amount: value, section: c.section,
                            quote: String(c.text.prefix(200)), page: c.page, line: c.line, printed: printed + "万元"))
                }
            }
            out += keyed(c, skipping: used, classNames: classNames)
        }
        return out
    }

    /// The keyword statements of one clause: the first number right after a keyword.
    static func keyed(_ c: Clause, skipping used: [NSRange], classNames: [(name: String, code: String)] = [])
        -> [NarrativeStatement]
    {
        var out: [NarrativeStatement] = []
        let text = c.text
        let ns = text as NSString
        // Subclauses: split at commas so a qualifier of one does not reach the next.
        var taken: [NSRange] = used
        // A 类 by its name alone (「其中卫生健康支出1761.18万元」), longest names first.
        let classWords = classNames.sorted { $0.name.count > $1.name.count }.map { ($0.name, "class.\($0.code)") }
        for (word, key) in keywords + classWords {
            var search = NSRange(location: 0, length: ns.length)
            while true {
                let r = ns.range(of: word, options: [], range: search)
                guard r.location != NSNotFound else { break }
                search = NSRange(location: r.location + r.length, length: ns.length - r.location - r.length)
                if taken.contains(where: { NSIntersectionRange($0, r).length > 0 }) { continue }
                // The number right after the keyword: at most a few filler characters between.
                let tail = ns.substring(from: r.location + r.length)
                guard
                    let m = tail.range(
                        of: "^(?:预算数|预算|安排|支出|为|是|共|计|合计|共计|：|:){0,4}([0-9][0-9,]*(?:\\.[0-9]+)?)万元",
                        options: .regularExpression)
                else { continue }
                let numberText = String(tail[m]).replacingOccurrences(
                    of: "^(?:预算数|预算|安排|支出|为|是|共|计|合计|共计|：|:){0,4}", with: "", options: .regularExpression
                ).replacingOccurrences(of: "万元", with: "")
                // The clause up to the keyword must not qualify it (财政拨款收入, 比上年增加 …).
                let head = ns.substring(to: r.location)
                let clauseStart =
                    head.lastIndex { "，,：:；;。（(".contains($0) }.map { head.index(after: $0) } ?? head.startIndex
                let prefix = String(head[clauseStart...])
                if qualifiers.contains(where: { prefix.contains($0) }) { continue }
                if key.hasPrefix("expense.") || key.hasPrefix("income."),
                    fundQualifiers.contains(where: { prefix.contains($0) })
                {
                    continue
                }
                guard let value = ExactDecimal(numberText, allowGrouping: true) else { continue }
                let whole = NSRange(
                    location: r.location, length: r.length + (tail[..<m.upperBound] as Substring).utf16.count)
                taken.append(whole)
                out.append(
                    NarrativeStatement(
                        key: key, label: word, amount: value, section: c.section, quote: String(text.prefix(200)),
                        page: c.page, line: c.line, printed: numberText + "万元"))
            }
        }
        return out
    }
}
