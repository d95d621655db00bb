// PlainTables: the tables of a converted text that has no cell positions — words in reading
// order, a wrapped cell broken over several lines, blank cells dropped. A row is put back
// together from its lines (the text lines up to the line that ends in its figures); its codes,
// name, category and unit are read from that text. Its figures are matched to the header's
// columns by the table's own arithmetic (合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费,
// 项目支出 = Σ categories), never by counting spaces. A row the arithmetic leaves open is
// decided by the columns' sums against the 合计 row (and marked inferred); a row still open
// keeps its figures unplaced, as before. A header this stage does not understand leaves the
// table as the locator read it.

import BudgetModel
import Foundation

/// Lays out the tables of a text without cell positions.
enum PlainTables {
    /// `grids` of a plain document, each laid out where its header is understood.
    static func lay(_ grids: [TableGrid]) -> [TableGrid] {
        let units = unitNames(grids)
        return grids.map { g in lay(g, units: units) ?? g }
    }

    // MARK: - Rows from lines

    /// A row put back together: its text words in reading order and its figures.
    struct Record {
        var words: [Word]
        var figures: [Word]
        var page: Int
        /// The line its figures are on (the first line of a row without figures).
        var line: Int
        var middle: Double
    }

    /// Whether a token is a figure of a table whose figures carry decimals (`decimals`): there a
    /// bare integer other than 0 is a code (「208」「05」「052001」), not an amount.
    static func isFigure(_ text: String, decimals: Bool) -> Bool {
        guard Figures.isFigure(text) else { return false }
        if Figures.isDash(text) || !decimals { return true }
        let t = TextNormal.halfWidth(text)
        return t.contains(".") || t.contains(",") || t == "0"
    }

    /// Whether the figures of `lines` carry decimals (most tables print 2).
    static func decimals(_ lines: [Line]) -> Bool {
        lines.contains { l in
            l.words.contains { TextNormal.halfWidth($0.text).contains(".") && Figures.number($0.text) != nil }
        }
    }

    /// The rows of a one-sided table: a row's text runs up to the line that ends in figures.
    static func records(_ lines: [Line]) -> [Record] {
        let dec = decimals(lines)
        var out: [Record] = []
        var pending: [Word] = []
        var first: Line?
        for l in lines {
            var k = l.words.count
            while k > 0 && isFigure(l.words[k - 1].text, decimals: dec) { k -= 1 }
            if k == l.words.count {
                if first == nil { first = l }
                pending += l.words
                continue
            }
            out.append(
                Record(
                    words: pending + l.words[..<k], figures: Array(l.words[k...]), page: l.page, line: l.number,
                    middle: l.middle))
            pending = []
            first = nil
        }
        if let first, !pending.isEmpty {
            out.append(Record(words: pending, figures: [], page: first.page, line: first.number, middle: first.middle))
        }
        return out
    }

    /// Leading digit groups of a row's text (「208 05 05」, 「2080505」, 「052001」) and the words after.
    static func leadingCode(_ words: [Word]) -> (pieces: [Word], rest: [Word]) {
        var k = 0
        while k < words.count, isDigits(words[k].text), k == 0 || words[k].text.count <= 2 { k += 1 }
        return (Array(words[..<k]), Array(words[k...]))
    }

    static func isDigits(_ t: String) -> Bool { !t.isEmpty && t.allSatisfy { $0.isASCII && $0.isNumber } }

    /// The code the pieces spell, when it is one of the national classification's (a functional
    /// 类 2xx, a 部门 economic 3xx, a 政府 economic 5xx); else `nil` (a unit's code).
    static func classificationCode(_ pieces: [Word], economic: Bool) -> String? {
        guard let first = pieces.first?.text, [3, 5, 7].contains(first.count) else { return nil }
        var code = first
        for p in pieces.dropFirst() { code += p.text.count == 1 ? "0" + p.text : p.text }
        guard [3, 5, 7].contains(code.count) else { return nil }
        let head = String(code.prefix(3))
        if economic { return head.hasPrefix("3") || head.hasPrefix("5") ? code : nil }
        return Classification.functionalClasses.contains { $0.0 == head } ? code : nil
    }

