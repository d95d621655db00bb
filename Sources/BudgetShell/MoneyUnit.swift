// MoneyUnit: the unit amounts are shown in (`.units`, `--units`). Amounts are held in 万元, as
// published; another unit moves the decimal point on the exact digits (no arithmetic that could
// overflow or round, no binary floating point). `auto` picks 亿/万/元 per figure, for people only.

import BudgetQL

/// The unit money is shown in.
public enum MoneyUnit: String, Sendable, CaseIterable {
    /// 元: amounts × 10,000.
    case yuan = "元"
    /// 万元, as published (the default).
    case wanYuan = "万元"
    /// 亿元: amounts ÷ 10,000.
    case yiYuan = "亿元"
    /// Tables only: each figure in 亿, 万 or 元, whichever reads best (`6.36亿`, `2,220.40万`);
    /// CSV and JSON keep exact 万元.
    case auto

    /// The unit a figure is written in for programs (CSV, JSON): `auto` means 万元.
    public var exactUnit: MoneyUnit { self == .auto ? .wanYuan : self }

    /// The power of ten that takes a figure from 万元 to this unit.
    var exponent: Int {
        switch self {
        case .yuan: return 4
        case .wanYuan, .auto: return 0
        case .yiYuan: return -4
        }
    }

    /// A unit from what a user types: `元`, `万元`, `亿元`, `auto`, or `yuan`, `wan`, `yi`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "元", "yuan": self = .yuan
        case "万元", "万", "wan", "wanyuan": self = .wanYuan
        case "亿元", "亿", "yi", "yiyuan": self = .yiYuan
        case "auto": self = .auto
        default: return nil
        }
    }

    /// A column header naming the unit when it is not the published 万元: `amount (元)`.
    func header(_ name: String) -> String { exactUnit == .wanYuan ? name : "\(name) (\(exactUnit.rawValue))" }
}

/// The digits of an exact decimal, with the decimal point moved by whole powers of ten.
struct DecimalDigits {
    var negative: Bool
    /// Digits before the point, without leading zeros ("0" for none).
    var integer: String
    /// Digits after the point, as many as the value's scale.
    var fraction: String

    /// `value × 10^exponent`, exactly, with the scale exact arithmetic gives it: multiplying
    /// keeps the value's decimals (`2220.40` × 10⁴ = `22204000.00`), dividing adds to them
    /// (`2220.40` ÷ 10⁴ = `0.222040`).
    init(_ value: ExactDecimal, exponent: Int = 0) {
        negative = value.mantissa < 0
        let digits = String(value.mantissa.magnitude)
        let scale = Int(value.scale) - exponent
        if scale <= 0 {
            integer = digits + String(repeating: "0", count: -scale)
            fraction = ""
        } else if digits.count > scale {
            integer = String(digits.dropLast(scale))
            fraction = String(digits.suffix(scale))
        } else {
            integer = "0"
            fraction = String(repeating: "0", count: scale - digits.count) + digits
        }
        while integer.count > 1 && integer.hasPrefix("0") { integer.removeFirst() }
        if exponent > 0 { fraction += String(repeating: "0", count: max(0, Int(value.scale) - fraction.count)) }
        if integer == "0" && fraction.allSatisfy({ $0 == "0" }) { negative = false }
    }

    /// Exactly, with the value's own number of decimals: `2220.40`, `22204000.00`, `0.222040`.
    var exact: String { (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction) }

    /// Rounded half to even at `places` decimals.
    func rounded(places: Int) -> DecimalDigits {
        guard fraction.count > places else {
            var d = self
            d.fraction += String(repeating: "0", count: places - fraction.count)
            return d
        }
        var kept = Array(integer + fraction.prefix(places))
        let rest = Array(fraction.dropFirst(places))
        let first = rest[0]
        let tail = rest.dropFirst().contains { $0 != "0" }
        let last = kept.last.flatMap { $0.wholeNumberValue } ?? 0
        let up = first > "5" || (first == "5" && (tail || last % 2 == 1))
        if up {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == "9" {
                    kept[i] = "0"
                    i -= 1
                } else {
                    kept[i] = Character(String(kept[i].wholeNumberValue! + 1))
                    break
                }
            }
            if i < 0 { kept.insert("1", at: 0) }
        }
        var d = self
        d.integer = String(kept.dropLast(places))
        d.fraction = String(kept.suffix(places))
        if d.integer.isEmpty { d.integer = "0" }
        if d.integer == "0" && d.fraction.allSatisfy({ $0 == "0" }) { d.negative = false }
        return d
    }

    /// With at least `places` decimals (trailing zeros beyond them dropped) and thousands separators.
    func grouped(minimumPlaces places: Int) -> String {
        var fraction = Substring(self.fraction)
        while fraction.count > places && fraction.last == "0" { fraction.removeLast() }
        let padded = String(fraction) + String(repeating: "0", count: max(0, places - fraction.count))
        var out = ""
        let digits = Array(integer)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + out + (padded.isEmpty ? "" : "." + padded)
    }

    /// Whether the magnitude is at least 10^`power`.
    func isAtLeast(tenToThe power: Int) -> Bool { integer != "0" && integer.count > power }
}

extension MoneyUnit {
    /// An amount in 万元 shown in this unit for people: 2 decimals in 万元 and 元 (rounded half
    /// to even only when a computed figure has more), the exact digits in 亿元, and with `auto`
    /// `6.36亿`, `2,220.40万` or `1,000.00元`.
    func display(_ amount: ExactDecimal) -> String {
        switch self {
        case .wanYuan, .yuan:
            // A published figure is at most to the 分 (6 decimals of 万元: an imported 元 table
            // gives 1788.7739 万元) and is shown exactly; a computed one with more decimals (an
            // average, a quotient) is rounded to 2 places for reading.
            let exact = amount.normalized
            let d = DecimalDigits(exact, exponent: exponent)
            return (exact.scale > 6 && d.fraction.count > 2 ? d.rounded(places: 2) : d).grouped(minimumPlaces: 2)
        case .yiYuan:
            let d = DecimalDigits(amount, exponent: exponent)
            return d.grouped(minimumPlaces: 2)
        case .auto:
            let wan = DecimalDigits(amount)
            if wan.isAtLeast(tenToThe: 4) {
                return DecimalDigits(amount, exponent: -4).rounded(places: 2).grouped(minimumPlaces: 2) + "亿"
            }
            if wan.isAtLeast(tenToThe: 0) { return wan.rounded(places: 2).grouped(minimumPlaces: 2) + "万" }
            return DecimalDigits(amount, exponent: 4).rounded(places: 2).grouped(minimumPlaces: 2) + "元"
        }
    }

    /// An amount in 万元 written exactly in this unit (`auto`: 万元), for CSV and JSON.
    func exact(_ amount: ExactDecimal) -> String {
        DecimalDigits(
            amount.normalized.scale > 10 ? (amount.rounded(toPlaces: 10) ?? amount) : amount,
            exponent: exactUnit.exponent
        ).exact
    }
}
