// PerformanceReader: the 整体 and 项目 绩效目标表s read by meaning, not by cell count. A table is
// a header block of label/value pairs (项目名称, 项目编码, 主管部门, 实施单位, 预算资金 with its
// unit, 总体目标 / 年度绩效目标, 年度主要任务 rows) followed by indicator rows under a header
// naming 一级/二级/三级指标, 运算符号, 指标值, 度量单位, 完成时限, 权重, 指标方向, 指标性质, 依据,
// 描述; or, in the 汇总 form, one row per indicator with the project's cells on its left. Merged
// 一级/二级 cells are filled down; a row whose level cells are shifted (a printed level with a
// blank deeper level, or no 三级指标 under its column) is read from the operator leftwards.

import BudgetModel

/// What an indicator header column holds.
enum PerformanceColumn: Sendable, Hashable {
    case level1, level2, level3, op, nature, value, measure, deadline, weight, direction, basis, description
    /// The 汇总 form's project cells.
    case unitName, projectName, amount, goal
    /// A column the model has no field for (评分标准 …).
    case ignored
}

/// One cell of a performance table row.
struct PerformanceCell: Sendable {
    /// The cell's column: its index in a converted text, the nearest header column in a PDF.
    var column: Int
    var text: String
    var word: Word
    var key: String { TextNormal.key(text) }
}

/// One row of cells, with where it was printed.
struct PerformanceRow: Sendable {
    var cells: [PerformanceCell]
    var page: Int
    var line: Int
}

/// One 绩效指标 as read.
struct IndicatorRead: Sendable {
    var level1 = ""
    var level2 = ""
    var level3 = ""
    /// One of `DatasetSchema.operators`.
    var op = ""
    var value: ExactDecimal?
    var text = ""
    var measure = ""
    var deadline = ""
    var weight: ExactDecimal?
    var direction = ""
    var nature = ""
    var basis = ""
    var description = ""
    var page = 0
    var line = 0
}

/// A 年度主要任务 row.
struct TaskRead: Sendable {
    var name = ""
    var amount: PlacedFigure?
    var text = ""
}

/// One 绩效目标表 block: a project's, or a department's or unit's as a whole.
struct PerformanceBlock: Sendable {
    enum Kind: Sendable { case overall, project }
    var kind: Kind
    /// The segment (located table) it starts in.
    var segment = 0
    /// The published table's name.
    var table: String
    var page: Int
    var line: Int
    /// 项目名称 (project) or 部门（单位）名称 (overall), without its printed code.
    var name = ""
    /// 项目编码, or the unit code printed before the name.
    var code = ""
    /// 实施单位 (project), or the 汇总 form's 单位名称.
    var unit = ""
    /// 预算资金 / 预算数.
    var amount: PlacedFigure?
    /// 总体目标 / 年度绩效目标.
    var goal = ""
    /// 资金用途 / 项目概况.
    var content = ""
    var tasks: [TaskRead] = []
    var indicators: [IndicatorRead] = []
    /// Figures printed in the block that no field holds.
    var unplaced: [PlacedFigure] = []
}

/// Reads the 绩效目标表s of a document.
enum PerformanceReader {
    /// The blocks printed in `segments` (each the lines from a 绩效目标表 title to the next
    /// table's title), in document order. A segment without a header block continues the block
    /// before it (a table running onto the next page, or a title repeated over continued rows).
    static func blocks(
        _ document: SourceDocument, segments: [(table: String, unit: PublishedUnit, lines: Range<Int>)]
    ) -> [PerformanceBlock] {
        var state = State()
        for (k, segment) in segments.enumerated() {
            let rows = self.rows(document, segment.lines)
            state.table = segment.table
            state.segment = k
            state.unit = segment.unit
            for row in rows { state.read(row) }
        }
        state.finish()
        return state.blocks
    }

    // MARK: - Rows of cells