    /// A word holding `text`, at the place of `words` (their first word's box).
    static func word(_ text: String, at words: [Word]) -> Word? {
        guard var w = words.first else { return nil }
        w.text = text
        if let last = words.last { w.x1 = max(w.x1, last.x1) }
        return w
    }

    /// Words joined as one cell's text: the pieces of a wrapped cell joined without spaces.
    static func joined(_ words: [Word]) -> String {
        TextNormal.unwrapped(GridRow.join(words)).replacingOccurrences(of: " ", with: "")
    }

    /// The names of the units the tables print with a unit code (「052001 义马市医疗保障局」).
    static func unitNames(_ grids: [TableGrid]) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for g in grids where g.kind != .performance {
            for r in records(g.bodyLines) {
                let (pieces, rest) = leadingCode(r.words)
                guard pieces.count == 1, pieces[0].text.count >= 3, !rest.isEmpty,
                    classificationCode(pieces, economic: false) == nil,
                    classificationCode(pieces, economic: true) == nil
                else { continue }
                let name = joined(rest)
                // A department has tens of units, not thousands: the list stays short.
                if name.count >= 3, seen.count < 1_000, seen.insert(name).inserted { names.append(name) }
            }
        }
        return names.sorted { $0.count > $1.count }
    }

    // MARK: - Columns from the header

    /// What a figure column adds up to.
    enum Role: Equatable {
        case total, basic, project, personnel, publicCost, category, part
    }

    /// A figure column of the template: its header and its part in the arithmetic.
    struct Slot {
        var pieces: [String]
        var context: [String]
        var role: Role
        /// Columns of one role with one meaning (the sub-columns of 人员经费) share a group.
        var group: String
    }

    /// A table's layout: text columns, then figure slots.
    struct Template {
        enum Shape { case split, totalFirst, twoSided }
        var shape: Shape
        var stubs: [Column]
        var slots: [Slot]
    }

    static func column(_ pieces: [String], _ context: [String], _ index: Int) -> Column {
        let x = Double(index) * TextReader.cellWidth
        return Column(pieces: pieces, context: context, x0: x, x1: x + TextReader.cellWidth - 1, center: x + 4.5)
    }

    /// The template of a 支出 table split into 基本支出 (人员经费 · 公用经费) and 项目支出
    /// (categories), as its header names them; `nil` when the header has no 合计 or no split.
    static func splitSlots(_ h: String) -> [Slot]? {
        guard h.contains("合计") || h.contains("总计") else { return nil }
        var slots = [Slot(pieces: [h.contains("合计") ? "合计" : "总计"], context: [], role: .total, group: "total")]
        var subtotals = h.components(separatedBy: "小计").count - 1
        let personnel = h.contains("人员经费")
        let publicCost = h.contains("公用经费")
        let categories = ["其他运转类", "特定目标类"].filter(h.contains)
        // 人员经费 and 公用经费 may be split by the economic 类 beneath them (工资福利支出 ·
        // 对个人和家庭的补助 …). Without positions a row cannot show which sub-column holds a
        // figure, so each is read as one column: a row holds at most one figure of each.
        if personnel || publicCost {
            if subtotals > 0 && h.contains("基本支出") {
                slots.append(Slot(pieces: ["小计"], context: ["基本支出"], role: .basic, group: "basic"))
                subtotals -= 1
            }
            if personnel {
                slots.append(Slot(pieces: ["人员经费"], context: ["基本支出"], role: .personnel, group: "personnel"))
            }
            if publicCost {
                slots.append(Slot(pieces: ["公用经费"], context: ["基本支出"], role: .publicCost, group: "public"))
            }
        } else if h.contains("基本支出") {
            slots.append(Slot(pieces: ["基本支出"], context: [], role: .basic, group: "basic"))
        }
        if h.contains("项目支出") {
            if !categories.isEmpty {
                if subtotals > 0 {
                    slots.append(Slot(pieces: ["小计"], context: ["项目支出"], role: .project, group: "project"))
                }
                for c in categories { slots.append(Slot(pieces: [c], context: ["项目支出"], role: .category, group: c)) }
            } else {
                slots.append(Slot(pieces: ["项目支出"], context: [], role: .project, group: "project"))
            }
        }
        for p in ["事业单位经营支出", "上缴上级支出", "对附属单位补助支出"] where h.contains(p) {
            slots.append(Slot(pieces: [p], context: [], role: .part, group: p))
        }
        return slots.count >= 2 ? slots : nil
    }

    /// The template for `kind` from its header text.
    static func template(_ kind: TableKind, header h: String) -> Template? {
        switch kind {
        case .expenditure, .generalFunctional, .governmentFund, .stateCapital:
            guard let slots = splitSlots(h) else { return nil }
            var stubs = [column(["科目编码"], [], 0)]
            if h.contains("代码") || h.contains("单位编码") { stubs.append(column(["单位代码"], [], 0)) }
            stubs.append(column(["科目名称"], [], 0))
            return Template(shape: .split, stubs: stubs, slots: slots)
        case .basicEconomic, .economic:
            let government = h.contains("政府预算") || h.contains("政府经济分类")
            var stubs = [column(["科目编码"], [], 0), column(["科目名称"], [], 0)]
            if government {
                stubs += [
                    column(["科目编码"], ["政府预算支出经济分类科目"], 0), column(["科目名称"], ["政府预算支出经济分类科目"], 0),
                ]
            }
            if let slots = splitSlots(h), slots.contains(where: { $0.role != .total }),
                !(h.contains("一般公共预算") && h.contains("政府性基金") && !h.contains("人员经费"))
            {
                return Template(shape: .split, stubs: stubs, slots: slots)
            }
            return totalFirst(h, stubs: stubs)
        case .projects:
            var stubs: [Column] = []
            if h.contains("类型") || h.contains("项目类别") { stubs.append(column(["类型"], [], 0)) }
            stubs.append(column(["项目名称"], [], 0))
            if h.contains("项目单位") || h.contains("单位名称") { stubs.append(column(["项目单位"], [], 0)) }
            guard h.contains("项目名称") else { return nil }
            return totalFirst(h, stubs: stubs)
        case .income:
            return totalFirst(h, stubs: [column(["单位代码"], [], 0), column(["单位名称"], [], 0)])
        case .threePublic:
            guard h.contains("出国") && h.contains("接待") else { return nil }
            var slots = [Slot(pieces: ["合计"], context: [], role: .total, group: "total")]
            slots.append(Slot(pieces: ["因公出国（境）费"], context: [], role: .part, group: "abroad"))
            if h.contains("小计") {
                slots.append(Slot(pieces: ["小计"], context: ["公务用车购置及运行费"], role: .basic, group: "vehicle"))
            }
            slots.append(Slot(pieces: ["公务用车购置费"], context: [], role: .personnel, group: "vehicle_purchase"))
            slots.append(Slot(pieces: ["公务用车运行费"], context: [], role: .publicCost, group: "vehicle_operation"))
            slots.append(Slot(pieces: ["公务接待费"], context: [], role: .part, group: "reception"))
            return Template(shape: .split, stubs: [column(["单位名称"], [], 0)], slots: slots)
        case .summary, .fiscal:
            return Template(
                shape: .twoSided,
                stubs: [column(["项目"], ["收入"], 0), column(["项目"], ["支出"], 0)],
                slots: [
                    Slot(pieces: ["金额"], context: ["收入"], role: .part, group: "income"),
                    Slot(pieces: ["合计"], context: ["支出"], role: .total, group: "expense"),
                ])
        default:
            return nil
        }
    }

    /// A table whose first figure column is its 合计: that column alone is placed.
    static func totalFirst(_ h: String, stubs: [Column]) -> Template? {
        guard h.contains("合计") || h.contains("总计") else { return nil }
        return Template(
            shape: .totalFirst, stubs: stubs,
            slots: [Slot(pieces: [h.contains("总计") ? "总计" : "合计"], context: [], role: .total, group: "total")])
    }

    // MARK: - Figures by arithmetic

    /// A row's figures as integers of the table's finest decimal place.
    static func scaled(_ words: [Word], places: Int) -> [Int64]? {
        var out: [Int64] = []
        for w in words {
            if Figures.isDash(w.text) {
                out.append(0)
                continue
            }
            var factor = 1
            for _ in 0..<places { factor *= 10 }
            guard let d = Figures.number(w.text), let m = d.multiplying(ExactDecimal(factor))?.rounded(toPlaces: 0),
                let i = m.exactInteger
            else { return nil }
            out.append(Int64(i))
        }
        return out
    }

    /// The decimal places of the figures in `words` (at most 6).
    static func places(_ words: [Word]) -> Int {
        var p = 0
        for w in words {
            let t = TextNormal.halfWidth(w.text)
            if let dot = t.firstIndex(of: ".") { p = max(p, t.distance(from: dot, to: t.endIndex) - 1) }
        }
        return min(p, 6)
    }

    /// One way to read a row: the slot of each figure.
    typealias Reading = [Int]

    /// Every reading of `values` (left to right, blank cells dropped) under which the row adds
    /// up: a total equals its parts within the rounding of one unit of the last place per part.
    static func readings(_ values: [Int64], slots: [Slot]) -> [Reading] {
        var out: [Reading] = []
        var chosen: [Int] = []
        // More readings than a template of a dozen columns can give: none is trusted.
        let limit = 256
        func walk(_ next: Int, _ from: Int) {
            if out.count > limit { return }
            if next == values.count {
                if addsUp(chosen, values, slots) { out.append(chosen) }
                return
            }
            let left = values.count - next
            guard from <= slots.count - left else { return }
            for s in from...(slots.count - left) {
                chosen.append(s)
                walk(next + 1, s + 1)
                chosen.removeLast()
            }
        }
        walk(0, 0)
        return out.count > limit ? [] : out
    }

    /// Whether a reading's figures satisfy the template's identities.
    static func addsUp(_ reading: Reading, _ values: [Int64], _ slots: [Slot]) -> Bool {
        var v = [Int64](repeating: 0, count: slots.count)
        for (k, s) in reading.enumerated() { v[s] = values[k] }
        func sum(_ role: Role) -> (Int64, Int) {
            var t: Int64 = 0
            var n = 0
            for (i, s) in slots.enumerated() where s.role == role {
                t &+= v[i]
                n += 1
            }
            return (t, n)
        }
        func close(_ a: Int64, _ b: Int64, _ terms: Int) -> Bool { distance(a, b) <= Int64(max(terms, 1)) }
        let (pers, nPers) = sum(.personnel)
        let (pub, nPub) = sum(.publicCost)
        let (cats, nCats) = sum(.category)
        let (parts, nParts) = sum(.part)
        let basicIndex = slots.firstIndex { $0.role == .basic }
        let projectIndex = slots.firstIndex { $0.role == .project }
        if let b = basicIndex, nPers + nPub > 0, !close(v[b], pers &+ pub, nPers + nPub) { return false }
        if let p = projectIndex, nCats > 0, !close(v[p], cats, nCats) { return false }
        if let t = slots.firstIndex(where: { $0.role == .total }) {
            let basic = basicIndex.map { v[$0] } ?? pers &+ pub
            let project = projectIndex.map { v[$0] } ?? cats
            let terms = (basicIndex == nil ? nPers + nPub : 1) + (projectIndex == nil ? nCats : 1) + nParts
            if !close(v[t], basic &+ project &+ parts, terms) { return false }
        }
        return true
    }

    /// The different ways `readings` fill the column groups (readings that differ only in which
    /// sub-column of a group holds a figure are one).
    static func distinctGroups(_ readings: [Reading], _ values: [Int64], _ slots: [Slot]) -> [[String: Int64]] {
        var seen: [[String: Int64]] = []
        for o in readings {
            let g = byGroup(o, values, slots)
            if !seen.contains(g) { seen.append(g) }
        }
        return seen
    }

    /// |a − b|, without trapping on overflow.
    static func distance(_ a: Int64, _ b: Int64) -> Int64 {
        let (d, overflow) = a.subtractingReportingOverflow(b)
        return overflow || d == .min ? .max : abs(d)
    }

    /// A reading by column group (the sub-columns of one group are one meaning): group → value.
    static func byGroup(_ reading: Reading, _ values: [Int64], _ slots: [Slot]) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (k, s) in reading.enumerated() { out[slots[s].group, default: 0] &+= values[k] }
        return out
    }

    // MARK: - The grid

    /// `g` laid out from its header and body lines, or `nil` when its header is not understood.
    static func lay(_ g: TableGrid, units: [String]) -> TableGrid? {
        var g = g
        // A header cell the locator took for a row (「总计」 alone on its line) starts the body
        // early: the lines before the first row that prints a label and figures are the header's.
        let dec = decimals(g.bodyLines)
        if let first = g.bodyLines.firstIndex(where: { l in l.words.contains { isFigure($0.text, decimals: dec) } }),
            first >= 2, let lead = g.bodyLines[first].words.first, !isFigure(lead.text, decimals: dec)
        {
            g.headerLines += g.bodyLines[..<first]
            g.bodyLines.removeFirst(first)
        }
        let header = TextNormal.key(g.headerLines.map(\.text).joined())
        guard !g.bodyLines.isEmpty, let t = template(g.kind, header: header) else { return nil }
        var grid = g
        // A two-sided table's columns: income label, its figure, expense label, its figures.
        let stubs: [(pieces: [String], context: [String])] = t.stubs.map { ($0.pieces, $0.context) }
        let slots: [(pieces: [String], context: [String])] = t.slots.map { ($0.pieces, $0.context) }
        let ordered = t.shape == .twoSided ? [stubs[0], slots[0], stubs[1], slots[1]] : stubs + slots
        grid.columns = ordered.enumerated().map { column($0.element.pieces, $0.element.context, $0.offset) }
        switch t.shape {
        case .twoSided: grid.rows = twoSidedRows(g.bodyLines, columns: grid.columns)
        case .split, .totalFirst: grid.rows = oneSidedRows(g, template: t, columns: grid.columns, units: units)
        }
        return grid
    }

    static func emptyRow(_ r: Record, _ columns: [Column]) -> GridRow {
        GridRow(cells: [:], columns: columns, page: r.page, line: r.line, middle: r.middle, unplacedFigures: [])
    }

    /// The rows of a one-sided table.
    static func oneSidedRows(_ g: TableGrid, template t: Template, columns: [Column], units: [String]) -> [GridRow] {
        let records = records(g.bodyLines)
        let economic = g.kind == .basicEconomic || g.kind == .economic
        var rows: [GridRow] = []
        var codes: [String?] = []
        var names: [String] = []
        for r in records {
            var row = emptyRow(r, columns)
            let (code, name) = stubs(r, template: t, economic: economic, units: units, into: &row)
            codes.append(code)
            names.append(name)
            rows.append(row)
        }
        let places = places(records.flatMap(\.figures))
        let figureStart = t.stubs.count
        // Each row's readings.
        var options: [[Reading]] = []
        var values: [[Int64]] = []
        for r in records {
            let v = scaled(r.figures, places: places) ?? []
            values.append(v)
            if t.shape == .totalFirst || v.isEmpty || v.count > t.slots.count {
                options.append([])
            } else {
                options.append(readings(v, slots: t.slots))
            }
        }
        if t.shape == .split {
            decideBySums(&options, values: values, codes: codes, names: names, rows: &rows, slots: t.slots)
            decideByChildren(&options, values: values, codes: codes, rows: &rows, slots: t.slots)
        }
        for (i, r) in records.enumerated() {
            guard !r.figures.isEmpty else { continue }
            if t.shape == .totalFirst {
                // The first figure is the 合计; the other columns are not told apart.
                rows[i].cells[figureStart, default: []].append(r.figures[0])
                rows[i].unplacedFigures = Array(r.figures.dropFirst())
                continue
            }
            guard distinctGroups(options[i], values[i], t.slots).count == 1,
                let reading = canonical(options[i], t.slots)
            else {
                rows[i].unplacedFigures = r.figures
                continue
            }
            for (k, s) in reading.enumerated() { rows[i].cells[figureStart + s, default: []].append(r.figures[k]) }
        }
        return rows
    }

    /// Of readings that agree by group, the one that fills each group's first columns.
    static func canonical(_ readings: [Reading], _ slots: [Slot]) -> Reading? {
        readings.min { a, b in a.lexicographicallyPrecedes(b) }
    }

    /// Rows with several readings, decided where exactly one choice makes every column of the
    /// finest rows add up to the 合计 row's; such rows are marked inferred.
    static func decideBySums(
        _ options: inout [[Reading]], values: [[Int64]], codes: [String?], names: [String], rows: inout [GridRow],
        slots: [Slot]
    ) {
        func groups(_ i: Int) -> [[String: Int64]] { distinctGroups(options[i], values[i], slots) }
        guard let totalRow = rows.indices.first(where: { codes[$0] == nil && ["合计", "总计"].contains(names[$0]) })
        else { return }
        let totalReadings = groups(totalRow)
        guard totalReadings.count == 1, let target = totalReadings.first else { return }
        let coded = rows.indices.compactMap { i in codes[i].map { (i, $0) } }
        // The finest rows: codes no other row's code extends (a 项 under its 款 and 类).
        var parents: Set<String> = []
        for (_, c) in coded { for n in [3, 5] where c.count > n { parents.insert(String(c.prefix(n))) } }
        let leaves = coded.filter { !parents.contains($0.1) }.map(\.0)
        let open = leaves.filter { groups($0).count > 1 }
        guard !open.isEmpty, leaves.allSatisfy({ !groups($0).isEmpty }) else { return }
        var fixed: [String: Int64] = [:]
        for i in leaves where groups(i).count == 1 {
            for (k, v) in groups(i)[0] { fixed[k, default: 0] &+= v }
        }
        let choices = open.map(groups)
        // The 部门 economic 类 says which 基本支出 column a line's money is in: 工资福利支出 (301) and
        // 对个人和家庭的补助 (303) are 人员经费, the others 公用经费. Tried first, and kept only if
        // the columns then add up.
        let preferred: [Int?] = open.enumerated().map { (k, i) in
            guard let code = codes[i], code.hasPrefix("3") else { return nil }
            let group = code.hasPrefix("301") || code.hasPrefix("303") ? "personnel" : "public"
            let matching = choices[k].indices.filter { choices[k][$0][group] != nil }
            return matching.count == 1 ? matching[0] : nil
        }
        if preferred.allSatisfy({ $0 != nil }) {
            var sums = fixed
            for (k, c) in preferred.enumerated() { for (key, v) in choices[k][c ?? 0] { sums[key, default: 0] &+= v } }
            let keys = Set(target.keys).union(sums.keys)
            let tolerance = Int64(leaves.count + 1) / 2
            if keys.allSatisfy({ distance(sums[$0] ?? 0, target[$0] ?? 0) <= tolerance }) {
                for (k, i) in open.enumerated() {
                    let want = choices[k][preferred[k] ?? 0]
                    options[i] = options[i].filter { byGroup($0, values[i], slots) == want }
                    rows[i].inferred = true
                }
                return
            }
        }
        let combinations = choices.reduce(1) { $0 > 200_000 ? $0 : $0 * $1.count }
        guard combinations <= 200_000 else { return }
        let keys = Set(target.keys).union(fixed.keys).union(choices.flatMap { $0.flatMap(\.keys) })
        let tolerance = Int64(leaves.count + 1) / 2
        var solutions: [[Int]] = []
        var pick = [Int](repeating: 0, count: open.count)
        func search(_ k: Int, _ sums: [String: Int64]) {
            if solutions.count > 1 { return }
            if k == open.count {
                if keys.allSatisfy({ distance(sums[$0] ?? 0, target[$0] ?? 0) <= tolerance }) { solutions.append(pick) }
                return
            }
            for (c, g) in choices[k].enumerated() {
                pick[k] = c
                var s = sums
                for (key, v) in g { s[key, default: 0] &+= v }
                search(k + 1, s)
            }
        }
        search(0, fixed)
        guard solutions.count == 1, let solution = solutions.first else { return }
        for (k, i) in open.enumerated() {
            let want = choices[k][solution[k]]
            options[i] = options[i].filter { byGroup($0, values[i], slots) == want }
            rows[i].inferred = true
        }
    }
}

