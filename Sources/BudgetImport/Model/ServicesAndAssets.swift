// ServicesAndAssets: the 政府购买服务（预算）表 into `purchase_services` and the 国有资产 / 固定资产
// 占有使用（配置）表 into `assets`, read as the 政府采购 table is: each column by what its header
// says (单位, 项目, 服务内容 or the 指导性目录's levels, 类别, 金额 / 合计; 资产名称, 数量, 价值 /
// 原值, 备注), each figure converted exactly and kept with where it was printed, 合计 rows into
// `totals`. A table printed empty (「本部门无政府购买服务预算」, 「此表无数据」, a 合计 of 0 over no
// rows) gives no rows and a note.

import BudgetModel
import Foundation

extension DraftBuilder {
    // MARK: - 政府购买服务

    /// What a text column of a 政府购买服务 table holds (`nil`: nothing the model keeps).
    enum ServiceText: Hashable {
        case unit, project, item, category
        /// A level of the 政府购买服务指导性目录 (1 一级目录 … 3 三级目录).
        case catalog(Int)

        /// Whether the column can name the service itself.
        var namesItem: Bool {
            switch self {
            case .item, .catalog: true
            default: false
            }
        }
    }

    static func serviceText(_ col: Column) -> ServiceText? {
        let leaf = col.leaf
        let path = col.pathKey
        if leaf.contains("序号") || leaf.contains("编码") || leaf.contains("代码") || leaf.contains("计量") { return nil }
        if path.contains("目录") || leaf.hasSuffix("级") {
            for (n, level) in [("一级", 1), ("二级", 2), ("三级", 3)] where leaf.contains(n) { return .catalog(level) }
        }
        if leaf.contains("类别") || leaf.contains("类型") || leaf.contains("分类") { return .category }
        if leaf.contains("服务") || leaf.contains("内容") || leaf.contains("事项") || leaf.contains("品目")
            || leaf.contains("目录")
        {
            return .item
        }
        if leaf.contains("项目") { return .project }
        if leaf.contains("单位") || leaf.contains("部门") { return .unit }
        return nil
    }

    /// How well a figure column of a 政府购买服务 table states the row's amount (lower is better;
    /// `nil`: not the amount — a prior year's column).
    static func serviceAmountRank(_ col: Column) -> Int? {
        let leaf = col.leaf
        let path = col.pathKey
        if ColumnMeaning.priorYear(path) { return nil }
        if leaf.contains("合计") || leaf.contains("总计") { return 0 }
        if leaf.contains("金额") || leaf.contains("预算") || leaf.contains("资金") { return 1 }
        if leaf.contains("小计") { return 2 }
        return 3
    }

