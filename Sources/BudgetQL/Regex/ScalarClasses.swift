// ScalarClasses: what one step of a regular expression can match — sets of Unicode scalars
// (`[a-z]`, `.`), the Unicode classes `\d \w \s \h \v`, properties (`\p{L}`, `\p{Han}`), and the
// simple case folding of `(?i)`. Definitions follow Swift's Regex for single scalars, except that
// `\d` is a decimal digit (Nd) only: `一`, `½` and `①` are not digits here.

/// A class defined by a Unicode property rather than by listed scalars.
enum ScalarPredicate: Sendable, Equatable {
    /// `\d`: a decimal digit (General_Category Nd), including full-width ０–９.
    case digit
    /// `\w`: a letter or other alphabetic scalar, a number (any Numeric_Type), or `_`.
    case word
    /// `\s`: White_Space (includes U+3000 IDEOGRAPHIC SPACE).
    case space
    /// `\h`: tab or a space separator (Zs).
    case horizontalSpace
    /// `\v`: a line break: U+000A–U+000D, U+0085, U+2028, U+2029.
    case lineBreak
    /// `\p{…}` of general categories (a bit per `Unicode.GeneralCategory` case, in `categoryIndex` order).
    case categories(UInt64)
    /// `\p{Han}`: the Han script (ideographs, radicals, 々, 〇, Hangzhou numerals).
    case han
    /// `\p{Alphabetic}`.
    case alphabetic
    /// `\p{Uppercase}`.
    case uppercase
    /// `\p{Lowercase}`.
    case lowercase
    /// `\p{ASCII}`.
    case ascii
    /// `\p{Any}`.
    case any

