// TableLocator: finds each table of a document by its title *followed by* its header or its
// 编制部门/单位 line (the 目录 repeats every title, but a contents entry is followed by the next
// entry, or has dot leaders), then reads the table's lines up to the next table: the header, the
// rows across page breaks (a repeated header skipped, its positions taken for that page), names
// wrapped onto lines of their own, and the notes printed under it.

/// A table as laid out on the page: its columns and its rows of placed words.
struct TableGrid: Sendable {
    /// What the title says it is.
    var kind: TableKind
    /// The title as printed.
    var printedTitle: String
    /// The title as a table name (numbering and year removed).
    var name: String
    /// The unit its 「单位：」 line names (`nil`: not stated).
    var unit: PublishedUnit?
    /// Where the title is.
    var page: Int
    var line: Int
    /// The pages it spans.
    var lastPage: Int
    /// The header's columns.
    var columns: [Column]
    /// The rows, top to bottom.
    var rows: [GridRow]
    /// Notes printed under the table (「注：本表为空表」).
    var notes: [String]
    /// Lines of the meta block: 编制部门, 部门名称, …
    var meta: [String]
    /// The document lines the table occupies (title to last row or note).
    var lineRange: Range<Int> = 0..<0
    /// For a text without cell positions: the header's lines and the body's, which
    /// `PlainTables` lays out.
    var headerLines: [Line] = []
    var bodyLines: [Line] = []
}

/// A row of a table: the words placed in each column.
struct GridRow: Sendable {
    /// Column index → the words placed there, left to right, top to bottom.
    var cells: [Int: [Word]]
    /// The columns of the page the row is on.
    var columns: [Column]
    /// Where the row is.
    var page: Int
    var line: Int
    var middle: Double
    /// For a text without cell positions: the figures in reading order, columns unknown.
    var unplacedFigures: [Word]
    /// Whether its figures' columns were decided by the table's column sums (a text without
    /// cell positions whose row alone adds up more than one way).
    var inferred = false

    /// The text of column `i` (pieces joined without spaces between CJK, a wrapped cell unwrapped).
    func text(_ i: Int) -> String { TextNormal.unwrapped(GridRow.join(cells[i] ?? [])) }

    /// Words joined: no space between two CJK pieces (a wrapped name), one space otherwise.
    static func join(_ words: [Word]) -> String {
        var out = ""
        for w in words {
            if let last = out.last, let first = w.text.first, !(isCJK(last) && isCJK(first)) {
                out += " "
            }
            out += w.text
        }
        return out
    }

    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false
    }
}

/// Finds and lays out the tables of a document.
enum TableLocator {
    /// Every table of `document` whose title is confirmed by a header or meta line.
    static func tables(in document: SourceDocument) -> [TableGrid] {
        let lines = document.lines
        let bodyHeight = typicalHeight(lines)
        // Each line's title reading, once (the look-aheads below ask again and again).
        let kinds = lines.map(titleKind)
        var titles: [(index: Int, kind: TableKind)] = []
        for i in lines.indices {
            guard let kind = kinds[i] else { continue }
            if confirmed(i, in: lines, kinds: kinds) { titles.append((i, kind)) }
        }
        var out: [TableGrid] = []
        for (k, t) in titles.enumerated() {
            let end = k + 1 < titles.count ? titles[k + 1].index : lines.count
            out.append(
                read(
                    lines, title: t.index, end: end, kind: t.kind, kindOfDocument: document.kind,
                    bodyHeight: bodyHeight,
                    kinds: kinds))
        }
        return document.kind == .plain ? PlainTables.lay(out) : out
    }

    /// The kind of table a line's text names as a title, or `nil`.
    static func titleKind(_ line: Line) -> TableKind? {
        let compact = line.compact
        // A project's 绩效目标表 is titled with the project's name, which can be long.
        let limit = compact.hasSuffix("绩效目标表") ? 160 : 64
        guard compact.count <= limit, compact.count >= 4, compact.contains("表") || compact.contains("政府采购预算") else {
            return nil
        }
        for bad in ["…", "....", "···", "。", "，", "；", "：", ":", "……", "详见", "见附"] where compact.contains(bad) {
            if bad == ":" || bad == "：", compact.hasPrefix("[bookmark:") { continue }
            return nil
        }
        return TableKind.classify(TableTitle.name(line.text))
    }