    /// 政府购买服务（预算）表: item rows, each with its unit and project; the 合计 as
    /// `purchase_services.total`, a unit's or a project's subtotal as `other.purchase_services_*`.
    /// Fund-split columns beside the amount (一般公共预算, 政府性基金 …) have no field and count as not
    /// placed.
    mutating func buildPurchaseServices(_ g: TableGrid) {
        let u = unit(g)
        let kinds = g.columns.map(Self.serviceText)
        let hasItemColumn = kinds.contains { $0?.namesItem == true }
        var currentUnit = ""
        var currentProject = ""
        var items = 0
        var emptyNotes: [String] = []
        for row in g.rows {
            // A plain text's figures have no column: the row is counted, not guessed.
            if !row.unplacedFigures.isEmpty {
                items += 1
                continue
            }
            var text: [ServiceText: String] = [:]
            var amount: PlacedFigure?
            var rank = Int.max
            for ci in row.cells.keys.sorted() {
                guard ci < row.columns.count, let first = row.cells[ci]?.first else { continue }
                let col = row.columns[ci]
                let cell = row.text(ci)
                guard !ColumnMeaning.isStub(col), let f = Figures.figure(first.text, unit: u) else {
                    if let k = Self.serviceText(col), !cell.isEmpty, text[k] == nil { text[k] = cell }
                    continue
                }
                if let r = Self.serviceAmountRank(col), r < rank {
                    rank = r
                    amount = PlacedFigure(figure: f, word: first, line: row.line)
                }
            }
            let texts = row.cells.keys.sorted().map { row.text($0) }.filter { !$0.isEmpty && !Figures.isFigure($0) }
            if amount == nil, let said = texts.first(where: Self.saysEmpty) {
                emptyNotes.append(TextNormal.compact(said))
                continue
            }
            let keys = texts.map(TextNormal.key)
            if keys.contains(where: { $0 == "合计" || $0 == "总计" }) {
                let label = texts.first { ["合计", "总计"].contains(TextNormal.key($0)) } ?? "合计"
                addTotal(key: "purchase_services.total", label: TextNormal.compact(label), grid: g, figure: amount)
                continue
            }
            let deepest = (1...3).reversed().lazy.compactMap { text[.catalog($0)] }.first
            var item = text[.item] ?? deepest
            if !hasItemColumn { item = text[.project] }
            let subtotal = keys.contains { $0.hasSuffix("小计") }
            if item == nil || subtotal {
                // A unit's or a project's own row: the rows under it are its items.
                let isProject = text[.project] != nil
                var name = TextNormal.compact(text[.project] ?? text[.unit] ?? texts.first ?? "")
                if name.hasSuffix("小计") { name = String(name.dropLast(2)) }
                if isProject { currentProject = name } else if !name.isEmpty { currentUnit = name }
                if let amount, !name.isEmpty {
                    addTotal(
                        key: isProject ? "other.purchase_services_project" : "other.purchase_services_unit",
                        label: name, grid: g, figure: amount)
                }
                continue
            }
            if let un = text[.unit] { currentUnit = TextNormal.compact(un) }
            if let p = text[.project] { currentProject = TextNormal.compact(p) }
            var r = DraftRow()
            r["unit"] = currentUnit
            r["project"] = hasItemColumn ? currentProject : ""
            r["item"] = TextNormal.compact(item ?? "")
            r["category"] = TextNormal.compact(
                text[.category] ?? (deepest != nil && text[.catalog(1)] != deepest ? text[.catalog(1)] ?? "" : ""))
            if let amount {
                r["amount"] = amount.figure.value.description
                r.sources["amount"] = source(amount, g)
                place(amount)
            }
            items += 1
            draft.append("purchase_services", r)
        }
        noteIfEmpty(g, items: items, said: emptyNotes)
    }

    // MARK: - 国有资产

    /// What a column of a 国有资产 table holds.
    enum AssetField: Hashable {
        case category, item, measure, note, quantity, amount
    }

    static func assetField(_ col: Column) -> AssetField? {
        let leaf = col.leaf
        if leaf.contains("序号") || leaf.contains("编码") || leaf.contains("代码") { return nil }
        if leaf.contains("计量") { return .measure }
        if leaf.contains("备注") || leaf.contains("说明") { return .note }
        if leaf.contains("数量") || leaf.contains("面积") || leaf.contains("台") || leaf.contains("辆") { return .quantity }
        if leaf.contains("价值") || leaf.contains("金额") || leaf.contains("原值") || leaf.contains("净值")
            || leaf.contains("账面") || leaf.contains("预算")
        {
            return .amount
        }
        if leaf.contains("类别") || leaf.contains("分类") || leaf.contains("类型") { return .category }
        if leaf.contains("名称") || leaf.contains("项目") || leaf.contains("资产") || leaf.contains("品目") { return .item }
        return nil
    }

