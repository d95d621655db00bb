// NameKey: the one normalised grouping key of printed names (`name_key` in queries). Documents
// print the same label with full-width or half-width punctuation and with or without spaces
// (「发放（缴纳）覆盖率」 and 「发放(缴纳)覆盖率」); the key folds those differences away and keeps
// everything else, so grouping by it merges the variants while the printed text stays untouched.

/// The normalised grouping key of a printed name.
public enum NameKey {
    /// `text` with every full-width ASCII form (U+FF01–U+FF5E) folded to its ASCII character,
    /// 【】〔〕 to [] (), curly quotes to straight ones, and every space (ASCII, ideographic U+3000,
    /// any Unicode white space) removed. Other characters, letter case included, are kept.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.properties.isWhitespace { continue }
            switch s.value {
            case 0xFF01...0xFF5E:
                if let a = Unicode.Scalar(s.value - 0xFEE0) { out.append(a) }
            case 0x3010: out.append("[")
            case 0x3011: out.append("]")
            case 0x3014: out.append("(")
            case 0x3015: out.append(")")
            case 0x201C, 0x201D: out.append("\"")
            case 0x2018, 0x2019: out.append("'")
            default: out.append(s)
            }
        }
        return String(out)
    }
}
