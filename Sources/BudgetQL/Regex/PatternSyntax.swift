// PatternSyntax: reads the text of a regular expression (`=~`, `matches()`) into a tree of
// scalars, classes, assertions, concatenations, alternations and bounded repetitions — the
// syntax a linear-time engine can run. Backreferences, lookaround, atomic groups and other
// constructs that need backtracking are refused with a `PatternError` saying what and where.

/// Why a regular expression does not compile.
package struct PatternError: Error, Sendable, Equatable {
    /// What is wrong, and at which character of the pattern (1-based).
    package let detail: String
}

/// One node of a parsed pattern.
indirect enum PatternNode: Sendable {
    /// Matches the empty string.
    case empty
    /// One Unicode scalar; with `caseless`, any scalar whose simple lowercase mapping is `folded`.
    case scalar(UInt32, caseless: Bool)
    /// One scalar of a class (`.`, `[…]`, `\d`, `\p{Han}`, …).
    case set(ScalarSet)
    /// A zero-width assertion (`^`, `$`, `\b`, …).
    case assertion(PatternAssertion)
    /// The parts in order.
    case concat([PatternNode])
    /// Any one of the branches.
    case alternation([PatternNode])
    /// `min` to `max` (nil: any number of) repetitions.
    case repetition(PatternNode, min: Int, max: Int?)
}

/// The zero-width assertions.
enum PatternAssertion: Int32, Sendable {
    /// `^`, `\A`: the start of the text.
    case textStart
    /// `$`, `\z`: the end of the text.
    case textEnd
    /// `\Z`: the end of the text, or before a line break that ends it.
    case textEndOrFinalBreak
    /// `(?m)^`: the start of the text or of a line.
    case lineStart
    /// `(?m)$`: the end of the text or of a line.
    case lineEnd
    /// `\b`: between a word character and a non-word character (or an end).
    case wordBoundary
    /// `\B`: not at a word boundary.
    case notWordBoundary
}

/// The parser: a recursive descent over the pattern's Unicode scalars.
struct PatternParser {
    /// The most repetitions `{m,n}` may ask for.
    static let maxRepetition = 1_000
    /// The deepest nesting of groups.
    static let maxDepth = 100

    private let s: [Unicode.Scalar]
    private var i = 0
    private var depth = 0
    /// `(?i)`: letters match either case.
    private var caseless = false
    /// `(?s)`: `.` matches line breaks too.
    private var dotAll = false
    /// `(?m)`: `^` and `$` match at line breaks too.
    private var multiline = false
    /// The names of named groups so far (a name may be used once, as in Swift and PCRE).
    private var names: Set<String> = []

    init(_ pattern: String) { s = Array(pattern.unicodeScalars) }

    /// Parses the whole pattern.
    static func parse(_ pattern: String) throws(PatternError) -> PatternNode {
        var p = PatternParser(pattern)
        let node = try p.alternation()
        if p.i < p.s.count {
            // Only an unbalanced `)` stops an alternation before the end.
            throw p.error("unbalanced \")\"", at: p.i)
        }
        return node
    }

    // MARK: - Errors and reading

    private func error(_ what: String, at position: Int) -> PatternError {
        PatternError(detail: "\(what) at character \(min(position, s.count) + 1)")
    }

