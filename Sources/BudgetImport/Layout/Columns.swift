// Columns: a table's columns from its header, by position. A header printed over several lines
// is split into group cells (a label over two or more columns: 「基本支出」 over 小计 · 人员经费 ·
// 公用经费) and leaf columns (a label, or the wrapped pieces of one label, over one column). A
// data word is then matched to a column by its coordinates: a right-aligned figure to the last
// column whose header centre lies left of the figure's right edge, a left-aligned text to the
// first column whose centre lies right of the text's left edge. Runs of spaces are never counted.

/// One column of a table.
struct Column: Sendable, Hashable {
    /// The leaf label's pieces, top to bottom (「事业单位」「经营收入」).
    let pieces: [String]
    /// The labels of the group cells above it, top to bottom (「基本支出」).
    let context: [String]
    /// The horizontal extent and centre of its header.
    let x0: Double
    let x1: Double
    let center: Double
    /// The leaf label, its pieces joined (folded for matching).
    let leaf: String
    /// Every label from the top group down to the leaf, joined by 「/」.
    let label: String
    /// The labels as one key (groups and leaf), for matching words anywhere in the path.
    let pathKey: String
    /// Whether it holds text (codes, names) rather than figures.
    let isStub: Bool

    init(pieces: [String], context: [String], x0: Double, x1: Double, center: Double) {
        self.pieces = pieces
        self.context = context
        self.x0 = x0
        self.x1 = x1
        self.center = center
        leaf = TextNormal.key(pieces.joined())
        label = (context + [pieces.joined()]).map(TextNormal.compact).joined(separator: "/")
        pathKey = TextNormal.key((context + pieces).joined())
        isStub = ColumnMeaning.stub(leaf: leaf)
    }
}

/// Builds columns from header words and places data words in them.
enum ColumnLayout {
    /// The columns the header `words` describe, left to right. `cells` says the words are cells
    /// of a converted text (whose merged cells are followed by empty cells in their row).
    static func columns(header words: [Word], cells: Bool, gridWidth: Int = 0) -> [Column] {
        // Spans decide groups; centres (of the printed cell, never of a widened one) place words.
        let frags = (cells ? extendMergedCells(words, gridWidth: gridWidth) : words).map { w -> Word in
            var f = w
            f.text = w.text
            return f
        }
        guard !frags.isEmpty else { return [] }
        let centers = cells ? frags.map { $0.x0 + TextReader.cellWidth / 2 - 1 } : frags.map(\.center)
        let typicalHeight = frags.map(\.height).sorted()[frags.count / 2]
        let tolerance = cells ? 0.5 : max(3, 0.5 * typicalHeight)

        // A group: a cell with two or more distinct columns' labels below it.
        var isGroup = [Bool](repeating: false, count: frags.count)
        for (i, f) in frags.enumerated() {
            var below: [Double] = []
            for (j, g) in frags.enumerated() where j != i {
                guard g.y0 > f.y0 + 0.3 * f.height, centers[j] >= f.x0 - 0.5, centers[j] <= f.x1 + 0.5 else { continue }
                if !below.contains(where: { abs($0 - centers[j]) <= tolerance }) { below.append(centers[j]) }
            }
            isGroup[i] = below.count >= 2
        }
        // On a page, a group's label is often narrower than the columns it heads: it is a group
        // when labels below it, within the room its neighbours on its own line leave it, lie on
        // both sides of its centre (「本年支出」 over 项目 · 预算数; 「基本支出」 over 人员 · 公用).
        if !cells {
            for (i, f) in frags.enumerated() where !isGroup[i] {
                // Its neighbours: labels beside it whose height overlaps its own (labels of one
                // header line sit a little higher or lower as their cells are merged).
                let sameLine = frags.indices.filter { j in
                    j != i && frags[j].y0 < f.y1 - 0.5 && frags[j].y1 > f.y0 + 0.5
                }
                let left =
                    sameLine.filter { frags[$0].center < f.center }.map { frags[$0].x1 }.max() ?? -Double.infinity
                let right =
                    sameLine.filter { frags[$0].center > f.center }.map { frags[$0].x0 }.min() ?? Double.infinity
                let below = frags.indices.filter { j in
                    j != i && frags[j].y0 > f.y0 + 0.3 * f.height && centers[j] > left && centers[j] < right
                }.map { centers[$0] }
                let margin = max(tolerance, 0.5 * f.height)
                if below.contains(where: { $0 < f.center - margin })
                    && below.contains(where: { $0 > f.center + margin })
                {
                    isGroup[i] = true
                }
            }
        }
        // Leaves: the other cells, chained by centre (the wrapped pieces of one label).
        var chains: [[Int]] = []
        for i in frags.indices where !isGroup[i] {
            if let c = chains.firstIndex(where: { chain in
                chain.contains { abs(centers[$0] - centers[i]) <= tolerance }
            }) {
                chains[c].append(i)
            } else {
                chains.append([i])
            }
        }
        var columns: [Column] = []
        for chain in chains {
            let order = chain.sorted { (frags[$0].y0, frags[$0].x0) < (frags[$1].y0, frags[$1].x0) }
            let pieces = order.map { frags[$0] }
            let top = pieces.map(\.y0).min() ?? 0
            let leafCenter = order.last.map { centers[$0] } ?? 0
            let groups = frags.indices.filter { i in
                isGroup[i] && frags[i].y0 < top && leafCenter >= frags[i].x0 - 0.5 && leafCenter <= frags[i].x1 + 0.5
            }.map { frags[$0] }.sorted { $0.y0 < $1.y0 }
            columns.append(
                Column(
                    pieces: pieces.map(\.text), context: groups.map(\.text), x0: pieces.map(\.x0).min() ?? 0,
                    x1: pieces.map(\.x1).max() ?? 0, center: leafCenter))
        }
        return columns.sorted { $0.center < $1.center }
    }

