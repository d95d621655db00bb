// RegexTests: the linear-time regular-expression engine of `=~` and `matches()` — the syntax
// it accepts and the constructs it refuses, its classes and case folding checked against Swift's
// `Regex` scalar by scalar, and a differential test that runs random patterns and texts through
// both engines and requires the same answer.

import Foundation
import Testing

@testable import BudgetQL

@Suite struct RegexTests {
    static func match(_ pattern: String, _ text: String) -> Bool? {
        guard let p = try? Pattern.compile(pattern) else { return nil }
        return p.matches(text)
    }

    static func swiftMatch(_ pattern: String, _ text: String) -> Bool? {
        guard let r = try? Regex(pattern) else { return nil }
        return (try? r.firstMatch(in: text)) != nil
    }

    @Test(arguments: [
        // Literals, CJK, escapes
        ("医保", "改制企业医保", true), ("医保", "医疗", false), ("\\.", "a.b", true), ("\\.", "ab", false),
        ("a\\\\b", "a\\b", true), ("\\x41\\u{533B}\\u4FDD", "A医保", true), ("\\t", "a\tb", true),
        // ., classes, ranges, negation
        ("^.$", "医", true), ("^.$", "\n", false), ("(?s)^.$", "\n", true), ("^[a-c]+$", "abcab", true),
        ("^[^0-9]+$", "abc", true), ("^[^0-9]+$", "ab1", false), ("[\\d.,]", "1,000", true), ("^[-a]$", "-", true),
        ("^[a-]$", "-", true), ("[\\]]", "]", true), ("[\\b]", "\u{08}", true),
        // \d \w \s and friends
        ("^\\d+$", "2025", true), ("^\\d+$", "２０２５", true), ("\\d", "一二三", false), ("^\\w+$", "医保_a1", true),
        ("\\s", "a\u{3000}b", true), ("\\S", "   ", false), ("\\D", "123", false), ("^\\h$", "\t", true),
        ("^\\v$", "\n", true), ("\\p{Han}", "abc医", true), ("^\\p{Han}+$", "医疗保障", true),
        ("\\p{Han}", "abc", false), ("^\\P{L}+$", "123", true), ("\\p{Lu}", "abc", false), ("\\p{Nd}", "x9", true),
        // anchors
        ("^a", "ba", false), ("a$", "ba", true), ("a$", "a\n", false), ("a\\Z", "a\n", true), ("a\\z", "a\n", false),
        ("\\Aab", "ab", true), ("(?m)^b", "a\nb", true), ("(?m)a$", "a\nb", true), ("^b", "a\nb", false),
        ("\\bfoo\\b", "a foo b", true), ("\\bfoo\\b", "afoo", false), ("\\Boo", "foo", true),
        // groups, alternation
        ("^(ab|cd)+$", "abcdab", true), ("^(?:ab|cd)+$", "abca", false), ("^(?<y>20\\d\\d)年$", "2025年", true),
        ("a|", "zzz", true), ("^()$", "", true), ("(?i)abc", "xABCx", true), ("(?i:a)b", "Ab", true),
        ("(?i:a)b", "AB", false), ("(?#comment)a", "a", true),
        // quantifiers
        ("^a{3}$", "aaa", true), ("^a{3}$", "aa", false), ("^a{2,}$", "aaaa", true), ("^a{,2}$", "aaa", false),
        ("^a{1,2}?$", "aa", true), ("^a*?b$", "aaab", true), ("a{", "a{", true), ("x{1,2", "x{1,2", true),
        ("^(a|b)*c$", "ababc", true), ("^(a*)*$", "aaaa", true), ("^(a*)*b$", "aaaa", false),
    ])
    func examples(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(Self.match(pattern, text) == expected, "\(pattern) on \(text.debugDescription)")
    }