    /// The rows of cells of a segment, up to where the table ends (a note, a heading, running text).
    static func rows(_ document: SourceDocument, _ range: Range<Int>) -> [PerformanceRow] {
        let lines = document.lines
        var out: [PerformanceRow] = []
        let pdf = document.kind == .pdf
        var headerColumns: [Double] = []
        /// The raw line a cell's continuation would be on (the line after the last row's).
        var expectNext: Set<Int> = []
        var lastPage: Int?
        for i in range.dropFirst() {
            let l = lines[i]
            if document.kind == .cells && l.cellCount == 0 {
                // A line of a cell that runs over several lines (a word processor's export).
                if expectNext.contains(l.number), !out.isEmpty, !TableLocator.isNote(l), !l.text.hasPrefix("#"),
                    let k = out[out.count - 1].cells.indices.last
                {
                    out[out.count - 1].cells[k].text += "\n" + l.text
                    expectNext = [l.number + 1]
                    continue
                }
                expectNext = []
                if TableLocator.isMeta(l) { continue }
                if isEnd(l) { break }
                continue
            }
            if pdf {
                if TableLocator.isEnd(l, bodyHeight: 0, kind: .pdf) || l.page > (lastPage ?? l.page) + 1 { break }
            } else if isEnd(l) {
                break
            }
            lastPage = l.page
            // A tab-separated row takes one line; a one-cell-per-line row as many as its cells.
            expectNext = [l.number + 1, l.number + l.cellCount]
            if TableLocator.isMeta(l) && l.words.count <= 2 && !pdf { continue }
            var cells: [PerformanceCell] = []
            if pdf {
                // A PDF row: the indicator header's columns place each word; elsewhere word order.
                if l.words.contains(where: { isIndicatorHeader(TextNormal.key($0.text)) }) {
                    headerColumns = l.words.map(\.center)
                }
                for (k, w) in l.words.enumerated() {
                    var column = k
                    if !headerColumns.isEmpty {
                        column =
                            headerColumns.indices.min {
                                abs(headerColumns[$0] - w.center) < abs(headerColumns[$1] - w.center)
                            } ?? k
                    }
                    if let last = cells.last, last.column == column {
                        cells[cells.count - 1].text =
                            GridRow.join([last.word, w]).isEmpty ? last.text : join(last.text, w.text)
                    } else {
                        cells.append(PerformanceCell(column: column, text: w.text, word: w))
                    }
                }
            } else {
                for w in l.words {
                    cells.append(
                        PerformanceCell(
                            column: Int((w.x0 / TextReader.cellWidth).rounded(.down)), text: w.text, word: w))
                }
            }
            cells = cells.filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
            if !cells.isEmpty { out.append(PerformanceRow(cells: cells, page: l.page, line: l.number)) }
        }
        return pdf ? joinWrapped(out) : out
    }

    /// Two pieces of one cell: no space between CJK pieces (a wrapped name), one otherwise.
    static func join(_ a: String, _ b: String) -> String {
        guard let x = a.last, let y = b.first else { return a + b }
        return GridRow.isCJK(x) && GridRow.isCJK(y) ? a + b : a + " " + b
    }

    /// A text line that ends a table in a converted text: a heading, a note, a 第X部分.
    static func isEnd(_ l: Line) -> Bool {
        if TableLocator.isNote(l) || l.text.hasPrefix("#") { return true }
        let t = l.compact
        if t.range(of: "^第[一二三四五六七八九十]+部分", options: .regularExpression) != nil { return true }
        if l.cellCount == 0 && t.count > 24 && t.contains("。") { return true }
        return false
    }

    /// PDF lines that carry only pieces of text cells (a name wrapped onto the next line, a merged
    /// label between rows) joined to the row above them.
    static func joinWrapped(_ rows: [PerformanceRow]) -> [PerformanceRow] {
        var out: [PerformanceRow] = []
        for r in rows {
            let hasValue = r.cells.contains { Figures.number($0.text) != nil || operatorSymbol($0.text) != nil }
            let labelled = r.cells.contains { label(of: $0.key) != nil || isIndicatorHeader($0.key) }
            if !hasValue && !labelled, var last = out.last, last.page == r.page,
                !last.cells.contains(where: { isIndicatorHeader($0.key) })
            {
                for c in r.cells {
                    if let k = last.cells.firstIndex(where: { $0.column == c.column }) {
                        last.cells[k].text = join(last.cells[k].text, c.text)
                    } else {
                        last.cells.append(c)
                        last.cells.sort { $0.column < $1.column }
                    }
                }
                out[out.count - 1] = last
            } else {
                out.append(r)
            }
        }
        return out
    }

    // MARK: - Labels

    enum Label: Sendable, Equatable {
        case projectName, code, department, unit, overallName, amount, goal, tasks, content, plan
    }

    /// The header-block label a cell's text is, if any.
    static func label(of key: String) -> Label? {
        let k = key.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        if k.count > 16 { return nil }
        if k.contains("项目名称") || k == "项目(政策)名称" || k == "政策名称" { return .projectName }
        if k == "项目编码" || k == "项目代码" { return .code }
        if k.hasPrefix("主管部门") || k.hasPrefix("主管单位") { return .department }
        if k.hasPrefix("实施单位") || k == "项目单位" { return .unit }
        if k.hasPrefix("部门(单位)名称") || k.hasPrefix("部门名称") || k.hasPrefix("单位名称") { return .overallName }
        if k.hasPrefix("年度主要任务") { return .tasks }
        if k.hasPrefix("资金支出计划") { return .plan }
        if k.contains("资金用途") || k == "项目概况" || k == "项目内容" { return .content }
        if k.hasPrefix("预算资金") || k.hasPrefix("资金情况") || k == "预算数" || k.hasPrefix("项目资金")
            || k.hasPrefix("预算规模") || k.hasPrefix("年度部门整体支出预算") || k.hasPrefix("年度预算")
            || k.hasPrefix("资金总额")
        {
            return .amount
        }
        if k.hasPrefix("总体目标") || k.hasPrefix("年度目标") || k == "绩效目标" || k.hasPrefix("年度绩效目标")
            || k.hasPrefix("年度总体目标") || k.hasPrefix("年度履职目标") || k.hasPrefix("项目绩效目标")
            || k.hasPrefix("整体绩效目标")
        {
            return .goal
        }
        return nil
    }

