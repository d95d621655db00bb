// DepartmentInfo: who publishes the budget and for which year — the body's name (from the
// 编制部门 / 部门名称 / 单位名称 lines of the tables, else the cover), its code where printed, the
// region its name begins with, the year the titles state, 部门预算 or 单位预算, and the document's
// title.

import Foundation

/// The identity of an imported budget.
public struct DepartmentInfo: Sendable, Hashable {
    /// The body's full printed name.
    public var name: String
    /// Its code, where printed (「450秦皇岛市海港区医疗保障局」 → 450).
    public var code: String?
    /// Province (or municipality), city, county or district, as the name (or the text) gives them.
    public var province: String
    public var city: String?
    public var county: String?
    /// The budget year.
    public var year: Int
    /// 部门预算 or 单位预算.
    public var kind: String
    /// The document's title.
    public var title: String

    /// The value written when the document does not say.
    static let unknown = "（未注明）"

    /// Reads the identity from the tables' meta lines and the document's first lines.
    static func read(_ document: SourceDocument, grids: [TableGrid]) -> DepartmentInfo {
        var names: [String: Int] = [:]
        var code: String?
        for g in grids {
            for m in g.meta {
                if let (c, n) = metaName(m) {
                    names[n, default: 0] += 1
                    if code == nil, let c { code = c }
                }
            }
        }
        let head = document.lines.prefix(40).map { TextNormal.compact($0.text) }
        var cover: String?
        for t in head {
            for prefix in ["预算主管部门:", "预算主管部门：", "主管部门：", "主管部门:", "部门名称：", "单位名称：", "预算单位：", "预算单位:"]
            where t.hasPrefix(prefix) {
                cover = String(t.dropFirst(prefix.count))
            }
        }
        let name =
            names.max { a, b in a.value < b.value || a.value == b.value && a.key.count < b.key.count }?.key
            ?? cover ?? head.first { $0.hasSuffix("局") || $0.hasSuffix("委员会") || $0.hasSuffix("办事处") }
            ?? DepartmentInfo.unknown
        let title = documentTitle(head)
        let year = budgetYear(grids.map(\.printedTitle) + [title] + head)
        let kind = (title + grids.map(\.printedTitle).joined()).contains("单位预算") ? "单位预算" : "部门预算"
        var (province, city, county) = region(of: name)
        if province == nil { (province, city, county) = region(of: title) }
        if province == nil { province = mostFrequentProvince(document) }
        return DepartmentInfo(
            name: name, code: code, province: province ?? DepartmentInfo.unknown, city: city, county: county,
            year: year ?? 0, kind: kind, title: title.isEmpty ? name : title)
    }

    /// The body named in a meta line (「编制部门：X」「部门名称：X」「单位名称：X」「450X」), with its code.
    static func metaName(_ meta: String) -> (String?, String)? {
        let words = meta.split(separator: " ").map(String.init)
        for (i, w) in words.enumerated() {
            let t = TextNormal.halfWidth(w)
            for key in [
                "编制部门:", "编制单位:", "部门名称:", "单位名称:", "预算单位:", "预算主管部门:", "部门:", "单位名称", "编制部门",
            ] where t.hasPrefix(key) {
                var rest = String(t.dropFirst(key.count)).trimmingCharacters(in: CharacterSet(charactersIn: ": "))
                if rest.isEmpty, i + 1 < words.count { rest = words[i + 1] }
                if rest.isEmpty || rest.hasPrefix("单位") { continue }
                return split(rest)
            }
        }
        // 「450秦皇岛市海港区医疗保障局」: a code and a name in one cell.
        if let first = words.first, first.range(of: "^[0-9]{3,}[^0-9]", options: .regularExpression) != nil {
            return split(first)
        }
        return nil
    }

    private static func split(_ text: String) -> (String?, String) {
        guard let r = text.range(of: "^[0-9]{3,}", options: .regularExpression), r.upperBound < text.endIndex else {
            return (nil, text)
        }
        return (String(text[r]), String(text[r.upperBound...]))
    }

    /// The document's title: its first lines, up to the one that says 预算.
    static func documentTitle(_ head: [String]) -> String {
        var parts: [String] = []
        for t in head where !t.isEmpty {
            let clean = t.replacingOccurrences(of: "^#+", with: "", options: .regularExpression)
            if clean.hasPrefix("[bookmark") || clean.count > 40 { continue }
            parts.append(clean)
            if clean.contains("预算") || parts.count == 3 { break }
        }
        return parts.last.map { $0.contains("预算") } == true ? parts.joined() : (parts.first ?? "")
    }

    /// The year most titles state (「2025年」).
    static func budgetYear(_ texts: [String]) -> Int? {
        var counts: [Int: Int] = [:]
        for t in texts {
            let c = TextNormal.compact(t)
            var search = c.startIndex..<c.endIndex
            while let r = c.range(of: "20[0-9]{2}年", options: .regularExpression, range: search) {
                if let y = Int(c[r].prefix(4)) { counts[y, default: 0] += 1 }
                search = r.upperBound..<c.endIndex
            }
        }
        return counts.max { a, b in a.value < b.value || a.value == b.value && a.key < b.key }?.key
    }

    static let municipalities = ["北京市", "上海市", "天津市", "重庆市"]

    /// Province, city and county from the start of a name (「上海市普陀区…」「河南省三门峡市义马市…」).
    static func region(of name: String) -> (String?, String?, String?) {
        let n = TextNormal.compact(name)
        for m in municipalities where n.hasPrefix(m) {
            let rest = String(n.dropFirst(m.count))
            let county = rest.range(of: "^[^市县区]{1,6}?(区|县)", options: .regularExpression).map { String(rest[$0]) }
            return (m, nil, county)
        }
        guard let p = n.range(of: "^[^省]{2,7}?(省|自治区)", options: .regularExpression) else { return (nil, nil, nil) }
        let province = String(n[p])
        let rest = String(n[p.upperBound...])
        guard let c = rest.range(of: "^[^市州盟]{1,7}?(市|自治州|州|盟|地区)", options: .regularExpression) else {
            return (province, nil, nil)
        }
        let city = String(rest[c])
        let after = String(rest[c.upperBound...])
        let county = after.range(of: "^[^区县旗市]{1,6}?(区|县|旗|市)", options: .regularExpression).map { String(after[$0]) }
        return (province, city, county)
    }

    /// The provinces and autonomous regions (the municipalities are above).
    static let provinces = [
        "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
        "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
        "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    ]

    /// The province the text names most often (a body's name often leaves it out).
    static func mostFrequentProvince(_ document: SourceDocument) -> String? {
        var counts: [String: Int] = [:]
        // Byte search: Foundation's locale-aware `contains` made this a third of a long import.
        let names = (provinces + municipalities).map { ($0, Array($0.utf8)) }
        for l in document.lines {
            let t = Array(TextNormal.compact(l.text).utf8)
            for (p, bytes) in names where t.firstRange(of: bytes) != nil { counts[p, default: 0] += 1 }
        }
        return counts.max { a, b in a.value < b.value || a.value == b.value && a.key < b.key }?.key
    }
}