    @Test(arguments: [
        ("(a)\\1", "backreferences"), ("\\k<x>", "backreferences"), ("(?=a)", "lookahead"), ("(?!a)", "lookahead"),
        ("(?<=a)b", "lookbehind"), ("(?<!a)b", "lookbehind"), ("(?>a)", "atomic"), ("a*+", "possessive"),
        ("a++", "possessive"), ("[[:alpha:]]", "nested classes"), ("[a&&b]", "set operations"),
        ("[a--b]", "set operations"),
        ("a**", "cannot follow"), ("*a", "nothing to repeat"), ("a{2}{3}", "cannot follow"), ("(", "missing \")\""),
        ("[a", "missing \"]\""), (")", "unbalanced"), ("\\", "lone \\"), ("[]a]", "cannot start with"),
        ("x{2,1}", "reversed"), ("[z-a]", "reversed"), ("a{1001}", "above 1000"), ("(a{1000}){30}", "20000 states"),
        ("\\p{Klingon}", "property"), ("\\q", "escape \\q"), ("\\中", "escape"), ("(?x)a", "option"), ("\\X", "\\X"),
        ("[a-\\d]", "range cannot end"), ("[\\d-z]", "range cannot start"), ("\\u{110000}", "no Unicode scalar"),
        (String(repeating: "(", count: 200) + String(repeating: ")", count: 200), "nest"),
    ])
    func refusals(_ pattern: String, _ fragment: String) {
        do {
            _ = try Pattern.compile(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.detail.contains(fragment), "\(pattern): \(error.detail)")
            #expect(error.detail.contains("at character") || error.detail.contains("states"), "\(error.detail)")
        }
    }

