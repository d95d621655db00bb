// Classification: what the national 《政府收支分类科目》 fixes and every document shares — the
// 类 of the functional classification and of the 部门 economic classification by name, so a 类
// printed by name alone (in a 收支总表, or a 类 row printed without its code) gets its code.

/// Names and codes of the classifications.
enum Classification {
    /// The 类 of 支出功能分类, code → name (2025 edition, with older names where they changed).
    static let functionalClasses: [(String, [String])] = [
        ("201", ["一般公共服务支出"]), ("202", ["外交支出"]), ("203", ["国防支出"]), ("204", ["公共安全支出"]),
        ("205", ["教育支出"]), ("206", ["科学技术支出"]), ("207", ["文化旅游体育与传媒支出", "文化体育与传媒支出"]),
        ("208", ["社会保障和就业支出"]), ("209", ["社会保险基金支出"]), ("210", ["卫生健康支出", "医疗卫生与计划生育支出"]),
        ("211", ["节能环保支出"]), ("212", ["城乡社区支出", "城乡社区事务"]), ("213", ["农林水支出", "农林水事务"]),
        ("214", ["交通运输支出"]), ("215", ["资源勘探工业信息等支出", "资源勘探信息等支出"]), ("216", ["商业服务业等支出"]),
        ("217", ["金融支出"]), ("219", ["援助其他地区支出"]), ("220", ["自然资源海洋气象等支出"]), ("221", ["住房保障支出"]),
        ("222", ["粮油物资储备支出"]), ("223", ["国有资本经营预算支出"]), ("224", ["灾害防治及应急管理支出"]),
        ("227", ["预备费"]), ("229", ["其他支出"]), ("230", ["转移性支出"]), ("231", ["债务还本支出"]),
        ("232", ["债务付息支出"]), ("233", ["债务发行费用支出"]), ("234", ["抗疫特别国债安排的支出"]),
    ]

    /// The 类 of 部门预算支出经济分类, code → name.
    static let economicClasses: [(String, String)] = [
        ("301", "工资福利支出"), ("302", "商品和服务支出"), ("303", "对个人和家庭的补助"), ("307", "债务利息及费用支出"),
        ("309", "资本性支出（基本建设）"), ("310", "资本性支出"), ("311", "对企业补助（基本建设）"), ("312", "对企业补助"),
        ("313", "对社会保障基金补助"), ("399", "其他支出"),
    ]

    /// A label without its ordinal and level tag: 「一、一般公共服务支出」「（八）社会保障和就业支出」
    /// 「行政运行（项）」 → the name.
    static func stripOrdinal(_ label: String) -> String {
        var t = Array(TextNormal.halfWidth(TextNormal.compact(label)))
        let numerals: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"]
        // 「一、」「（八）」「(十一)」 at the start.
        var i = 0
        if i < t.count && t[i] == "(" { i += 1 }
        let start = i
        while i < t.count && numerals.contains(t[i]) { i += 1 }
        if i > start {
            var end = i
            var marked = false
            if end < t.count && t[end] == ")" {
                end += 1
                marked = true
            }
            if end < t.count && (t[end] == "、" || t[end] == ".") {
                end += 1
                marked = true
            }
            if marked { t.removeFirst(end) }
        }
        // 「1.」「12、」 at the start.
        var d = 0
        while d < t.count && t[d].isASCII && t[d].isNumber { d += 1 }
        if d > 0 && d < t.count && (t[d] == "." || t[d] == "、") { t.removeFirst(d + 1) }
        // 「（项）」 at the end.
        if t.count >= 3 && t[t.count - 1] == ")" && t[t.count - 3] == "(" && "类款项".contains(t[t.count - 2]) {
            t.removeLast(3)
        }
        return String(t)
    }

    /// Whether two printed names name the same line (「社会保障和就业」 and 「社会保障和就业支出」).
    static func sameName(_ a: String, _ b: String) -> Bool {
        let x = nameKey(a)
        return !x.isEmpty && x == nameKey(b)
    }

    /// A name without ordinal, level tag and a trailing 「支出」, for comparing names.
    static func nameKey(_ name: String) -> String {
        let x = stripOrdinal(name)
        return x.hasSuffix("支出") && x.count > 2 ? String(x.dropLast(2)) : x
    }

    /// The functional 类 code a name gives, from the national list.
    static func functionalClass(named name: String) -> String? {
        for (code, names) in functionalClasses where names.contains(where: { sameName($0, name) }) { return code }
        return nil
    }

    /// The 部门 economic 类 code a name gives, from the national list.
    static func economicClass(named name: String) -> String? {
        let n = TextNormal.halfWidth(stripOrdinal(name))
        for (code, candidate) in economicClasses where TextNormal.halfWidth(candidate) == n { return code }
        return nil
    }

    /// Whether a label is a top-level line (「一、」「二、」) rather than a sub-line (「（一）」「1.」).
    static func isTopLevel(_ label: String) -> Bool {
        TextNormal.compact(label).range(of: "^[一二三四五六七八九十]+、", options: .regularExpression) != nil
    }

    /// A short English key for an income source, for `totals` keys.
    static func sourceKey(_ source: String) -> String {
        switch source {
        case "一般公共预算拨款": return "general"
        case "政府性基金预算拨款": return "govfund"
        case "国有资本经营预算拨款": return "soe"
        case "财政专户管理资金": return "special_account"
        case "事业收入": return "business"
        case "事业单位经营收入": return "operating"
        case "上级补助收入": return "superior"
        case "附属单位上缴收入": return "affiliated"
        case "其他收入": return "other"
        case "上年结转": return "carryover"
        case "财政拨款": return "fiscal"
        case "单位资金": return "unit_funds"
        default: return "source"
        }
    }

    /// A short English key for a fund.
    static func fundKey(_ fund: String) -> String {
        switch fund {
        case "一般公共预算": return "general"
        case "政府性基金": return "govfund"
        default: return "soe"
        }
    }
}