    /// Whether a cell is a label of the indicator header.
    static func isIndicatorHeader(_ key: String) -> Bool {
        key.contains("一级指标") || key.contains("二级指标") || key.contains("三级指标")
    }

    /// What an indicator header cell names.
    static func column(_ key: String) -> PerformanceColumn? {
        if key.contains("一级指标") { return .level1 }
        if key.contains("二级指标") { return .level2 }
        if key.contains("三级指标") { return .level3 }
        if key.contains("运算符") || key == "符号" { return .op }
        if key.contains("确定依据") || key.contains("设定依据") { return .basis }
        if key.contains("指标性质") { return .nature }
        if key.contains("度量单位") || key.contains("计量单位") { return .measure }
        if key.contains("指标值") || key.contains("目标值") { return .value }
        if key.contains("完成时限") || key.contains("时限") { return .deadline }
        if key.contains("权重") || key.contains("分值") { return .weight }
        if key.contains("方向") { return .direction }
        if key.contains("指标描述") || key.contains("指标解释") || key.contains("指标内涵") { return .description }
        if key.contains("评分") || key.contains("扣分") { return .ignored }
        if key.contains("单位名称") { return .unitName }
        if key.contains("项目名称") { return .projectName }
        if key.contains("预算数") || key.contains("金额") || key.contains("资金") { return .amount }
        if key.contains("目标") { return .goal }
        return nil
    }

    /// The operator a cell prints, normalised (`>=` → `≥`), or `nil`.
    static func operatorSymbol(_ text: String) -> String? {
        let t = TextNormal.key(text)
        switch t {
        case "=", "==", "等于": return "="
        case ">=", "≥", "≧", "大于等于", "不低于", "不少于": return "≥"
        case "<=", "≤", "≦", "小于等于", "不高于", "不超过", "不多于": return "≤"
        case ">", "大于", "高于": return ">"
        case "<", "小于", "低于": return "<"
        case "定性": return "定性"
        default: return nil
        }
    }