    /// Whether scalar `v` has the property.
    func test(_ v: UInt32) -> Bool {
        // The ASCII letters and digits answer without a property lookup.
        if v < 0x80 {
            let letter = (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A
            let digit = v >= 0x30 && v <= 0x39
            switch self {
            case .digit: return digit
            case .word: return letter || digit || v == 0x5F
            case .space: return v == 0x20 || (v >= 0x09 && v <= 0x0D)
            case .horizontalSpace: return v == 0x20 || v == 0x09
            case .lineBreak: return v >= 0x0A && v <= 0x0D
            case .han: return false
            case .alphabetic: return letter
            case .uppercase: return v >= 0x41 && v <= 0x5A
            case .lowercase: return v >= 0x61 && v <= 0x7A
            case .ascii, .any: return true
            case .categories: break
            }
        }
        guard let scalar = Unicode.Scalar(v) else { return false }
        let p = scalar.properties
        switch self {
        case .digit: return p.generalCategory == .decimalNumber
        case .word: return p.isAlphabetic || p.numericType != nil || v == 0x5F
        case .space: return p.isWhitespace
        case .horizontalSpace: return v == 0x09 || p.generalCategory == .spaceSeparator
        case .lineBreak: return (v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029
        case .categories(let bits): return bits & (1 << ScalarPredicate.categoryIndex(p.generalCategory)) != 0
        case .han: return ScalarPredicate.isHan(v)
        case .alphabetic: return p.isAlphabetic
        case .uppercase: return p.isUppercase
        case .lowercase: return p.isLowercase
        case .ascii: return v < 0x80
        case .any: return true
        }
    }

    /// The Han script (Unicode Scripts.txt), checked against Swift's `\p{Han}` by the tests.
    static let hanRanges: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029,
        0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3,
        0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B739, 0x2B740...0x2B81D, 0x2B820...0x2CEA1,
        0x2CEB0...0x2EBE0, 0x2EBF0...0x2EE5D, 0x2F800...0x2FA1D, 0x30000...0x3134A, 0x31350...0x323AF,
    ]

    static func isHan(_ v: UInt32) -> Bool {
        guard v >= 0x2E80 else { return false }
        var lo = 0
        var hi = hanRanges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if hanRanges[mid].upperBound < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < hanRanges.count && hanRanges[lo].contains(v)
    }

    /// The bit of each general category.
    static func categoryIndex(_ c: Unicode.GeneralCategory) -> Int {
        switch c {
        case .uppercaseLetter: return 0
        case .lowercaseLetter: return 1
        case .titlecaseLetter: return 2
        case .modifierLetter: return 3
        case .otherLetter: return 4
        case .nonspacingMark: return 5
        case .spacingMark: return 6
        case .enclosingMark: return 7
        case .decimalNumber: return 8
        case .letterNumber: return 9
        case .otherNumber: return 10
        case .connectorPunctuation: return 11
        case .dashPunctuation: return 12
        case .openPunctuation: return 13
        case .closePunctuation: return 14
        case .initialPunctuation: return 15
        case .finalPunctuation: return 16
        case .otherPunctuation: return 17
        case .mathSymbol: return 18
        case .currencySymbol: return 19
        case .modifierSymbol: return 20
        case .otherSymbol: return 21
        case .spaceSeparator: return 22
        case .lineSeparator: return 23
        case .paragraphSeparator: return 24
        case .control: return 25
        case .format: return 26
        case .surrogate: return 27
        case .privateUse: return 28
        case .unassigned: return 29
        @unknown default: return 29
        }
    }

    /// Category names (short and long, lowercased without separators) and their bits.
    private static let categoryNames: [String: UInt64] = {
        func bits(_ r: ClosedRange<Int>) -> UInt64 { r.reduce(0) { $0 | (1 << UInt64($1)) } }
        let table: [([String], UInt64)] = [
            (["l", "letter"], bits(0...4)), (["lc", "casedletter"], bits(0...2)),
            (["lu", "uppercaseletter"], bits(0...0)), (["ll", "lowercaseletter"], bits(1...1)),
            (["lt", "titlecaseletter"], bits(2...2)), (["lm", "modifierletter"], bits(3...3)),
            (["lo", "otherletter"], bits(4...4)), (["m", "mark", "combiningmark"], bits(5...7)),
            (["mn", "nonspacingmark"], bits(5...5)), (["mc", "spacingmark"], bits(6...6)),
            (["me", "enclosingmark"], bits(7...7)), (["n", "number"], bits(8...10)),
            (["nd", "decimalnumber"], bits(8...8)), (["nl", "letternumber"], bits(9...9)),
            (["no", "othernumber"], bits(10...10)), (["p", "punctuation", "punct"], bits(11...17)),
            (["pc", "connectorpunctuation"], bits(11...11)), (["pd", "dashpunctuation"], bits(12...12)),
            (["ps", "openpunctuation"], bits(13...13)), (["pe", "closepunctuation"], bits(14...14)),
            (["pi", "initialpunctuation"], bits(15...15)), (["pf", "finalpunctuation"], bits(16...16)),
            (["po", "otherpunctuation"], bits(17...17)), (["s", "symbol"], bits(18...21)),
            (["sm", "mathsymbol"], bits(18...18)), (["sc", "currencysymbol"], bits(19...19)),
            (["sk", "modifiersymbol"], bits(20...20)), (["so", "othersymbol"], bits(21...21)),
            (["z", "separator"], bits(22...24)), (["zs", "spaceseparator"], bits(22...22)),
            (["zl", "lineseparator"], bits(23...23)), (["zp", "paragraphseparator"], bits(24...24)),
            (["c", "other"], bits(25...29)), (["cc", "control", "cntrl"], bits(25...25)),
            (["cf", "format"], bits(26...26)), (["cs", "surrogate"], bits(27...27)),
            (["co", "privateuse"], bits(28...28)), (["cn", "unassigned"], bits(29...29)),
        ]
        var names: [String: UInt64] = [:]
        for (keys, b) in table { for k in keys { names[k] = b } }
        return names
    }()

    /// The predicate of `\p{name}`: general categories (`L`, `Lu`, `Letter`, `gc=Nd`), the Han
    /// script (`Han`, `sc=Han`, `Script=Han`, `IsHan`), and a few binary properties. Names are
    /// matched ignoring case, spaces, `-` and `_`. Nil for anything else.
    static func property(named raw: String) -> ScalarPredicate? {
        var name = String(raw.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
        var scriptOnly = false
        var categoryOnly = false
        if let eq = name.firstIndex(of: "=") {
            let key = name[..<eq]
            switch key {
            case "sc", "script", "scx", "scriptextensions": scriptOnly = true
            case "gc", "generalcategory": categoryOnly = true
            default: return nil
            }
            name = String(name[name.index(after: eq)...])
        }
        if !categoryOnly, name == "han" || name == "hani" || (!scriptOnly && name == "ishan") { return .han }
        if scriptOnly { return nil }
        if let bits = categoryNames[name] { return .categories(bits) }
        if categoryOnly { return nil }
        switch name {
        case "alphabetic", "alpha": return .alphabetic
        case "uppercase", "upper": return .uppercase
        case "lowercase", "lower": return .lowercase
        case "whitespace", "space": return .space
        case "ascii": return .ascii
        case "any": return .any
        default: return nil
        }
    }
}

/// One property test of a class, possibly negated (`\D` inside `[…]`).
struct ScalarTest: Sendable {
    let predicate: ScalarPredicate
    let negated: Bool
}

/// A set of scalars: listed ranges and property tests, possibly negated (`[^…]`), possibly
/// case-insensitive (ranges hold folded bounds and a scalar is folded before the lookup — as
/// Swift's Regex lowercases both sides).
struct ScalarSet: Sendable {
    /// Sorted, non-overlapping ranges (after `normalize`).
    var ranges: [ClosedRange<UInt32>] = []
    var tests: [ScalarTest] = []
    var negated = false
    var caseless = false

    init() {}

    /// The class of one property test.
    init(_ predicate: ScalarPredicate, negated: Bool) {
        tests = [ScalarTest(predicate: predicate, negated: negated)]
    }

    /// Every scalar.
    static let anything: ScalarSet = {
        var s = ScalarSet()
        s.negated = true
        return s
    }()
    /// `.`: anything but a line break.
    static let notLineBreak = ScalarSet(.lineBreak, negated: true)
    /// A line-break scalar.
    static let lineBreak = ScalarSet(.lineBreak, negated: false)

    /// Adds `low…high`; under `caseless`, the folded bounds (nothing if folding reverses them).
    mutating func add(_ low: UInt32, _ high: UInt32, caseless: Bool) {
        if caseless {
            let l = CaseFolding.fold(low)
            let h = CaseFolding.fold(high)
            if l <= h { ranges.append(l...h) }
        } else {
            ranges.append(low...high)
        }
    }

    /// Sorts and merges the ranges.
    mutating func normalize() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        ranges = merged
    }

    /// Whether scalar `v` is in the set.
    func contains(_ v: UInt32) -> Bool {
        let x = caseless ? CaseFolding.fold(v) : v
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < x { lo = mid + 1 } else { hi = mid }
        }
        var inside = lo < ranges.count && ranges[lo].lowerBound <= x
        if !inside {
            for t in tests where t.predicate.test(v) != t.negated {
                inside = true
                break
            }
        }
        return inside != negated
    }
}

/// The simple case folding of `(?i)`: a scalar's lowercase mapping when that is one scalar.
enum CaseFolding {
    static func fold(_ v: UInt32) -> UInt32 {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? v + 0x20 : v }
        guard let s = Unicode.Scalar(v), s.properties.changesWhenLowercased else { return v }
        let mapped = s.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first?.value ?? v : v
    }
}