    /// In a converted text, a merged header cell is its text followed by empty cells: each
    /// header cell is widened over the empty cells after it in its row, up to the grid's width.
    static func extendMergedCells(_ words: [Word], gridWidth: Int) -> [Word] {
        let w = TextReader.cellWidth
        var byRow: [Double: [Word]] = [:]
        for word in words { byRow[word.y0, default: []].append(word) }
        var out: [Word] = []
        for (_, row) in byRow {
            let sorted = row.sorted { $0.x0 < $1.x0 }
            for (k, word) in sorted.enumerated() {
                var widened = word
                let limit = k + 1 < sorted.count ? sorted[k + 1].x0 - 1 : Double(max(gridWidth, 1)) * w - 1
                if limit > widened.x1 { widened.x1 = limit }
                out.append(widened)
            }
        }
        return out.sorted { ($0.y0, $0.x0) < ($1.y0, $1.x0) }
    }

    /// The column a figure (right-aligned or centred) belongs to: the last column whose centre
    /// is at or left of the figure's right edge; the first column if none is.
    static func columnForFigure(_ word: Word, in columns: [Column], cells: Bool) -> Int? {
        guard !columns.isEmpty else { return nil }
        if cells { return columnForCell(word, in: columns) }
        var best: Int?
        for (i, c) in columns.enumerated() where c.center <= word.x1 + 1.5 { best = i }
        return best ?? 0
    }

    /// The column a text (left-aligned) belongs to: the first column whose centre is at or right
    /// of the text's left edge; the last column if none is.
    static func columnForText(_ word: Word, in columns: [Column], cells: Bool) -> Int? {
        guard !columns.isEmpty else { return nil }
        if cells { return columnForCell(word, in: columns) }
        for (i, c) in columns.enumerated() where c.center >= word.x0 - 1.5 { return i }
        return columns.count - 1
    }

    /// In a converted text, the column at the cell's position (or the nearest to its left).
    private static func columnForCell(_ word: Word, in columns: [Column]) -> Int? {
        var best: Int?
        for (i, c) in columns.enumerated() where c.center <= word.center + 0.5 { best = i }
        return best
    }
}