extension PlainTables {
    /// A 类 or 款 row with several readings, decided by its children's sums (the rows one level
    /// below it, once they are decided), finest level first; such rows are marked inferred.
    static func decideByChildren(
        _ options: inout [[Reading]], values: [[Int64]], codes: [String?], rows: inout [GridRow], slots: [Slot]
    ) {
        func groups(_ i: Int) -> [[String: Int64]] { distinctGroups(options[i], values[i], slots) }
        // Rows by the code of their parent one and two levels up: "2050101" under "20501" and "205".
        var under: [String: [Int]] = [:]
        for (i, c) in codes.enumerated() {
            guard let c else { continue }
            for n in [3, 5] where c.count > n { under["\(c.count - n)|" + String(c.prefix(n)), default: []].append(i) }
        }
        for length in [5, 3] {
            for (i, code) in codes.enumerated() {
                guard let code, code.count == length, groups(i).count > 1 else { continue }
                var children: [Int] = []
                for gap in [2, 4] where children.isEmpty { children = under["\(gap)|" + code] ?? [] }
                guard !children.isEmpty, children.allSatisfy({ groups($0).count == 1 }) else { continue }
                var sums: [String: Int64] = [:]
                for c in children { for (k, v) in groups(c)[0] { sums[k, default: 0] &+= v } }
                let tolerance = Int64(children.count + 1) / 2
                let fitting = groups(i).filter { g in
                    Set(g.keys).union(sums.keys).allSatisfy { distance(g[$0] ?? 0, sums[$0] ?? 0) <= tolerance }
                }
                guard fitting.count == 1, let want = fitting.first else { continue }
                options[i] = options[i].filter { byGroup($0, values[i], slots) == want }
                rows[i].inferred = true
            }
        }
    }

