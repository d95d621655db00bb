// TableKind: the tables of the national 部门预算公开 template, recognised by the words of their
// titles (which vary by region: 收支预算总表, 部门收支总表, 部门收支总体情况表, 财务收支预算总表 …),
// and the normalisation that turns a printed title into the table name the dataset stores.

/// A kind of published budget table.
public enum TableKind: String, Sendable, Hashable, CaseIterable {
    /// 收支（预算）总表: income by source against spending by 类.
    case summary = "收支总表"
    /// 收入（预算）总表: income by source, per unit or per classification line.
    case income = "收入总表"
    /// 支出（预算）总表: spending of all funds by functional classification.
    case expenditure = "支出总表"
    /// 财政拨款收支（预算）总表.
    case fiscal = "财政拨款收支总表"
    /// 一般公共预算支出（功能分类）表.
    case generalFunctional = "一般公共预算支出表"
    /// 一般公共预算基本支出表 (by economic classification).
    case basicEconomic = "一般公共预算基本支出表"
    /// Another economic classification table (支出经济分类汇总表, 财政拨款支出表（部门经济分类科目）…).
    case economic = "支出经济分类表"
    /// “三公”经费（和机关运行经费）表.
    case threePublic = "三公经费表"
    /// 政府性基金预算支出表.
    case governmentFund = "政府性基金预算支出表"
    /// 国有资本经营预算支出表.
    case stateCapital = "国有资本经营预算支出表"
    /// 项目支出（预算）表.
    case projects = "项目支出表"
    /// 政府采购（预算）表.
    case procurement = "政府采购表"
    /// 政府购买服务（预算）表.
    case purchaseServices = "政府购买服务表"
    /// 国有资产 / 固定资产 占有使用表.
    case assets = "国有资产表"
    /// 整体 or 项目 绩效目标表.
    case performance = "绩效目标表"
    /// 债务支出, 专项资金 and other tables the model has no place for.
    case other = "其他表"

    /// The kind a (normalised) title names, or `nil` when it is no budget table's title.
    static func classify(_ title: String) -> TableKind? {
        let full = TextNormal.key(title)
        var t = full
        // A trailing bracket that qualifies the title: 「（部门经济分类科目）」「(续)」「（公开表 2）」.
        while t.hasSuffix(")"), let open = t.lastIndex(of: "("), open != t.startIndex { t = String(t[..<open]) }
        // A 决算 (final accounts) table is not a budget's.
        if t.contains("决算") { return nil }
        if t.contains("政府采购预算") { return .procurement }
        guard t.hasSuffix("表") else { return nil }
        if full.contains("经济分类") && !t.contains("基本支出") && !t.contains("三公") { return .economic }
        if t.contains("绩效") { return .performance }
        if t.contains("三公") { return t.contains("政府性基金") ? .other : .threePublic }
        if t.contains("政府采购") { return .procurement }
        if t.contains("购买服务") { return .purchaseServices }
        if t.contains("资产") { return .assets }
        if t.contains("债务") || t.contains("专项资金") || t.contains("转移支付") { return .other }
        if t.contains("财政拨款") && t.contains("收支") { return .fiscal }
        if t.contains("收支") && (t.contains("总") || t.contains("预算表")) { return .summary }
        if t.contains("项目支出") && !t.contains("基本支出") { return .projects }
        if t.contains("基本支出") { return .basicEconomic }
        if t.contains("经济分类") { return .economic }
        if t.contains("政府性基金") && t.contains("支出") { return .governmentFund }
        if t.contains("国有资本经营") && t.contains("支出") { return .stateCapital }
        if t.contains("一般公共预算") && t.contains("支出") { return .generalFunctional }
        if t.contains("收入") && (t.contains("总") || t.contains("预算表") || t.contains("情况表")) { return .income }
        if t.contains("支出") && (t.contains("总") || t.contains("功能分类")) { return .expenditure }
        return nil
    }

    /// The fund a functional table reports, if it is one fund's table.
    var fund: String? {
        switch self {
        case .generalFunctional: return "一般公共预算"
        case .governmentFund: return "政府性基金"
        case .stateCapital: return "国有资本经营"
        default: return nil
        }
    }

    /// Whether the table's rows are lines of the functional classification.
    var isFunctional: Bool {
        [.expenditure, .generalFunctional, .governmentFund, .stateCapital, .income].contains(self)
    }
}

/// Printed titles made into table names.
enum TableTitle {
    /// The printed title without its number (表1, 预算01表, 公开表1-1, 1., 一、), its year prefix
    /// (2025年) and trailing remarks in brackets that only number it (（公开表 2）).
    static func name(_ printed: String) -> String {
        var t = TextNormal.compact(printed)
        t = stripBookmark(t)
        while t.hasPrefix("#") || t.hasPrefix("-") || t.hasPrefix("*") { t.removeFirst() }
        // Numbering and a year prefix, in either order: 「1.2025年」「预算01表2025年」「2025年度」.
        var changed = true
        while changed {
            changed = false
            if let r = t.range(of: "^[0-9]{4}年度?", options: .regularExpression), r.upperBound < t.endIndex {
                t.removeSubrange(r)
                changed = true
            }
            let stripped = stripLeadingNumber(t)
            if stripped != t {
                t = stripped
                changed = true
            }
        }
        // Trailing 「（公开表1-1）」「(表3)」 and a trailing table number 「表1」.
        if let r = t.range(of: "[（(](公开)?表[0-9０-９一二三四五六七八九十\\-－]+[）)]$", options: .regularExpression) {
            t.removeSubrange(r)
        } else if let r = t.range(of: "[（(][^（）()]*[0-9０-９][^（）()]*表[）)]$", options: .regularExpression) {
            // 「（公开01表）」「(预算02表)」
            t.removeSubrange(r)
        }
        if let r = t.range(of: "(预算)?[0-9]+表$", options: .regularExpression), r.lowerBound != t.startIndex {
            t.removeSubrange(r)
        }
        return t
    }

    private static func stripBookmark(_ t: String) -> String {
        guard t.hasPrefix("[bookmark:"), let end = t.firstIndex(of: "]") else { return t }
        return String(t[t.index(after: end)...])
    }

    private static func stripLeadingNumber(_ t: String) -> String {
        let patterns = [
            "^(公开)?表[0-9]+([\\-－][0-9]+)?[:：.．、]?", "^预算[0-9]+表", "^[0-9]{1,2}([\\-－][0-9]+)?[.．、:：]",
            "^[0-9]{1,2}(?=[^0-9年.．])",
            "^[（(]?[一二三四五六七八九十]+[）)]?[、.．]?", "^附表[0-9]*([\\-－][0-9]+)?[:：.．、]?",
        ]
        var s = t
        for p in patterns {
            if let r = s.range(of: p, options: .regularExpression), !r.isEmpty {
                let rest = s[r.upperBound...]
                // Keep a title that would be emptied, or that starts a word (「一般公共预算」 is no number).
                if rest.isEmpty { continue }
                if p.hasPrefix("^[（(]?[一二三四五六七八九十]")
                    && !(s[r].contains("、") || s[r].contains(")") || s[r].contains("）"))
                {
                    continue
                }
                s = String(rest)
            }
        }
        return s
    }
}