    /// 国有资产（占有使用 / 配置）表, 固定资产占用情况表: one row per printed asset line (rows printed
    /// with blank figures are kept, as printed); the 合计 / 资产总额 row as `assets.total`. The
    /// category is the printed one, else what the title names (固定资产, 车辆), else 国有资产; the
    /// note is the date the figures stand at (「截止时间：2024-12-31」) and a 备注 cell.
    mutating func buildAssets(_ g: TableGrid) {
        let u = unit(g)
        let title = TextNormal.key(g.name)
        let titleCategory = title.contains("固定资产") ? "固定资产" : title.contains("车辆") ? "车辆" : "国有资产"
        let asAt = g.meta.lazy.compactMap(Self.asAtDate).first
        var items = 0
        var emptyNotes: [String] = []
        var currentCategory: String?
        for row in g.rows {
            if !row.unplacedFigures.isEmpty {
                items += 1
                continue
            }
            var text: [AssetField: String] = [:]
            var figures: [AssetField: PlacedFigure] = [:]
            var quantity: (value: ExactDecimal, word: Word)?
            for ci in row.cells.keys.sorted() {
                guard ci < row.columns.count, let first = row.cells[ci]?.first else { continue }
                let col = row.columns[ci]
                let field = Self.assetField(col)
                let cell = row.text(ci)
                if field == .quantity, let n = Figures.number(first.text) {
                    if quantity == nil { quantity = (n, first) }
                    continue
                }
                guard !ColumnMeaning.isStub(col), field == .amount, let f = Figures.figure(first.text, unit: u) else {
                    if let field, field != .amount, field != .quantity, !cell.isEmpty, text[field] == nil {
                        text[field] = cell
                    }
                    continue
                }
                if figures[.amount] == nil { figures[.amount] = PlacedFigure(figure: f, word: first, line: row.line) }
            }
            let texts = row.cells.keys.sorted().map { row.text($0) }.filter { !$0.isEmpty && !Figures.isFigure($0) }
            if figures.isEmpty && quantity == nil, let said = texts.first(where: Self.saysEmpty) {
                emptyNotes.append(TextNormal.compact(said))
                continue
            }
            let name = TextNormal.compact(text[.item] ?? "")
            if let total = texts.first(where: Self.isAssetTotal) {
                if let q = quantity { leaveOut([q.word], "数量 of the 合计 (no field)") }
                addTotal(key: "assets.total", label: TextNormal.compact(total), grid: g, figure: figures[.amount])
                continue
            }
            guard !name.isEmpty else { continue }
            if let c = text[.category] { currentCategory = TextNormal.compact(c) }
            var r = DraftRow()
            r["category"] = currentCategory ?? titleCategory
            r["item"] = name
            let measure = text[.measure].map(TextNormal.compact) ?? ""
            // The count's unit: the 计量单位 column, else the bracket closing the name 「车辆（台、辆）」.
            let countUnit = measure.isEmpty ? Self.bracketedMeasure(name) ?? "" : measure
            if let q = quantity {
                r["quantity"] = q.value.description
                let p = PlacedFigure(
                    figure: Figure(value: q.value, printed: q.word.text, unit: u, isDash: q.word.text == "-"),
                    word: q.word, line: row.line)
                var s = source(p, g)
                s.unit = countUnit
                r.sources["quantity"] = s
                place(p)
            }
            if let a = figures[.amount] {
                r["amount"] = a.figure.value.description
                r.sources["amount"] = source(a, g)
                place(a)
            }
            let notes = [asAt, text[.note].map(TextNormal.compact), measure.isEmpty ? nil : "计量单位 \(measure)"]
            r["note"] = notes.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "；")
            items += 1
            draft.append("assets", r)
        }
        noteIfEmpty(g, items: items, said: emptyNotes)
    }

    /// A 合计 row's label: 合计, 总计, 资产总额.
    static func isAssetTotal(_ text: String) -> Bool {
        let key = TextNormal.key(text)
        return ["合计", "总计", "资产总额", "资产总计", "资产合计"].contains(key)
    }

    /// The measure a name closes with in brackets: 「2、车辆（台、辆）」 → 台、辆.
    static func bracketedMeasure(_ name: String) -> String? {
        guard let r = name.range(of: "[（(]([^（）()]{1,6})[）)]$", options: .regularExpression) else { return nil }
        let inner = name[r].dropFirst().dropLast()
        return inner.contains(where: \.isNumber) ? nil : String(inner)
    }

    /// The date a table's figures stand at, from a meta line: 「截止时间：2024-12-31」.
    static func asAtDate(_ meta: String) -> String? {
        let t = TextNormal.compact(meta)
        guard let r = t.range(of: "截[止至](时间|日期)?[:：]?[^ ，,；;）)]+", options: .regularExpression) else { return nil }
        return String(t[r])
    }

    /// A row's text that says the table is empty: 「本部门无政府购买服务预算」「此表无数据」「空表」.
    static func saysEmpty(_ text: String) -> Bool {
        let t = TextNormal.key(text)
        if ["无数据", "空表", "没有数据", "此表无", "无此项", "未安排"].contains(where: t.contains) { return true }
        return t.range(of: "^(本|该)?(部门|单位)?(无|没有)", options: .regularExpression) != nil && t.count >= 4
    }

    /// A note when a table gives no rows (`items` counts the rows read or left to the plain text's
    /// count): what it says (「本部门无政府购买服务预算」), or that its 合计
    /// is 0 (or blank) over no rows.
    mutating func noteIfEmpty(_ g: TableGrid, items: Int, said: [String]) {
        guard items == 0 else { return }
        let place = document.kind == .pdf ? "p. \(g.page)" : "line \(g.line)"
        let why =
            if let s = said.first ?? g.notes.first(where: Self.saysEmpty) {
                "「\(s)」"
            } else {
                "no rows under its 合计"
            }
        notes.append(
            DocumentNote(kind: .emptyTable, text: "\(g.name) (\(place)): printed empty, \(why); no rows stored"))
    }
}