    // MARK: - Text columns

    static func stubIndex(_ t: Template, _ leaf: String, government: Bool = false) -> Int? {
        t.stubs.firstIndex { $0.leaf == leaf && RowReading.isGovernmentScheme($0) == government }
    }

    /// Fills the text columns of `row` from a record's words: its codes, name, category and unit.
    /// Returns the row's classification code and its name.
    static func stubs(
        _ r: Record, template t: Template, economic: Bool, units: [String], into row: inout GridRow
    ) -> (code: String?, name: String) {
        var (pieces, rest) = leadingCode(r.words)
        var code = classificationCode(pieces, economic: economic)
        if code == nil && !pieces.isEmpty {
            // A unit's code: its own column, or none.
            if let u = stubIndex(t, "单位代码") { row.cells[u] = pieces }
            pieces = []
        } else if let c = stubIndex(t, "科目编码") {
            row.cells[c] = pieces
        }
        if code == nil && pieces.isEmpty && !economic { code = nil }
        // The parallel 政府 economic code and name after the 部门 name.
        if economic, let gc = stubIndex(t, "科目编码", government: true), let gn = stubIndex(t, "科目名称", government: true),
            let j = rest.indices.dropFirst().first(where: {
                isDigits(rest[$0].text) && [3, 5].contains(rest[$0].text.count)
            })
        {
            let (govPieces, govRest) = leadingCode(Array(rest[j...]))
            row.cells[gc] = govPieces
            if let w = word(joined(govRest), at: govRest) { row.cells[gn] = [w] }
            rest = Array(rest[..<j])
        }
        if t.stubs.contains(where: { $0.leaf == "项目名称" }) {
            return (nil, projectStubs(rest, template: t, units: units, into: &row))
        }
        let name = joined(rest)
        let nameColumn = stubIndex(t, "科目名称") ?? stubIndex(t, "单位名称") ?? t.stubs.count - 1
        if let w = word(name, at: rest) { row.cells[nameColumn] = [w] }
        return (code, name)
    }