    /// Whether the title at `i` is followed by its table (a meta or header line) before any other title.
    static func confirmed(_ i: Int, in lines: [Line], kinds: [TableKind?]) -> Bool {
        var j = i + 1
        var seen = 0
        while j < lines.count && seen < 8 {
            let l = lines[j]
            if lines[i].page != l.page && seen > 0 && !isMeta(l) { return false }
            if kinds[j] != nil { return false }
            if isMeta(l) || isHeaderLike(l) { return true }
            seen += 1
            j += 1
        }
        return false
    }

    /// A 编制部门 / 单位 / 部门名称 line.
    static func isMeta(_ l: Line) -> Bool {
        let t = TextNormal.key(l.text)
        // A 「金额单位：万元」 broken over lines: 「金额单」「位：万元」, 「金额单位：」「万元」.
        if ["万元", "元", "千元", "金额单", "单位", "(万元)", "(元)"].contains(t) || t.hasPrefix("位:") { return true }
        for k in ["单位:", "编制部门", "编制单位", "部门名称:", "单位名称:", "部门:", "预算年度:", "金额单位", "截止时间:", "截止日期:"]
        where t.contains(k) {
            return true
        }
        if l.words.count == 1, t.range(of: "^(公开)?表[0-9]+([-－][0-9]+)?(续)?$", options: .regularExpression) != nil {
            return true
        }
        if l.words.count == 1, t.range(of: "^预算[0-9]+表$", options: .regularExpression) != nil { return true }
        return false
    }

    /// A header label followed by the unit in brackets: 「价值（金额单位：万元）」, 「金额（元）」.
    static func isLabelWithUnit(_ text: String) -> Bool {
        let t = TextNormal.key(text)
        guard t.hasSuffix(")"), let open = t.lastIndex(of: "("), open != t.startIndex else { return false }
        let label = t[..<open]
        return PublishedUnit.named(in: String(t[open...])) != nil && !label.contains(":") && !label.hasSuffix("单位")
    }

    /// A line that reads like a table header: short, with a header word.
    static func isHeaderLike(_ l: Line) -> Bool {
        let t = TextNormal.key(l.text)
        guard t.count <= 120, !t.contains("。") else { return false }
        // A list item (a contents entry) is no header.
        if t.hasPrefix("-") || t.hasPrefix("*") || t.hasPrefix("•") { return false }
        if t.range(of: "^[(]?[一二三四五六七八九十]+[、)]", options: .regularExpression) != nil { return false }
        let words = [
            "科目编码", "科目名称", "项目", "合计", "预算数", "金额", "因公出国", "单位名称", "功能分类", "经济分类", "收入", "支出",
            "三公",
        ]
        return words.contains { t.contains($0) } && (l.words.count >= 2 || t.count <= 12)
    }

    /// The median word height of the document's lines (the body font size).
    static func typicalHeight(_ lines: [Line]) -> Double {
        let h = lines.map(\.height).filter { $0 > 0 }.sorted()
        return h.isEmpty ? 0 : h[h.count / 2]
    }

    /// Whether the line is a 栏次 row: 「栏次 1 2 3 …」 or only the column numbers.
    static func isColumnNumbering(_ l: Line) -> Bool {
        if l.compact.hasPrefix("栏次") { return true }
        let n = l.words.compactMap { Int($0.text) }
        guard n.count == l.words.count, n.count >= 3 else { return false }
        return n == Array(n[0]..<(n[0] + n.count))
    }

    /// Whether a word is a figure (a number or a dash).
    static func isFigureWord(_ w: Word) -> Bool { Figures.isFigure(w.text) }

