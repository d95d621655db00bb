// ProseProjects: projects the 情况说明 describes in prose — a 「XX专项经费情况说明」 section, or a
// 「（一）XX项目」 heading inside a 「项目经费情况说明」 — with the total it states (「项目总预算1720.00万」,
// 「预算XX万元」) and its 用款计划 by period (「第一季度用款计划15万元」 as 当期, 「截至6月底累计…」 as
// 累计). A project no 项目支出表 lists is added to `projects` (its total as the amount) and named in
// `totals` as `projects.described`, so `check` does not take the described projects for the whole
// of 项目支出; its plans go to `plans`. A section that names no project, or states no total, is
// noted and not stored.

import BudgetModel
import Foundation

/// A project described in the 情况说明.
struct ProseProject: Sendable {
    /// A figure as printed, with where.
    struct Stated: Sendable {
        var value: ExactDecimal
        var printed: String
        var page: Int
        var line: Int
    }

    var name: String
    var title: String
    var total: Stated?
    var content: String
    var unit: String
    var plans: [(period: String, kind: String, amount: Stated)]
    var page: Int
    var line: Int
}

/// Reads the projects described in prose.
enum ProseProjects {
    /// A top-level title: 「科技创新专项经费情况说明」「项目经费情况说明」 (no ordinal in front).
    static func isTitle(_ text: String) -> Bool {
        let t = TextNormal.key(text)
        guard t.hasSuffix("情况说明"), t.count <= 40, t.count > 4 else { return false }
        if t.range(of: "^[(]?[一二三四五六七八九十0-9]+[、.)]", options: .regularExpression) != nil { return false }
        if ["三公", "机关运行", "收支", "收入", "支出", "部门预算", "单位预算", "采购", "其他相关", "名词"].contains(where: t.contains) {
            return false
        }
        return ["经费", "项目", "专项", "资金", "工程"].contains(where: t.contains)
    }

    /// A heading naming one project inside a section: 「（一）XX项目」「1.XX专项经费」.
    static func projectHeading(_ text: String) -> String? {
        let t = TextNormal.compact(text)
        guard t.count <= 40, !t.contains("。"), !t.contains("，"),
            let r = t.range(of: "^[（(][一二三四五六七八九十]+[）)]|^[0-9]{1,2}[、.．]", options: .regularExpression)
        else { return nil }
        let rest = String(t[r.upperBound...])
        guard ["项目", "经费", "专项", "工程", "资金"].contains(where: rest.hasSuffix) else { return nil }
        return rest
    }

    /// The name a title gives its project: 「生命健康专项（政策资金）经费情况说明」 → 生命健康专项（政策资金）;
    /// empty for the template's own 「项目经费情况说明」.
    static func name(fromTitle title: String) -> String {
        var t = TextNormal.compact(title)
        if t.hasSuffix("情况说明") { t = String(t.dropLast(4)) }
        if t.hasSuffix("经费") { t = String(t.dropLast(2)) }
        return ["项目", "专项", "项目支出", ""].contains(t) ? "" : t
    }

    static let totalPattern = try? NSRegularExpression(
        pattern: "(?:总预算|预算总额|预算资金|预算金额|预算安排|预算)(?:为|共|合计|共计)?([0-9][0-9,]*(?:\\.[0-9]+)?)万")
    static let planPattern = try? NSRegularExpression(
        pattern:
            "(第[一二三四1-4]季度|[一二三四]季度|上半年|下半年|[0-9]{1,2}月(?:底|末)?)(?:前)?(累计)?(?:用款计划|支出计划|计划支出|计划用款|预计支出|用款|支出)(?:为|约)?([0-9][0-9,]*(?:\\.[0-9]+)?)万"
    )