    /// A 项目支出表 row's text: its category (the first word, when it names one), its name and
    /// its unit (the longest unit name the text ends with).
    static func projectStubs(_ words: [Word], template t: Template, units: [String], into row: inout GridRow) -> String
    {
        var rest = words
        let categories = ["其他运转类", "特定目标类", "运转类", "人员类", "一般性项目", "专项项目", "其他项目"]
        if let c = stubIndex(t, "类型"), let first = rest.first, categories.contains(TextNormal.compact(first.text)) {
            row.cells[c] = [first]
            rest.removeFirst()
        }
        var text = joined(rest)
        if let u = stubIndex(t, "项目单位"), let unit = units.first(where: { text.hasSuffix($0) }) {
            if let w = word(unit, at: Array(rest.suffix(1))) { row.cells[u] = [w] }
            text = String(text.dropLast(unit.count))
            if text.isEmpty { return unit }
        }
        if let n = stubIndex(t, "项目名称"), let w = word(text, at: rest) { row.cells[n] = [w] }
        return text
    }

    // MARK: - Two-sided tables

    /// A 收支总表 line's labels, each with the figures printed after it: a label ends where a
    /// figure follows it, or where the next cell starts another label.
    static func segments(_ l: Line, decimals: Bool) -> [(label: [Word], figures: [Word])] {
        var out: [(label: [Word], figures: [Word])] = []
        var label: [Word] = []
        var figures: [Word] = []
        func flush() {
            if !label.isEmpty || !figures.isEmpty { out.append((label, figures)) }
            label = []
            figures = []
        }
        for w in l.words {
            if isFigure(w.text, decimals: decimals) {
                figures.append(w)
                continue
            }
            let startsLabel =
                !figures.isEmpty
                || !label.isEmpty && (startsOrdinal(w.text) || w.text.count >= 2 && (label.last?.text.count ?? 0) >= 2)
            if startsLabel { flush() }
            label.append(w)
        }
        flush()
        return out
    }