    /// A 指标值 printed with its operator in front (「≥38家」): the operator and the rest.
    static func leadingOperator(_ text: String) -> (op: String, rest: String)? {
        let t = TextNormal.halfWidth(text).trimmingCharacters(in: .whitespaces)
        for (printed, op) in [
            (">=", "≥"), ("<=", "≤"), ("≥", "≥"), ("≤", "≤"), ("≧", "≥"), ("≦", "≤"), ("=", "="),
            (">", ">"), ("<", "<"),
        ] where t.hasPrefix(printed) {
            return (op, String(t.dropFirst(printed.count)).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The number a 指标值 starts with and what follows it (「150元每人每年」 → 150, 元每人每年).
    static func leadingNumber(_ text: String) -> (ExactDecimal, String)? {
        let t = TextNormal.halfWidth(text).trimmingCharacters(in: .whitespaces)
        guard let r = t.range(of: "^[0-9][0-9,]*(\\.[0-9]+)?", options: .regularExpression),
            let n = Figures.number(String(t[r]))
        else { return nil }
        return (n, String(t[r.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    /// A 完成时限: 「2025年12月」, 「2025-12」, 「2025.12.31」, 「2025年」, 「2025年底」.
    static func isDeadline(_ text: String) -> Bool {
        let t = TextNormal.key(text)
        return t.range(
            of: "^[0-9]{4}(年|-|/|\\.)?([0-9]{1,2}(月|-|/|\\.)?([0-9]{1,2}日?)?)?(底|末|前|内|年底)?$",
            options: .regularExpression) != nil
    }

    /// A printed name without the code in front of it: 「073001鞍山市医疗保障局本级-210300000」,
    /// 「51110221R000000073179-工资性支出【行政】」, 「320001-乐山市市中区医疗保障局」.
    static func splitCode(_ printed: String) -> (code: String, name: String) {
        var t = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        // Only a code (the name cut off by a page break).
        if t.count >= 10, t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }),
            t.contains(where: \.isNumber)
        {
            return (t.filter { $0 != " " }, "")
        }
        var code = ""
        if let r = t.range(of: "^[0-9A-Za-z][0-9A-Za-z ]{2,}[0-9A-Za-z]\\s*[-－—]\\s*", options: .regularExpression) {
            code = String(t[r]).filter { $0.isLetter || $0.isNumber }
            t = String(t[r.upperBound...])
        } else if let r = t.range(of: "^[0-9]{3,}(?=[^0-9A-Za-z\\s])", options: .regularExpression) {
            code = String(t[r])
            t = String(t[r.upperBound...])
        }
        // A region code after the name: 「-210300000」.
        if let r = t.range(of: "[-－][0-9]{6,}$", options: .regularExpression) { t.removeSubrange(r) }
        return (code, t)
    }

    // MARK: - Reading state

    struct State {
        var blocks: [PerformanceBlock] = []
        var current: PerformanceBlock?
        var table = ""
        var segment = 0
        var unit: PublishedUnit = .wanYuan
        /// The indicator header's columns, by cell column.
        var columns: [Int: PerformanceColumn] = [:]
        var inIndicators = false
        var inTasks = false
        var pending: Label?
        var fill = (level1: "", level2: "")
        /// The 汇总 form: the unit and project named on rows above.
        var summaryUnit = ""
        var summaryProject: (name: String, code: String)?

        mutating func finish() {
            if let c = current,
                !(c.name.isEmpty && c.indicators.isEmpty && c.tasks.isEmpty && c.amount == nil && c.unplaced.isEmpty
                    && c.goal.isEmpty)
            {
                blocks.append(c)
            }
            current = nil
        }

        mutating func start(_ kind: PerformanceBlock.Kind, row: PerformanceRow) {
            finish()
            current = PerformanceBlock(kind: kind, segment: segment, table: table, page: row.page, line: row.line)
            columns = [:]
            inIndicators = false
            inTasks = false
            fill = ("", "")
        }

        func placed(_ c: PerformanceCell, _ row: PerformanceRow) -> PlacedFigure? {
            guard let f = Figures.figure(c.text, unit: unit) else { return nil }
            return PlacedFigure(figure: f, word: c.word, line: row.line)
        }

        mutating func read(_ row: PerformanceRow) {
            let keys = row.cells.map(\.key)
            if keys.contains(where: PerformanceReader.isIndicatorHeader) {
                readHeader(row)
                return
            }
            // A header-block label starts or fills a block.
            let labels = keys.map(PerformanceReader.label(of:))
            if let first = labels.firstIndex(where: { $0 != nil }), first <= 1 {
                readLabels(row, labels)
                return
            }
            if pending == .amount || pending == .plan || pending == .content {
                // A label whose value is printed on the row below (资金总额 | 财政拨款 over figures).
                readBelow(row)
                return
            }
            if inTasks && !inIndicators {
                readTask(row)
                return
            }
            if !columns.isEmpty {
                readIndicator(row)
                return
            }
            // Rows before any header: a table continued on the next page keeps the last columns.
        }

        mutating func readHeader(_ row: PerformanceRow) {
            var cols: [Int: PerformanceColumn] = [:]
            for c in row.cells {
                if let m = PerformanceReader.column(c.key) { cols[c.column] = m }
            }
            // A repeated header (a new page) keeps the block; the 汇总 form starts one per page.
            let summary = cols.values.contains(.projectName)
            if summary && current == nil {
                current = PerformanceBlock(
                    kind: .project, segment: segment, table: table, page: row.page, line: row.line)
            } else if current == nil {
                current = PerformanceBlock(
                    kind: .overall, segment: segment, table: table, page: row.page, line: row.line)
            }
            columns = cols
            inIndicators = true
            inTasks = false
            pending = nil
        }

        mutating func readLabels(_ row: PerformanceRow, _ labels: [Label?]) {
            // A name label opens a new block, unless the open one is still being described.
            if labels.contains(.projectName),
                current == nil || current?.kind != .project || current?.name.isEmpty == false
                    || current?.indicators.isEmpty == false
            {
                start(.project, row: row)
            } else if labels.contains(.overallName) {
                start(.overall, row: row)
            } else if current == nil || !columns.isEmpty && labels.contains(where: { $0 != nil && $0 != .goal }) {
                start(labels.contains(.tasks) ? .overall : .project, row: row)
            }
            var pendingLabel: Label?
            var amountWait = 0
            var wantsContent = false
            for (k, c) in row.cells.enumerated() {
                if let l = labels[k] {
                    if l == .tasks { inTasks = true }
                    if l == .content { wantsContent = true }
                    pendingLabel = l
                    amountWait = 2
                    continue
                }
                guard let l = pendingLabel else {
                    if let f = placed(c, row) { current?.unplaced.append(f) }
                    continue
                }
                switch l {
                case .projectName:
                    let (code, name) = PerformanceReader.splitCode(c.text)
                    current?.name = TextNormal.unwrapped(name)
                    if !code.isEmpty && (current?.code ?? "").isEmpty { current?.code = code }
                    pendingLabel = nil
                case .overallName:
                    let (code, name) = PerformanceReader.splitCode(c.text)
                    current?.name = TextNormal.unwrapped(name)
                    current?.code = code
                    pendingLabel = nil
                case .code:
                    current?.code = TextNormal.compact(c.text)
                    pendingLabel = nil
                case .department:
                    pendingLabel = nil
                case .unit:
                    current?.unit = TextNormal.unwrapped(c.text)
                    pendingLabel = nil
                case .amount:
                    if let f = placed(c, row) {
                        if current?.amount == nil { current?.amount = f } else { current?.unplaced.append(f) }
                        pendingLabel = nil
                    } else {
                        amountWait -= 1
                        if amountWait <= 0 { pendingLabel = nil }
                    }
                case .goal:
                    current?.goal = PerformanceReader.cleanGoal(c.text)
                    pendingLabel = nil
                case .content:
                    current?.content = c.text
                    wantsContent = false
                    pendingLabel = nil
                case .tasks:
                    // The column labels of the task rows (对应项目, 主要内容, 预算资金情况).
                    continue
                case .plan:
                    if let f = placed(c, row) { current?.unplaced.append(f) }
                }
            }
            pending = pendingLabel == .tasks ? nil : pendingLabel
            if labels.contains(.amount) && current?.amount == nil && !labels.contains(.tasks) { pending = .amount }
            if labels.contains(.tasks) { pending = nil }
            if wantsContent && (current?.content ?? "").isEmpty { pending = .content }
        }

        mutating func readBelow(_ row: PerformanceRow) {
            let p = pending
            pending = nil
            for c in row.cells {
                if p == .content, Figures.number(c.text) == nil {
                    if (current?.content ?? "").isEmpty { current?.content = c.text }
                } else if let f = placed(c, row) {
                    if p == .amount && current?.amount == nil && current?.kind == .project {
                        current?.amount = f
                    } else {
                        current?.unplaced.append(f)
                    }
                }
            }
        }

        mutating func readTask(_ row: PerformanceRow) {
            var task = TaskRead()
            var texts: [String] = []
            for c in row.cells {
                if task.amount == nil, let f = placed(c, row) {
                    task.amount = f
                } else {
                    texts.append(c.text)
                }
            }
            guard let name = texts.first else {
                if let f = task.amount { current?.unplaced.append(f) }
                return
            }
            task.name = TextNormal.unwrapped(name)
            task.text = texts.dropFirst().joined(separator: " ")
            current?.tasks.append(task)
        }

        /// The columns of one meaning, left to right.
        func columns(_ kinds: Set<PerformanceColumn>) -> [Int] {
            columns.filter { kinds.contains($0.value) }.map(\.key).sorted()
        }

        /// A project name cut by a page break: the block's name is only a code, and the row
        /// starts with the rest of it (「39-聘请第三方机构…」).
        mutating func continuesName(_ cell: PerformanceCell, _ next: PerformanceCell?) -> Bool {
            guard let b = current, b.name.isEmpty, !b.code.isEmpty,
                let r = cell.text.range(of: "^[0-9A-Za-z]*\\s*[-－]", options: .regularExpression)
            else { return false }
            current?.code += String(cell.text[r]).filter { $0.isLetter || $0.isNumber }
            current?.name = String(cell.text[r.upperBound...]).trimmingCharacters(in: .whitespaces)
            return true
        }

        mutating func readIndicator(_ row: PerformanceRow) {
            // A rule drawn with dashes (a markdown table's separator) is no row.
            if row.cells.allSatisfy({ $0.text.allSatisfy { "-—－:|".contains($0) } }) { return }
            let cells = row.cells
            let hasOpColumn = columns.values.contains(.op) || columns.values.contains(.nature)
            let levelColumns = columns([.level1, .level2, .level3, .description])
            let leftEnd = levelColumns.last ?? 0
            let level1Column = columns([.level1]).first ?? levelColumns.first ?? 0
            // The operator cell, else the first cell right of the level columns.
            var split: Int?
            var op: String?
            for (k, c) in cells.enumerated() where k > 0 {
                if let o = PerformanceReader.operatorSymbol(c.text), o != "定性" || hasOpColumn {
                    split = k
                    op = o
                    break
                }
            }
            var shifted = false
            if split == nil {
                split = cells.indices.first { $0 > 0 && cells[$0].column > leftEnd }
                // Text in the 运算符号 column, with the value after it: the row is shifted right.
                if let k = split, k + 1 < cells.count, columns[cells[k].column] == .op,
                    !PerformanceReader.isDeadline(cells[k + 1].text)
                {
                    split = k + 1
                    shifted = true
                }
            }
            guard let split else {
                readProjectCells(Array(cells), row: row)
                return
            }
            var left = Array(cells[..<split])
            let right = Array(cells[(op == nil ? split : split + 1)...])
            // The 汇总 form: the project's cells left of the levels.
            let summary = columns.values.contains(.projectName)
            var levels: [PerformanceCell] = []
            let positioned =
                !shifted && left.contains { columns[$0.column] == .level3 }
                && !left.contains { $0.column >= level1Column && Figures.number($0.text) != nil }
            if positioned {
                levels = left.filter { $0.column >= level1Column }
                left = left.filter { $0.column < level1Column }
            } else {
                var project: [PerformanceCell] = []
                if summary {
                    // The project's cells end at its amount and the 年度目标 beside it.
                    if let a = left.lastIndex(where: { Figures.number($0.text) != nil }) {
                        var end = a + 1
                        if end < left.count, left[end].column == left[a].column + 1, left.count - end > 1 { end += 1 }
                        project = Array(left[..<end])
                        left = Array(left[end...])
                    } else if let first = left.first, continuesName(first, left.dropFirst().first) {
                        left.removeFirst()
                        if let g = left.first, g.text.contains("。") || g.text.contains(".") && g.text.count > 30 {
                            current?.goal += g.text
                            left.removeFirst()
                        }
                    }
                }
                while let c = left.last, levels.count < levelColumns.count, Figures.number(c.text) == nil {
                    levels.insert(c, at: 0)
                    left.removeLast()
                }
                left = project
            }
            if summary && !left.isEmpty { readProjectCells(left, row: row) }
            var ind = IndicatorRead()
            ind.page = row.page
            ind.line = row.line
            var assigned: [PerformanceColumn: String] = [:]
            if positioned {
                for c in levels { if let m = columns[c.column] { assigned[m] = c.text } }
                // A printed level with a blank deeper one cannot be a merged cell: read from the right.
                let printed = [PerformanceColumn.level1, .level2, .level3].map { assigned[$0] != nil }
                if printed[0] && !printed[1] && columns.values.contains(.level2) {
                    assigned = [:]
                    fromRight(levels, levelColumns, &assigned)
                }
            } else {
                fromRight(levels, levelColumns, &assigned)
            }
            guard let level3 = assigned[.level3] ?? assigned[.description], !level3.isEmpty else { return }
            if let l1 = assigned[.level1] {
                fill.level1 = l1
                fill.level2 = ""
            }
            if let l2 = assigned[.level2] { fill.level2 = l2 }
            ind.level1 = fill.level1
            ind.level2 = fill.level2
            ind.level3 = level3
            ind.description = assigned[.description] ?? ""
            // The value, then the other cells by what they look like.
            let hasMeasure = columns.values.contains(.measure)
            var rest = right
            if let v = rest.first, !(columns[v.column] == .deadline && PerformanceReader.isDeadline(v.text)) {
                ind.text = v.text
                rest.removeFirst()
            }
            var printedOp = op
            var body = ind.text
            if printedOp == nil, let (o, r) = PerformanceReader.leadingOperator(body) {
                printedOp = o
                body = r
            }
            if let (n, suffix) = PerformanceReader.leadingNumber(body) {
                if suffix.isEmpty || suffix == "%" || suffix == "‰" {
                    ind.value = n
                    if !hasMeasure && !suffix.isEmpty { ind.measure = suffix }
                } else if !hasMeasure && !suffix.hasPrefix(".") {
                    ind.value = n
                    ind.measure = suffix
                }
            }
            ind.op = printedOp ?? (ind.value != nil ? "=" : "定性")
            if let o = op, columns[cells[split].column] == .nature || !columns.values.contains(.op),
                columns.values.contains(.nature)
            {
                ind.nature = o
            }
            for c in rest {
                let meaning = columns[c.column]
                if PerformanceReader.isDeadline(c.text) && columns.values.contains(.deadline) {
                    ind.deadline = c.text
                } else if c.key.hasPrefix("正向") || c.key.hasPrefix("反向") {
                    ind.direction = String(c.key.prefix(2))
                } else if let n = Figures.number(c.text), columns.values.contains(.weight) {
                    ind.weight = n
                } else if meaning == .basis {
                    ind.basis = c.text
                } else if meaning == .description {
                    ind.description = c.text
                } else if meaning == .nature && ind.nature.isEmpty {
                    ind.nature = c.text
                } else if hasMeasure && ind.measure.isEmpty && ind.deadline.isEmpty && meaning != .basis {
                    // A 度量单位 repeating the 指标值 is the merged cell exported twice.
                    if c.text != ind.text { ind.measure = c.text }
                } else if meaning == .deadline {
                    ind.deadline = c.text
                }
            }
            current?.indicators.append(ind)
        }

        func fromRight(
            _ levels: [PerformanceCell], _ levelColumns: [Int], _ assigned: inout [PerformanceColumn: String]
        ) {
            var cols = levelColumns
            for c in levels.reversed() {
                guard let col = cols.popLast(), let m = columns[col] else { break }
                assigned[m] = c.text
            }
        }

        /// The 汇总 form's project cells: 单位名称, 项目名称, 预算数, 年度目标 (by what they look like,
        /// since a merged or empty cell shifts them).
        mutating func readProjectCells(_ cells: [PerformanceCell], row: PerformanceRow) {
            guard columns.values.contains(.projectName) else { return }
            guard let amountIndex = cells.firstIndex(where: { Figures.number($0.text) != nil }) else { return }
            let before = cells[..<amountIndex]
            let after = cells[(amountIndex + 1)...]
            var unitCell: PerformanceCell?
            var nameCell: PerformanceCell?
            if before.count >= 2 {
                unitCell = before[before.startIndex]
                nameCell = before.last
            } else if let only = before.first {
                if columns[only.column] == .unitName && only.column < (columns([.projectName]).first ?? 1) - 1 {
                    unitCell = only
                } else if columns[only.column] == .unitName
                    && !PerformanceReader.splitCode(only.text).code.contains(where: \.isLetter)
                {
                    unitCell = only
                } else {
                    nameCell = only
                }
            }
            if let u = unitCell {
                summaryUnit = PerformanceReader.splitCode(u.text).name
            }
            guard let n = nameCell else {
                // A unit's or the department's row: its amount is a total the model does not keep.
                finish()
                if let f = placed(cells[amountIndex], row) {
                    var b = PerformanceBlock(
                        kind: .project, segment: segment, table: table, page: row.page, line: row.line)
                    b.unplaced.append(f)
                    blocks.append(b)
                }
                return
            }
            finish()
            var b = PerformanceBlock(kind: .project, segment: segment, table: table, page: row.page, line: row.line)
            let (code, name) = PerformanceReader.splitCode(n.text)
            b.name = TextNormal.unwrapped(name)
            b.code = code
            b.unit = summaryUnit
            b.amount = placed(cells[amountIndex], row)
            b.goal = after.first.map { PerformanceReader.cleanGoal($0.text) } ?? ""
            current = b
        }
    }

    /// A goal cell as stored: an HTML paragraph's tags (a converter's leftover) removed.
    static func cleanGoal(_ text: String) -> String {
        var t = text
        for tag in ["<p>", "</p>", "<br>", "<br/>"] { t = t.replacingOccurrences(of: tag, with: "") }
        return t.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A 整体绩效目标表's name and goal, for the department or unit rows.
struct OverallGoal: Sendable {
    /// The unit it names (empty: the department as a whole).
    var unit: String
    var code: String
    var goal: String
}

extension DraftBuilder {
    /// The located 绩效目标表s as segments of document lines: from each title to the next
    /// located table's title.
    func performanceSegments() -> [(table: String, unit: PublishedUnit, lines: Range<Int>)] {
        let starts = grids.map(\.lineRange.lowerBound).sorted()
        var out: [(table: String, unit: PublishedUnit, lines: Range<Int>)] = []
        for g in grids where g.kind == .performance {
            let start = g.lineRange.lowerBound
            let end = starts.first { $0 > start } ?? document.lines.count
            out.append((g.name, unit(g), start..<end))
        }
        return out
    }

    /// The 绩效目标表s: indicators, tasks, the goals of projects, units and the department;
    /// projects named only there created where the document has no 项目支出表 (or, for 人员类 and
    /// 运转类 items, which a 项目支出表 does not list, as 基本支出 items).
    mutating func buildPerformance() {
        // A text without cell positions cannot tell its columns: its figures are counted as such.
        guard document.kind != .plain else { return }
        let segments = performanceSegments()
        guard !segments.isEmpty else { return }
        let blocks = PerformanceReader.blocks(document, segments: segments)
        let projectTable = !draft.rows("projects").isEmpty
        var used: Set<Int> = []
        var counts = [(rows: Int, seen: Int, placed: Int, unplaced: [String: Int])](
            repeating: (0, 0, 0, [:]), count: segments.count)
        var indicatorID = 0
        var created = 0
        var skipped: [String] = []
        for b in blocks {
            let s = b.segment
            counts[s].seen += b.unplaced.count
            if !b.unplaced.isEmpty {
                counts[s].unplaced["figures with no field (资金总额, 支出计划, 部门 rows)", default: 0] += b.unplaced.count
            }
            var projectID = ""
            var unitName = ""
            switch b.kind {
            case .overall:
                let wide =
                    b.name.isEmpty || b.name.hasSuffix("部门")
                    || (b.name == departmentName
                        && draft.rows("projects").contains { !($0["unit"] ?? "").isEmpty && $0["unit"] != b.name })
                unitName = wide ? "" : b.name
                overallGoals.append(OverallGoal(unit: unitName, code: b.code, goal: b.goal))
                if let a = b.amount {
                    counts[s].seen += 1
                    counts[s].unplaced["整体 预算资金 (no field)", default: 0] += 1
                    _ = a
                }
                for t in b.tasks {
                    var row = DraftRow()
                    row["unit"] = unitName
                    row["name"] = t.name
                    row["text"] = t.text
                    if let a = t.amount {
                        row["amount"] = a.figure.value.description
                        row.sources["amount"] = source(a, table: b.table)
                        counts[s].seen += 1
                        counts[s].placed += 1
                    }
                    draft.append("tasks", row)
                }
            case .project:
                guard !b.name.isEmpty else { continue }
                if let index = matchProject(b, used: used) {
                    used.insert(index)
                    let p = draft.rows("projects")[index]
                    projectID = p["id"] ?? ""
                    if (p["goal"] ?? "").isEmpty, !b.goal.isEmpty {
                        draft.set("projects", row: index, field: "goal", value: b.goal)
                    }
                    if let a = b.amount {
                        draft.set(
                            "projects", row: index, field: "goal_amount", value: a.figure.value.description,
                            source: source(a, table: b.table))
                        counts[s].seen += 1
                        counts[s].placed += 1
                    }
                    if (p["code"] ?? "").isEmpty, !b.code.isEmpty {
                        draft.set("projects", row: index, field: "code", value: b.code)
                    }
                    if (p["category"] ?? "").isEmpty, let c = Self.category(code: b.code) {
                        draft.set("projects", row: index, field: "category", value: c)
                    }
                } else if let a = b.amount,
                    !projectTable || ["人员类", "运转类"].contains(Self.category(code: b.code) ?? "")
                {
                    let n = draft.rows("projects").count + 1
                    var p = DraftRow()
                    p["id"] = String(format: "P%02d", n)
                    p["unit"] = b.unit
                    p["code"] = b.code
                    p["name"] = b.name
                    p["category"] = Self.category(code: b.code) ?? ""
                    p["spending_type"] = projectTable ? "基本支出" : "项目支出"
                    p["content"] = b.content
                    p["amount"] = a.figure.value.description
                    p["goal"] = b.goal
                    p["goal_amount"] = a.figure.value.description
                    p.sources["amount"] = source(a, table: b.table)
                    p.sources["goal_amount"] = source(a, table: b.table)
                    used.insert(draft.append("projects", p))
                    projectID = p["id"] ?? ""
                    created += 1
                    counts[s].seen += 1
                    counts[s].placed += 1
                } else {
                    skipped.append(b.name)
                    counts[s].seen += b.indicators.count + (b.amount == nil ? 0 : 1)
                    counts[s].unplaced["project not in the 项目支出表", default: 0] +=
                        b.indicators.count + (b.amount == nil ? 0 : 1)
                    continue
                }
            }
            for ind in b.indicators {
                indicatorID += 1
                var row = DraftRow()
                row["id"] = String(indicatorID)
                row["project"] = projectID
                row["unit"] = unitName
                row["level1"] = ind.level1
                row["level2"] = ind.level2
                row["level3"] = ind.level3
                row["op"] = ind.op
                row["value"] = ind.value?.description ?? ""
                row["text"] = ind.text
                row["measure"] = ind.measure
                row["deadline"] = ind.deadline
                row["weight"] = ind.weight?.description ?? ""
                row["direction"] = ind.direction
                row["nature"] = ind.nature
                row["basis"] = ind.basis
                row["description"] = ind.description
                let place = FigureSource(
                    page: document.kind == .pdf ? ind.page : 0, line: ind.line, table: b.table, printed: ind.text,
                    unit: ind.measure)
                row.sources[ind.value == nil ? "text" : "value"] = place
                draft.append("indicators", row)
                counts[s].rows += 1
                counts[s].seen += 1
                counts[s].placed += 1
            }
        }
        if created > 0 {
            notes.append(
                DocumentNote(
                    kind: .skipped,
                    text:
                        "\(created) project\(created == 1 ? "" : "s") named only in a 绩效目标表 stored from it (amount = its 预算资金)"
                ))
        }
        if !skipped.isEmpty {
            notes.append(
                DocumentNote(
                    kind: .skipped,
                    text:
                        "绩效目标表 of \(skipped.count) project\(skipped.count == 1 ? "" : "s") not in the 项目支出表, not stored: \(skipped.prefix(5).joined(separator: "、"))\(skipped.count > 5 ? " …" : "")"
                ))
        }
        for (k, seg) in segments.enumerated() {
            let c = counts[k]
            let g = grids.first { $0.lineRange.lowerBound == seg.lines.lowerBound }
            performanceCoverage[seg.lines.lowerBound] = TableCoverage(
                table: seg.table, kind: .performance, page: g?.page ?? 0, line: g?.line ?? 0, unit: g?.unit?.rawValue,
                rows: c.rows, seen: c.seen, placed: c.placed, confirmed: 0, unplaced: c.unplaced,
                // A text without cell positions: its 绩效目标表s are recognised but not read.
                status: document.kind == .plain && c.placed == 0
                    ? "recognised, not read (绩效目标表)" : c.seen == 0 ? "empty" : c.placed > 0 ? "stored" : "not placed")
        }
    }

    /// Where a figure of a 绩效目标表 was printed.
    func source(_ p: PlacedFigure, table: String) -> FigureSource {
        FigureSource(
            page: document.kind == .pdf ? p.word.page : 0, line: p.line, table: table, printed: p.figure.printed,
            unit: p.figure.unit.rawValue)
    }

    /// The project of the 项目支出表 a 绩效目标表 block describes: the same name (spacing and
    /// bracket widths aside), then the same 实施单位, then the same amount.
    func matchProject(_ b: PerformanceBlock, used: Set<Int>) -> Int? {
        let rows = draft.rows("projects")
        let key = Self.nameKey(b.name)
        var candidates = rows.indices.filter { Self.nameKey(rows[$0]["name"] ?? "") == key }
        if candidates.isEmpty, !b.code.isEmpty {
            candidates = rows.indices.filter { (rows[$0]["code"] ?? "") == b.code }
        }
        guard !candidates.isEmpty else { return nil }
        func narrow(_ keep: (Int) -> Bool) {
            let k = candidates.filter(keep)
            if !k.isEmpty { candidates = k }
        }
        if !b.unit.isEmpty { narrow { Self.nameKey(rows[$0]["unit"] ?? "") == Self.nameKey(b.unit) } }
        if let a = b.amount?.figure.value {
            narrow { ExactDecimal(rows[$0]["amount"] ?? "") == a }
        }
        narrow { !used.contains($0) }
        return candidates.first
    }

    static func nameKey(_ s: String) -> String { TextNormal.key(s) }

    /// The category a 预算管理一体化 project code states (6-digit region, 2-digit year, then R
    /// 人员类, Y 运转类, T 特定目标类), if the code has that form.
    static func category(code: String) -> String? {
        let chars = Array(code)
        guard chars.count >= 20, chars.prefix(8).allSatisfy(\.isNumber) else { return nil }
        switch chars[8] {
        case "R": return "人员类"
        case "Y": return "运转类"
        case "T": return "特定目标类"
        default: return nil
        }
    }
}