    /// Whether the line starts the data: it has a figure, or its first label is 合计/总计.
    static func isDataLine(_ l: Line) -> Bool {
        if isColumnNumbering(l) { return false }
        if l.words.contains(where: { Figures.number($0.text) != nil }) { return true }
        // A 合计 row with every figure blank (an empty table); a header line has other labels.
        let labels = l.words.filter { !Figures.isFigure($0.text) }.map { TextNormal.compact($0.text) }
        return labels.count == 1 && (labels[0] == "合计" || labels[0] == "总计")
    }

    /// A line that ends a table: a note, a paragraph of narrative, or a section heading.
    static func isEnd(_ l: Line, bodyHeight: Double, kind: DocumentKind) -> Bool {
        let t = l.compact
        if isNote(l) { return true }
        // Running text: one long word (a table row puts its text in cells beside other cells).
        let running =
            switch kind {
            case .pdf: l.words.count <= 2
            case .cells: l.cellCount == 0
            case .plain: true
            }
        if running && t.count > 24 && (t.contains("。") || t.filter({ $0 == "，" }).count >= 2) { return true }
        if kind == .pdf && bodyHeight > 0 && l.height > 1.3 * bodyHeight && l.words.count <= 2 { return true }
        if kind != .pdf {
            // A word processor's heading keeps its bookmark: 「[bookmark: _Toc…]十、名词解释」.
            if l.text.hasPrefix("[bookmark:") { return true }
            if l.text.hasPrefix("#") || t.range(of: "^第[一二三四五六七八九十]+部分", options: .regularExpression) != nil {
                return true
            }
        }
        return false
    }

    /// A note under a table: 注：…, 备注：…, 说明：….
    static func isNote(_ l: Line) -> Bool {
        let t = TextNormal.key(l.text)
        return t.hasPrefix("注:") || t.hasPrefix("备注") || t.hasPrefix("说明:") || t.hasPrefix("注释")
            || t.hasPrefix("注：")
    }