    /// 「一、」「（八）」「其中：」 at the start of a word.
    static func startsOrdinal(_ t: String) -> Bool {
        let h = TextNormal.halfWidth(t)
        return h.range(of: "^(\\(?[一二三四五六七八九十]+[)、]|其中)", options: .regularExpression) != nil
    }

    /// Whether a label alone on its line belongs to the income side.
    static func isIncomeLabel(_ words: [Word]) -> Bool {
        let k = TextNormal.key(words.map(\.text).joined())
        if k.contains("支出") { return false }
        return k.contains("收入") || ColumnMeaning.incomeSource(k) != nil || k.contains("上年结转")
    }

    /// A label's ordinal (「八、」 → (8, 「、」), 「（十一）」 → (11, 「）」)).
    static func ordinal(_ words: [Word]) -> (number: Int, style: Character)? {
        let t = Array(TextNormal.halfWidth(TextNormal.compact(words.map(\.text).joined())))
        var i = 0
        if i < t.count && t[i] == "(" { i += 1 }
        let digits: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        var n = 0
        var current = 0
        let start = i
        while i < t.count, digits[t[i]] != nil || t[i] == "十" {
            if t[i] == "十" {
                n += max(current, 1) * 10
                current = 0
            } else {
                current = digits[t[i]] ?? 0
            }
            i += 1
        }
        guard i > start, i < t.count, t[i] == "、" || t[i] == ")" else { return nil }
        return (n + current, t[i])
    }