    private var atEnd: Bool { i >= s.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }
    private func looking(at text: String) -> Bool {
        var k = i
        for c in text.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    // MARK: - Structure

    private mutating func alternation() throws(PatternError) -> PatternNode {
        var branches = [try concatenation()]
        while peek() == "|" {
            i += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(PatternError) -> PatternNode {
        var items: [PatternNode] = []
        while let c = peek(), c != "|", c != ")" {
            let start = i
            guard let atom = try atom() else { continue }
            items.append(try quantified(atom, start: start))
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// `atom` followed by its quantifier, if any.
    private mutating func quantified(_ atom: PatternNode, start: Int) throws(PatternError) -> PatternNode {
        guard let (min, max) = try quantifier() else { return atom }
        // A lazy quantifier matches the same texts as a greedy one; only `+` (possessive) changes them.
        if peek() == "?" {
            i += 1
        } else if peek() == "+" {
            throw error("possessive quantifiers are not supported", at: i)
        }
        if let c = peek(), c == "*" || c == "+" || c == "?" || (c == "{" && quantifierBounds(from: i) != nil) {
            throw error("a quantifier cannot follow another quantifier", at: i)
        }
        return .repetition(atom, min: min, max: max)
    }

    /// `* + ? {n} {n,} {n,m} {,m}` at the current position, consumed; nil if there is none.
    private mutating func quantifier() throws(PatternError) -> (Int, Int?)? {
        guard let c = peek() else { return nil }
        switch c {
        case "*":
            i += 1
            return (0, nil)
        case "+":
            i += 1
            return (1, nil)
        case "?":
            i += 1
            return (0, 1)
        case "{":
            guard let (lo, hi, end) = quantifierBounds(from: i) else { return nil }
            let at = i
            i = end
            if lo > PatternParser.maxRepetition || (hi ?? 0) > PatternParser.maxRepetition {
                throw error("a repetition count above \(PatternParser.maxRepetition)", at: at)
            }
            if let hi, hi < lo { throw error("the repetition range {\(lo),\(hi)} is reversed", at: at) }
            return (lo, hi)
        default:
            return nil
        }
    }

    /// The bounds of a `{…}` quantifier starting at `k` and the position after it; nil when the
    /// braces do not form one (then `{` is an ordinary character, as in Swift's Regex).
    private func quantifierBounds(from k: Int) -> (Int, Int?, Int)? {
        var j = k + 1
        func number() -> Int? {
            var n = 0
            var digits = 0
            while j < s.count, let d = digitValue(s[j]) {
                n = n > 1_000_000 ? n : n * 10 + d
                digits += 1
                j += 1
            }
            return digits > 0 ? n : nil
        }
        let lo = number()
        if j < s.count, s[j] == "}" {
            guard let lo else { return nil }
            return (lo, lo, j + 1)
        }
        guard j < s.count, s[j] == "," else { return nil }
        j += 1
        let hi = number()
        guard j < s.count, s[j] == "}", lo != nil || hi != nil else { return nil }
        return (lo ?? 0, hi, j + 1)
    }

    private func digitValue(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    // MARK: - Atoms

    /// One atom; nil for a construct that matches nothing but changes options (`(?i)`) or is a
    /// comment (`(?#…)`).
    private mutating func atom() throws(PatternError) -> PatternNode? {
        guard let c = peek() else { return .empty }
        let at = i
        switch c {
        case "(":
            return try group()
        case "[":
            return .set(try bracketClass())
        case ".":
            i += 1
            return .set(dotAll ? ScalarSet.anything : ScalarSet.notLineBreak)
        case "^":
            i += 1
            return .assertion(multiline ? .lineStart : .textStart)
        case "$":
            i += 1
            return .assertion(multiline ? .lineEnd : .textEnd)
        case "\\":
            return try escape()
        case "*", "+", "?":
            throw error("the quantifier \"\(c)\" has nothing to repeat", at: at)
        case "{":
            if quantifierBounds(from: i) != nil { throw error("the quantifier \"{\" has nothing to repeat", at: at) }
            i += 1
            return literal(c.value)
        default:
            i += 1
            return literal(c.value)
        }
    }

    private func literal(_ v: UInt32) -> PatternNode {
        caseless ? .scalar(CaseFolding.fold(v), caseless: true) : .scalar(v, caseless: false)
    }

    private mutating func group() throws(PatternError) -> PatternNode? {
        let at = i
        i += 1  // (
        if peek() == "*" { throw error("verbs such as (*…) are not supported", at: at) }
        let saved = (caseless, dotAll, multiline)
        if peek() == "?" {
            i += 1
            guard let c = peek() else { throw error("missing \")\"", at: at) }
            switch c {
            case ":":
                i += 1
            case "=", "!":
                throw error("lookahead (?\(c) is not supported", at: at)
            case "<" where peek(1) == "=" || peek(1) == "!":
                throw error("lookbehind (?<\(peek(1) ?? "=") is not supported", at: at)
            case ">":
                throw error("atomic groups (?> are not supported", at: at)
            case "#":
                while let d = peek(), d != ")" { i += 1 }
                guard peek() == ")" else { throw error("missing \")\"", at: at) }
                i += 1
                return nil
            case "<", "'":
                try groupName(closing: c == "<" ? ">" : "'", at: at)
            case "P":
                guard peek(1) == "<" else {
                    throw error("backreferences and recursion (?P\(peek(1) ?? "=")…) are not supported", at: at)
                }
                i += 1
                try groupName(closing: ">", at: at)
            default:
                // Options: (?ims-ims) for the rest of the group, or (?ims-ims:…) for a group.
                var on = true
                var any = false
                while let o = peek(), o != ")" && o != ":" {
                    switch o {
                    case "i": caseless = on
                    case "s": dotAll = on
                    case "m": multiline = on
                    case "-" where on: on = false
                    default:
                        throw error("the group or option (?\(o) is not supported", at: at)
                    }
                    any = true
                    i += 1
                }
                guard any else { throw error("an empty option group (?)", at: at) }
                guard let end = peek() else { throw error("missing \")\" to close the group opened", at: at) }
                i += 1
                if end == ")" { return nil }  // options stay on until the enclosing group ends
            }
        }
        depth += 1
        if depth > PatternParser.maxDepth {
            throw error("groups nest more than \(PatternParser.maxDepth) deep", at: at)
        }
        let inner = try alternation()
        depth -= 1
        guard peek() == ")" else { throw error("missing \")\" to close the group opened", at: at) }
        i += 1
        (caseless, dotAll, multiline) = saved
        return inner
    }

    /// Skips a capture group's name up to `closing`.
    private mutating func groupName(closing: Unicode.Scalar, at: Int) throws(PatternError) {
        i += 1
        var name = ""
        while let c = peek(), c != closing {
            guard c.properties.isAlphabetic || c == "_" || (c.value >= 0x30 && c.value <= 0x39) else {
                throw error("a group name may hold only letters, digits and _", at: i)
            }
            name.unicodeScalars.append(c)
            i += 1
        }
        guard peek() == closing, !name.isEmpty else { throw error("a group name is missing or unclosed", at: at) }
        guard names.insert(name).inserted else { throw error("the group name \"\(name)\" is used twice", at: at) }
        i += 1
    }

    // MARK: - Escapes

    private mutating func escape() throws(PatternError) -> PatternNode {
        let at = i
        i += 1
        guard let c = peek() else { throw error("the pattern ends with a lone \\", at: at) }
        if let set = try classEscape(c, at: at) { return .set(set) }
        switch c {
        case "b":
            i += 1
            return .assertion(.wordBoundary)
        case "B":
            i += 1
            return .assertion(.notWordBoundary)
        case "A":
            i += 1
            return .assertion(.textStart)
        case "z":
            i += 1
            return .assertion(.textEnd)
        case "Z":
            i += 1
            return .assertion(.textEndOrFinalBreak)
        case "R":
            i += 1
            // A line break: \r\n, or one line-break scalar.
            return .alternation([
                .concat([.scalar(0x0D, caseless: false), .scalar(0x0A, caseless: false)]), .set(ScalarSet.lineBreak),
            ])
        case "Q":
            i += 1
            var parts: [PatternNode] = []
            while !atEnd && !looking(at: "\\E") {
                parts.append(literal(s[i].value))
                i += 1
            }
            if looking(at: "\\E") { i += 2 }
            return parts.count == 1 ? parts[0] : .concat(parts)
        case "E":
            // A \E without \Q ends nothing.
            i += 1
            return .empty
        case "1"..."9", "g", "k":
            throw error("backreferences (\\\(c)) are not supported", at: at)
        case "G", "K", "X", "N", "C", "c", "o", "U", "y", "Y", "O":
            throw error("the escape \\\(c) is not supported", at: at)
        default:
            return literal(try scalarEscape(c, at: at))
        }
    }

    /// `\d \D \w \W \s \S \h \H \v \V \p{…} \P{…}`, consumed; nil for any other escape.
    private mutating func classEscape(_ c: Unicode.Scalar, at: Int) throws(PatternError) -> ScalarSet? {
        let predicate: ScalarPredicate
        var negated = false
        switch c {
        case "d", "D": predicate = .digit
        case "w", "W": predicate = .word
        case "s", "S": predicate = .space
        case "h", "H": predicate = .horizontalSpace
        case "v", "V": predicate = .lineBreak
        case "p", "P":
            i += 1
            let name: String
            if peek() == "{" {
                i += 1
                var text = ""
                while let d = peek(), d != "}" {
                    text.unicodeScalars.append(d)
                    i += 1
                }
                guard peek() == "}" else { throw error("missing \"}\" after \\\(c){", at: at) }
                i += 1
                name = text
            } else {
                guard let d = peek() else { throw error("a property name must follow \\\(c)", at: at) }
                i += 1
                name = String(Character(d))
            }
            var property = name
            if property.hasPrefix("^") {
                negated.toggle()
                property.removeFirst()
            }
            guard let p = ScalarPredicate.property(named: property) else {
                throw error("the Unicode property \"\(name)\" is not supported", at: at)
            }
            if c == "P" { negated.toggle() }
            return ScalarSet(p, negated: negated)
        default: return nil
        }
        i += 1
        negated = c.properties.isUppercase
        return ScalarSet(predicate, negated: negated)
    }

    /// The scalar an escape stands for: a control (`\t`), a code (`\x41`, `\u{533B}`), or an
    /// escaped ASCII punctuation or space character. Consumes the escape.
    private mutating func scalarEscape(_ c: Unicode.Scalar, at: Int) throws(PatternError) -> UInt32 {
        i += 1
        switch c {
        case "t": return 0x09
        case "n": return 0x0A
        case "r": return 0x0D
        case "f": return 0x0C
        case "e": return 0x1B
        case "a": return 0x07
        case "0":
            var v: UInt32 = 0
            var n = 0
            while n < 2, let d = peek(), d.value >= 0x30 && d.value <= 0x37 {
                v = v * 8 + (d.value - 0x30)
                i += 1
                n += 1
            }
            return v
        case "x", "u":
            var v: UInt32 = 0
            var digits = 0
            let braced = peek() == "{"
            if braced { i += 1 }
            let most = braced ? 8 : (c == "x" ? 2 : 4)
            while digits < most, let d = peek(), let h = hexValue(d) {
                v = v * 16 + h
                digits += 1
                i += 1
            }
            if braced {
                guard peek() == "}" else { throw error("missing \"}\" in \\\(c){…}", at: at) }
                i += 1
            }
            guard digits > 0, c == "x" || braced || digits == 4 else {
                throw error("\\\(c) must be followed by hexadecimal digits", at: at)
            }
            guard Unicode.Scalar(v) != nil else {
                throw error("\\\(c) names no Unicode scalar", at: at)
            }
            return v
        default:
            if c.isASCII && !c.properties.isAlphabetic && !(c.value >= 0x30 && c.value <= 0x39) {
                return c.value
            }
            throw error("the escape \\\(c) is not supported", at: at)
        }
    }

    private func hexValue(_ d: Unicode.Scalar) -> UInt32? {
        switch d.value {
        case 0x30...0x39: return d.value - 0x30
        case 0x41...0x46: return d.value - 0x41 + 10
        case 0x61...0x66: return d.value - 0x61 + 10
        default: return nil
        }
    }

    // MARK: - Bracket classes

    private mutating func bracketClass() throws(PatternError) -> ScalarSet {
        let at = i
        i += 1  // [
        var set = ScalarSet()
        if peek() == "^" {
            set.negated = true
            i += 1
        }
        if peek() == "]" { throw error("a class cannot start with \"]\" (escape it as \\])", at: i) }
        while true {
            guard let c = peek() else { throw error("missing \"]\" to close the class opened", at: at) }
            if c == "]" {
                i += 1
                break
            }
            if c == "[" { throw error("nested classes and POSIX classes such as [:alpha:] are not supported", at: i) }
            if (c == "&" || c == "-" || c == "~") && peek(1) == c {
                throw error("class set operations (\(c)\(c)) are not supported", at: i)
            }
            let itemStart = i
            let low: UInt32
            if c == "\\" {
                i += 1
                guard let e = peek() else { throw error("missing \"]\"", at: at) }
                if let inner = try classEscape(e, at: itemStart) {
                    if peek() == "-", let next = peek(1), next != "]" {
                        throw error("a range cannot start at a class such as \\\(e)", at: itemStart)
                    }
                    set.tests.append(contentsOf: inner.tests)
                    continue
                }
                if e == "b" {
                    i += 1
                    low = 0x08
                } else if e == "Q" || e == "E" {
                    throw error("\\\(e) inside a class is not supported", at: itemStart)
                } else {
                    low = try scalarEscape(e, at: itemStart)
                }
            } else {
                i += 1
                low = c.value
            }
            if peek() == "-", let next = peek(1), next != "]" {
                if next == "-" { throw error("class set operations (--) are not supported", at: i) }
                i += 1
                let high: UInt32
                if next == "\\" {
                    i += 1
                    guard let e = peek() else { throw error("missing \"]\"", at: at) }
                    if "dDwWsShHvVpP".unicodeScalars.contains(e) {
                        throw error("a range cannot end at a class such as \\\(e)", at: itemStart)
                    }
                    if e == "b" {
                        i += 1
                        high = 0x08
                    } else {
                        high = try scalarEscape(e, at: itemStart)
                    }
                } else {
                    if next == "[" { throw error("nested classes are not supported", at: i) }
                    i += 1
                    high = next.value
                }
                guard low <= high else { throw error("the class range is reversed", at: itemStart) }
                set.add(low, high, caseless: caseless)
            } else {
                set.add(low, low, caseless: caseless)
            }
        }
        set.caseless = caseless
        set.normalize()
        return set
    }
}