/// The vehicles and equipment the 情况说明 counts in its 国有资产占有使用情况 section, for a
/// document without an asset table: 「共有车辆 4 辆，其中：一般公务用车 3 辆 …」「单位价值 50 万元以上
/// 通用设备 0 台（套）」「2025 年年初预算购置车辆 0 台，金额 0 万元」.
enum AssetStatements {
    /// A count with its measure: 4 辆, 0 台（套）, 0 套.
    static let count = try? NSRegularExpression(pattern: "([0-9]+(?:\\.[0-9]+)?)(辆|台[（(]套[）)]|台|套)")
    /// An amount right after a count: 「，金额 0 万元」.
    static let amount = try? NSRegularExpression(pattern: "^[，,]?(?:金额|价值|原值)(?:为|合计)?([0-9][0-9,]*(?:\\.[0-9]+)?)万元")

    /// Whether a narrative section is about the state assets (国有资产占有使用情况, 国有资产信息).
    static func isAssetSection(_ section: String) -> Bool {
        let t = TextNormal.key(section)
        return t.contains("国有资产") || t.contains("资产占") || t.contains("资产配置")
    }

    /// The rows the clauses of the asset section state, each count with where it was printed.
    static func rows(_ clauses: [NarrativeReader.Clause]) -> [DraftRow] {
        guard let count, let amount else { return [] }
        var out: [DraftRow] = []
        for c in clauses where isAssetSection(c.section) {
            let text = TextNormal.compact(c.text) as NSString
            let section = TextNormal.compact(c.section.filter { $0 != "#" && $0 != "*" })
            var buying = false
            for m in count.matches(in: text as String, range: NSRange(location: 0, length: text.length)) {
                let before = text.substring(to: m.range.location)
                let start = before.lastIndex { "，,、：:；;。".contains($0) }.map { before.index(after: $0) }
                var label = String(before[(start ?? before.startIndex)...])
                if let r = label.range(of: "其中") { label = String(label[r.upperBound...]) }
                if let r = label.range(of: "共有") { label = String(label[r.lowerBound...]) }
                while let first = label.first, "和及与".contains(first) { label.removeFirst() }
                // A name, not an explanation (「其他用车主要是 0 车 0 辆」).
                guard label.count >= 2, let last = label.last,
                    last.unicodeScalars.first.map({ $0.value >= 0x2E80 }) == true,
                    !label.contains("主要是"), label.range(of: "[0-9][车辆台套]$", options: .regularExpression) == nil
                else { continue }
                if label.contains("购置") { buying = true }
                let measure = text.substring(with: m.range(at: 2))
                let printed = text.substring(with: m.range(at: 1))
                guard let quantity = ExactDecimal(printed) else { continue }
                let bare = label.replacingOccurrences(of: "[（(][^（）()]*[）)]", with: "", options: .regularExpression)
                let kind = bare.contains("车") || measure == "辆" ? "车辆" : "设备"
                var r = DraftRow()
                r["category"] = buying ? kind + "购置预算" : kind
                r["item"] = label
                r["quantity"] = quantity.description
                r.sources["quantity"] = FigureSource(
                    page: c.page, line: c.line, table: "情况说明", printed: printed, unit: measure)
                let after = text.substring(from: m.range.location + m.range.length)
                if let a = amount.firstMatch(in: after, range: NSRange(location: 0, length: (after as NSString).length))
                {
                    let figure = (after as NSString).substring(with: a.range(at: 1))
                    if let value = Figures.number(figure) {
                        r["amount"] = value.description
                        r.sources["amount"] = FigureSource(
                            page: c.page, line: c.line, table: "情况说明", printed: figure,
                            unit: PublishedUnit.wanYuan.rawValue)
                    }
                }
                r["note"] = "情况说明「\(section)」"
                out.append(r)
            }
        }
        return out
    }
}