    /// The rows of a two-sided table: each line's income label and figure, expense label and figures.
    /// A label alone on its line is the income side's when its ordinal continues the income
    /// side's numbering and not the expense side's, or when it names an income.
    static func twoSidedRows(_ lines: [Line], columns: [Column]) -> [GridRow] {
        let dec = decimals(lines)
        var rows: [GridRow] = []
        var last: [Bool: [Character: Int]] = [true: [:], false: [:]]
        for l in lines {
            let segs = segments(l, decimals: dec)
            guard !segs.isEmpty else { continue }
            var row = GridRow(
                cells: [:], columns: columns, page: l.page, line: l.number, middle: l.middle, unplacedFigures: [])
            var sides: [(label: [Word], figures: [Word], income: Bool)] = []
            if segs.count >= 2 {
                sides = [(segs[0].label, segs[0].figures, true)]
                for s in segs.dropFirst() { sides.append((s.label, s.figures, false)) }
            } else {
                var income = isIncomeLabel(segs[0].label)
                if let o = ordinal(segs[0].label) {
                    let continuesIncome = o.number == (last[true]?[o.style] ?? 0) + 1
                    let continuesExpense = o.number == (last[false]?[o.style] ?? 0) + 1
                    if continuesIncome != continuesExpense { income = continuesIncome }
                    if !continuesIncome && !continuesExpense && o.number > (last[true]?[o.style] ?? 0) + 1 {
                        income = false
                    }
                }
                sides = [(segs[0].label, segs[0].figures, income)]
            }
            for s in sides.prefix(2) {
                if let o = ordinal(s.label) { last[s.income, default: [:]][o.style] = o.number }
            }
            for s in sides.prefix(2) {
                let (labelColumn, figureColumn) = s.income ? (0, 1) : (2, 3)
                if let w = word(TextNormal.compact(s.label.map(\.text).joined()), at: s.label) {
                    row.cells[labelColumn] = [w]
                }
                if let f = s.figures.first { row.cells[figureColumn] = [f] }
                row.unplacedFigures += s.figures.dropFirst()
            }
            for s in sides.dropFirst(2) { row.unplacedFigures += s.figures }
            rows.append(row)
        }
        return rows
    }
}
