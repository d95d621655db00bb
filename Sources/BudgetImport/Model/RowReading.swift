// RowReading: the pieces of a table row the model needs — its classification code (one column
// `2080501`, or three `208 05 01`, padded when printed `301 2`, inherited from the row above when
// a merged 类 cell leaves it blank), its name, and its figures by column meaning.

/// A word's place, used to count which printed figures went into the dataset.
struct WordKey: Hashable, Sendable {
    var page: Int
    var x: Int
    var y: Int

    init(_ w: Word) {
        page = w.page
        x = Int((w.x0 * 10).rounded())
        y = Int((w.y0 * 10).rounded())
    }
}

/// A figure read from a row, with the word it came from.
struct PlacedFigure: Sendable {
    var figure: Figure
    var word: Word
    var line: Int
}

/// A row of a classification table, read.
struct ClassRow: Sendable {
    var code: String?
    var name: String
    var figures: [FieldMeaning: PlacedFigure]
    /// Figures of columns the model has no field for, by column label.
    var others: [(label: String, figure: PlacedFigure)]
    var page: Int
    var line: Int
    /// Figures the row printed but whose columns could not be told (a text without positions).
    var ambiguous: [Word]
    /// The row's index in its table.
    var rowIndex: Int?
    /// Whether its columns were inferred from the table's column sums.
    var inferred = false

    var isTotal: Bool {
        let n = TextNormal.key(name)
        return code == nil && (n == "合计" || n == "总计" || n.hasPrefix("合计") || n.hasSuffix("合计") && n.count <= 8)
    }

    /// Every figure word of the row (placed or not).
    var allWords: [Word] { figures.values.map(\.word) + others.map(\.figure.word) + ambiguous }
}

/// Reads rows.
enum RowReading {
    /// The code and name printed in a row's text columns. `previous` is the code of the row above
    /// (for a 款 or 项 printed without its 类 in a merged cell).
    static func codeAndName(_ row: GridRow, previous: String?, government: Bool = false) -> (
        code: String?, name: String
    ) {
        var digits: [(text: String, column: Column)] = []
        var nameWords: [Word] = []
        for ci in row.cells.keys.sorted() {
            guard ci < row.columns.count else { continue }
            let col = row.columns[ci]
            guard ColumnMeaning.isStub(col), isGovernmentScheme(col) == government else { continue }
            let leaf = col.leaf
            if leaf.contains("单位代码") || leaf.contains("部门代码") || leaf.contains("单位编码") || leaf.contains("部门编码")
                || ["序号", "行次", "栏次", "编号"].contains(leaf)
            {
                continue
            }
            for w in row.cells[ci] ?? [] {
                let t = TextNormal.halfWidth(w.text)
                if t.allSatisfy(\.isASCII) && !t.isEmpty && t.allSatisfy(\.isNumber) {
                    digits.append((t, col))
                } else if let split = splitLeadingCode(t) {
                    digits.append((split.code, col))
                    if !split.rest.isEmpty {
                        var rest = w
                        rest.text = split.rest
                        nameWords.append(rest)
                    }
                } else {
                    nameWords.append(w)
                }
            }
        }
        let name = TextNormal.unwrapped(GridRow.join(nameWords.sorted { ($0.y0, $0.x0) < ($1.y0, $1.x0) }))
        return (assemble(digits, previous: previous), name)
    }

    /// Whether a text column belongs to the parallel 政府预算支出经济分类 printed beside the
    /// 部门 one (its group label names 政府预算 / 政府经济分类).
    static func isGovernmentScheme(_ c: Column) -> Bool {
        let path = c.pathKey
        return path.contains("政府预算") || path.contains("政府经济分类") || path.contains("政府支出经济分类")
    }

    /// 「2080501 行政单位离退休」 or 「2080501行政单位离退休」: a code glued to its name.
    static func splitLeadingCode(_ text: String) -> (code: String, rest: String)? {
        guard let r = text.range(of: "^[0-9]{3}([0-9]{2}){0,2}(?![0-9])", options: .regularExpression) else {
            return nil
        }
        let rest = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || !(rest.first?.isNumber ?? false) else { return nil }
        if rest.hasPrefix(".") || rest.hasPrefix(",") { return nil }
        return (String(text[r]), rest)
    }

    /// Joins code pieces: the first (3, 5 or 7 digits) and 2-digit parts, each part padded
    /// (`301 2` → 30102); a row starting at 款 or 项 takes its prefix from the row above.
    static func assemble(_ pieces: [(text: String, column: Column)], previous: String?) -> String? {
        guard let first = pieces.first else { return nil }
        var code: String
        var rest = pieces.dropFirst()
        if [3, 5, 7].contains(first.text.count) {
            code = first.text
        } else if first.text.count <= 2 {
            let level = first.column.leaf
            let keep = level == "项" ? 5 : 3
            guard let previous, previous.count >= keep else { return nil }
            code = String(previous.prefix(keep))
            rest = pieces[...]
        } else {
            return nil
        }
        for p in rest {
            guard p.text.count <= 2 else { return nil }
            code += p.text.count == 1 ? "0" + p.text : p.text
        }
        return [3, 5, 7].contains(code.count) ? code : nil
    }

    /// The figures of a row by column meaning; figures of unmapped columns go to `others`.
    static func figures(_ row: GridRow, meanings: [FieldMeaning?], unit: PublishedUnit) -> (
        [FieldMeaning: PlacedFigure], [(label: String, figure: PlacedFigure)]
    ) {
        var placed: [FieldMeaning: PlacedFigure] = [:]
        var others: [(String, PlacedFigure)] = []
        for ci in row.cells.keys.sorted() {
            guard ci < meanings.count, let meaning = meanings[ci] else { continue }
            for w in row.cells[ci] ?? [] {
                guard let f = Figures.figure(w.text, unit: unit) else { continue }
                let p = PlacedFigure(figure: f, word: w, line: row.line)
                if case .other(let label) = meaning {
                    others.append((label, p))
                } else if placed[meaning] == nil {
                    placed[meaning] = p
                } else {
                    others.append((ci < row.columns.count ? row.columns[ci].label : "", p))
                }
            }
        }
        return (placed, others)
    }

    /// Reads every row of a classification table.
    static func classRows(_ grid: TableGrid, economic: Bool, unit: PublishedUnit) -> [ClassRow] {
        var out: [ClassRow] = []
        var previous: String?
        var lastColumns: [Column] = []
        var meanings: [FieldMeaning?] = []
        for (index, row) in grid.rows.enumerated() {
            if row.columns != lastColumns || meanings.isEmpty {
                meanings = ColumnMeaning.classification(row.columns, economic: economic)
                lastColumns = row.columns
            }
            let (code, name) = codeAndName(row, previous: previous)
            if let code { previous = code }
            let (figures, others) = self.figures(row, meanings: meanings, unit: unit)
            out.append(
                ClassRow(
                    code: code, name: name, figures: figures, others: others, page: row.page, line: row.line,
                    ambiguous: row.unplacedFigures, rowIndex: index, inferred: row.inferred))
        }
        return out
    }
}
