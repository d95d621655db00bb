// ColumnMeaning: what a column holds, from its header labels (leaf and groups) and the kind of
// table — 合计, 基本支出, 人员经费 …, an income source, a “三公” part. A 「小计」 takes the meaning
// of the group it subtotals: the group above it, or else the columns that follow it.

/// What a figure column of a table holds.
enum FieldMeaning: Hashable, Sendable {
    case total
    case basic
    case personnel
    case publicCost
    case project
    /// A 小计 whose group is not known yet.
    case subtotal
    /// A 项目支出 category column (其他运转类, 特定目标类).
    case projectCategory(String)
    /// An income source (a value of the schema's `income.source`), or 财政拨款 / 单位资金 parents.
    case incomeSource(String)
    /// A fund column of an expense side (一般公共预算, 政府性基金, 国有资本经营).
    case fund(String)
    /// A “三公” part: a `three_public` field name.
    case threePublic(String)
    /// 机关运行经费.
    case operatingCost
    /// A figure column no field of the model holds (its label).
    case other(String)
}

/// Reads the meaning of columns.
enum ColumnMeaning {
    /// Whether the column holds text (codes, names, units …) rather than figures.
    static func isStub(_ c: Column) -> Bool { c.isStub }

    /// Whether a column with this (folded) leaf label holds text.
    static func stub(leaf label: String) -> Bool {
        var leaf = label
        while leaf.hasSuffix(")"), let open = leaf.lastIndex(of: "("), open != leaf.startIndex {
            leaf = String(leaf[..<open])
        }
        if ["类", "款", "项", "项目", "单位", "部门", "序号", "科目", "项目(单位)", "单位(项目)"].contains(leaf) { return true }
        if leaf.hasPrefix("项目") && !leaf.contains("支出") && !leaf.contains("金额") && !leaf.contains("资金") {
            return true
        }
        let suffixes = [
            "编码", "名称", "代码", "内容", "类别", "类型", "科目", "概况", "说明", "依据", "品目", "目录", "规格", "计量单位",
            "用途", "方式", "目标", "期限", "指标", "单位", "性质", "级次", "序号", "物品名称", "品目",
        ]
        if leaf.hasSuffix("事业单位") || leaf.contains("收入") || leaf.contains("经费") { return false }
        if leaf.contains("编码") || leaf.contains("代码") || leaf.contains("科目名称") { return true }
        return suffixes.contains { leaf.hasSuffix($0) }
    }

    /// The meaning of each column of a functional (or economic) classification table.
    static func classification(_ columns: [Column], economic: Bool) -> [FieldMeaning?] {
        var out: [FieldMeaning?] = columns.map { c in
            if isStub(c) { return nil }
            let leaf = c.leaf
            let path = c.pathKey
            let groups = TextNormal.key(c.context.joined())
            if leaf.contains("人员经费") || leaf == "工资福利支出" && !economic && groups.contains("人员经费") { return .personnel }
            if leaf.contains("公用经费") { return .publicCost }
            if leaf.contains("其他运转类") { return .projectCategory("其他运转类") }
            if leaf.contains("特定目标类") { return .projectCategory("特定目标类") }
            if leaf.contains("基本支出") { return .basic }
            if leaf.contains("项目支出") { return .project }
            if leaf == "小计" || leaf == "合计" && !groups.isEmpty && !economic {
                if groups.contains("基本支出") { return .basic }
                if groups.contains("项目支出") { return .project }
                if leaf == "小计" { return .subtotal }
            }
            if priorYear(path) { return .other(TextNormal.compact(c.label)) }
            if leaf.contains("合计") || leaf.contains("总计") { return .total }
            if let source = incomeSource(leaf) { return .incomeSource(source) }
            return .other(TextNormal.compact(c.label.isEmpty ? path : c.label))
        }
        resolveSubtotals(&out)
        // No 合计 column: the budget column is the one headed 预算数 / 金额 / 本年 (the latest year
        // where several years are printed), never a prior year's or a change.
        if !out.contains(where: { $0 == .total }) {
            var best: (index: Int, year: Int)?
            for (i, m) in out.enumerated() {
                guard case .other = m else { continue }
                let path = columns[i].pathKey
                guard !priorYear(path), ["预算数", "金额", "本年", "预算"].contains(where: path.contains) else { continue }
                let year = path.range(of: "20[0-9]{2}", options: .regularExpression).flatMap { Int(path[$0]) } ?? 0
                if best == nil || year > best?.year ?? 0 { best = (i, year) }
            }
            if let best { out[best.index] = .total }
        }
        return out
    }

    /// Whether a column holds last year's figures or a change (上年预算数, 增减%, 执行数 …).
    static func priorYear(_ path: String) -> Bool {
        if path.contains("结转") || path.contains("结余") { return false }
        return ["上年", "上一年", "执行", "决算", "增减", "增长", "变动", "%", "比较", "同比"].contains(where: path.contains)
    }

    /// A 小计 is the subtotal of the columns after it: 人员经费 · 公用经费 → 基本支出; project
    /// categories → 项目支出.
    static func resolveSubtotals(_ meanings: inout [FieldMeaning?]) {
        for i in meanings.indices where meanings[i] == .subtotal {
            var resolved: FieldMeaning = .other("小计")
            for j in (i + 1)..<meanings.count {
                guard let m = meanings[j] else { continue }
                switch m {
                case .personnel, .publicCost: resolved = .basic
                case .projectCategory: resolved = .project
                case .threePublic("vehicle_purchase"), .threePublic("vehicle_operation"):
                    resolved = .threePublic("vehicle")
                default: break
                }
                break
            }
            meanings[i] = resolved
        }
    }