    @Test func refusalsNameThePatternInTheQueryError() {
        let e = Fixture.error("projects | where name =~ \"(\\\\w)\\\\1\"")
        #expect(e?.kind == "invalid-regex")
        #expect(
            e?.message
                == "invalid regular expression \"(\\w)\\1\": backreferences (\\1) are not supported at character 5")
        let m = Fixture.error("projects | where matches(name, \"(?<=医)保\")")
        #expect(m?.kind == "invalid-regex")
        #expect(m?.message.contains("\"(?<=医)保\"") == true)
        // A pattern computed per row is checked when it is used.
        let computed = Fixture.error("projects | where matches(name, lower(\"(?=x)\"))")
        #expect(computed?.kind == "invalid-regex")
    }

    @Test func documentedExamplesStillMatch() throws {
        #expect(try Fixture.rows("projects | where name =~ \"（.*）$\" | agg n = count()") == [["3"]])
        #expect(
            try Fixture.rows("indicators | where name =~ \"^[0-9A-Za-z]\" or text ^= \"≥\" | agg n = count()")
                == Fixture.rows("indicators | where name =~ \"^[0-9A-Za-z]\" or text ^= \"≥\" | agg n = count()"))
    }

    // MARK: - Classes against Swift's Regex, scalar by scalar

    /// Scalars where matching one scalar is matching one character (not a mark or a join
    /// control that Swift reads as part of a cluster, not a surrogate).
    static func standalone(_ v: UInt32) -> Unicode.Scalar? {
        guard let s = Unicode.Scalar(v) else { return nil }
        let c = s.properties.generalCategory
        if c == .nonspacingMark || c == .spacingMark || c == .enclosingMark || c == .unassigned || c == .surrogate {
            return nil
        }
        if s.properties.isGraphemeExtend || v == 0x200D || v == 0x0D { return nil }
        return s
    }

    /// Scalars to compare classes over: all of ASCII and Latin-1, CJK punctuation, the Han
    /// blocks' edges, and a stride through the rest of Unicode.
    static let sample: [UInt32] = {
        var v: [UInt32] = Array(0..<0x300)
        v += Array(0x2000..<0x2100) + Array(0x2E80..<0x3100) + Array(0xFF00..<0xFF70)
        v += [
            0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4E00, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFA6D, 0xFA6E, 0xFA70, 0xFAD9,
            0xFADA,
        ]
        v += Array(stride(from: UInt32(0x300), to: 0x32400, by: 97))
        return v
    }()

    @Test(arguments: ["\\d", "\\w", "\\s", ".", "\\h", "\\v", "\\p{L}", "\\p{Lu}", "\\p{N}", "\\p{P}", "\\p{Zs}"])
    func classesAgreeWithSwift(_ cls: String) throws {
        let mine = try Pattern.compile("^" + cls + "$")
        let swift = try Regex("^" + cls + "$")
        var differ: [String] = []
        for v in Self.sample {
            guard let s = Self.standalone(v) else { continue }
            let text = String(Character(s))
            // Swift's \d is Numeric_Type (一, ½, ①); here it is Nd only, by design.
            if cls == "\\d", s.properties.numericType != nil, s.properties.generalCategory != .decimalNumber {
                continue
            }
            let theirs = (try? swift.wholeMatch(in: text)) != nil
            if mine.matches(text) != theirs { differ.append(String(format: "U+%04X", v)) }
        }
        #expect(differ.isEmpty, "\(cls) differs at \(differ.prefix(20))")
    }

    @Test func hanAgreesWithSwiftOnEveryScalar() throws {
        // Swift reads \p{Han} as Script_Extensions, which adds CJK punctuation and symbols
        // (、。「」, ㈠, ㊀, counting rods); here it is the Han script, as in PCRE, ICU and RE2.
        // Every ideograph and every scalar of the script agree.
        let swift = try Regex("\\p{Han}")
        var mineOnly: [String] = []
        var swiftOnlyLetters: [String] = []
        var swiftOnly = 0
        for v in UInt32(0x2E00)...0x323FF {
            guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned else { continue }
            let text = String(Character(s))
            let theirs = (try? swift.wholeMatch(in: text)) != nil
            let mine = ScalarPredicate.isHan(v)
            if mine && !theirs { mineOnly.append(String(format: "U+%04X", v)) }
            if theirs && !mine {
                swiftOnly += 1
                // 〆 and 〼 are letters of the Common script whose extensions include Han.
                if s.properties.generalCategory == .otherLetter, v != 0x3006, v != 0x303C {
                    swiftOnlyLetters.append(String(format: "U+%04X", v))
                }
            }
        }
        #expect(mineOnly.isEmpty, "\\p{Han} here but not in Swift: \(mineOnly.prefix(30))")
        #expect(swiftOnlyLetters.isEmpty, "ideographs missing from \\p{Han}: \(swiftOnlyLetters.prefix(30))")
        #expect(swiftOnly < 400)
    }

    @Test func caseFoldingAgreesWithSwift() throws {
        var differ: [String] = []
        for v in Self.sample {
            guard let s = Self.standalone(v), s.properties.changesWhenCaseMapped, v != 0x5C else { continue }
            let pattern = "^(?i)" + (s.isASCII && !s.properties.isAlphabetic ? "\\" : "") + String(Character(s)) + "$"
            guard let mine = try? Pattern.compile(pattern), let swift = try? Regex(pattern) else { continue }
            // A mapping to several scalars (İ → i̇) is one character to Swift and several here.
            for other in [s.properties.lowercaseMapping, s.properties.uppercaseMapping, s.properties.titlecaseMapping]
            where other.unicodeScalars.count == 1 {
                let theirs = (try? swift.wholeMatch(in: other)) != nil
                if mine.matches(other) != theirs { differ.append("\(String(Character(s)))~\(other)") }
            }
        }
        #expect(differ.isEmpty, "(?i) differs at \(differ.prefix(20))")
    }

    // MARK: - Differential: random patterns against Swift's Regex

    /// A deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    /// Characters of the texts: letters of both cases, digits, CJK, full-width forms, spaces
    /// and a line break — all single-scalar characters, where scalar and grapheme agree.
    static let alphabet: [String] = [
        "a", "b", "c", "A", "B", "x", "0", "1", "9", " ", "_", "-", ".", "医", "保", "（", "）", "年", "%", "\n", "５",
        "\u{3000}", "é", "É",
    ]

    static func atom(_ r: inout Random, depth: Int) -> String {
        switch r.below(depth > 2 ? 9 : 12) {
        case 0, 1, 2: return r.pick(["a", "b", "c", "x", "0", "医", "保", "年", "（", "\\.", "-", " ", "é", "\\n"])
        case 3: return r.pick([".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\p{Han}", "\\p{L}", "\\P{L}"])
        case 4:
            let items = (0...r.below(3)).map { _ in
                r.pick(["a", "b-c", "0-9", "医", "\\d", "\\s", "x", "A-Z", "é", "-", "\\]", "\\w", "（"])
            }
            return "[" + (r.below(3) == 0 ? "^" : "") + items.joined() + "]"
        // \b and \B are left out: Swift's follow Unicode word segmentation (every 汉字 is a word).
        case 5: return r.pick(["^", "$", "\\A", "\\z", "\\Z"])
        case 6, 7, 8: return r.pick(["a", "b", "医", "\\d", "."])
        default:
            let inner = pattern(&r, depth: depth + 1)
            return r.pick(["(", "(?:", "(?i:", "(?<n>"]) + inner + ")"
        }
    }

    static func pattern(_ r: inout Random, depth: Int = 0) -> String {
        var branches: [String] = []
        for _ in 0...(r.below(4) == 0 ? 1 : 0) {
            var items = ""
            for _ in 0..<(1 + r.below(4)) {
                let a = atom(&r, depth: depth)
                let anchor =
                    a.hasPrefix("^") || a.hasPrefix("$") || a.hasPrefix("\\b") || a.hasPrefix("\\B")
                    || a.hasPrefix("\\A") || a.hasPrefix("\\z") || a.hasPrefix("\\Z")
                let q = anchor ? "" : r.pick(["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?"])
                items += a + q
            }
            branches.append(items)
        }
        let body = branches.joined(separator: "|")
        return depth == 0 && r.below(6) == 0 ? r.pick(["(?i)", "(?s)", "(?m)"]) + body : body
    }

    @Test func randomPatternsAgreeWithSwiftRegex() {
        var r = Random(state: 0x5EED_2025)
        var compared = 0
        var rejected = 0
        var failures: [String] = []
        for _ in 0..<3_000 {
            let p = Self.pattern(&r)
            let mine = try? Pattern.compile(p)
            let swift = try? Regex(p)
            if (mine == nil) != (swift == nil) {
                failures.append("compiles differently: \(p.debugDescription) mine \(mine != nil)")
                continue
            }
            if mine == nil { rejected += 1 }
            guard let mine, let swift else { continue }
            for _ in 0..<8 {
                let text = (0..<r.below(9)).map { _ in r.pick(Self.alphabet) }.joined()
                let theirs = (try? swift.firstMatch(in: text)) != nil
                compared += 1
                if mine.matches(text) != theirs {
                    failures.append("\(p.debugDescription) on \(text.debugDescription): mine \(!theirs)")
                }
            }
        }
        #expect(compared > 15_000)
        #expect(rejected > 0)
        #expect(
            failures.isEmpty, "\(failures.count) differences, first: \(failures.prefix(15).joined(separator: "\n"))")
    }

    // MARK: - Threads

    @Test func eightThreadsShareThePatternCache() {
        // 600 distinct patterns (more than the cache holds, so entries are evicted while other
        // threads read them), each checked against its answer computed on one thread first.
        let patterns = (0..<600).map { "^[^\($0 % 10)]*\($0 % 7)|医{\($0 % 3)}保|x\($0)" }
        let texts = ["医保", "0123456789", "x17", "医医保", ""]
        let expected = patterns.map { p in texts.map { Self.match(p, $0) ?? false } }
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for k in 0..<patterns.count {
                let i = (k * 7 + thread * 75) % patterns.count
                guard let p = try? Pattern.cached(patterns[i]) else { continue }
                if texts.map({ p.matches($0) }) != expected[i] {
                    failures.lock.lock()
                    failures.count += 1
                    failures.lock.unlock()
                }
            }
        }
        #expect(failures.count == 0)
    }

    // MARK: - Text functions

    @Test func caseMappingIsTheStandardLibrarysOnEveryScalar() {
        var differ: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let text = "x" + String(s) + "医"
            if TextFunctions.lowercased(text) != text.lowercased()
                || TextFunctions.uppercased(text) != text.uppercased()
            {
                differ.append(String(format: "U+%04X", v))
            }
        }
        #expect(differ.isEmpty, "case mapping differs at \(differ.prefix(20))")
        // Mixed strings: runs copied as bytes between mapped scalars.
        var r = Random(state: 7)
        let alphabet = ["a", "Z", "ß", "İ", "ǅ", "Σ", "ς", "Ａ", "ｂ", "医", "é", "ﬃ", "😀", "ᾳ", "5", " ", "\n", "ŉ"]
        for _ in 0..<2_000 {
            let text = (0..<r.below(12)).map { _ in r.pick(alphabet) }.joined()
            #expect(TextFunctions.uppercased(text) == text.uppercased(), "\(text)")
            #expect(TextFunctions.lowercased(text) == text.lowercased(), "\(text)")
        }
        #expect(TextFunctions.uppercased("ǆ straße İ 医") == "ǆ straße İ 医".uppercased())
        #expect(TextFunctions.lowercased("ΣΑΣ İ ǅ") == "ΣΑΣ İ ǅ".lowercased())
    }

    @Test func substrIsCharacterBased() {
        func old(_ s: String, _ start: Int, _ length: Int?) -> String {
            let a = Array(s)
            let st = max(0, start - 1)
            let len = length.map { max(0, $0) } ?? a.count
            guard st < a.count else { return "" }
            return String(a[st..<(len >= a.count - st ? a.count : st + len)])
        }
        let texts = ["", "医疗保障局", "e\u{301}x😀🇨🇳ab", "a\r\nb", "abc"]
        for s in texts {
            for start in -2...8 {
                for length in [nil, -1, 0, 1, 2, 5, 100] as [Int?] {
                    var v: [Value] = [.text(s), .integer(start)]
                    if let length { v.append(.integer(length)) }
                    #expect(
                        TextFunctions.substr(v) == .text(old(s, start, length)),
                        "\(s) \(start) \(String(describing: length))")
                }
            }
        }
    }
}