    /// The projects described in the lines outside the tables.
    static func read(_ lines: [Line], excluding tableLines: IndexSet, pdf: Bool) -> (
        projects: [ProseProject], skipped: [String]
    ) {
        struct Block {
            var title: String
            var name: String
            var page: Int
            var line: Int
            var text = ""
            /// Offsets in `text` where each line starts, with its place.
            var starts: [(offset: Int, page: Int, line: Int)] = []
            var content = ""
            var unit = ""
            var heading = ""
        }
        var blocks: [Block] = []
        var current: Block?
        var sectionTitle = ""
        for (i, l) in lines.enumerated() {
            let text = TextNormal.compact(l.text).filter { $0 != "#" && $0 != "*" }
            if tableLines.contains(i)
                || text.hasPrefix("第") && text.range(of: "^第[一二三四五六七八九十]+部分", options: .regularExpression) != nil
                || text.contains("名词解释")
            {
                if let c = current { blocks.append(c) }
                current = nil
                sectionTitle = ""
                continue
            }
            if text.isEmpty { continue }
            let place = (page: pdf ? l.page : 0, line: l.number)
            if isTitle(text) {
                if let c = current { blocks.append(c) }
                sectionTitle = text
                current = Block(title: text, name: name(fromTitle: text), page: place.page, line: place.line)
                continue
            }
            if !sectionTitle.isEmpty, let named = projectHeading(text) {
                if let c = current { blocks.append(c) }
                current = Block(title: sectionTitle, name: named, page: place.page, line: place.line)
                continue
            }
            guard var c = current else { continue }
            let isHeading =
                text.count <= 20 && text.range(of: "^[（(]?[一二三四五六七八九十]+[、）)]", options: .regularExpression) != nil
            if isHeading {
                c.heading = text
            } else {
                if c.heading.contains("概况") || c.heading.contains("概述") { c.content += text }
                if c.heading.contains("实施主体") || c.heading.contains("实施单位") { c.unit += text }
            }
            c.starts.append(((c.text as NSString).length, place.page, place.line))
            c.text += text
            current = c
        }
        if let c = current { blocks.append(c) }

        var out: [ProseProject] = []
        var skipped: [String] = []
        for b in blocks {
            let text = b.text as NSString
            func place(_ offset: Int) -> (page: Int, line: Int) {
                let s = b.starts.last { $0.offset <= offset } ?? b.starts.first
                return (s?.page ?? b.page, s?.line ?? b.line)
            }
            func stated(_ m: NSTextCheckingResult, group: Int) -> ProseProject.Stated? {
                let printed = text.substring(with: m.range(at: group))
                guard let value = Figures.number(printed) else { return nil }
                let p = place(m.range(at: group).location)
                return ProseProject.Stated(value: value, printed: printed, page: p.page, line: p.line)
            }
            let all = NSRange(location: 0, length: text.length)
            var plans: [(period: String, kind: String, amount: ProseProject.Stated)] = []
            for m in planPattern?.matches(in: b.text, range: all) ?? [] {
                guard let amount = stated(m, group: 3) else { continue }
                let period = text.substring(with: m.range(at: 1))
                let cumulative = m.range(at: 2).location != NSNotFound || period.hasSuffix("底") || period.hasSuffix("末")
                plans.append((period, cumulative ? "累计" : "当期", amount))
            }
            let total = totalPattern?.firstMatch(in: b.text, range: all).flatMap { stated($0, group: 1) }
            let unit = b.unit.count <= 40 && !b.unit.contains("，") && !b.unit.contains("。") ? b.unit : ""
            guard !b.name.isEmpty, total != nil else {
                if total != nil || !plans.isEmpty {
                    let place = pdf ? "p. \(b.page)" : "line \(b.line)"
                    skipped.append(
                        "\(b.title) (\(place)): "
                            + (b.name.isEmpty ? "names no project" : "states no total for \(b.name)")
                            + ", not stored (\(plans.count) plan figure\(plans.count == 1 ? "" : "s"))")
                }
                continue
            }
            out.append(
                ProseProject(
                    name: b.name, title: b.title, total: total, content: b.content, unit: unit, plans: plans,
                    page: b.page, line: b.line))
        }
        return (out, skipped)
    }

    /// The described projects into the draft: each matched by name to a listed project (its plans
    /// attached) or added to `projects` and named in `totals` as `projects.described`.
    static func place(_ projects: [ProseProject], into draft: inout DatasetDraft, notes: inout [DocumentNote]) {
        for p in projects {
            guard let total = p.total else { continue }
            func source(_ s: ProseProject.Stated) -> FigureSource {
                FigureSource(page: s.page, line: s.line, table: "情况说明", printed: s.printed, unit: "万元")
            }
            let listed = draft.rows("projects").first { NameKey.fold($0["name"] ?? "") == NameKey.fold(p.name) }
            let id: String
            if let listed {
                id = listed["id"] ?? ""
                if let amount = listed["amount"].flatMap({ ExactDecimal($0) }), amount != total.value {
                    notes.append(
                        DocumentNote(
                            kind: .tablesDisagree,
                            text:
                                "\(p.title): states \(total.printed) 万元 for \(p.name), the 项目支出表 \(amount); both kept as printed"
                        ))
                }
            } else {
                id = String(format: "P%02d", draft.rows("projects").count + 1)
                var r = DraftRow()
                r["id"] = id
                r["unit"] = p.unit
                r["name"] = p.name
                r["spending_type"] = "项目支出"
                r["content"] = p.content
                r["amount"] = total.value.description
                r.sources["amount"] = source(total)
                draft.append("projects", r)
                var t = DraftRow()
                t["key"] = "projects.described"
                t["label"] = p.name
                t["table"] = "情况说明"
                t["amount"] = total.value.description
                t.sources["amount"] = source(total)
                draft.append("totals", t)
            }
            guard !id.isEmpty else { continue }
            for (seq, plan) in p.plans.enumerated() {
                var r = DraftRow()
                r["project"] = id
                r["seq"] = String(seq + 1)
                r["period"] = plan.period
                r["kind"] = plan.kind
                r["amount"] = plan.amount.value.description
                r.sources["amount"] = source(plan.amount)
                draft.append("plans", r)
            }
        }
    }
}