    /// Reads the table whose title is line `title`, up to line `end`.
    static func read(
        _ lines: [Line], title: Int, end: Int, kind: TableKind, kindOfDocument: DocumentKind, bodyHeight: Double,
        kinds: [TableKind?]
    ) -> TableGrid {
        let titleLine = lines[title]
        var grid = TableGrid(
            kind: kind, printedTitle: titleLine.text, name: TableTitle.name(titleLine.text),
            unit: PublishedUnit.named(in: titleLine.text), page: titleLine.page, line: titleLine.number,
            lastPage: titleLine.page, columns: [], rows: [], notes: [], meta: [])
        let cells = kindOfDocument == .cells
        var i = title + 1
        // Meta lines, then the header up to the first data line.
        var header: [Line] = []
        var headerKeys: Set<String> = []
        while i < end {
            var l = lines[i]
            // A header line that also carries 「单位：万元」: the unit read, the header kept.
            if isMeta(l) && l.words.count >= 3 {
                // A header cell that states the unit in brackets (「价值（金额单位：万元）」) is a label too.
                let rest = l.words.filter { w in
                    !isMeta(Line(page: l.page, number: l.number, words: [w])) || isLabelWithUnit(w.text)
                }
                let stripped = Line(page: l.page, number: l.number, words: rest, cellCount: l.cellCount)
                if rest.count >= 2 && isHeaderLike(stripped) && !isDataLine(stripped) {
                    if let u = l.words.lazy.compactMap({ PublishedUnit.named(in: $0.text) }).first { grid.unit = u }
                    let metaWords = l.words.filter { !rest.contains($0) }
                    if !metaWords.isEmpty { grid.meta.append(metaWords.map(\.text).joined(separator: " ")) }
                    l = stripped
                    header.append(l)
                    headerKeys.insert(l.compact)
                    i += 1
                    continue
                }
            }
            if isMeta(l) {
                grid.meta.append(l.text)
                if let u = PublishedUnit.named(in: l.text) ?? PublishedUnit.named(in: "单" + l.compact)
                    ?? PublishedUnit.named(in: "单位:" + l.compact)
                {
                    grid.unit = u
                }
                i += 1
                continue
            }
            if isDataLine(l) || isEnd(l, bodyHeight: bodyHeight, kind: kindOfDocument) { break }
            if !isColumnNumbering(l) { header.append(l) }
            headerKeys.insert(l.compact)
            i += 1
        }
        let gridWidth = cells ? maxCells(lines[i..<end]) : 0
        if cells { header = recoverSpans(header, gridWidth: gridWidth) }
        var columns = ColumnLayout.columns(header: header.flatMap(\.words), cells: cells, gridWidth: gridWidth)
        grid.columns = columns
        // The body, across pages.
        var body: [(line: Line, columns: [Column])] = []
        var page = titleLine.page
        while i < end {
            let l = lines[i]
            if isEnd(l, bodyHeight: bodyHeight, kind: kindOfDocument) {
                if isNote(l) {
                    var note = l.text
                    var k = i + 1
                    // A note wraps onto following lines until a blank, a title or the next table.
                    while k < end, !isDataLine(lines[k]), !isNote(lines[k]), lines[k].page == l.page,
                        kinds[k] == nil, lines[k].compact.count > 0, !isMeta(lines[k])
                    {
                        note += lines[k].text
                        k += 1
                    }
                    grid.notes.append(TextNormal.compact(note))
                    i = k
                    continue
                }
                break
            }
            if l.page != page {
                page = l.page
                // A repeated title, meta block or header on the new page.
                var repeated: [Line] = []
                var k = i
                while k < end, lines[k].page == page, !isDataLine(lines[k]) {
                    let lk = lines[k]
                    if isMeta(lk) || kinds[k] == kind || headerKeys.contains(lk.compact) || isColumnNumbering(lk)
                        || isHeaderLike(lk)
                    {
                        if !isMeta(lk) && kinds[k] == nil && !isColumnNumbering(lk) { repeated.append(lk) }
                        k += 1
                        continue
                    }
                    break
                }
                if k > i {
                    if !repeated.isEmpty {
                        let again = ColumnLayout.columns(
                            header: repeated.flatMap(\.words), cells: cells, gridWidth: gridWidth)
                        if again.count == columns.count { columns = again }
                    }
                    i = k
                    continue
                }
            }
            body.append((l, columns))
            grid.lastPage = l.page
            i += 1
        }
        grid.rows = rows(body, cells: cells, plain: kindOfDocument == .plain)
        grid.lineRange = title..<max(title + 1, i)
        if kindOfDocument == .plain {
            grid.headerLines = header
            grid.bodyLines = body.map(\.line)
        }
        return grid
    }

    /// A word processor's export drops the width of a merged header cell: a header row with
    /// fewer cells than the table has columns. Each of its cells is widened over the cells of the
    /// row below that it heads (「功能分类科目」 over 「科目编码」「科目名称」), until the row fills
    /// the table's width.
    static func recoverSpans(_ header: [Line], gridWidth: Int) -> [Line] {
        var out = header
        let w = TextReader.cellWidth
        for (k, line) in header.enumerated() where line.cellCount > 0 && line.cellCount < gridWidth {
            guard let below = header[(k + 1)...].first(where: { $0.cellCount >= gridWidth }) else { continue }
            let filled = Set(below.words.map { Int(($0.x0 / w).rounded(.down)) })
            guard let spans = spans(cells: line.cellCount, width: gridWidth, filled: filled) else { continue }
            let byIndex = Dictionary(grouping: line.words) { Int(($0.x0 / w).rounded(.down)) }
            var pos = 0
            var words: [Word] = []
            for (index, span) in spans.enumerated() {
                for var word in byIndex[index] ?? [] {
                    word.x0 = Double(pos) * w + 1
                    word.x1 = Double(pos + span) * w - 1
                    words.append(word)
                }
                pos += span
            }
            out[k].words = words
            out[k].cellCount = gridWidth
        }
        return out
    }