    /// The income source a label names (`income.source` values), or a parent (财政拨款 …).
    static func incomeSource(_ label: String) -> String? {
        let t = TextNormal.key(label)
        if t.contains("一般公共预算") { return "一般公共预算拨款" }
        if t.contains("政府性基金") { return "政府性基金预算拨款" }
        if t.contains("国有资本经营") { return "国有资本经营预算拨款" }
        if t.contains("财政专户") { return "财政专户管理资金" }
        if t.contains("事业单位经营") || t.contains("经营收入") { return "事业单位经营收入" }
        if t.contains("事业收入") { return "事业收入" }
        if t.contains("上级补助") { return "上级补助收入" }
        if t.contains("附属单位") { return "附属单位上缴收入" }
        if t.contains("上年结转") || t.contains("上年结余") { return "上年结转" }
        if t.contains("其他收入") { return "其他收入" }
        if t.contains("财政拨款") { return "财政拨款" }
        if t.contains("单位资金") { return "单位资金" }
        return nil
    }

    /// The meaning of each column of a “三公” table.
    static func threePublic(_ columns: [Column]) -> [FieldMeaning?] {
        var out: [FieldMeaning?] = columns.map { c in
            if isStub(c) { return nil }
            // The lowest label names the column; the pieces above it (a group label that shares
            // its centre) and the groups only decide a 小计.
            let last = TextNormal.key(c.pieces.last ?? "")
            let leaf = ["小计", "合计", "数", "预算数"].contains(last) || c.pieces.count == 1 ? c.leaf : last
            let groups = TextNormal.key((c.context + c.pieces.dropLast()).joined())
            if leaf.contains("机关运行") || groups.contains("机关运行") && !leaf.contains("三公") { return .operatingCost }
            if leaf.contains("出国") { return .threePublic("abroad") }
            if leaf.contains("接待") { return .threePublic("reception") }
            if leaf.hasSuffix("购置费") && !leaf.contains("运行") || leaf == "购置" { return .threePublic("vehicle_purchase") }
            if leaf.hasSuffix("运行费") && !leaf.contains("购置及") || leaf.contains("运行维护") || leaf == "运行"
                || leaf.hasSuffix("运维费") && !leaf.contains("购置及")
            {
                return .threePublic("vehicle_operation")
            }
            if leaf.contains("购置及运行") || leaf.contains("购置及运维") || leaf.contains("公务用车") {
                return .threePublic("vehicle")
            }
            if leaf == "小计" {
                if groups.contains("公务用车") { return .threePublic("vehicle") }
                return .subtotal
            }
            if leaf.contains("合计") || leaf.contains("总计") || leaf.contains("三公") || leaf == "预算数" {
                return .threePublic("total")
            }
            return .other(c.label)
        }
        resolveSubtotals(&out)
        // A lone 小计 in a “三公” table is the 公务用车 subtotal, the template's only one.
        for i in out.indices where out[i] == .other("小计") { out[i] = .threePublic("vehicle") }
        return out
    }

    /// The “三公” part a row label names, for a table printed as a list (one row per part):
    /// 「二、公务用车购置及运维费」 → vehicle. Sub-items (「其中：教学科研人员因公出国（境）费」) name none.
    static func threePublicPart(_ label: String) -> String? {
        var t = TextNormal.key(label)
        if t.hasPrefix("其中:") { t.removeFirst(3) }
        t = Classification.stripOrdinal(t)
        if t.contains("教学科研") || t.hasPrefix("其他") { return nil }
        if t.contains("机关运行") { return "operating_cost" }
        if t.contains("出国") { return "abroad" }
        if t.contains("接待") { return "reception" }
        if t.contains("购置及运行") || t.contains("购置及运维") { return "vehicle" }
        if t.hasSuffix("购置费") { return "vehicle_purchase" }
        if t.contains("运行") || t.contains("运维") { return "vehicle_operation" }
        if t == "合计" || t == "总计" || t.contains("三公") { return "total" }
        return nil
    }

    /// The meaning of each figure column of a two-sided table (收支总表, 财政拨款收支总表): the
    /// income side's 预算数, the expense side's 预算数 / 合计 and fund columns.
    static func twoSided(_ columns: [Column]) -> (income: [Int], expense: [Int: FieldMeaning]) {
        var stubSeen = 0
        var income: [Int] = []
        var expense: [Int: FieldMeaning] = [:]
        for (i, c) in columns.enumerated() {
            let groups = TextNormal.key(c.context.joined())
            if isStub(c) {
                if !["序号", "行次", "栏次", "编号"].contains(c.leaf) { stubSeen += 1 }
                continue
            }
            let expenseSide = groups.contains("支出") || (!groups.contains("收入") && stubSeen >= 2)
            if !expenseSide {
                income.append(i)
                continue
            }
            let leaf = c.leaf
            if leaf.contains("一般公共预算") {
                expense[i] = .fund("一般公共预算")
            } else if leaf.contains("政府性基金") {
                expense[i] = .fund("政府性基金")
            } else if leaf.contains("国有资本") {
                expense[i] = .fund("国有资本经营")
            } else if let m = classification([c], economic: false).first ?? nil, m != .subtotal,
                [.basic, .personnel, .publicCost, .project].contains(m)
            {
                // An expense side split like the functional table: 合计 · 基本支出 (人员 · 公用) · 项目支出.
                expense[i] = m
            } else {
                expense[i] = .total
            }
        }
        return (income, expense)
    }
}
