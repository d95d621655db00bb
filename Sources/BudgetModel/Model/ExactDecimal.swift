// ExactDecimal: exact base-10 numbers for money (万元) and indicator values.
//
// A value is `mantissa × 10^-scale` with a 64-bit mantissa and 0…18 decimal places.
// Addition, subtraction and multiplication are exact (they fail on overflow instead of
// rounding); division rounds half-to-even at a stated number of places. No binary floating
// point is used anywhere, so a sum of published amounts prints exactly the published total.

/// An exact decimal number: `mantissa × 10^-scale`.
///
/// Equality and ordering are numeric (`2220.4 == 2220.40`); `description` keeps the scale the
/// value was written with, so figures print as published.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The integer digits of the value.
    public let mantissa: Int64
    /// The number of decimal places (0…18).
    public let scale: Int8

    /// The largest number of decimal places a value may carry.
    public static let maxScale: Int8 = 18
    /// Zero, with no decimal places.
    public static let zero = ExactDecimal(mantissa: 0, scale: 0)

    private static let powers: [Int64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    ]

    /// Creates `mantissa × 10^-scale`. `scale` is clamped to 0…18; `Int64.min` is raised to
    /// `-Int64.max` so that every value can be negated exactly.
    public init(mantissa: Int64, scale: Int8) {
        self.mantissa = mantissa == .min ? -.max : mantissa
        self.scale = max(0, min(scale, ExactDecimal.maxScale))
    }

    /// Creates an integer value.
    public init(_ integer: Int) {
        self.init(mantissa: Int64(integer), scale: 0)
    }

    /// Parses a plain decimal such as `2220.40`, `-3`, `0.5` or `+12.`.
    ///
    /// Thousands separators (`2,220.40`) are accepted only when `allowGrouping` is true.
    /// Returns `nil` for anything else (exponents, spaces, more than 18 decimals, overflow).
    public init?(_ text: Substring, allowGrouping: Bool = false) {
        self.init(bytes: text.utf8, allowGrouping: allowGrouping)
    }

    /// The parser behind every decimal reader (text, and the loader's cell bytes).
    init?<Bytes: Collection<UInt8>>(bytes: Bytes, allowGrouping: Bool) {
        var utf8 = bytes[...]
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var mantissa: Int64 = 0
        var scale: Int8 = 0
        var seenPoint = false
        var digits = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                mantissa = m2
                digits += 1
                if seenPoint {
                    scale += 1
                    if scale > ExactDecimal.maxScale { return nil }
                }
            case UInt8(ascii: "."):
                if seenPoint { return nil }
                seenPoint = true
            case UInt8(ascii: ","):
                if !allowGrouping || seenPoint { return nil }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: scale)
    }

    /// Parses a plain decimal string; see ``init(_:allowGrouping:)-(Substring,_)``.
    public init?(_ text: String, allowGrouping: Bool = false) {
        self.init(text[...], allowGrouping: allowGrouping)
    }

    /// Whether the value is zero.
    public var isZero: Bool { mantissa == 0 }
    /// Whether the value is below zero.
    public var isNegative: Bool { mantissa < 0 }

    /// The absolute value.
    public var magnitude: ExactDecimal {
        ExactDecimal(mantissa: abs(mantissa), scale: scale)
    }

    /// The value with trailing fractional zeros removed (`2220.40` → `2220.4`).
    public var normalized: ExactDecimal {
        var m = mantissa
        var s = scale
        while s > 0 && m % 10 == 0 {
            m /= 10
            s -= 1
        }
        return ExactDecimal(mantissa: m, scale: s)
    }

    /// The value rescaled to `places` decimals, rounding half to even when digits are dropped.
    /// Returns `nil` on overflow.
    public func rounded(toPlaces places: Int8) -> ExactDecimal? {
        let places = max(0, min(places, ExactDecimal.maxScale))
        if places == scale { return self }
        if places > scale {
            let (m, o) = mantissa.multipliedReportingOverflow(by: ExactDecimal.powers[Int(places - scale)])
            return o ? nil : ExactDecimal(mantissa: m, scale: places)
        }
        let divisor = ExactDecimal.powers[Int(scale - places)]
        return ExactDecimal(mantissa: ExactDecimal.divideRounding(Int128(mantissa), by: Int128(divisor)), scale: places)
    }

    private static func divideRounding(_ n: Int128, by d: Int128) -> Int64 {
        var q = n / d
        let r = n % d
        let twice = (r < 0 ? -r : r) * 2
        let dm = d < 0 ? -d : d
        if twice > dm || (twice == dm && q % 2 != 0) {
            q += ((n < 0) != (d < 0)) ? -1 : 1
        }
        return Int64(clamping: q)
    }

    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int8) {
        let s = max(a.scale, b.scale)
        let am = Int128(a.mantissa) * Int128(powers[Int(s - a.scale)])
        let bm = Int128(b.mantissa) * Int128(powers[Int(s - b.scale)])
        return (am, bm, s)
    }

    private static func make(_ m: Int128, scale: Int8) -> ExactDecimal? {
        var m = m
        var s = scale
        // Drop trailing zeros beyond what fits, so large-scale products still fit.
        while (m > Int128(Int64.max) || m < Int128(Int64.min)) && s > 0 && m % 10 == 0 {
            m /= 10
            s -= 1
        }
        // Int64.min is excluded so that negation and magnitude are always exact.
        guard m <= Int128(Int64.max) && m >= -Int128(Int64.max) else { return nil }
        return ExactDecimal(mantissa: Int64(m), scale: s)
    }

    /// `self + other`, or `nil` on overflow.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let (a, b, s) = ExactDecimal.aligned(self, other)
        return ExactDecimal.make(a + b, scale: s)
    }

    /// `self - other`, or `nil` on overflow.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let (a, b, s) = ExactDecimal.aligned(self, other)
        return ExactDecimal.make(a - b, scale: s)
    }

    /// `self × other`, exact, or `nil` on overflow. The scale is the sum of both scales
    /// (capped at 18 by rounding half to even).
    public func multiplying(_ other: ExactDecimal) -> ExactDecimal? {
        var m = Int128(mantissa) * Int128(other.mantissa)
        var s = Int(scale) + Int(other.scale)
        if s > Int(ExactDecimal.maxScale) {
            let drop = s - Int(ExactDecimal.maxScale)
            m = Int128(ExactDecimal.divideRounding(m, by: Int128(ExactDecimal.powers[drop])))
            s = Int(ExactDecimal.maxScale)
        }
        return ExactDecimal.make(m, scale: Int8(s))
    }

    /// `self ÷ other` rounded half to even at `places` decimals; `nil` when dividing by zero or on overflow.
    public func dividing(by other: ExactDecimal, places: Int8 = 10) -> ExactDecimal? {
        guard other.mantissa != 0 else { return nil }
        // self/other = (ma / 10^sa) / (mb / 10^sb) = ma * 10^(sb - sa) / mb
        // result mantissa at `places` = ma * 10^(places + sb - sa) / mb
        let shift = Int(places) + Int(other.scale) - Int(scale)
        var numerator = Int128(mantissa)
        var denominator = Int128(other.mantissa)
        if shift >= 0 {
            var k = shift
            while k > 0 {
                let step = min(k, 18)
                let (r, o) = numerator.multipliedReportingOverflow(by: Int128(ExactDecimal.powers[step]))
                if o { return nil }
                numerator = r
                k -= step
            }
        } else {
            denominator *= Int128(ExactDecimal.powers[min(-shift, 18)])
        }
        let q = ExactDecimal.divideRounding(numerator, by: denominator)
        if q == Int64.max || q <= -Int64.max { return nil }
        return ExactDecimal(mantissa: q, scale: places).normalized
    }

    /// The value negated.
    public var negated: ExactDecimal { ExactDecimal(mantissa: -mantissa, scale: scale) }

    /// The integer part, if the value is a whole number that fits in `Int`.
    public var exactInteger: Int? {
        let n = normalized
        return n.scale == 0 ? Int(exactly: n.mantissa) : nil
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a == b
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a < b
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.mantissa)
        hasher.combine(n.scale)
    }

    /// The value with exactly its own scale: `2220.40` prints `2220.40`, `2220.4` prints `2220.4`.
    public var description: String {
        if scale == 0 { return String(mantissa) }
        let negative = mantissa < 0
        var digits = String(mantissa.magnitude)
        let s = Int(scale)
        if digits.count <= s { digits = String(repeating: "0", count: s - digits.count + 1) + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -s)
        return (negative ? "-" : "") + digits[..<cut] + "." + digits[cut...]
    }

    /// The value with `places` decimals (rounded half to even) and, optionally, thousands separators.
    public func formatted(places: Int8, grouping: Bool) -> String {
        let r = rounded(toPlaces: places) ?? self
        let text = r.description
        guard grouping else { return text }
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : text[...]
        let point = body.firstIndex(of: ".") ?? body.endIndex
        let intPart = Array(body[..<point])
        var grouped = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return (negative ? "-" : "") + grouped + body[point...]
    }
}