    /// The widths of `cells` header cells filling `width` columns: a cell wider than one column
    /// heads cells of the row below in every column it covers; of the ways to do that, the one
    /// with the most even widths.
    static func spans(cells: Int, width: Int, filled: Set<Int>) -> [Int]? {
        var memo: [Int: (cost: Int, spans: [Int])?] = [:]
        func best(_ i: Int, _ pos: Int) -> (cost: Int, spans: [Int])? {
            if i == cells { return pos == width ? (0, []) : nil }
            let key = i * 1000 + pos
            if let m = memo[key] { return m }
            var result: (cost: Int, spans: [Int])?
            let maxSpan = width - pos - (cells - i - 1)
            if maxSpan >= 1 {
                for s in 1...maxSpan {
                    if s > 1 && !(pos..<(pos + s)).allSatisfy(filled.contains) { break }
                    guard let rest = best(i + 1, pos + s) else { continue }
                    let cost = rest.cost + s * s
                    if result == nil || cost < result?.cost ?? Int.max { result = (cost, [s] + rest.spans) }
                }
            }
            memo[key] = result
            return result
        }
        return best(0, 0)?.spans
    }

    private static func maxCells(_ lines: ArraySlice<Line>) -> Int {
        var m = 0
        for l in lines.prefix(60) {
            let last = l.words.map { Int(($0.x0 / TextReader.cellWidth).rounded(.down)) + 1 }.max() ?? 0
            m = max(m, last, l.cellCount)
        }
        return m
    }

    /// The rows of a table body: each line with a figure or a code is a row; a line of text alone
    /// is a name wrapped onto its own line (close to a row) or a row with no figure printed.
    static func rows(_ body: [(line: Line, columns: [Column])], cells: Bool, plain: Bool) -> [GridRow] {
        var rows: [GridRow] = []
        var textOnly: [(row: GridRow, line: Line)] = []
        for (l, columns) in body {
            var row = GridRow(
                cells: [:], columns: columns, page: l.page, line: l.number, middle: l.middle, unplacedFigures: [])
            var hasFigure = false
            var hasCode = false
            for w in l.words {
                let figure = Figures.isFigure(w.text)
                if plain && figure && !columns.isEmpty {
                    // Without cell positions a figure's column is unknown; the model stage decides.
                    row.unplacedFigures.append(w)
                    hasFigure = true
                    continue
                }
                let c =
                    figure
                    ? ColumnLayout.columnForFigure(w, in: columns, cells: cells)
                    : ColumnLayout.columnForText(w, in: columns, cells: cells)
                row.cells[c ?? 0, default: []].append(w)
                if figure {
                    if let c, c < columns.count, ColumnMeaning.isStub(columns[c]) {
                        if Figures.number(w.text) != nil { hasCode = true }
                    } else {
                        hasFigure = true
                    }
                }
            }
            if hasFigure || hasCode || cells || plain || rows.isEmpty && textOnly.isEmpty && isTotalLabel(l) {
                rows.append(row)
            } else {
                textOnly.append((row, l))
            }
        }
        guard !textOnly.isEmpty else { return rows }
        // The typical distance between rows decides whether a text line belongs to a row.
        var pitches: [Double] = []
        for k in rows.indices.dropFirst() where rows[k].page == rows[k - 1].page {
            pitches.append(rows[k].middle - rows[k - 1].middle)
        }
        pitches.sort()
        let height = textOnly.map(\.line.height).sorted()[textOnly.count / 2]
        let pitch = pitches.isEmpty ? 2 * height : pitches[pitches.count / 2]
        let reach = min(max(0.6 * pitch, 0.8 * height), 1.5 * height)
        for (extra, line) in textOnly {
            let near = rows.indices.filter { rows[$0].page == line.page && abs(rows[$0].middle - line.middle) <= reach }
                .min { abs(rows[$0].middle - line.middle) < abs(rows[$1].middle - line.middle) }
            if let near {
                for (c, words) in extra.cells { rows[near].cells[c, default: []] += words }
                for c in rows[near].cells.keys { rows[near].cells[c]?.sort { ($0.y0, $0.x0) < ($1.y0, $1.x0) } }
            } else {
                rows.append(extra)
            }
        }
        rows.sort { ($0.page, $0.middle) < ($1.page, $1.middle) }
        return rows
    }

    private static func isTotalLabel(_ l: Line) -> Bool {
        let t = TextNormal.compact(l.text)
        return t == "合计" || t == "总计"
    }
}
