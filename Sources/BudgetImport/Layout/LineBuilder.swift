// LineBuilder: PDF words grouped into lines — the words of a page whose vertical middles agree,
// left to right — with text clipped at a page edge and printed twice dropped, and a letter-spaced
// label (「合 计」) joined into one word.

/// Groups a PDF's words into lines.
enum LineBuilder {
    /// The lines of `words`, page by page, top to bottom, numbered from 1 on each page.
    static func lines(of words: [Word]) -> [Line] {
        var byPage: [Int: [Word]] = [:]
        for w in words { byPage[w.page, default: []].append(w) }
        var out: [Line] = []
        for page in byPage.keys.sorted() {
            let pageWords = deduplicated(byPage[page] ?? []).sorted { $0.middle < $1.middle }
            var groups: [[Word]] = []
            var middle = 0.0
            var height = 0.0
            for w in pageWords {
                if var last = groups.last, abs(w.middle - middle) <= 0.35 * max(w.height, height) {
                    last.append(w)
                    groups[groups.count - 1] = last
                    middle = last.map(\.middle).reduce(0, +) / Double(last.count)
                    height = max(height, w.height)
                } else {
                    groups.append([w])
                    middle = w.middle
                    height = w.height
                }
            }
            for (i, g) in groups.enumerated() {
                out.append(Line(page: page, number: i + 1, words: joinLetterSpaced(g.sorted { $0.x0 < $1.x0 })))
            }
        }
        return out
    }

    /// `words` without repeats: the same text at the same place (clipped text drawn twice).
    static func deduplicated(_ words: [Word]) -> [Word] {
        var kept: [Word] = []
        var seen: [String: [Word]] = [:]
        for w in words {
            if let same = seen[w.text], same.contains(where: { abs($0.x0 - w.x0) < 1 && abs($0.y0 - w.y0) < 1 }) {
                continue
            }
            seen[w.text, default: []].append(w)
            kept.append(w)
        }
        return kept
    }

    /// Runs of one-character CJK words close together (a letter-spaced 「收 入 总 计」) joined.
    static func joinLetterSpaced(_ words: [Word]) -> [Word] {
        var out: [Word] = []
        for w in words {
            if let last = out.last, isSingleCJK(w.text) || (isCJKRun(last.text) && isSingleCJK(w.text)),
                isCJKRun(last.text), last.text.count <= 8, w.x0 - last.x1 < 1.2 * max(w.height, 1),
                w.x0 >= last.x1 - 0.5
            {
                var merged = last
                merged.text += w.text
                merged.x1 = w.x1
                merged.y0 = min(last.y0, w.y0)
                merged.y1 = max(last.y1, w.y1)
                out[out.count - 1] = merged
                continue
            }
            out.append(w)
        }
        return out
    }

    private static func isSingleCJK(_ s: String) -> Bool { s.count == 1 && isCJKRun(s) }

    /// Whether every character of `s` is a CJK ideograph (a letter-spaced label's pieces are).
    private static func isCJKRun(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) }
    }
}
